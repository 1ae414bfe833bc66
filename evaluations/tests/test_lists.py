"""The evaluation list (stored totals, filters, pages) and starting LKEs in bulk."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

from evaluations import services
from evaluations.models import Criterion, Evaluation, EvaluationScore, Level
from evaluations.rubric import snapshot as rubric_snapshot
from evaluations.views import lists as views_lists
from units.models import Agency, Role, Unit
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory

from .factories import EvaluationFactory

LIST = reverse("evaluations:list")
START = reverse("evaluations:start")
# session, user, memberships (and their agencies, the filter's choices), the count, the page's
# rows with totals (their ids chosen in a subquery); then, with nothing cached, the rubric's
# criteria, options and thresholds (for the question totals).
LIST_QUERIES = 8


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [e.unit.code for e in response.context["page"].object_list]


def score(evaluation, level, total, verdict="", answered=10):
    EvaluationScore.objects.create(
        evaluation=evaluation,
        level=level,
        total=Decimal(total),
        verdict=verdict,
        answered=answered,
        question_count=113,
    )


@pytest.fixture
def evaluations(rubric, unit, other_unit, foreign_unit):
    own = EvaluationFactory(unit=unit, year=2025)
    score(own, Level.SELF, "80.5", answered=113)
    score(own, Level.TPI, "77.25", verdict="WBK", answered=100)
    other = EvaluationFactory(unit=other_unit, year=2024, status=Evaluation.Status.TPI_REVIEW)
    foreign = EvaluationFactory(unit=foreign_unit, year=2025)
    return own, other, foreign


def test_list_shows_stored_totals_and_completeness(client, viewer, evaluations):
    client.force_login(viewer)
    page = client.get(LIST).content.decode()
    assert "80,50" in page and "77,25" in page and "WBK" in page
    assert "113/113" in page and "100/113" in page
    assert f'href="/evaluasi/{evaluations[0].pk}/"' in page
    own = evaluations[0]
    assert own.unit.name in page and own.unit.code in page and own.unit.agency.name in page
    assert "Draf" in page and "Reviu TPI" in page  # the statuses, in Indonesian


def test_list_shows_only_evaluations_in_scope(client, viewer, unit_operator, evaluations):
    client.force_login(viewer)
    assert listed(client) == ["SLEMAN-DUKCAPIL", "SLEMAN-RSUD"]
    client.force_login(unit_operator)
    assert listed(client) == ["SLEMAN-DUKCAPIL"]


@pytest.mark.parametrize(
    "params, codes",
    [
        ({"year": 2024}, ["SLEMAN-RSUD"]),
        ({"status": "tpi_review"}, ["SLEMAN-RSUD"]),
        ({"verdict": "WBK"}, ["SLEMAN-DUKCAPIL"]),
        ({"verdict": "none"}, ["SLEMAN-RSUD"]),
        ({"q": "rsud"}, ["SLEMAN-RSUD"]),
        ({"q": "dukcapil"}, ["SLEMAN-DUKCAPIL"]),
        ({"unit_kind": "kesehatan"}, []),
    ],
)
def test_list_filters(client, national_admin, evaluations, params, codes):
    client.force_login(national_admin)
    agency = evaluations[0].unit.agency_id
    assert listed(client, agency=agency, **params) == codes


def test_list_filters_by_agency(client, national_admin, evaluations):
    client.force_login(national_admin)
    assert listed(client, agency=evaluations[2].unit.agency_id) == ["SMG-TENGAH"]


def test_agency_filter_offers_only_the_users_agencies(client, viewer, evaluations):
    own_agency, foreign_agency = evaluations[0].unit.agency, evaluations[2].unit.agency
    client.force_login(viewer)
    response = client.get(LIST, {"agency": foreign_agency.pk})

    field = response.context["filter"].form["agency"]
    assert [label for _value, label in field.field.choices][1:] == [own_agency.name]
    assert field.errors  # another agency is not a choice...
    codes = [e.unit.code for e in response.context["page"].object_list]
    assert codes == ["SLEMAN-DUKCAPIL", "SLEMAN-RSUD"]  # ...and shows nothing of it


def test_list_unit_kind_filter_matches(client, viewer, evaluations, other_unit):
    Unit.objects.filter(pk=other_unit.pk).update(service_kind=Unit.ServiceKind.HEALTH)
    client.force_login(viewer)
    assert listed(client, unit_kind="kesehatan") == ["SLEMAN-RSUD"]


def test_question_totals_follow_an_edit_of_the_rubric(client, viewer, evaluations, rubric):
    client.force_login(viewer)
    assert "113/113" in client.get(LIST).content.decode()

    questions = rubric.criteria.filter(kind=Criterion.Kind.QUESTION)
    # One of several questions under its parent: the tree stays scorable without it.
    removed = questions.annotate(siblings=Count("parent__children")).filter(siblings__gt=1)
    removed.first().delete()

    page = client.get(LIST).content.decode()
    assert "113/112" in page and "113/113" not in page


def test_list_is_paginated(client, viewer, agency, rubric, monkeypatch):
    monkeypatch.setattr(views_lists, "LIST_PAGE_SIZE", 2)
    for _ in range(3):
        EvaluationFactory(unit=UnitFactory(agency=agency), year=2025)
    client.force_login(viewer)
    page = client.get(LIST, {"year": 2025, "page": 2}).context["page"]
    assert (page.paginator.count, len(page.object_list)) == (3, 1)
    assert "year=2025&amp;page=1" in client.get(LIST, {"year": 2025, "page": 2}).content.decode()


def test_list_query_count_is_the_same_for_3_and_30_evaluations(
    client, viewer, agency, rubric, django_assert_num_queries
):
    client.force_login(viewer)

    def add(count):
        for _ in range(count):
            evaluation = EvaluationFactory(unit=UnitFactory(agency=agency), year=2025)
            score(evaluation, Level.SELF, "50")
            score(evaluation, Level.TPI, "76", verdict="WBK")

    for added, total in ((3, 3), (27, 30)):
        add(added)
        cache.clear()
        rubric_snapshot.forget_all()
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == total


def test_list_shows_stored_totals_as_they_change(client, viewer, agency, rubric):
    evaluation = EvaluationFactory(unit=UnitFactory(agency=agency), year=2025)
    score(evaluation, Level.SELF, "50")
    client.force_login(viewer)
    assert client.get(LIST).context["page"][0].self_total == Decimal("50")
    EvaluationScore.objects.filter(evaluation=evaluation).update(total=Decimal("61.5"))
    assert client.get(LIST).context["page"][0].self_total == Decimal("61.5")


def test_list_page_keeps_the_order_and_the_totals_of_its_rows(
    client, viewer, agency, rubric, monkeypatch
):
    monkeypatch.setattr(views_lists, "LIST_PAGE_SIZE", 2)
    for code, year, total in (("B", 2025, "60"), ("A", 2025, "70"), ("C", 2024, "80")):
        evaluation = EvaluationFactory(
            unit=UnitFactory(agency=agency, code=code, name=f"Unit {code}"), year=year
        )
        score(evaluation, Level.TPI, total)
    client.force_login(viewer)
    first = client.get(LIST).context["page"].object_list
    second = client.get(LIST, {"page": 2}).context["page"].object_list
    assert [(e.unit.code, e.tpi_total) for e in first] == [
        ("A", Decimal("70")),
        ("B", Decimal("60")),
    ]
    assert [(e.unit.code, e.tpi_total) for e in second] == [("C", Decimal("80"))]


def test_bulk_start_creates_and_skips_existing(client, agency_admin, unit, other_unit, rubric):
    EvaluationFactory(unit=unit, year=2026)
    client.force_login(agency_admin)
    response = client.post(START, {"year": 2026, "units": [unit.pk, other_unit.pk]})
    assert response.status_code == 302
    assert Evaluation.objects.filter(year=2026).count() == 2
    created = Evaluation.objects.get(unit=other_unit, year=2026)
    assert created.history.get().history_user == agency_admin
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Dinas Kependudukan Sleman" in m for m in messages)


def test_evaluator_may_start_too(client, evaluator, unit, rubric):
    client.force_login(evaluator)
    client.post(START, {"year": 2026, "units": [unit.pk]})
    assert Evaluation.objects.filter(unit=unit, year=2026).exists()


def test_units_of_another_agency_cannot_be_chosen(client, agency_admin, foreign_unit, rubric):
    client.force_login(agency_admin)
    response = client.post(START, {"year": 2026, "units": [foreign_unit.pk]})
    assert response.status_code == 200
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "unit_operator"])
def test_other_roles_cannot_start(client, request, role, unit, rubric):
    client.force_login(request.getfixturevalue(role))
    assert client.get(START).status_code == 403
    assert client.post(START, {"year": 2026, "units": [unit.pk]}).status_code == 403
    assert not Evaluation.objects.exists()


def test_bulk_start_is_all_or_nothing(agency_admin, unit, agency, rubric):
    # A unit deleted after the form was shown: its evaluation fails, and the first one is undone.
    gone = Unit(pk=999_999, agency=agency, name="Dihapus", code="DIHAPUS")
    with pytest.raises(Exception):  # noqa: B017 (the validation error of the missing unit)
        services.evaluations_start(units=[unit, gone], year=2026, by=agency_admin)
    assert not Evaluation.objects.exists()


def test_bulk_start_service_reports_created_and_skipped(agency_admin, unit, other_unit, rubric):
    existing = EvaluationFactory(unit=unit, year=2026)
    result = services.evaluations_start(
        units=[unit, other_unit, other_unit], year=2026, by=agency_admin
    )
    assert [e.unit for e in result.created] == [other_unit]
    assert result.skipped == [unit]
    existing.refresh_from_db()
    assert existing.status == Evaluation.Status.DRAFT


def test_navbar_links_to_the_list(client, viewer):
    client.force_login(viewer)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()


def test_list_pages_count_once_and_a_page_past_the_end_shows_the_last(
    client, viewer, agency, rubric
):
    for _ in range(views_lists.LIST_PAGE_SIZE + 5):
        EvaluationFactory(unit=UnitFactory(agency=agency), year=2025)
    client.force_login(viewer)
    for asked, shown, rows in (("2", 2, 5), ("99", 2, 5), ("abc", 1, 25), ("-3", 1, 25)):
        page = client.get(LIST, {"page": asked}).context["page"]
        assert (page.number, len(page.object_list), page.paginator.count) == (shown, rows, 30)
        assert page.paginator.num_pages == 2
    empty = client.get(LIST, {"q": "no such unit", "page": "3"}).context["page"]
    assert (empty.number, list(empty.object_list), empty.paginator.count) == (1, [], 0)


def _ordered(evaluations):
    """The list's order, computed here from the agencies' and units' names as they are now."""
    return sorted(evaluations, key=lambda e: (-e.year, e.unit.agency.name, e.unit.name, e.pk))


