"""seed_demo --scale national, exercised at a tiny size: proportions, seed, stored totals."""

import io
import random
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from awards.models import Award, NationalStage, Submission, SubmissionItem
from demo import data, national
from demo.national import S
from evaluations import selectors
from evaluations.models import Answer, Evaluation, EvaluationScore, Level
from evaluations.rubric import scoring
from units.models import Agency, Unit

pytestmark = pytest.mark.django_db

SMALL_CODES = [code for code, *_rest in data.AGENCIES]


def _plan(rubric, **kwargs):
    return national.build_plan(
        spec=selectors.rubric_spec(rubric=rubric),
        rules=selectors.threshold_rules(rubric=rubric),
        **kwargs,
    )


def test_national_seed_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", scale="national", units=20)
    assert not Agency.objects.exists()


def test_the_catalogue_covers_every_province_with_about_600_agencies():
    rows = national.agency_catalogue(random.Random(1))
    kinds = Counter(kind for _code, _name, kind, _province in rows)
    assert kinds["provinsi"] == 38
    assert 480 <= kinds["kabupaten"] + kinds["kota"] <= 520
    assert 75 <= kinds["kementerian"] + kinds["lembaga"] <= 90
    assert 590 <= len(rows) <= 650
    assert len({r[0] for r in rows}) == len({r[1] for r in rows}) == len(rows)
    assert all(re.fullmatch(r"[A-Z0-9][A-Z0-9._-]{0,29}", r[0]) for r in rows)


def test_plan_is_reproducible_with_a_seed_and_changes_with_another(rubric):
    first = _plan(rubric, units=120, years=3, seed=5)
    again = _plan(rubric, units=120, years=3, seed=5)
    other = _plan(rubric, units=120, years=3, seed=6)
    assert (first.units, first.evaluations, first.awards) == (
        again.units,
        again.evaluations,
        again.awards,
    )
    assert first.units != other.units


def test_plan_proportions_follow_the_national_figures(rubric):
    plan = _plan(rubric, units=3000, years=5, seed=2026)
    assert len(plan.units) == 3000
    assert len(plan.evaluations) == 3000 * 5
    names = Counter((agency, name) for agency, _code, name, _kind in plan.units)
    assert max(names.values()) == 1  # unit names are unique within their agency
    assert any(name.startswith("Puskesmas ") for *_a, name, _k in plan.units)
    awarded_years = plan.years[:-1]  # this year's ceremony has not happened yet
    for year in plan.years:
        # KemenPANRB's figures: ~4,000 of ~20,000 units proposed a year.
        assert 0.12 <= plan.proposed[year] / 3000 <= 0.30
    awards = Counter((year, predicate) for _u, year, predicate, *_rest in plan.awards)
    for year in awarded_years:
        # 2020: 681 WBK and 82 WBBM of 3,691 proposed.
        assert 0.10 <= awards[(year, "WBK")] / plan.proposed[year] <= 0.35
        assert awards[(year, "WBBM")] <= awards[(year, "WBK")] / 3
    assert not any(year == plan.years[-1] for _u, year, *_rest in plan.awards)
    revoked = [a for a in plan.awards if a[5]]
    assert 0 < len(revoked) <= 0.05 * len(plan.awards)
    statuses = Counter(status for _u, _y, status, *_rest in plan.evaluations)
    assert {S.TPI_FINAL, S.AWARDED_WBK, S.NOT_AWARDED, S.REVOKED} <= set(statuses)


def test_progress_bar_draws_a_bar_with_counts():
    stream = io.StringIO()
    progress = national.Progress("answers", 200, stream)
    progress.advance(100)
    progress.finish()
    assert "[" + "#" * 30 + "]" in stream.getvalue()
    assert "200/200" in stream.getvalue()
    assert stream.getvalue().endswith("\n")


@override_settings(DEBUG=True)
def test_national_seed_loads_full_answers_with_stored_totals_equal_to_scoring(rubric, capsys):
    call_command("seed_demo", scale="national", units=40, years=3, seed=11)
    national_units = Unit.objects.exclude(agency__code__in=SMALL_CODES)
    assert national_units.count() == 40
    evaluations = Evaluation.objects.filter(unit__in=national_units)
    assert evaluations.count() == 120
    questions = len(selectors.rubric_spec(rubric=rubric).questions)
    assert Answer.objects.filter(evaluation__in=evaluations).count() == 120 * 2 * questions
    assert EvaluationScore.objects.filter(evaluation__in=evaluations, complete=True).count() == 240
    spec = selectors.rubric_spec(rubric=rubric)
    rules = selectors.threshold_rules(rubric=rubric)
    sample = random.Random(3).sample(list(evaluations.order_by("pk")), 12)
    for evaluation in sample:
        for level in (Level.SELF, Level.TPI):
            answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
            breakdown = scoring.score(spec, answers, inputs)
            held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
            stored = EvaluationScore.objects.get(evaluation=evaluation, level=level)
            assert stored.total == national.services.to_decimal(breakdown.total)
            assert stored.hasil == national.services.to_decimal(breakdown.hasil)
            assert stored.verdict == (scoring.predicate(breakdown, rules, held).verdict or "")
    # Every proposed evaluation went through a submission; every award has its item and stages.
    proposed = evaluations.exclude(
        status__in=[S.DRAFT, S.SELF_SUBMITTED, S.TPI_REVIEW, S.TPI_FINAL]
    )
    assert proposed.exists()
    items = SubmissionItem.objects.filter(evaluation__in=evaluations)
    assert set(items.values_list("evaluation_id", flat=True)) == set(
        proposed.values_list("pk", flat=True)
    )
    awards = Award.objects.filter(unit__in=national_units)
    assert awards.exists()
    for award in awards:
        item = award.evaluation.submission_item
        assert (item.result, item.proposed_predicate) == (award.predicate, award.predicate)
        assert item.stages.get(stage=NationalStage.Stage.RESULT).outcome == "passed"
        # Announced together under its year's decree, published on the ceremony day.
        assert award.submission_item == item
        assert (award.announcement.decree_number, award.announcement.year) == (
            award.decree_number,
            award.year,
        )
        assert award.announcement.is_published and award.published_on == award.decree_date
    last_year = evaluations.order_by("-year").values_list("year", flat=True).first()
    past = Submission.objects.filter(items__in=items, year__lt=last_year).distinct()
    assert set(past.values_list("status", flat=True)) == {Submission.Status.LOCKED}
    signers = Submission.objects.filter(items__in=items).values_list("signer_name", flat=True)
    assert all(signers)  # a submission is sent only with a signed cover letter
    output = capsys.readouterr()
    assert "National data loaded" in output.out
    assert "answers" in output.err  # the progress bar

    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo", scale="national", units=40, years=3)
    assert Unit.objects.exclude(agency__code__in=SMALL_CODES).count() == 40
