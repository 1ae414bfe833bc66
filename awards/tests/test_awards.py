"""Awards: created from a national result in an announcement, unpublished; published together;
revoked by decree; their unit, evaluation, proposed unit and predicate always agree."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from awards import rules, services
from awards import selectors as award_selectors
from awards.models import Award, NationalResult
from evaluations import selectors
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, EvaluationScore, Level, StatusChange
from evaluations.tests.factories import full_answers, in_status, tpi_final

from .factories import AwardFactory
from .proposal_helpers import announcement, held, proposed_item, record_result

TODAY = datetime.date(2025, 4, 1)


@pytest.fixture
def item(rubric, agency, unit, agency_admin):
    return proposed_item(agency, unit, agency_admin, today=TODAY)


@pytest.fixture
def decree(db):
    return announcement()


def test_an_award_is_created_unpublished_from_the_national_result(
    item, national_admin, unit, decree
):
    record_result(item, national_admin)
    award, created = services.award_create_from_item(
        item=item, announcement=decree, by=national_admin
    )
    assert created
    assert (award.unit, award.predicate, award.year, award.evaluation_id) == (
        unit,
        "WBK",
        2025,
        item.evaluation_id,
    )
    assert (award.submission_item, award.announcement) == (item, decree)
    # The award repeats its announcement's decree and waits for the announcement's publication.
    assert (award.decree_number, award.decree_date) == (decree.decree_number, decree.decree_date)
    assert (award.is_published, award.published_on) == (False, None)
    assert award.history.get().history_user == national_admin


def test_an_award_made_elsewhere_is_unpublished_by_default(unit):
    assert Award(unit=unit, predicate="WBK", year=2025).is_published is False


def test_creating_the_award_twice_gives_the_same_award(item, national_admin, decree):
    record_result(item, national_admin)
    first, _ = services.award_create_from_item(item=item, announcement=decree, by=national_admin)
    again, created = services.award_create_from_item(
        item=item, announcement=decree, by=national_admin
    )
    assert (again, created, Award.objects.count()) == (first, False, 1)


def test_no_award_is_created_without_a_winning_result(item, national_admin, decree):
    with pytest.raises(ValidationError):
        services.award_create_from_item(item=item, announcement=decree, by=national_admin)
    record_result(item, national_admin, NationalResult.NOT_AWARDED)
    with pytest.raises(ValidationError):
        services.award_create_from_item(item=item, announcement=decree, by=national_admin)
    assert not Award.objects.exists()


def test_no_award_goes_into_a_published_announcement_or_one_of_another_year(
    item, national_admin, decree
):
    record_result(item, national_admin)
    other_year = announcement(year=2026, number="SK-1/MENPANRB/2026")
    with pytest.raises(ValidationError, match="2026"):
        services.award_create_from_item(item=item, announcement=other_year, by=national_admin)
    decree.published_at = datetime.datetime(2025, 12, 9, tzinfo=datetime.UTC)
    decree.save()
    with pytest.raises(ValidationError):
        services.award_create_from_item(item=item, announcement=decree, by=national_admin)
    assert not Award.objects.exists()


# --- Publication --------------------------------------------------------------------------------


@pytest.fixture
def two_results(rubric, agency, unit, other_unit, agency_admin, national_admin):
    """Two WBK results of 2025 with their awards in one unpublished announcement."""
    decree = announcement()
    first = record_result(proposed_item(agency, unit, agency_admin, today=TODAY), national_admin)
    second = services.submission_item_add(
        submission=first.submission,
        evaluation=tpi_final(other_unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=TODAY,
    )
    record_result(second, national_admin)
    created, existing = services.announcement_add_awards(
        announcement=decree, items=[second, first], by=national_admin
    )
    assert (len(created), existing) == (2, 0)
    return decree


def test_publishing_an_announcement_publishes_every_award_on_its_day(two_results, national_admin):
    decree, published = services.announcement_publish(announcement=two_results, by=national_admin)
    assert published == 2
    assert decree.published_by == national_admin and decree.is_published
    assert set(Award.objects.values_list("is_published", "published_on")) == {
        (True, datetime.date(2025, 12, 9))
    }


def test_publishing_again_changes_nothing(two_results, national_admin):
    services.announcement_publish(announcement=two_results, by=national_admin)
    history = sum(award.history.count() for award in Award.objects.all())
    again, published = services.announcement_publish(announcement=two_results, by=national_admin)
    assert published == 0
    assert sum(award.history.count() for award in Award.objects.all()) == history


def test_an_empty_announcement_is_not_published(db, national_admin):
    decree = announcement()
    with pytest.raises(ValidationError):
        services.announcement_publish(announcement=decree, by=national_admin)
    decree.refresh_from_db()
    assert not decree.is_published


def test_changing_an_unpublished_announcement_carries_the_decree_to_its_awards(
    two_results, national_admin
):
    services.announcement_update(
        announcement=two_results,
        decree_number="SK-11/MENPANRB/2025",
        decree_date=datetime.date(2025, 12, 6),
        publish_on=datetime.date(2025, 12, 10),
        by=national_admin,
    )
    assert set(Award.objects.values_list("decree_number", "decree_date")) == {
        ("SK-11/MENPANRB/2025", datetime.date(2025, 12, 6))
    }
    services.announcement_publish(announcement=two_results, by=national_admin)
    with pytest.raises(ValidationError):
        services.announcement_update(
            announcement=two_results,
            decree_number="SK-12/MENPANRB/2025",
            decree_date=datetime.date(2025, 12, 6),
            publish_on=datetime.date(2025, 12, 10),
            by=national_admin,
        )


def test_an_announcement_is_not_published_before_its_decree(db, national_admin):
    with pytest.raises(ValidationError):
        services.announcement_create(
            year=2025,
            decree_number="SK-9/2025",
            decree_date=datetime.date(2025, 12, 9),
            publish_on=datetime.date(2025, 12, 1),
            by=national_admin,
        )
    services.announcement_create(
        year=2025,
        decree_number="SK-9/2025",
        decree_date=datetime.date(2025, 12, 1),
        publish_on=datetime.date(2025, 12, 9),
        by=national_admin,
    )
    with pytest.raises(ValidationError) as caught:
        services.announcement_create(
            year=2025,
            decree_number=" SK-9/2025 ",
            decree_date=datetime.date(2025, 12, 1),
            publish_on=datetime.date(2025, 12, 9),
            by=national_admin,
        )
    assert "decree_number" in caught.value.error_dict


# --- Revocation ---------------------------------------------------------------------------------


@pytest.fixture
def awarded(item, national_admin, decree):
    record_result(item, national_admin)
    award, _ = services.award_create_from_item(item=item, announcement=decree, by=national_admin)
    services.announcement_publish(announcement=decree, by=national_admin)
    award.refresh_from_db()
    return award


def test_revoking_marks_the_award_and_the_evaluation_revoked(awarded, item, national_admin):
    services.award_revoke(
        award=awarded,
        revoked_on=datetime.date(2026, 3, 1),
        reason="OTT KPK",
        decree="SK-99/2026",
        by=national_admin,
    )
    awarded.refresh_from_db()
    assert (awarded.is_revoked, awarded.revocation_reason, awarded.revocation_decree) == (
        True,
        "OTT KPK",
        "SK-99/2026",
    )
    assert Evaluation.objects.get(pk=item.evaluation_id).status == Evaluation.Status.REVOKED
    change = StatusChange.objects.filter(evaluation_id=item.evaluation_id).first()
    assert (change.transition, change.note, change.by) == ("revoke", "OTT KPK", national_admin)


@pytest.mark.parametrize(
    "revoked_on, reason, number, message",
    [
        (datetime.date(2026, 3, 1), " ", "SK-99/2026", "alasan"),
        (datetime.date(2026, 3, 1), "OTT KPK", " ", "surat keputusan"),
        (datetime.date(2026, 4, 16), "OTT KPK", "SK-99/2026", "masa depan"),  # tomorrow
        (datetime.date(2025, 12, 1), "OTT KPK", "SK-99/2026", "sebelum"),  # before the decree
    ],
)
def test_a_revocation_needs_a_reason_a_decree_and_a_date_not_in_the_future(
    awarded, national_admin, revoked_on, reason, number, message
):
    with pytest.raises(ValidationError, match=message):
        services.award_revoke(
            award=awarded, revoked_on=revoked_on, reason=reason, decree=number, by=national_admin
        )
    awarded.refresh_from_db()
    assert not awarded.is_revoked


def test_a_predicate_is_revoked_once(unit, national_admin):
    award = held(unit, "WBK", 2023)
    services.award_revoke(
        award=award, revoked_on=datetime.date(2024, 1, 1), reason="Kasus", decree="SK-1", by=None
    )
    with pytest.raises(ValidationError):
        services.award_revoke(
            award=award, revoked_on=datetime.date(2024, 2, 1), reason="Lagi", decree="SK-2", by=None
        )


# --- Agreement of unit, evaluation, proposed unit and predicate --------------------------------


def test_clean_refuses_an_award_that_disagrees_with_its_item(
    awarded, item, foreign_unit, other_unit
):
    award = Award.objects.get(pk=awarded.pk)
    award.clean()
    award.unit = foreign_unit
    with pytest.raises(ValidationError) as caught:
        award.clean()
    assert set(caught.value.error_dict) == {"unit"}
    award = Award.objects.get(pk=awarded.pk)
    award.predicate = "WBBM"
    award.year = 2024
    with pytest.raises(ValidationError) as caught:
        award.clean()
    assert set(caught.value.error_dict) >= {"predicate", "year"}
    award = Award.objects.get(pk=awarded.pk)
    award.evaluation = tpi_final(other_unit, 2025)
    with pytest.raises(ValidationError) as caught:
        award.clean()
    assert "evaluation" in caught.value.error_dict


def test_an_award_naming_an_item_names_its_evaluation_in_the_database(awarded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=awarded.pk).update(evaluation=None)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="composite foreign keys are PostgreSQL's"
)
@pytest.mark.parametrize(
    "change",
    [
        {"predicate": "WBBM"},  # not the item's result
        {"year": 2024},  # not the evaluation's year
        {"unit": "foreign"},  # not the evaluation's unit
        {"evaluation": "other"},  # not the item's evaluation
    ],
)
def test_the_database_refuses_an_award_that_disagrees(awarded, foreign_unit, other_unit, change):
    values = dict(change)
    if values.get("unit") == "foreign":
        values["unit"] = foreign_unit
    if values.get("evaluation") == "other":
        values["evaluation"] = in_status(tpi_final(other_unit, 2025), Evaluation.Status.PANEL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=awarded.pk).update(**values)


# --- Predicates held ----------------------------------------------------------------------------


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
