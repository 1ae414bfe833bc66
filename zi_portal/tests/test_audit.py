"""Audit: every change of statuses, submissions and awards is in the history with who and when.

The services are called outside any request, as management commands and background jobs call
them: the person must come from the service's `by`, not from the request middleware. (Answers
and evidence: evaluations/tests/test_history.py.)
"""

import datetime

import pytest
from django.utils import timezone

from awards import services as award_services
from awards.models import Award, NationalStage, Submission, SubmissionItem
from awards.tests.proposal_helpers import (
    announcement,
    cover,
    pass_stages,
    proposed_item,
    record_result,
)
from evaluations import services, workflow
from evaluations.models import Evaluation, StatusChange
from evaluations.tests.factories import full_answers, tpi_final

S = Evaluation.Status
TODAY = datetime.date(2025, 4, 1)  # inside the 2025 proposal window


@pytest.fixture
def since(db):
    return timezone.now()


def who_and_when(rows, since):
    """Return (history_type, history_user) per row, after checking each row's time."""
    now = timezone.now()
    assert rows, "no history row was written"
    for row in rows:
        assert since <= row.history_date <= now
    return [(row.history_type, row.history_user) for row in rows]


def status_log(evaluation, since):
    """Return (transition, by) of the evaluation's StatusChange rows, after checking their time."""
    changes = list(StatusChange.objects.filter(evaluation=evaluation).order_by("created_at", "pk"))
    now = timezone.now()
    for change in changes:
        assert since <= change.created_at <= now
    return [(change.transition, change.by) for change in changes]


def status_history(evaluation, since):
    """Return (status, history_user) of the evaluation's history rows written since `since`."""
    rows = list(
        Evaluation.history.filter(id=evaluation.pk, history_date__gte=since).order_by(
            "history_date", "history_id"
        )
    )
    who_and_when(rows, since)
    return [(row.status, row.history_user) for row in rows]


def test_workflow_status_changes_record_who_and_when(
    rubric, unit, unit_operator, evaluator, agency_admin, since
):
    evaluation = services.evaluation_create(unit=unit, year=2025, by=agency_admin)
    services.answers_save(
        evaluation=evaluation, level="self", answers=full_answers(evaluation), by=unit_operator
    )
    workflow.evaluation_transition(evaluation=evaluation, name="submit_self", by=unit_operator)
    workflow.evaluation_transition(evaluation=evaluation, name="start_review", by=evaluator)
    workflow.evaluation_transition(
        evaluation=evaluation, name="return_to_unit", by=evaluator, note="Lengkapi SOP"
    )
    assert status_log(evaluation, since) == [
        ("submit_self", unit_operator),
        ("start_review", evaluator),
        ("return_to_unit", evaluator),
    ]
    # The Riwayat page reads the evaluation's own history: it names the same people.
    assert status_history(evaluation, since) == [
        (S.DRAFT, agency_admin),
        (S.SELF_SUBMITTED, unit_operator),
        (S.TPI_REVIEW, evaluator),
        (S.DRAFT, evaluator),
    ]


def test_national_status_changes_record_who_and_when(
    rubric, agency, unit, agency_admin, national_admin, since
):
    cover(agency)
    evaluation = tpi_final(unit, 2025)
    submission = Submission.objects.create(agency=agency, year=2025)
    item = award_services.submission_item_add(
        submission=submission, evaluation=evaluation, predicate="WBK", by=agency_admin, today=TODAY
    )
    admin = award_services.national_stage_record(
        item=item, stage="admin_selection", date=TODAY, outcome="passed", by=national_admin
    )
    award_services.national_stage_withdraw(stage=admin, reason="Tanggal keliru", by=national_admin)
    item = record_result(item, national_admin, on=TODAY)
    award, _created = award_services.award_create_from_item(
        item=item, announcement=announcement(), by=national_admin
    )
    award_services.award_revoke(
        award=award,
        revoked_on=datetime.date(2026, 3, 1),
        reason="OTT KPK",
        decree="SK-2/2026",
        by=national_admin,
    )
    expected = [
        ("propose", agency_admin),
        ("stage_admin_selection", national_admin),
        ("stage_withdraw", national_admin),
        *((f"stage_{name}", national_admin) for name in workflow.NATIONAL_STAGES),
        ("revoke", national_admin),
    ]
    assert status_log(evaluation, since) == expected
    assert [who for _status, who in status_history(evaluation, since)[-len(expected) :]] == [
        who for _name, who in expected
    ]


