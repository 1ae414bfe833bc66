"""Every status change of an evaluation: one table, who may make each, and what each locks.

The LKE, on the LKE page: draft → self_submitted → tpi_review → tpi_final, with "return to unit"
(back to draft, with a note) and "reopen" (agency administrator, back to TPI review, with a
reason). The national track, on the proposal pages (awards): the agency proposes a tpi_final
evaluation (or withdraws it); KemenPANRB moves it through the national stages in order, a failed
stage ending it not awarded, an accepted objection reinstating it and a stage recorded by mistake
withdrawn; it ends awarded or not awarded, and an award may be revoked. evaluation_move applies
any of them and writes the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from units.models import Role
from units.signals import figures_moved
from zi_portal import access

from . import selectors
from .models import Evaluation, EvaluationScore, Level, StatusChange

S = Evaluation.Status


class TransitionNotAllowed(Exception):
    """A status change that may not happen now; `message` says why, in the user's language."""

    def __init__(self, message, missing=()):
        self.message = message
        self.missing = list(missing)
        super().__init__(str(message))


@dataclass(frozen=True)
class Transition:
    name: str  # as logged in StatusChange; a national stage's name leads to one of two statuses
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    note_required: bool = False
    complete_level: str | None = None  # the level that must be fully answered first
    button: str = "primary"
    on_lke_page: bool = True  # False: taken on the national track's pages


# The national stages in order (awards' NationalStage.Stage); each follows only a passed one.
NATIONAL_STAGES = (
    "admin_selection",
    "objection",
    "desk_evaluation",
    "field_evaluation",
    "panel",
    "result",
)
# The national evaluation's statuses in order, from the proposal to the panel.
NATIONAL_ORDER = (S.PROPOSED, S.ADMIN_SELECTION, S.DESK_EVALUATION, S.FIELD_EVALUATION, S.PANEL)
# Where a unit stands once it passed each stage: after the administrative selection it waits out
# the objection period (sanggah); then the national team evaluates it at its desk, then in the
# field (interviews and observation); then the panel, which leaves it waiting for the result.
STAGE_STATUS = {
    "admin_selection": S.ADMIN_SELECTION,
    "objection": S.DESK_EVALUATION,
    "desk_evaluation": S.FIELD_EVALUATION,
    "field_evaluation": S.PANEL,
    "panel": S.PANEL,
}
# Where a unit stands when each stage is recorded: where the passed stage before it left it.
STAGE_SOURCE = {
    stage: STAGE_STATUS[NATIONAL_STAGES[index - 1]] if index else S.PROPOSED
    for index, stage in enumerate(NATIONAL_STAGES)
}
# The national result (awards' NationalResult) and the status it ends the track in.
RESULT_STATUS = {"WBK": S.AWARDED_WBK, "WBBM": S.AWARDED_WBBM, "not_awarded": S.NOT_AWARDED}
# Every step after the proposal is KemenPANRB's: the agency proposes (and withdraws while the
# window is open), the national administrators record stages, results and revocations and decide
# objections. The services check it through zi_portal.access on the national track's pages.
AGENCY = frozenset({Role.AGENCY_ADMIN})
KEMENPANRB = frozenset({Role.NATIONAL_ADMIN})


def _national(name, label, sources, target, roles=KEMENPANRB) -> Transition:
    return Transition(name, label, frozenset(sources), target, roles, on_lke_page=False)