def _walk(client, per_page, monkeypatch, **params) -> list[int]:
    """Return the ids of every row, page after page, as someone pressing "Next" sees them."""
    monkeypatch.setattr(views_lists, "LIST_PAGE_SIZE", per_page)
    seen, number = [], 1
    while True:
        page = client.get(LIST, {**params, "page": number}).context["page"]
        seen.extend(e.pk for e in page.object_list)
        if not page.has_next():
            return seen
        number += 1


@pytest.fixture
def crowd(rubric):
    """Three agencies whose units share names (ties on the unit name), over two years, created
    out of order."""
    agencies = [
        AgencyFactory(name=name) for name in ("Kota Magelang", "Kabupaten Bantul", "Kota Blitar")
    ]
    made = []
    for year in (2024, 2025):
        for agency in agencies:
            for name in ("Dinas Sosial", "Badan Keuangan", "Dinas Kesehatan"):
                unit = Unit.objects.filter(agency=agency, name=name).first()
                made.append(
                    EvaluationFactory(unit=unit or UnitFactory(agency=agency, name=name), year=year)
                )
    return made


def test_pages_walk_every_evaluation_once_in_the_lists_order(
    client, national_admin, crowd, monkeypatch
):
    client.force_login(national_admin)
    expected = [e.pk for e in _ordered(crowd)]
    for per_page in (1, 4, 7, 25):
        assert _walk(client, per_page, monkeypatch) == expected
    page = client.get(LIST).context["page"]
    assert page.paginator.count == len(crowd) == 18
    # A filter keeps the order and the count.
    assert _walk(client, 4, monkeypatch, year=2025) == [
        e.pk for e in _ordered(crowd) if e.year == 2025
    ]
    assert client.get(LIST, {"year": 2025}).context["page"].paginator.count == 9


