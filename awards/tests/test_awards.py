"""Awards: one per national result, revocation with its log, and the predicates a unit holds."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from awards import rules, services
from awards import selectors as award_selectors
from awards.models import Award, NationalResult
from evaluations import selectors
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, EvaluationScore, Level, StatusChange
from evaluations.tests.factories import full_answers, in_status

from .factories import AwardFactory
from .proposal_helpers import held, proposed_item, record_result

TODAY = datetime.date(2025, 4, 1)
DECREE = {"decree_number": "SK-10/MENPANRB/2025", "decree_date": datetime.date(2025, 12, 9)}


@pytest.fixture
def item(rubric, agency, unit, agency_admin):
    return proposed_item(agency, unit, agency_admin, today=TODAY)


def test_an_award_is_created_from_the_national_result(item, agency_admin, unit):
    record_result(item, agency_admin)
    award, created = services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    assert created
    assert (award.unit, award.predicate, award.year, award.evaluation_id) == (
        unit,
        "WBK",
        2025,
        item.evaluation_id,
    )
    assert award.submission_item == item


def test_creating_the_award_twice_gives_the_same_award(item, agency_admin):
    record_result(item, agency_admin)
    first, _ = services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    again, created = services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    assert (again, created, Award.objects.count()) == (first, False, 1)


def test_no_award_is_created_without_a_winning_result(item, agency_admin):
    with pytest.raises(ValidationError):
        services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    record_result(item, agency_admin, NationalResult.NOT_AWARDED)
    with pytest.raises(ValidationError):
        services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    assert not Award.objects.exists()


def test_revoking_marks_the_award_and_the_evaluation_revoked(item, agency_admin):
    record_result(item, agency_admin)
    award, _ = services.award_create_from_item(item=item, by=agency_admin, **DECREE)
    services.award_revoke(
        award=award,
        revoked_on=datetime.date(2026, 8, 1),
        reason="OTT KPK",
        decree="SK-99/2026",
        by=agency_admin,
    )
    award.refresh_from_db()
    assert (award.is_revoked, award.revocation_reason, award.revocation_decree) == (
        True,
        "OTT KPK",
        "SK-99/2026",
    )
    assert Evaluation.objects.get(pk=item.evaluation_id).status == Evaluation.Status.REVOKED
    change = StatusChange.objects.filter(evaluation_id=item.evaluation_id).first()
    assert (change.transition, change.note) == ("revoke", "OTT KPK")
    assert award.history.count() == 2


def test_a_revocation_needs_a_reason_and_happens_once(unit, agency_admin):
    award = held(unit, "WBK", 2023)
    with pytest.raises(ValidationError):
        services.award_revoke(
            award=award, revoked_on=datetime.date(2024, 1, 1), reason=" ", decree="", by=None
        )
    services.award_revoke(
        award=award, revoked_on=datetime.date(2024, 1, 1), reason="Kasus", decree="", by=None
    )
    with pytest.raises(ValidationError):
        services.award_revoke(
            award=award, revoked_on=datetime.date(2024, 2, 1), reason="Lagi", decree="", by=None
        )


def test_held_predicates_come_from_awards_and_ignore_revoked_ones(unit):
    held(unit, "WBK", 2021, revoked_on=datetime.date(2022, 1, 1))
    assert selectors.predicates_held(unit_id=unit.pk, year=2025) == set()
    held(unit, "WBK", 2022)
    assert selectors.predicates_held(unit_id=unit.pk, year=2025) == {"WBK"}
    assert selectors.predicates_held(unit_id=unit.pk, year=2022) == set()
    held(unit, "WBBM", 2024)
    assert selectors.predicates_held(unit_id=unit.pk, year=2025) == {"WBK", "WBBM"}


def award(predicate, year, revoked_on=None):
    return SimpleNamespace(predicate=predicate, year=year, revoked_on=revoked_on)


@pytest.mark.parametrize(
    "awards, since",
    [
        ([], {}),
        ([award("WBK", 2021, revoked_on=datetime.date(2022, 1, 1))], {}),
        ([award("WBK", 2023), award("WBK", 2022)], {"WBK": 2022}),
        ([award("WBK", 2020), award("WBBM", 2023)], {"WBK": 2020, "WBBM": 2023}),
        ([award("WBBM", 2024)], {"WBK": 2024, "WBBM": 2024}),
        (
            [award("WBBM", 2024, revoked_on=datetime.date(2025, 1, 2)), award("WBK", 2022)],
            {"WBK": 2022},
        ),
        ([award("WBK", 2025)], {}),
    ],
)
def test_held_since_counts_earlier_unrevoked_awards_and_wbbm_as_wbk(awards, since):
    assert rules.held_since(awards, year=2025) == since


def test_evaluations_reads_the_predicates_held_from_awards(unit):
    held(unit, "WBK", 2022)
    assert selectors.predicates_held(unit_id=unit.pk, year=2025) == {"WBK"}
    assert award_selectors.predicates_held(unit_id=unit.pk, year=2025) == {"WBK"}


@pytest.fixture
def evaluation(rubric, unit):
    # Under TPI review, so that the TPI level these tests answer is open.
    return in_status(
        evaluation_services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW
    )


def test_wbbm_is_stored_when_an_earlier_year_was_awarded_wbk(evaluation, unit):
    AwardFactory(unit=unit, year=2023, predicate="WBK")
    evaluation_services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation)
    )
    assert EvaluationScore.objects.get(evaluation=evaluation, level=Level.TPI).verdict == "WBBM"


def test_revoked_wbk_does_not_count_for_wbbm(evaluation, unit):
    AwardFactory(
        unit=unit,
        year=2023,
        predicate="WBK",
        revoked_on=datetime.date(2024, 3, 1),
        revocation_reason="Kasus korupsi",
    )
    evaluation_services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation)
    )
    assert EvaluationScore.objects.get(evaluation=evaluation, level=Level.TPI).verdict == "WBK"