def _stage_withdrawals() -> list[Transition]:
    """Withdrawing a stage recorded by mistake: the unit goes back to where that stage found it.

    One row per status it goes back to, from every status the withdrawn stage could have left.
    """
    back: dict[str, set[str]] = {}
    for stage in NATIONAL_STAGES:
        left = set(RESULT_STATUS.values()) if stage == "result" else {STAGE_STATUS[stage]}
        back.setdefault(STAGE_SOURCE[stage], set()).update(left | {S.NOT_AWARDED})
    return [
        _national("stage_withdraw", _("Withdraw a national stage"), sources, target)
        for target, sources in back.items()
    ]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit_self",
        _("Submit self-assessment"),
        frozenset({S.DRAFT}),
        S.SELF_SUBMITTED,
        frozenset({Role.UNIT_OPERATOR}),
        complete_level=Level.SELF,
    ),
    Transition(
        "start_review",
        _("Start TPI review"),
        frozenset({S.SELF_SUBMITTED}),
        S.TPI_REVIEW,
        frozenset({Role.EVALUATOR}),
    ),
    Transition(
        "return_to_unit",
        _("Return to unit"),
        frozenset({S.SELF_SUBMITTED, S.TPI_REVIEW}),
        S.DRAFT,
        frozenset({Role.EVALUATOR}),
        note_required=True,
        button="warning",
    ),
    Transition(
        "finalize",
        _("Finalise TPI scores (issue LHE)"),
        frozenset({S.TPI_REVIEW}),
        S.TPI_FINAL,
        frozenset({Role.EVALUATOR}),
        complete_level=Level.TPI,
        button="success",
    ),
    Transition(
        "reopen",
        _("Reopen for TPI review"),
        frozenset({S.SELF_SUBMITTED, S.TPI_FINAL}),
        S.TPI_REVIEW,
        frozenset({Role.AGENCY_ADMIN, Role.NATIONAL_ADMIN}),
        note_required=True,
        button="outline-danger",
    ),
    _national("propose", _("Propose"), {S.TPI_FINAL}, S.PROPOSED, AGENCY),
    _national("withdraw", _("Withdraw"), {S.PROPOSED}, S.TPI_FINAL, AGENCY),
    # A passed stage moves the unit on from where the stage before left it (the panel keeps it
    # at the panel, waiting for the result); a failed stage ends the track.
    *(
        _national(f"stage_{stage}", status.label, {STAGE_SOURCE[stage]}, status)
        for stage, status in STAGE_STATUS.items()
    ),
    *(
        _national(f"stage_{stage}", S.NOT_AWARDED.label, {STAGE_SOURCE[stage]}, S.NOT_AWARDED)
        for stage in STAGE_STATUS
        if stage != "objection"  # the objection period has no failing outcome
    ),
    *(
        _national("stage_result", status.label, {STAGE_SOURCE["result"]}, status)
        for status in RESULT_STATUS.values()
    ),
    # An accepted objection reinstates a unit that failed the administrative selection: its
    # track resumes at the desk evaluation.
    _national(
        "objection_accept", _("Objection accepted"), {S.NOT_AWARDED}, STAGE_STATUS["objection"]
    ),
    *_stage_withdrawals(),
    # An award can be tied (in admin) to an evaluation in any status, so revoking starts from any.
    _national("revoke", _("Revoke the predicate"), S.values, S.REVOKED),
)
# The LKE page's buttons, by name.
LKE_TRANSITIONS = {t.name: t for t in TRANSITIONS if t.on_lke_page}


def transition(name: str, *, to: str | None = None) -> Transition:
    """Return the transition `name` of the table, the one going `to` where several share it."""
    found = [t for t in TRANSITIONS if t.name == name and to in (None, t.target)]
    if len(found) != 1:
        raise TransitionNotAllowed(_("Unknown status change."))
    return found[0]


# Statuses in which each level may still be answered: the national team scores a proposed unit
# at its desk evaluation and its field visit.
EDITABLE_STATUSES = {
    Level.SELF: {S.DRAFT},
    Level.TPI: {S.SELF_SUBMITTED, S.TPI_REVIEW},
    Level.TPN: {S.DESK_EVALUATION, S.FIELD_EVALUATION},
}
# Statuses in which each level's evidence may change: the agency brings what the national team
# asks for from the final TPI scores until the national result.
EVIDENCE_STATUSES = {**EDITABLE_STATUSES, Level.TPN: {S.TPI_FINAL, *NATIONAL_ORDER}}

LOCK_REASONS = {
    Level.SELF: _(
        "The self-assessment was submitted: the unit can change it only after the TPI returns it."
    ),
    Level.TPI: _(
        "TPI scores can be entered once the unit has submitted its self-assessment, and are "
        "frozen once final."
    ),
    Level.TPN: _(
        "The national team (TPN) scores a proposed unit only during its desk and field evaluation."
    ),
}


def level_lock_reason(evaluation: Evaluation, level: str):
    """Return why a level cannot be answered in the evaluation's status, or None if it can."""
    if evaluation.status in EDITABLE_STATUSES[level]:
        return None
    return LOCK_REASONS[level]


