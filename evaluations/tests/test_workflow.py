"""The LKE workflow: every transition allowed and refused per role, logs and locks."""

import pytest
from django.urls import reverse

from evaluations import services, workflow
from evaluations.models import Answer, Evaluation, Level, StatusChange
from evaluations.services import AnswerInput, LevelLocked

from .factories import full_answers, in_status

S = Evaluation.Status
ROLES = ["national_admin", "agency_admin", "evaluator", "unit_operator", "viewer"]

# transition → (from status, roles allowed, resulting status)
TABLE = {
    "submit_self": (S.DRAFT, {"unit_operator"}, S.SELF_SUBMITTED),
    "start_review": (S.SELF_SUBMITTED, {"evaluator"}, S.TPI_REVIEW),
    "return_to_unit": (S.TPI_REVIEW, {"evaluator"}, S.DRAFT),
    "finalize": (S.TPI_REVIEW, {"evaluator"}, S.TPI_FINAL),
    "reopen": (S.TPI_FINAL, {"agency_admin", "national_admin"}, S.TPI_REVIEW),
}


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def _complete(evaluation, level):
    status = evaluation.status
    in_status(evaluation, {Level.SELF: S.DRAFT, Level.TPI: S.TPI_REVIEW}[level])
    services.answers_save(evaluation=evaluation, level=level, answers=full_answers(evaluation))
    return in_status(evaluation, status)


