"""The national stages, as KemenPANRB records them: in order, each after a passed one, a failed
one ending the track, a mistaken record withdrawn (kept, with its reason), never deleted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import Award, NationalResult, NationalStage
from evaluations import workflow
from evaluations.models import Evaluation, StatusChange

from .proposal_helpers import STAGE_DAY, announcement, pass_stages, proposed_item, record_result

S = Evaluation.Status


@pytest.fixture
def item(rubric, agency, unit, agency_admin):
    return proposed_item(agency, unit, agency_admin)


def stage(item, by, name, outcome="passed", result="", on=STAGE_DAY, note=""):
    return services.national_stage_record(
        item=item, stage=name, date=on, outcome=outcome, result=result, by=by, note=note, today=on
    )


def status_of(item):
    return Evaluation.objects.get(pk=item.evaluation_id).status


def test_the_stages_lead_the_unit_through_the_track_to_its_result(item, national_admin):
    statuses = []
    for name in workflow.NATIONAL_STAGES[:-1]:
        stage(item, national_admin, name)
        statuses.append(status_of(item))
    stage(item, national_admin, "result", outcome="", result=NationalResult.WBK)
    item.refresh_from_db()
    # Where the unit stands after each passed stage: it waits out the objection period, then
    # is evaluated at its desk, in the field, and by the panel, which passes it to the result.
    assert statuses == [
        S.ADMIN_SELECTION,
        S.DESK_EVALUATION,
        S.FIELD_EVALUATION,
        S.PANEL,
        S.PANEL,
    ]
    assert (item.result, status_of(item)) == ("WBK", S.AWARDED_WBK)
    changes = StatusChange.objects.filter(evaluation_id=item.evaluation_id).order_by("pk")
    assert [c.transition for c in changes] == [
        "propose",
        *(f"stage_{name}" for name in workflow.NATIONAL_STAGES),
    ]
    assert {c.by for c in changes[1:]} == {national_admin}


@pytest.mark.parametrize(
    "done, attempted",
    [
        ([], "desk_evaluation"),
        ([], "result"),
        (["admin_selection"], "desk_evaluation"),  # the objection period comes first
        (["admin_selection", "objection"], "panel"),
        (["admin_selection", "objection", "desk_evaluation", "field_evaluation"], "result"),
    ],
)
def test_a_stage_follows_only_the_passed_stage_before_it(item, national_admin, done, attempted):
    for name in done:
        stage(item, national_admin, name)
    before = status_of(item)
    with pytest.raises(ValidationError, match="hanya dapat menyusul"):
        stage(item, national_admin, attempted, result="WBK" if attempted == "result" else "")
    assert status_of(item) == before
    assert not NationalStage.objects.filter(item=item, stage=attempted).exists()


@pytest.mark.parametrize("failed_at", ["admin_selection", "desk_evaluation", "panel"])
def test_a_failed_stage_ends_the_track_and_nothing_follows_it(item, national_admin, failed_at):
    index = workflow.NATIONAL_STAGES.index(failed_at)
    for name in workflow.NATIONAL_STAGES[:index]:
        stage(item, national_admin, name)
    stage(item, national_admin, failed_at, outcome="failed")
    item.refresh_from_db()
    assert (item.result, status_of(item)) == (NationalResult.NOT_AWARDED, S.NOT_AWARDED)
    following = workflow.NATIONAL_STAGES[index + 1]
    with pytest.raises(ValidationError):
        stage(item, national_admin, following, result="WBK" if following == "result" else "")
    assert status_of(item) == S.NOT_AWARDED


def test_a_stage_is_recorded_once(item, national_admin):
    stage(item, national_admin, "admin_selection")
    with pytest.raises(ValidationError, match="sudah dicatat"):
        stage(item, national_admin, "admin_selection", outcome="failed")
    assert NationalStage.objects.get(item=item).outcome == "passed"


def test_the_objection_period_has_no_failing_outcome(item, national_admin):
    stage(item, national_admin, "admin_selection")
    with pytest.raises(ValidationError):
        stage(item, national_admin, "objection", outcome="failed")
    assert status_of(item) == S.ADMIN_SELECTION


def test_a_stage_is_not_dated_in_the_future_nor_before_the_one_it_follows(item, national_admin):
    with pytest.raises(ValidationError, match="masa depan"):
        services.national_stage_record(
            item=item,
            stage="admin_selection",
            date=STAGE_DAY + datetime.timedelta(days=1),
            outcome="passed",
            by=national_admin,
            today=STAGE_DAY,
        )
    stage(item, national_admin, "admin_selection")
    with pytest.raises(ValidationError):
        stage(item, national_admin, "objection", on=STAGE_DAY - datetime.timedelta(days=1))


def test_the_result_stage_needs_a_result_and_wbbm_needs_a_wbbm_proposal(item, national_admin):
    pass_stages(item, national_admin)
    with pytest.raises(ValidationError):
        stage(item, national_admin, "result", outcome="passed")
    with pytest.raises(ValidationError):
        stage(item, national_admin, "result", result=NationalResult.WBBM)
    assert status_of(item) == S.PANEL


# --- Withdrawing a record made by mistake ---------------------------------------------------------


def withdraw(record, by, reason="Salah input: hasil milik unit lain"):
    return services.national_stage_withdraw(stage=record, reason=reason, by=by)


def test_a_withdrawn_stage_stays_in_the_history_and_the_status_goes_back(item, national_admin):
    stage(item, national_admin, "admin_selection")
    mistaken = stage(item, national_admin, "objection")
    assert status_of(item) == S.DESK_EVALUATION
    withdraw(mistaken, national_admin)
    mistaken.refresh_from_db()
    assert (mistaken.is_withdrawn, mistaken.withdrawn_by, mistaken.withdrawal_reason) == (
        True,
        national_admin,
        "Salah input: hasil milik unit lain",
    )
    assert mistaken.withdrawn_at is not None
    assert status_of(item) == S.ADMIN_SELECTION
    change = StatusChange.objects.filter(evaluation_id=item.evaluation_id).first()
    assert (change.transition, change.from_status, change.to_status, change.note) == (
        "stage_withdraw",
        S.DESK_EVALUATION,
        S.ADMIN_SELECTION,
        "Salah input: hasil milik unit lain",
    )
    # Recorded again, beside the withdrawn record.
    stage(item, national_admin, "objection")
    assert NationalStage.objects.filter(item=item, stage="objection").count() == 2
    assert status_of(item) == S.DESK_EVALUATION


def test_withdrawing_a_failed_stage_reopens_the_track(item, national_admin):
    failed = stage(item, national_admin, "admin_selection", outcome="failed")
    withdraw(failed, national_admin)
    item.refresh_from_db()
    assert (item.result, status_of(item)) == ("", S.PROPOSED)
    stage(item, national_admin, "admin_selection")
    assert status_of(item) == S.ADMIN_SELECTION


def test_withdrawing_the_result_clears_it_and_goes_back_to_the_panel(item, national_admin):
    record_result(item, national_admin)
    result = NationalStage.objects.get(item=item, stage="result")
    withdraw(result, national_admin)
    item.refresh_from_db()
    assert (item.result, status_of(item)) == ("", S.PANEL)


def test_only_the_last_stage_is_withdrawn(item, national_admin):
    first = stage(item, national_admin, "admin_selection")
    stage(item, national_admin, "objection")
    with pytest.raises(ValidationError, match="lebih dahulu"):
        withdraw(first, national_admin)
    first.refresh_from_db()
    assert not first.is_withdrawn


def test_a_withdrawal_needs_a_reason_and_happens_once(item, national_admin):
    record = stage(item, national_admin, "admin_selection")
    with pytest.raises(ValidationError):
        withdraw(record, national_admin, reason="  ")
    withdraw(record, national_admin)
    with pytest.raises(ValidationError):
        withdraw(record, national_admin)


def test_a_result_with_its_award_is_not_withdrawn(item, national_admin):
    record_result(item, national_admin)
    services.award_create_from_item(item=item, announcement=announcement(), by=national_admin)
    with pytest.raises(ValidationError, match="(?i)penghargaan"):
        withdraw(NationalStage.objects.get(item=item, stage="result"), national_admin)
    assert Award.objects.count() == 1
    assert status_of(item) == S.AWARDED_WBK


# --- The national evaluators' work --------------------------------------------------------------


def test_findings_are_written_on_the_desk_and_field_evaluation_under_way(
    item, national_admin, national_evaluator
):
    with pytest.raises(ValidationError):
        services.stage_findings_save(item=item, findings="Terlalu dini", by=national_evaluator)
    pass_stages(item, national_admin, through="objection")
    desk = services.stage_findings_save(
        item=item, findings="SOP pelayanan belum dievaluasi", by=national_evaluator
    )
    assert (desk.stage, desk.outcome, desk.findings_by) == (
        "desk_evaluation",
        "pending",
        national_evaluator,
    )
    # KemenPANRB decides the stage the findings belong to; the findings stay on it.
    decided = stage(item, national_admin, "desk_evaluation", note="Lolos")
    assert (decided.pk, decided.findings, decided.outcome) == (
        desk.pk,
        "SOP pelayanan belum dievaluasi",
        "passed",
    )
    field = services.stage_findings_save(
        item=item, findings="Wawancara: layanan cepat", by=national_evaluator
    )
    assert field.stage == "field_evaluation"


def test_tpn_totals_are_entered_only_during_the_desk_and_field_evaluation(
    item, national_admin, national_evaluator
):
    def save(pengungkit):
        return services.submission_item_set_tpn_totals(
            item=item, pengungkit=Decimal(pengungkit), hasil=Decimal("30"), by=national_evaluator
        )

    with pytest.raises(ValidationError, match="evaluasi dokumen dan lapangan"):
        save("52.5")
    pass_stages(item, national_admin, through="objection")
    assert save("52.5").tpn_total == Decimal("82.5")
    with pytest.raises(ValidationError):
        save("61")
    pass_stages_from = ["desk_evaluation", "field_evaluation"]
    for name in pass_stages_from:
        stage(item, national_admin, name)
    with pytest.raises(ValidationError):
        save("50")


def test_the_workflow_table_knows_every_national_stage_and_result():
    assert tuple(NationalStage.Stage.values) == workflow.NATIONAL_STAGES
    assert set(workflow.RESULT_STATUS) == set(NationalResult.values)