def test_submission_changes_record_who_and_when(
    rubric, agency, unit, other_unit, agency_admin, national_admin, national_evaluator, since
):
    cover(agency)
    submission, _created = award_services.submission_open(agency=agency, year=2025, by=agency_admin)
    award_services.submission_update_letter(
        submission=submission,
        cover_letter_number="800/123/2025",
        cover_letter_date=TODAY,
        signer_name="Kustini",
        signer_position="Bupati Sleman",
        by=agency_admin,
    )
    kept = award_services.submission_item_add(
        submission=submission,
        evaluation=tpi_final(unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=TODAY,
    )
    withdrawn = award_services.submission_item_add(
        submission=submission,
        evaluation=tpi_final(other_unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=TODAY,
    )
    award_services.submission_item_remove(item=withdrawn, by=agency_admin, today=TODAY)
    award_services.submission_submit(submission=submission, by=agency_admin, today=TODAY)
    pass_stages(kept, national_admin, through="objection", on=TODAY)
    award_services.submission_item_set_tpn_totals(
        item=kept, pengungkit=50, hasil=30, by=national_evaluator
    )
    award_services.stage_findings_save(item=kept, findings="SOP lengkap", by=national_evaluator)
    award_services.national_stage_record(
        item=kept, stage="desk_evaluation", date=TODAY, outcome="passed", by=national_admin
    )

    def rows(model, **filters):
        return list(model.history.filter(**filters).order_by("history_date", "history_id"))

    assert who_and_when(rows(Submission, id=submission.pk), since) == [
        ("+", agency_admin),  # opened
        ("~", agency_admin),  # cover letter
        ("~", agency_admin),  # sent
    ]
    assert who_and_when(rows(SubmissionItem, id=kept.pk), since) == [
        ("+", agency_admin),  # proposed
        ("~", national_evaluator),  # TPN totals
    ]
    assert who_and_when(rows(SubmissionItem, id=withdrawn.pk), since) == [
        ("+", agency_admin),
        ("-", agency_admin),  # withdrawn: the deletion names who withdrew it
    ]
    desk = NationalStage.objects.get(item=kept, stage="desk_evaluation")
    assert who_and_when(rows(NationalStage, id=desk.pk), since) == [
        ("+", national_evaluator),  # the findings
        ("~", national_admin),  # the outcome
    ]


def test_award_changes_record_who_and_when(
    rubric, agency, unit, agency_admin, national_admin, since
):
    item = record_result(proposed_item(agency, unit, agency_admin, today=TODAY), national_admin)
    decree = announcement()
    award, _created = award_services.award_create_from_item(
        item=item, announcement=decree, by=national_admin
    )
    award_services.announcement_publish(announcement=decree, by=national_admin)
    award_services.award_revoke(
        award=award,
        revoked_on=datetime.date(2026, 3, 1),
        reason="OTT KPK",
        decree="SK-2/2026",
        by=national_admin,
    )
    rows = list(Award.history.filter(id=award.pk).order_by("history_date", "history_id"))
    assert who_and_when(rows, since) == [
        ("+", national_admin),  # created, unpublished
        ("~", national_admin),  # published with its announcement
        ("~", national_admin),  # revoked
    ]
    assert (rows[1].is_published, rows[-1].revoked_on, rows[-1].revocation_reason) == (
        True,
        datetime.date(2026, 3, 1),
        "OTT KPK",
    )
    announced = list(decree.history.order_by("history_date", "history_id"))
    assert who_and_when(announced, since) == [("+", None), ("~", national_admin)]