@pytest.mark.parametrize("name", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_is_allowed_exactly_for_its_roles(request, evaluation, name, role):
    source, allowed, target = TABLE[name]
    user = request.getfixturevalue(role)
    _complete(evaluation, Level.SELF)
    _complete(evaluation, Level.TPI)
    in_status(evaluation, source)
    if role in allowed:
        result = workflow.evaluation_transition(
            evaluation=evaluation, name=name, by=user, note="Alasan tertulis"
        )
        assert result.status == target
        change = StatusChange.objects.get(evaluation=evaluation)
        assert (change.from_status, change.to_status, change.by, change.note) == (
            source,
            target,
            user,
            "Alasan tertulis",
        )
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.evaluation_transition(evaluation=evaluation, name=name, by=user, note="x")
        evaluation.refresh_from_db()
        assert evaluation.status == source
        assert not StatusChange.objects.exists()


@pytest.mark.parametrize("name", TABLE)
def test_transition_from_a_wrong_status_is_refused(request, evaluation, name):
    source, allowed, _target = TABLE[name]
    user = request.getfixturevalue(sorted(allowed)[0])
    wrong = S.PANEL
    in_status(evaluation, wrong)
    with pytest.raises(workflow.TransitionNotAllowed, match="tidak dapat dilakukan lagi"):
        workflow.evaluation_transition(evaluation=evaluation, name=name, by=user, note="x")
    assert Evaluation.objects.get(pk=evaluation.pk).status == wrong


@pytest.mark.parametrize(
    "name, role", [("return_to_unit", "evaluator"), ("reopen", "agency_admin")]
)
def test_return_and_reopen_need_a_note(request, evaluation, name, role):
    source = TABLE[name][0]
    in_status(evaluation, source)
    with pytest.raises(workflow.TransitionNotAllowed, match="menjelaskan alasannya"):
        workflow.evaluation_transition(
            evaluation=evaluation, name=name, by=request.getfixturevalue(role), note="   "
        )
    assert Evaluation.objects.get(pk=evaluation.pk).status == source


def test_self_submission_needs_a_complete_self_assessment(evaluation, unit_operator):
    services.answers_save(
        evaluation=evaluation, level=Level.SELF, answers=[AnswerInput("A.I.1.i.a", letter="Ya")]
    )
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.evaluation_transition(evaluation=evaluation, name="submit_self", by=unit_operator)
    assert "A.I.1.i.b" in refused.value.missing
    assert "A.I.1.i.a" not in refused.value.missing
    assert len(refused.value.missing) == 112
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.DRAFT


def test_tpi_final_needs_a_complete_tpi_score(evaluation, evaluator):
    in_status(evaluation, S.TPI_REVIEW)
    with pytest.raises(workflow.TransitionNotAllowed, match="belum lengkap"):
        workflow.evaluation_transition(evaluation=evaluation, name="finalize", by=evaluator)
    _complete(evaluation, Level.TPI)
    workflow.evaluation_transition(evaluation=evaluation, name="finalize", by=evaluator)
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.TPI_FINAL


@pytest.mark.parametrize(
    "status, level, open_",
    [
        (S.DRAFT, Level.SELF, True),
        (S.SELF_SUBMITTED, Level.SELF, False),
        (S.TPI_REVIEW, Level.SELF, False),
        (S.DRAFT, Level.TPI, False),
        (S.SELF_SUBMITTED, Level.TPI, True),
        (S.TPI_REVIEW, Level.TPI, True),
        (S.TPI_FINAL, Level.TPI, False),
        (S.TPI_REVIEW, Level.TPN, False),
        (S.TPI_FINAL, Level.TPN, False),
        (S.PROPOSED, Level.TPN, False),
        (S.ADMIN_SELECTION, Level.TPN, False),
        (S.DESK_EVALUATION, Level.TPN, True),
        (S.FIELD_EVALUATION, Level.TPN, True),
        (S.PANEL, Level.TPN, False),
    ],
)
def test_locks_hold_in_the_service(evaluation, status, level, open_):
    in_status(evaluation, status)
    save = AnswerInput("A.I.1.i.a", letter="Ya")
    if open_:
        services.answers_save(evaluation=evaluation, level=level, answers=[save])
        assert Answer.objects.filter(evaluation=evaluation, level=level).count() == 1
    else:
        with pytest.raises(LevelLocked):
            services.answers_save(evaluation=evaluation, level=level, answers=[save])
        assert not Answer.objects.filter(evaluation=evaluation).exists()


def test_returned_evaluation_opens_the_self_assessment_again(evaluation, evaluator):
    in_status(evaluation, S.TPI_REVIEW)
    workflow.evaluation_transition(
        evaluation=evaluation, name="return_to_unit", by=evaluator, note="Lengkapi bukti SOP"
    )
    services.answers_save(
        evaluation=evaluation, level=Level.SELF, answers=[AnswerInput("A.I.1.i.a", letter="Ya")]
    )
    assert Answer.objects.get(evaluation=evaluation).level == Level.SELF


def test_available_transitions_follow_role_and_status(evaluation, unit_operator, evaluator, viewer):
    assert [t.name for t in workflow.available_transitions(unit_operator, evaluation)] == [
        "submit_self"
    ]
    assert workflow.available_transitions(evaluator, evaluation) == []
    assert workflow.available_transitions(viewer, evaluation) == []
    in_status(evaluation, S.SELF_SUBMITTED)
    assert {t.name for t in workflow.available_transitions(evaluator, evaluation)} == {
        "start_review",
        "return_to_unit",
    }


def test_outsider_cannot_transition_another_agencys_evaluation(evaluation, outsider):
    in_status(evaluation, S.TPI_FINAL)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.evaluation_transition(evaluation=evaluation, name="reopen", by=outsider, note="x")


def test_the_table_covers_every_status_an_evaluation_can_reach():
    assert {t.target for t in workflow.TRANSITIONS} == set(S.values)
    # A name leads to one status per row (a national stage: passed or failed).
    assert len({(t.name, t.target) for t in workflow.TRANSITIONS}) == len(workflow.TRANSITIONS)


def test_national_steps_are_not_offered_or_taken_on_the_lke_page(
    client, evaluation, national_admin
):
    in_status(evaluation, S.TPI_FINAL)
    assert [t.name for t in workflow.available_transitions(national_admin, evaluation)] == [
        "reopen"
    ]
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.evaluation_transition(evaluation=evaluation, name="propose", by=national_admin)
    client.force_login(national_admin)
    url = reverse("evaluations:transition", args=[evaluation.pk, "propose"])
    assert client.post(url).status_code == 404
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.TPI_FINAL


def test_a_move_bumps_the_version_logs_the_change_and_follows_the_table(evaluation, agency_admin):
    in_status(evaluation, S.TPI_FINAL)
    version = Evaluation.objects.get(pk=evaluation.pk).content_version
    moved = workflow.evaluation_move(
        evaluation=Evaluation.objects.get(pk=evaluation.pk),
        name="propose",
        by=agency_admin,
        note="Diusulkan",
    )
    assert (moved.status, moved.content_version) == (S.PROPOSED, version + 1)
    change = StatusChange.objects.get(evaluation=evaluation)
    assert (change.transition, change.from_status, change.to_status, change.by) == (
        "propose",
        S.TPI_FINAL,
        S.PROPOSED,
        agency_admin,
    )
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.evaluation_move(evaluation=moved, name="propose", by=agency_admin)
    with pytest.raises(workflow.TransitionNotAllowed):  # a stage passes or fails: say which
        workflow.evaluation_move(evaluation=moved, name="stage_admin_selection", by=agency_admin)
    with pytest.raises(workflow.TransitionNotAllowed):  # the panel comes later
        workflow.evaluation_move(
            evaluation=moved, name="stage_panel", to=S.NOT_AWARDED, by=agency_admin
        )
    workflow.evaluation_move(
        evaluation=moved, name="stage_admin_selection", to=S.NOT_AWARDED, by=agency_admin
    )
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.NOT_AWARDED


def test_the_national_track_is_kemenpanrbs_after_the_agencys_proposal():
    national = [t for t in workflow.TRANSITIONS if not t.on_lke_page]
    agency = {t.name for t in national if t.roles == {"agency_admin"}}
    assert agency == {"propose", "withdraw"}
    assert {t.roles for t in national if t.name not in agency} == {frozenset({"national_admin"})}


@pytest.mark.parametrize(
    "stage, passed, before",
    [
        ("admin_selection", S.ADMIN_SELECTION, S.PROPOSED),
        ("objection", S.DESK_EVALUATION, S.ADMIN_SELECTION),
        ("desk_evaluation", S.FIELD_EVALUATION, S.DESK_EVALUATION),
        ("field_evaluation", S.PANEL, S.FIELD_EVALUATION),
    ],
)
def test_each_stage_moves_on_from_where_the_one_before_left_and_withdrawing_goes_back(
    evaluation, national_admin, stage, passed, before
):
    in_status(evaluation, before)
    moved = workflow.evaluation_move(
        evaluation=evaluation, name=f"stage_{stage}", to=passed, by=national_admin
    )
    assert moved.status == passed
    back = workflow.evaluation_move(
        evaluation=moved, name="stage_withdraw", to=before, by=national_admin, note="Keliru"
    )
    assert back.status == before


def test_an_accepted_objection_reinstates_a_unit_not_awarded(evaluation, national_admin):
    in_status(evaluation, S.NOT_AWARDED)
    moved = workflow.evaluation_move(
        evaluation=evaluation, name="objection_accept", by=national_admin, note="Diterima"
    )
    assert moved.status == S.DESK_EVALUATION
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.evaluation_move(evaluation=moved, name="objection_accept", by=national_admin)


@pytest.mark.parametrize(
    "role, levels",
    [
        ("national_evaluator", {"tpn"}),
        ("national_admin", set()),
        ("agency_admin", set()),
        ("evaluator", {"tpi"}),
        ("unit_operator", {"self"}),
    ],
)
def test_only_the_national_evaluator_answers_the_tpn_level(request, evaluation, role, levels):
    from zi_portal import access

    assert access.editable_levels(request.getfixturevalue(role), evaluation) == levels


@pytest.mark.parametrize("status", [S.TPI_FINAL, S.ADMIN_SELECTION, S.PANEL])
def test_the_agency_brings_evidence_for_the_national_evaluation(evaluation, agency_admin, status):
    in_status(evaluation, status)
    assert workflow.evidence_lock_reason(evaluation, agency_admin) is None
    in_status(evaluation, S.AWARDED_WBK)
    assert workflow.evidence_lock_reason(evaluation, agency_admin)
