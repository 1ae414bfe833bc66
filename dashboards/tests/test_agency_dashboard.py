"""The agency dashboard: every figure equals one computed from the evaluations directly."""

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Award
from evaluations import services
from evaluations.models import Evaluation, EvaluationScore, Level
from tests import clock
from units.models import Unit

from . import dataset

pytestmark = pytest.mark.django_db

# Next year's proposals: the window (31 May) is still ahead, so stale evaluations count.
YEAR = clock.TODAY.year + 1


@pytest.fixture
def units(rubric, agency, foreign_agency):
    return dataset.build(agency=agency, foreign_agency=foreign_agency, year=YEAR)


@pytest.fixture
def dashboard(client, viewer, agency, units):
    def get(**params):
        client.force_login(viewer)
        return client.get(reverse("dashboards:agency", args=[agency.pk]), {"year": YEAR, **params})

    return get


def effective_scores(agency):
    """Return each unit's stored scores at TPI level, or self where the TPI has not scored."""
    found = {}
    for s in EvaluationScore.objects.filter(
        evaluation__unit__agency=agency, evaluation__year=YEAR
    ).select_related("evaluation__unit"):
        name = s.evaluation.unit.name
        if s.level == Level.TPI or name not in found:
            found[name] = s
    return found


def test_pipeline_counts_units_by_status_as_the_evaluations_say(dashboard, agency):
    data = dashboard().context["data"]
    statuses = Evaluation.objects.filter(unit__agency=agency, year=YEAR).values_list(
        "status", flat=True
    )
    expected = Counter(statuses)
    expected["not_started"] = (
        Unit.objects.filter(agency=agency).exclude(evaluations__year=YEAR).count()
    )
    assert {k: v for k, v in data.pipeline.items() if v} == dict(expected)
    assert data.unit_count == Unit.objects.filter(agency=agency).count() == 6
    assert data.evaluation_count == len(statuses) == 5


def test_pipeline_counts_complete_lkes_per_level(dashboard, agency):
    data = dashboard().context["data"]
    scores = EvaluationScore.objects.filter(evaluation__unit__agency=agency, evaluation__year=YEAR)
    assert data.tpi_complete == scores.filter(level=Level.TPI, complete=True).count() == 4
    assert data.self_complete == scores.filter(level=Level.SELF, complete=True).count() == 1


def test_days_to_the_deadline_default_to_31_may_of_the_year(dashboard):
    data = dashboard().context["data"]
    assert data.deadline == date(YEAR, 5, 31)
    assert data.days_to_deadline == (date(YEAR, 5, 31) - timezone.localdate()).days


def test_predicates_per_year_count_awards_and_revocations_of_own_units(dashboard, agency):
    data = dashboard().context["data"]
    expected = {}
    for a in Award.objects.filter(unit__agency=agency):
        row = expected.setdefault(a.year, {"year": a.year, "wbk": 0, "wbbm": 0, "revoked": 0})
        row["revoked" if a.revoked_on else a.predicate.lower()] += 1
    assert data.predicates == [expected[y] for y in sorted(expected)]
    assert data.charts["predicates"].stacked


def test_heatmap_cells_are_the_area_shares_at_tpi_level_or_self_without_tpi(dashboard, agency):
    data = dashboard().context["data"]
    # Shown as stored (with two decimals): only the colours depend on a threshold.
    expected = {
        name: {k: a["share"] for k, a in s.areas.items()}
        for name, s in effective_scores(agency).items()
    }
    assert {h["unit"]: h["shares"] for h in data.heatmap} == expected
    levels = {h["unit"]: h["level"] for h in data.heatmap}
    assert levels["Delta"] == Level.SELF and levels["Alpha"] == Level.TPI