# Evidence supports the answers, so it follows their locks: a person may add, replace or remove
# evidence while a level whose evidence they keep is open. The unit adds it while it fills its
# self-assessment, the TPI while it scores, the agency administrator at the national stages (what
# the TPN asks for).
EVIDENCE_LOCK_REASONS = {
    Level.SELF: _(
        "The self-assessment was submitted: the unit can change its evidence only after the TPI "
        "returns it."
    ),
    Level.TPI: _(
        "The TPI can change evidence only while it reviews the self-assessment, until its scores "
        "are final."
    ),
    Level.TPN: _(
        "Evidence for the national evaluation can be changed only from the final TPI scores until "
        "the national result."
    ),
}


def evidence_lock_reason(evaluation: Evaluation, user):
    """Return why `user` cannot change the evaluation's evidence now, or None if they can.

    `user` None is the system itself (a management command): any open level lets it through.
    """
    levels = set(Level.values) if user is None else access.evidence_levels(user, evaluation)
    ordered = [level for level in Level.values if level in levels]
    if any(evaluation.status in EVIDENCE_STATUSES[level] for level in ordered):
        return None
    if not ordered:
        return _("Your role cannot change evidence.")
    return EVIDENCE_LOCK_REASONS[ordered[0]]


def available_transitions(user, evaluation: Evaluation) -> list[Transition]:
    """Return the LKE page's transitions the user may make from the evaluation's status."""
    roles = access.unit_roles(user, evaluation.unit)
    return [
        t for t in LKE_TRANSITIONS.values() if evaluation.status in t.sources and roles & t.roles
    ]


def _refuse_unless_from(evaluation: Evaluation, move: Transition) -> None:
    if evaluation.status not in move.sources:
        raise TransitionNotAllowed(
            _("This evaluation is now “%(status)s”: “%(action)s” is no longer possible.")
            % {"status": evaluation.get_status_display(), "action": move.label}
        )


@transaction.atomic
def evaluation_transition(*, evaluation: Evaluation, name: str, by, note: str = "") -> Evaluation:
    """Make one of the LKE page's transitions for `by`, or raise TransitionNotAllowed."""
    move = LKE_TRANSITIONS.get(name)
    if move is None:
        raise TransitionNotAllowed(_("Unknown status change."))
    # Lock the row: of two people acting at once, the second sees the first one's result.
    evaluation = Evaluation.objects.select_for_update().select_related("unit").get(pk=evaluation.pk)
    if not access.unit_roles(by, evaluation.unit) & move.roles:
        raise TransitionNotAllowed(_("Your role cannot make this status change."))
    _refuse_unless_from(evaluation, move)
    note = (note or "").strip()
    if "\x00" in note:
        # PostgreSQL cannot store it; say so instead of failing with a server error.
        raise TransitionNotAllowed(ProhibitNullCharactersValidator.message)
    if move.note_required and not note:
        raise TransitionNotAllowed(_("Write a note that says why."))
    if move.complete_level:
        missing = missing_questions(evaluation=evaluation, level=move.complete_level)
        if missing:
            raise TransitionNotAllowed(
                _("The LKE is not complete yet: %(count)s questions are unanswered.")
                % {"count": len(missing)},
                missing,
            )
    return evaluation_move(evaluation=evaluation, name=name, by=by, note=note)


@transaction.atomic
def evaluation_move(
    *, evaluation: Evaluation, name: str, by, note: str = "", to: str | None = None
) -> Evaluation:
    """Apply one transition of the table: set the status, bump the content version, log it.

    The caller holds the evaluation's row lock and has checked who may make the change and why
    (evaluation_transition for the LKE page, the national track's services for theirs). A
    status the transition does not start from is still refused.
    """
    move = transition(name, to=to)
    _refuse_unless_from(evaluation, move)
    previous = evaluation.status
    evaluation.status = move.target
    evaluation.content_version += 1
    # The history names the person even outside a request (commands, tests, jobs).
    evaluation._history_user = by
    evaluation.save(update_fields=["status", "content_version", "updated_at"])
    figures_moved.send(Evaluation, agency_ids=[evaluation.agency_id], years=[evaluation.year])
    StatusChange.objects.create(
        evaluation=evaluation,
        transition=move.name,
        from_status=previous,
        to_status=move.target,
        note=note,
        by=by,
    )
    return evaluation


def missing_questions(*, evaluation: Evaluation, level: str) -> list[str]:
    """Return the codes of questions still unanswered (or not computable) at a level."""
    stored = EvaluationScore.objects.filter(evaluation=evaluation, level=level).first()
    if stored is not None and stored.complete:
        return []
    breakdown = selectors.level_breakdown(evaluation=evaluation, level=level)
    return [*breakdown.unanswered, *breakdown.not_computable]
