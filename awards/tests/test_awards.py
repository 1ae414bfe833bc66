"""Awards: one per national result, revocation with its log, and what the history counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import Award, NationalResult
from evaluations import selectors
from evaluations.models import Evaluation, StatusChange

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