def test_heatmap_colours_cells_against_the_wbk_and_wbbm_lines(dashboard):
    data = dashboard().context["data"]
    cells = {h["unit"]: h["classes"] for h in data.heatmap}
    assert cells["Gamma"]["1"] == "table-success"  # 80% ≥ 75%
    assert cells["Alpha"]["1"] == "table-warning"  # 70%: WBK line, not WBBM
    assert cells["Beta"]["3"] == "table-danger"  # 50% < 60%
    assert (data.wbk_share, data.wbbm_share) == (Fraction("0.6"), Fraction("0.75"))


def test_ranking_orders_units_by_tpi_total_with_verdicts(dashboard, agency):
    data = dashboard().context["data"]
    expected = [
        (s.evaluation.unit.name, s.total, s.verdict)
        for s in EvaluationScore.objects.filter(
            evaluation__unit__agency=agency, evaluation__year=YEAR, level=Level.TPI
        )
        .select_related("evaluation__unit")
        .order_by("-total")
    ]
    assert [(r["unit"], r["total"], r["verdict"]) for r in data.ranking] == expected
    assert [r[0] for r in expected] == ["Gamma", "Beta", "Zeta", "Alpha"]


def test_trend_holds_each_units_total_per_year(dashboard, units):
    data = dashboard().context["data"]
    assert data.trend[units["Alpha"].pk] == {YEAR - 1: Decimal("65"), YEAR: Decimal("72")}
    # No TPI score in the earlier year: the self-assessment's total.
    assert data.trend[units["Gamma"].pk] == {YEAR - 1: Decimal("70"), YEAR: Decimal("90")}
    assert data.trend[units["Delta"].pk] == {YEAR: Decimal("60")}


def _warnings(data):
    return {
        (
            w.unit_name,
            w.kind,
            w.check.rule if w.check else None,
            w.check.shortfall if w.check else w.count,
        )
        for w in data.warnings
    }


def test_warnings_name_the_rule_and_the_shortfall(dashboard):
    found = _warnings(dashboard().context["data"])
    assert found == {
        ("Alpha", "near_threshold", "total", Fraction(3)),
        ("Alpha", "one_rule", "total", Fraction(3)),
        ("Beta", "one_rule", "area_share:3", Fraction(1)),
        ("Gamma", "one_rule", "prior_wbk", None),
        ("Delta", "stale", None, 40),
        # The dataset records no pencanangan.
        *{(name, "not_covered", None, None) for name in ("Alpha", "Beta", "Gamma", "Delta")},
        *{(name, "not_covered", None, None) for name in ("Epsilon", "Zeta")},
    }


def test_a_unit_holding_wbk_is_not_warned_about_the_prior_predicate(dashboard, units):
    dataset.award(units["Gamma"], YEAR - 2)
    found = _warnings(dashboard().context["data"])
    assert not {w for w in found if w[0] == "Gamma" and w[1] != "not_covered"}


def test_a_recently_changed_evaluation_is_not_stale(dashboard, units):
    Evaluation.objects.filter(unit=units["Delta"], year=YEAR).update(updated_at=timezone.now())
    found = _warnings(dashboard().context["data"])
    assert ("Delta", "stale", None, 40) not in found


def test_the_unit_kind_filter_keeps_units_of_that_kind(dashboard):
    data = dashboard(service_kind="kesehatan").context["data"]
    assert data.unit_count == 1
    assert [r["unit"] for r in data.ranking] == ["Zeta"]


def test_the_page_shows_the_tables_and_chart_data(dashboard):
    html = dashboard().content.decode()
    for name in ("pipeline", "predicates", "heatmap", "ranking", "trend", "warnings"):
        assert f'id="table-{name}"' in html
    for name in ("pipeline", "predicates", "ranking", "trend"):
        assert f'<script id="chart-{name}-data" type="application/json">' in html
    assert "Foreign" not in html
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script