def test_an_agencys_list_keeps_the_order_and_only_its_evaluations(client, crowd, monkeypatch):
    agency = crowd[0].unit.agency
    admin = MembershipFactory(agency=agency, role=Role.AGENCY_ADMIN).user
    client.force_login(admin)
    own = [e for e in crowd if e.unit.agency_id == agency.pk]
    assert _walk(client, 2, monkeypatch) == [e.pk for e in _ordered(own)]


def test_a_renamed_agency_or_unit_and_a_moved_unit_take_their_evaluations_along(
    client, national_admin, crowd, monkeypatch
):
    from units import services as unit_services

    bantul = Agency.objects.get(name="Kabupaten Bantul")
    bantul.name = "Pemerintah Kabupaten Bantul"  # last instead of first
    bantul.save()
    social = Unit.objects.get(agency__name="Kota Magelang", name="Dinas Sosial")
    social.name = "Arsip Daerah"  # first of its agency
    social.save()
    moved = Unit.objects.get(agency__name="Kota Blitar", name="Badan Keuangan")
    moved.name = "Badan Keuangan Daerah"  # its name is free in the agency it moves to
    moved.save()
    unit_services.unit_move(unit=moved, agency=Agency.objects.get(name="Kota Magelang"))

    fresh = list(Evaluation.objects.select_related("unit__agency"))
    client.force_login(national_admin)
    assert _walk(client, 5, monkeypatch) == [e.pk for e in _ordered(fresh)]
    stored = Evaluation.objects.filter(unit=moved).values_list("agency_name", "unit_name")
    assert set(stored) == {("Kota Magelang", "Badan Keuangan Daerah")}
