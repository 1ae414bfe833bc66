"""Every rule of proposing a unit to KemenPANRB, on both sides, and the national stages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import ProposalWindow, Submission
from evaluations.models import Evaluation, StatusChange
from evaluations.tests.factories import below_wbk, in_status, tpi_final
from units.tests.factories import PencananganFactory

from .proposal_helpers import cover, held

S = Evaluation.Status
TODAY = datetime.date(2025, 4, 1)  # inside the default window of 2025 (closes 31 May)


@pytest.fixture
def submission(rubric, agency, agency_admin):
    cover(agency)
    return Submission.objects.create(agency=agency, year=2025, created_by=agency_admin)


def propose(submission, evaluation, by, predicate="WBK", **kwargs):
    kwargs.setdefault("today", TODAY)
    return services.submission_item_add(
        submission=submission, evaluation=evaluation, predicate=predicate, by=by, **kwargs
    )


def messages_of(caught):
    return " ".join(caught.value.messages)


# --- Eligibility --------------------------------------------------------------------------------


def test_a_qualifying_tpi_final_evaluation_is_proposed_and_moves_to_proposed(
    submission, unit, agency_admin
):
    evaluation = tpi_final(unit, 2025)
    item = propose(submission, evaluation, agency_admin)
    evaluation.refresh_from_db()
    assert evaluation.status == S.PROPOSED
    assert (item.tpi_total, item.tpi_verdict, item.failing_rules) == (Decimal(100), "WBK", [])
    change = StatusChange.objects.get(evaluation=evaluation)
    assert (change.transition, change.from_status, change.to_status, change.by) == (
        "propose",
        S.TPI_FINAL,
        S.PROPOSED,
        agency_admin,
    )


@pytest.mark.parametrize("status", [S.DRAFT, S.TPI_REVIEW, S.PROPOSED, S.AWARDED_WBK])
def test_an_evaluation_that_is_not_tpi_final_is_refused(submission, unit, agency_admin, status):
    evaluation = in_status(tpi_final(unit, 2025), status)
    with pytest.raises(ValidationError) as caught:
        propose(submission, evaluation, agency_admin)
    assert "LHE" in messages_of(caught)
    assert not submission.items.exists()


def test_a_unit_no_pencanangan_covers_is_refused_with_the_reason(
    rubric, agency, unit, other_unit, agency_admin
):
    # The agency's pencanangan names only the other unit.
    PencananganFactory(agency=agency, covers_whole_agency=False, units=[other_unit])
    submission = Submission.objects.create(agency=agency, year=2025)
    evaluation = tpi_final(unit, 2025)
    with pytest.raises(ValidationError) as caught:
        propose(submission, evaluation, agency_admin)
    assert "pencanangan" in messages_of(caught)
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.TPI_FINAL
    assert propose(submission, tpi_final(other_unit, 2025), agency_admin).pk


def test_a_pencanangan_signed_after_the_proposal_date_does_not_cover(
    rubric, agency, unit, agency_admin
):
    cover(agency, on=datetime.date(2025, 4, 15))
    submission = Submission.objects.create(agency=agency, year=2025)
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin)
    assert "pencanangan" in messages_of(caught)


def test_an_evaluation_of_another_agency_is_refused(submission, foreign_unit, agency_admin):
    evaluation = tpi_final(foreign_unit, 2025)
    with pytest.raises(ValidationError):
        propose(submission, evaluation, agency_admin)


def test_a_unit_below_wbk_is_refused_with_its_failing_rules(submission, unit, agency_admin):
    evaluation = below_wbk(unit, 2025)
    with pytest.raises(ValidationError) as caught:
        propose(submission, evaluation, agency_admin)
    text = messages_of(caught)
    assert "IPAK" in text and "afirmasi" in text
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.TPI_FINAL


def test_a_unit_below_wbk_is_proposed_as_afirmasi_with_a_reason(submission, unit, agency_admin):
    evaluation = below_wbk(unit, 2025)
    item = propose(submission, evaluation, agency_admin, afirmasi=True, afirmasi_reason="Daerah 3T")
    assert (item.is_afirmasi, item.afirmasi_reason, item.tpi_verdict) == (True, "Daerah 3T", "")
    assert {rule["name"] for rule in item.failing_rules} >= {"ipak", "birokrasi_bersih"}


def test_afirmasi_without_a_reason_is_refused(submission, unit, agency_admin):
    evaluation = below_wbk(unit, 2025)
    with pytest.raises(ValidationError) as caught:
        propose(submission, evaluation, agency_admin, afirmasi=True, afirmasi_reason="  ")
    assert "afirmasi" in messages_of(caught).lower()


def test_afirmasi_for_wbbm_is_refused(submission, unit, agency_admin):
    held(unit, "WBK", 2021)
    evaluation = below_wbk(unit, 2025)
    with pytest.raises(ValidationError) as caught:
        propose(
            submission, evaluation, agency_admin, "WBBM", afirmasi=True, afirmasi_reason="Alasan"
        )
    assert "WBK" in messages_of(caught)


# --- Award history ------------------------------------------------------------------------------


def test_wbbm_for_a_unit_without_wbk_is_refused(submission, unit, agency_admin):
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM")
    assert "WBK" in messages_of(caught)


def test_wbbm_for_a_unit_holding_wbk_fewer_years_than_required_is_refused(
    submission, unit, agency_admin
):
    held(unit, "WBK", 2024)  # one year before 2025; the default minimum is two
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM")
    assert "2024" in messages_of(caught)


def test_wbbm_for_a_unit_holding_wbk_long_enough_is_proposed(submission, unit, agency_admin):
    held(unit, "WBK", 2023)
    item = propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM")
    assert (item.proposed_predicate, item.tpi_verdict) == ("WBBM", "WBBM")


def test_the_minimum_years_of_wbk_is_rubric_data(submission, unit, agency_admin, rubric):
    rubric.wbbm_min_years_wbk = 1
    rubric.save()
    held(unit, "WBK", 2024)
    assert propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM").pk


def test_a_revoked_wbk_does_not_count_for_wbbm(submission, unit, agency_admin):
    held(unit, "WBK", 2019, revoked_on=datetime.date(2020, 6, 1))
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM")
    assert "WBK" in messages_of(caught)


def test_a_unit_whose_predicate_was_revoked_one_year_ago_is_refused(submission, unit, agency_admin):
    held(unit, "WBK", 2022, revoked_on=datetime.date(2024, 4, 1))
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin)
    assert "dicabut" in messages_of(caught) or "revoked" in messages_of(caught)


def test_a_unit_whose_predicate_was_revoked_three_years_ago_may_be_proposed(
    submission, unit, agency_admin
):
    held(unit, "WBK", 2020, revoked_on=datetime.date(2022, 4, 1))
    assert propose(submission, tpi_final(unit, 2025), agency_admin).pk


def test_the_revocation_cooldown_is_rubric_data(submission, unit, agency_admin, rubric):
    rubric.revocation_cooldown_years = 5
    rubric.save()
    held(unit, "WBK", 2020, revoked_on=datetime.date(2022, 4, 1))
    with pytest.raises(ValidationError):
        propose(submission, tpi_final(unit, 2025), agency_admin)


def test_a_unit_already_wbbm_is_not_proposed_again(submission, unit, agency_admin):
    held(unit, "WBK", 2020)
    held(unit, "WBBM", 2023)
    with pytest.raises(ValidationError) as caught:
        propose(submission, tpi_final(unit, 2025), agency_admin, "WBBM")
    assert "WBBM" in messages_of(caught)


# --- The window ---------------------------------------------------------------------------------


def test_the_default_window_closes_on_31_may(submission):
    window = services.proposal_window(year=2025)
    assert (window.pk, window.closes_on) == (None, datetime.date(2025, 5, 31))


def test_a_window_left_empty_in_admin_closes_on_31_may(db):
    window = ProposalWindow(year=2026)
    window.full_clean()
    assert window.closes_on == datetime.date(2026, 5, 31)


def test_after_the_window_closes_nothing_can_be_added(submission, unit, agency_admin):
    evaluation = tpi_final(unit, 2025)
    with pytest.raises(ValidationError) as caught:
        propose(submission, evaluation, agency_admin, today=datetime.date(2025, 6, 1))
    # The agency is told who can open the window again.
    assert "2025" in messages_of(caught) and "KemenPANRB (admin nasional)" in messages_of(caught)
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.TPI_FINAL


def test_the_window_is_data_and_a_later_close_keeps_it_open(submission, unit, agency_admin):
    ProposalWindow.objects.create(year=2025, closes_on=datetime.date(2025, 6, 30))
    assert propose(submission, tpi_final(unit, 2025), agency_admin, today=datetime.date(2025, 6, 1))


def test_before_the_window_opens_nothing_can_be_added(submission, unit, agency_admin):
    ProposalWindow.objects.create(
        year=2025, opens_on=datetime.date(2025, 5, 1), closes_on=datetime.date(2025, 5, 31)
    )
    with pytest.raises(ValidationError):
        propose(submission, tpi_final(unit, 2025), agency_admin)


def test_after_the_window_closes_nothing_can_be_withdrawn(submission, unit, agency_admin):
    item = propose(submission, tpi_final(unit, 2025), agency_admin)
    with pytest.raises(ValidationError):
        services.submission_item_remove(item=item, by=agency_admin, today=datetime.date(2025, 6, 1))
    assert submission.items.count() == 1


def test_a_locked_submission_refuses_new_units(submission, unit, agency_admin):
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.LOCKED)
    with pytest.raises(ValidationError):
        propose(submission, tpi_final(unit, 2025), agency_admin)


def test_withdrawing_returns_the_evaluation_to_tpi_final(submission, unit, agency_admin):
    evaluation = tpi_final(unit, 2025)
    item = propose(submission, evaluation, agency_admin)
    services.submission_item_remove(item=item, by=agency_admin, today=TODAY)
    evaluation.refresh_from_db()
    assert (evaluation.status, submission.items.count()) == (S.TPI_FINAL, 0)
    assert StatusChange.objects.filter(evaluation=evaluation, transition="withdraw").exists()


def test_sending_needs_the_cover_letter(submission, unit, agency_admin):
    propose(submission, tpi_final(unit, 2025), agency_admin)
    with pytest.raises(ValidationError):
        services.submission_submit(submission=submission, by=agency_admin, today=TODAY)
    services.submission_update_letter(
        submission=submission,
        cover_letter_number="800/123/2025",
        cover_letter_date=TODAY,
        signer_name="Kustini",
        signer_position="Bupati Sleman",
        by=agency_admin,
    )
    sent = services.submission_submit(submission=submission, by=agency_admin, today=TODAY)
    assert sent.status == Submission.Status.SUBMITTED