def test_each_table_downloads_as_csv_with_every_row(dashboard):
    response = dashboard(format="csv", table="ranking")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # Excel's BOM first
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1:] == [
        ["1", "Gamma", "90,00", "WBK", "ya"],
        ["2", "Beta", "80,00", "—", "ya"],
        ["3", "Zeta", "76,00", "WBK", "ya"],
        ["4", "Alpha", "72,00", "—", "ya"],
    ]


def test_an_unknown_csv_table_is_not_found(dashboard):
    assert dashboard(format="csv", table="nothing").status_code == 404


def test_a_viewer_gets_404_for_another_agencys_dashboard(client, viewer, foreign_agency, units):
    client.force_login(viewer)
    response = client.get(reverse("dashboards:agency", args=[foreign_agency.pk]))
    assert response.status_code == 404


def test_a_unit_operator_sees_only_their_own_unit(client, agency, unit_operator, unit, units):
    dataset.evaluation(unit, YEAR)
    client.force_login(unit_operator)
    data = client.get(reverse("dashboards:agency", args=[agency.pk]), {"year": YEAR}).context[
        "data"
    ]
    assert data.unit_count == 1
    assert {w.unit_name for w in data.warnings} == {unit.name}


def test_the_index_sends_a_one_agency_viewer_to_its_dashboard(client, viewer, agency):
    client.force_login(viewer)
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302
    assert response.url == reverse("dashboards:agency", args=[agency.pk])


def test_the_navbar_links_to_the_dashboard(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboards:index")}">Dasbor<' in html


def test_units_no_pencanangan_covers_are_warned_about(dashboard, agency, units):
    from units.tests.factories import PencananganFactory

    PencananganFactory(agency=agency, covers_whole_agency=False, units=[units["Alpha"]])
    found = _warnings(dashboard().context["data"])
    uncovered = {name for name, kind, _rule, _n in found if kind == "not_covered"}
    assert uncovered == {"Beta", "Gamma", "Delta", "Epsilon", "Zeta"}


def test_a_pencanangan_over_the_whole_agency_covers_every_unit(dashboard, agency):
    from units.tests.factories import PencananganFactory

    PencananganFactory(agency=agency, covers_whole_agency=True)
    found = _warnings(dashboard().context["data"])
    assert not [w for w in found if w[1] == "not_covered"]


def test_answered_questions_without_evidence_are_counted_per_unit(dashboard, units):
    from evaluations.models import Answer, Criterion, Option
    from evaluations.tests.factories import EvidenceFactory

    alpha = Evaluation.objects.get(unit=units["Alpha"], year=YEAR)
    question = {c.code: c for c in Criterion.objects.filter(rubric=alpha.rubric)}
    ya = Option.objects.get(question=question["A.I.1.i.a"], letter="Ya")
    a = Option.objects.get(question=question["A.I.1.i.b"], letter="A")
    Answer.objects.create(evaluation=alpha, question=question["A.I.1.i.a"], level="self", option=ya)
    Answer.objects.create(evaluation=alpha, question=question["A.I.1.i.b"], level="self", option=a)
    Answer.objects.create(evaluation=alpha, question=question["A.I.1.i.b"], level="tpi", option=a)
    Answer.objects.create(
        evaluation=alpha,
        question=question["A.II.1.i.a"],
        level="self",
        inputs={"A.II.1.i.a.1": "3", "A.II.1.i.a.2": "4"},
    )
    Answer.objects.create(evaluation=alpha, question=question["A.I.1.ii.a"], level="self")
    EvidenceFactory(evaluation=alpha, question=question["A.I.1.i.a"])
    EvidenceFactory(evaluation=alpha, question=question["A.I.1.i.b"], is_removed=True)
    services.evaluation_evidence_recount(evaluation_id=alpha.pk)  # as the services do
    found = _warnings(dashboard().context["data"])
    # A.I.1.i.b (its evidence removed) and the computed A.II.1.i.a; the blank answer is not one.
    assert ("Alpha", "evidence_missing", None, 2) in found
    assert not [w for w in found if w[1] == "evidence_missing" and w[0] != "Alpha"]
