"""Writes of the national track: the proposal to KemenPANRB (pengusulan), the national stages
that follow it and the objections to them, the awards a national result grants, the Minister's
announcements that publish them, and revocation.

Every rule of the track lives here (who may do each step is zi_portal.access's answer, checked
by the views), so that pages, admin and commands refuse the same things with the same message.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations import selectors, workflow
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, Level, Predicate
from evaluations.rubric import scoring
from evaluations.services import to_decimal
from zi_portal import uploads

from . import rules
from .models import (
    Announcement,
    Award,
    NationalResult,
    NationalStage,
    Objection,
    ObjectionAttachment,
    ProposalWindow,
    Submission,
    SubmissionItem,
    default_window_close,
)

S = Evaluation.Status
Stage = NationalStage.Stage
Outcome = NationalStage.Outcome
RANK = {"": 0, Predicate.WBK: 1, Predicate.WBBM: 2}


def window_keeper() -> str:
    """Who opens a closed window again, as an agency is told."""
    return _("KemenPANRB (national administrator)")


# --- Window -----------------------------------------------------------------------------------


def proposal_window(*, year: int) -> ProposalWindow:
    """Return the year's window, or an unsaved default one (until 31 May) when none is set."""
    window = ProposalWindow.objects.filter(year=year).first()
    return window or ProposalWindow(year=year, closes_on=default_window_close(year))


def window_refusal(*, submission: Submission, today: datetime.date | None = None) -> str | None:
    """Return why the submission cannot change its list of units now, or None if it can."""
    today = today or timezone.localdate()
    if submission.status == Submission.Status.LOCKED:
        return _(
            "This submission is locked: units can no longer be added or removed. Only %(keeper)s "
            "can open it again."
        ) % {"keeper": window_keeper()}
    window = proposal_window(year=submission.year)
    if today > window.closes_on:
        return _(
            "The proposal window for %(year)s closed on %(date)s: the submission is locked and "
            "units can no longer be added or removed. Only %(keeper)s can open the window again."
        ) % {
            "year": submission.year,
            "date": date_format(window.closes_on, "DATE_FORMAT"),
            "keeper": window_keeper(),
        }
    if window.opens_on and today < window.opens_on:
        return _("The proposal window for %(year)s opens on %(date)s.") % {
            "year": submission.year,
            "date": date_format(window.opens_on, "DATE_FORMAT"),
        }
    return None


@transaction.atomic
def window_save(
    *,
    window: ProposalWindow | None,
    year: int,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    objection_days: int,
    by,
) -> ProposalWindow:
    """Create a year's window, or change one (its dates and the objection period)."""
    exists = ValidationError(
        {"year": _("The window for %(year)s already exists: change it instead.") % {"year": year}}
    )
    if window is None:
        if ProposalWindow.objects.filter(year=year).exists():
            raise exists
        window = ProposalWindow(year=year)
    else:
        window = ProposalWindow.objects.select_for_update().get(pk=window.pk)
    window.opens_on = opens_on
    window.closes_on = closes_on
    window.objection_days = objection_days
    window.full_clean(exclude=["year"] if window.pk else None)
    window._history_user = by
    try:
        # A savepoint: when another admin created the year's window meanwhile, say so.
        with transaction.atomic():
            window.save()
    except IntegrityError:
        raise exists from None
    return window


# --- Submission -------------------------------------------------------------------------------


@transaction.atomic
def submission_open(*, agency, year: int, by) -> tuple[Submission, bool]:
    """Return the agency's submission for the year, creating it (as a draft) if needed."""
    if not 2010 <= year <= 2100:
        raise ValidationError(_("Choose a year between 2010 and 2100."))
    existing = Submission.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing, False
    submission = Submission(agency=agency, year=year, created_by=by)
    submission._history_user = by  # get_or_create could not name who opened it
    try:
        # A savepoint: when another click created it meanwhile, the outer transaction lives on.
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        return Submission.objects.get(agency=agency, year=year), False
    return submission, True


@transaction.atomic
def submission_update_letter(
    *,
    submission: Submission,
    cover_letter_number: str,
    cover_letter_date: datetime.date | None,
    signer_name: str,
    signer_position: str,
    by,
) -> Submission:
    """Record the cover letter (surat usulan) and who signs it and the SPTJM."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    submission.cover_letter_number = cover_letter_number.strip()
    submission.cover_letter_date = cover_letter_date
    submission.signer_name = signer_name.strip()
    submission.signer_position = signer_position.strip()
    submission._history_user = by
    submission.save()
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, by, today: datetime.date | None = None):
    """Mark the submission as sent to KemenPANRB once it has units and a signed cover letter."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    refusal = window_refusal(submission=submission, today=today)
    if refusal:
        raise ValidationError(refusal)
    if not submission.items.exists():
        raise ValidationError(_("Propose at least one unit first."))
    if not (
        submission.cover_letter_number
        and submission.cover_letter_date
        and submission.signer_name
        and submission.signer_position
    ):
        raise ValidationError(_("Fill in the cover letter number and date and who signs it first."))
    submission.status = Submission.Status.SUBMITTED
    submission._history_user = by
    submission.save(update_fields=["status", "updated_at"])
    return submission


# --- Who may be proposed ----------------------------------------------------------------------


def rule_as_dict(rule: scoring.RuleResult) -> dict:
    """A failing rule as stored on the proposed unit and shown on the pages."""
    return {
        "predicate": rule.predicate,
        "name": rule.name,
        "label_id": rule.label_id,
        "label_en": rule.label_en,
        "value": None if not isinstance(rule.value, Fraction) else float(rule.value),
        "threshold": None if not isinstance(rule.threshold, Fraction) else float(rule.threshold),
    }


def tpi_result(*, evaluation: Evaluation) -> tuple[scoring.Breakdown, scoring.PredicateResult]:
    """Score the TPI level now, against the award history as it stands today."""
    return selectors.level_result(evaluation=evaluation, level=Level.TPI)


def _coverage_refusal(unit, on_date: datetime.date) -> str | None:
    """PermenPANRB 90/2021: only units covered by a pencanangan are proposed."""
    from units import selectors as unit_selectors

    check = unit_selectors.unit_is_covered(unit, on_date=on_date)
    return None if check else check.reason


@transaction.atomic
def submission_item_add(
    *,
    submission: Submission,
    evaluation: Evaluation,
    predicate: str,
    by,
    afirmasi: bool = False,
    afirmasi_reason: str = "",
    today: datetime.date | None = None,
) -> SubmissionItem:
    """Propose one unit's tpi_final evaluation for a predicate, or raise ValidationError.

    The evaluation moves to `proposed`, with a StatusChange row, in the same transaction.
    """
    today = today or timezone.localdate()
    # Lock the submission first, then the evaluation: two admins adding at once queue here.
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("unit", "rubric")
        .get(pk=evaluation.pk)
    )
    refusal = window_refusal(submission=submission, today=today)
    if refusal:
        raise ValidationError(refusal)
    if evaluation.unit.agency_id != submission.agency_id or evaluation.year != submission.year:
        raise ValidationError(_("Only this agency's evaluations of the same year can be proposed."))
    if evaluation.status != S.TPI_FINAL:
        raise ValidationError(
            _(
                "%(unit)s is “%(status)s”: only evaluations whose TPI scores are final (LHE "
                "issued) can be proposed."
            )
            % {"unit": evaluation.unit.name, "status": evaluation.get_status_display()}
        )
    if predicate not in Predicate.values:
        raise ValidationError(_("Choose WBK or WBBM."))
    afirmasi_reason = (afirmasi_reason or "").strip()
    if afirmasi and predicate != Predicate.WBK:
        raise ValidationError(_("Afirmasi is available for WBK only."))
    if afirmasi and not afirmasi_reason:
        raise ValidationError(_("Write the reason for afirmasi."))

    coverage = _coverage_refusal(evaluation.unit, today)
    if coverage:
        raise ValidationError(coverage)
    awards = list(Award.objects.filter(unit_id=evaluation.unit_id))
    refusals = rules.history_refusals(
        predicate=predicate,
        year=submission.year,
        awards=awards,
        rubric=evaluation.rubric,
        today=today,
    )
    if refusals:
        raise ValidationError(refusals)

    breakdown, result = tpi_result(evaluation=evaluation)
    if not breakdown.complete:
        raise ValidationError(_("The TPI LKE is not complete: it cannot be proposed."))
    verdict = result.verdict or ""
    failing = result.failing(predicate)
    if RANK[verdict] < RANK[predicate] and not afirmasi:
        labels = "; ".join(describe_rule(rule_as_dict(r)) for r in failing)
        raise ValidationError(
            _(
                "%(unit)s does not meet %(predicate)s by the TPI scores (%(rules)s). Mark it as "
                "afirmasi with a reason (WBK only) to propose it anyway."
            )
            % {"unit": evaluation.unit.name, "predicate": predicate, "rules": labels}
        )

    item = SubmissionItem(
        submission=submission,
        evaluation=evaluation,
        proposed_predicate=predicate,
        is_afirmasi=afirmasi,
        afirmasi_reason=afirmasi_reason if afirmasi else "",
        tpi_total=to_decimal(breakdown.total),
        tpi_verdict=verdict,
        failing_rules=[rule_as_dict(r) for r in failing],
        added_by=by,
    )
    item._history_user = by
    item.save()
    workflow.evaluation_move(
        evaluation=evaluation,
        name="propose",
        by=by,
        note=_("Proposed for %(predicate)s.") % {"predicate": predicate},
    )
    return item


def describe_rule(rule: dict) -> str:
    """One failing rule in the active language, e.g. “Nilai total 72.40 < 75.00”."""
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    label = (rule.get("label_en") if english else rule.get("label_id")) or rule["name"]
    if ":" in rule["name"]:
        label = f"{label} [{rule['name'].split(':', 1)[1]}]"
    if rule.get("value") is not None and rule.get("threshold") is not None:
        return f"{label}: {rule['value']:.2f} < {rule['threshold']:.2f}"
    return label


@transaction.atomic
def submission_item_remove(*, item: SubmissionItem, by, today: datetime.date | None = None):
    """Withdraw a proposed unit while the window is open; its evaluation returns to tpi_final."""
    item = SubmissionItem.objects.select_for_update().select_related("submission").get(pk=item.pk)
    refusal = window_refusal(submission=item.submission, today=today)
    if refusal:
        raise ValidationError(refusal)
    evaluation = Evaluation.objects.select_for_update().get(pk=item.evaluation_id)
    if evaluation.status != S.PROPOSED:
        raise ValidationError(
            _("The national evaluation of this unit has started: it can no longer be withdrawn.")
        )
    item._history_user = by  # the deletion's history row names who withdrew the unit
    item.delete()
    workflow.evaluation_move(evaluation=evaluation, name="withdraw", by=by)


# --- National stages --------------------------------------------------------------------------


def active_stages(item: SubmissionItem) -> dict[str, NationalStage]:
    """Return the item's stages that stand (not withdrawn), by stage."""
    return {
        stage.stage: stage for stage in NationalStage.objects.filter(item=item, is_withdrawn=False)
    }


def next_stage(stages: dict[str, NationalStage]) -> str | None:
    """Return the stage to decide next, or None when the track has ended (a failure, a result).

    The latest decided stage tells: an accepted objection, passed, follows a failed
    administrative selection and puts the unit back on the track.
    """
    decided = [
        name for name in workflow.NATIONAL_STAGES if name in stages and stages[name].is_decided
    ]
    if not decided:
        return workflow.NATIONAL_STAGES[0]
    latest = decided[-1]
    if stages[latest].outcome != Outcome.PASSED or latest == Stage.RESULT:
        return None
    return workflow.NATIONAL_STAGES[workflow.NATIONAL_STAGES.index(latest) + 1]


def _stage_label(name: str) -> str:
    return str(Stage(name).label)


def _move(evaluation, **kwargs):
    """Apply a transition of the table; a status it does not start from is a ValidationError."""
    try:
        return workflow.evaluation_move(evaluation=evaluation, **kwargs)
    except workflow.TransitionNotAllowed as refused:
        raise ValidationError(refused.message) from None


def _text(value: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        # PostgreSQL cannot store it; say so instead of failing with a server error.
        raise ValidationError(ProhibitNullCharactersValidator.message)
    return value


def _lock_item(item: SubmissionItem) -> tuple[SubmissionItem, Evaluation]:
    """Lock the proposed unit, then its evaluation: every write of the track queues here."""
    item = (
        SubmissionItem.objects.select_for_update()
        .select_related("submission", "evaluation__unit")
        .get(pk=item.pk)
    )
    evaluation = Evaluation.objects.select_for_update().get(pk=item.evaluation_id)
    return item, evaluation


@transaction.atomic
def national_stage_record(
    *,
    item: SubmissionItem,
    stage: str,
    date: datetime.date,
    outcome: str,
    by,
    note: str = "",
    result: str = "",
    today: datetime.date | None = None,
) -> NationalStage:
    """Record the outcome of the next national stage; the evaluation moves on with it.

    Stages are recorded in order, each only after the one before passed, and once: a stage
    recorded by mistake is withdrawn first (national_stage_withdraw). A failed stage ends the
    track (not awarded); the result stage sets the final result (WBK, WBBM or not awarded).
    """
    today = today or timezone.localdate()
    item, evaluation = _lock_item(item)
    if stage not in Stage.values:
        raise ValidationError(_("Choose a stage."))
    if stage == Stage.RESULT:
        if result not in NationalResult.values:
            raise ValidationError(_("Choose the final result: WBK, WBBM or not awarded."))
        if result == NationalResult.WBBM and item.proposed_predicate != Predicate.WBBM:
            raise ValidationError(_("A unit proposed for WBK cannot be awarded WBBM."))
        outcome = Outcome.FAILED if result == NationalResult.NOT_AWARDED else Outcome.PASSED
    elif result:
        raise ValidationError(_("The final result belongs to the result stage."))
    elif outcome not in (Outcome.PASSED, Outcome.FAILED):
        raise ValidationError(_("Choose whether the unit passed or failed the stage."))
    elif stage == Stage.OBJECTION and outcome != Outcome.PASSED:
        raise ValidationError(
            _(
                "The objection period has no failing outcome: record it as passed once it has "
                "closed. An objection is decided on its own."
            )
        )
    if date is None:
        raise ValidationError(_("Enter the date of the stage."))
    if date > today:
        raise ValidationError(
            _("A stage is recorded once it took place: the date is in the future.")
        )
    note = _text(note)

    stages = active_stages(item)
    recorded = stages.get(stage)
    if recorded is not None and recorded.is_decided:
        raise ValidationError(
            _(
                "“%(stage)s” is already recorded (%(outcome)s, %(date)s). A record made by mistake "
                "is withdrawn first, with a reason."
            )
            % {
                "stage": _stage_label(stage),
                "outcome": recorded.get_outcome_display(),
                "date": date_format(recorded.date, "DATE_FORMAT"),
            }
        )
    index = workflow.NATIONAL_STAGES.index(stage)
    if index:
        before = workflow.NATIONAL_STAGES[index - 1]
        previous = stages.get(before)
        if previous is None or previous.outcome != Outcome.PASSED:
            raise ValidationError(
                _("“%(stage)s” can only follow a passed “%(previous)s”.")
                % {"stage": _stage_label(stage), "previous": _stage_label(before)}
            )
        if date < previous.date:
            raise ValidationError(
                _("The date cannot be before the “%(previous)s” (%(date)s).")
                % {
                    "previous": _stage_label(before),
                    "date": date_format(previous.date, "DATE_FORMAT"),
                }
            )
    if evaluation.status not in workflow.NATIONAL_ORDER:
        raise ValidationError(
            _("The national evaluation of this unit has ended (“%(status)s”).")
            % {"status": evaluation.get_status_display()}
        )

    # A pending row holds the national evaluators' findings: the outcome completes it.
    if recorded is None:
        recorded = NationalStage(item=item, stage=stage)
    recorded.date = date
    recorded.outcome = outcome
    recorded.note = note
    recorded.entered_by = by
    recorded._history_user = by
    recorded.save()
    if stage == Stage.RESULT:
        final, target = result, workflow.RESULT_STATUS[result]
    elif outcome == Outcome.FAILED:
        final, target = NationalResult.NOT_AWARDED, S.NOT_AWARDED
    else:
        final, target = "", workflow.STAGE_STATUS[stage]
    if final:
        item.result = final
        item._history_user = by
        item.save(update_fields=["result", "updated_at"])
    _move(evaluation, name=f"stage_{stage}", to=target, by=by, note=note)
    return recorded


@transaction.atomic
def national_stage_withdraw(*, stage: NationalStage, reason: str, by) -> NationalStage:
    """Withdraw a stage recorded by mistake: it stays in the history, marked, with the reason;
    the evaluation goes back to where that stage found it, and the stage may be recorded again.

    Only the last recorded stage is withdrawn (a later one would lose the stage it followed).
    """
    item, evaluation = _lock_item(stage.item)
    stage = NationalStage.objects.select_for_update().get(pk=stage.pk)
    reason = _text(reason)
    if not reason:
        raise ValidationError(_("Write why the stage is withdrawn."))
    if stage.is_withdrawn:
        raise ValidationError(_("This stage was already withdrawn."))
    if not stage.is_decided:
        raise ValidationError(_("Only a recorded outcome can be withdrawn."))
    stages = active_stages(item)
    index = workflow.NATIONAL_STAGES.index(stage.stage)
    later = [
        _stage_label(name)
        for name in workflow.NATIONAL_STAGES[index + 1 :]
        if name in stages and stages[name].is_decided
    ]
    if later:
        raise ValidationError(
            _("Withdraw the later stages first: %(stages)s.") % {"stages": ", ".join(later)}
        )
    if stage.objections.exists():
        raise ValidationError(
            _("The agency objected to this administrative selection: it stays as recorded.")
        )
    admin = stages.get(Stage.ADMIN_SELECTION)
    if stage.stage == Stage.OBJECTION and admin is not None and admin.outcome == Outcome.FAILED:
        raise ValidationError(
            _("This stage records an accepted objection: it cannot be withdrawn.")
        )
    if stage.stage == Stage.RESULT and Award.objects.filter(submission_item=item).exists():
        raise ValidationError(_("An award was created from this result: it cannot be withdrawn."))

    stage.is_withdrawn = True
    stage.withdrawal_reason = reason
    stage.withdrawn_by = by
    stage.withdrawn_at = timezone.now()
    stage._history_user = by
    stage.save()
    if item.result and (stage.stage == Stage.RESULT or stage.outcome == Outcome.FAILED):
        item.result = ""
        item._history_user = by
        item.save(update_fields=["result", "updated_at"])
    _move(
        evaluation,
        name="stage_withdraw",
        to=workflow.STAGE_SOURCE[stage.stage],
        by=by,
        note=reason,
    )
    return stage


# The stage whose findings the national evaluators write in each status.
FINDINGS_STAGE = {
    S.DESK_EVALUATION: Stage.DESK_EVALUATION,
    S.FIELD_EVALUATION: Stage.FIELD_EVALUATION,
}


@transaction.atomic
def stage_findings_save(
    *, item: SubmissionItem, findings: str, by, today: datetime.date | None = None
) -> NationalStage:
    """Write the national evaluators' findings on the desk or field evaluation under way."""
    today = today or timezone.localdate()
    item, evaluation = _lock_item(item)
    name = FINDINGS_STAGE.get(evaluation.status)
    if name is None:
        raise ValidationError(
            _("Findings are written while the unit is at its desk or field evaluation.")
        )
    findings = _text(findings)
    if not findings:
        raise ValidationError(_("Write the findings."))
    stage = NationalStage.objects.filter(item=item, stage=name, is_withdrawn=False).first()
    if stage is None:
        stage = NationalStage(item=item, stage=name, date=today, outcome=Outcome.PENDING)
    stage.findings = findings
    stage.findings_by = by
    stage._history_user = by
    stage.save()
    return stage


@transaction.atomic
def submission_item_set_tpn_totals(
    *, item: SubmissionItem, pengungkit: Decimal, hasil: Decimal, by
) -> SubmissionItem:
    """Record the national team's scores as totals (pengungkit 0–60, hasil 0–40), while it
    evaluates the unit (desk and field evaluation), as the TPN level of the LKE."""
    if not (0 <= pengungkit <= 60):
        raise ValidationError(_("The enablers (pengungkit) total must be between 0 and 60."))
    if not (0 <= hasil <= 40):
        raise ValidationError(_("The results (hasil) total must be between 0 and 40."))
    item, evaluation = _lock_item(item)
    refusal = workflow.level_lock_reason(evaluation, Level.TPN)
    if refusal:
        raise ValidationError(refusal)
    item.tpn_pengungkit = pengungkit
    item.tpn_hasil = hasil
    item.tpn_total = pengungkit + hasil
    item._history_user = by
    item.save(update_fields=["tpn_pengungkit", "tpn_hasil", "tpn_total", "updated_at"])
    return item


# --- Objections (sanggah) ------------------------------------------------------------------------

MAX_OBJECTION_FILES = 10


def objection_closes_on(stage: NationalStage) -> datetime.date:
    """Return the last day an agency may object to the administrative selection `stage`."""
    window = proposal_window(year=stage.item.submission.year)
    return stage.date + datetime.timedelta(days=window.objection_days)


def objection_refusal(
    *, item: SubmissionItem, stages=None, today: datetime.date | None = None
) -> str | None:
    """Return why the agency cannot object for the proposed unit now, or None if it can."""
    today = today or timezone.localdate()
    stages = active_stages(item) if stages is None else stages
    admin = stages.get(Stage.ADMIN_SELECTION)
    if admin is None or admin.outcome != Outcome.FAILED:
        return _("An objection is filed against a failed administrative selection only.")
    if admin.objections.exists():
        return _("An objection to this administrative selection was already filed.")
    closes = objection_closes_on(admin)
    if today > closes:
        return _("The objection period closed on %(date)s.") % {
            "date": date_format(closes, "DATE_FORMAT")
        }
    return None


def objection_file(
    *, item: SubmissionItem, reason: str, files=(), by, today: datetime.date | None = None
) -> Objection:
    """File the agency's objection with its attachments, or store nothing and raise.

    Every file is checked like evidence (its content, not its name) before anything is written.
    """
    files = list(files)
    if len(files) > MAX_OBJECTION_FILES:
        raise ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_OBJECTION_FILES})
    checked = []
    for upload in files:
        try:
            checked.append(uploads.validate_upload(upload))
        except ValidationError as exc:
            raise ValidationError(
                [f"{getattr(upload, 'name', '')}: {message}" for message in exc.messages]
            ) from None
    with uploads.storing() as store, transaction.atomic():
        item, _evaluation = _lock_item(item)
        stages = active_stages(item)
        refusal = objection_refusal(item=item, stages=stages, today=today)
        if refusal:
            raise ValidationError(refusal)
        reason = _text(reason)
        if not reason:
            raise ValidationError(_("Write the reason for the objection."))
        objection = Objection(stage=stages[Stage.ADMIN_SELECTION], reason=reason, filed_by=by)
        objection._history_user = by
        objection.save()
        for upload, found in zip(files, checked, strict=True):
            ObjectionAttachment.objects.create(
                objection=objection,
                file=store(upload, found, folder=f"objections/{objection.pk}"),
                original_filename=found.name,
                size=found.size,
                sha256=found.sha256,
                content_type=found.content_type,
                uploaded_by=by,
            )
        return objection


@transaction.atomic
def objection_decide(
    *, objection: Objection, accept: bool, reason: str, by, today: datetime.date | None = None
) -> Objection:
    """Accept or reject an objection, with the reason. An accepted one reinstates the unit: the
    objection period is recorded as passed and the track resumes at the desk evaluation."""
    today = today or timezone.localdate()
    item, evaluation = _lock_item(objection.stage.item)
    objection = Objection.objects.select_for_update().select_related("stage").get(pk=objection.pk)
    if objection.status != Objection.Status.PENDING:
        raise ValidationError(_("This objection was already decided."))
    reason = _text(reason)
    if not reason:
        raise ValidationError(_("Write the reason for the decision."))
    if accept:
        NationalStage.objects.create(
            item=item,
            stage=Stage.OBJECTION,
            date=today,
            outcome=Outcome.PASSED,
            note=reason,
            entered_by=by,
        )
        item.result = ""
        item._history_user = by
        item.save(update_fields=["result", "updated_at"])
        _move(evaluation, name="objection_accept", by=by, note=reason)
    objection.status = Objection.Status.ACCEPTED if accept else Objection.Status.REJECTED
    objection.decision_reason = reason
    objection.decided_by = by
    objection.decided_at = timezone.now()
    objection._history_user = by
    objection.save()
    return objection


# --- Announcements and awards --------------------------------------------------------------------


def _announcement_fields(*, decree_number, decree_date, publish_on) -> str:
    decree_number = _text(decree_number)
    if not decree_number or decree_date is None or publish_on is None:
        raise ValidationError(_("Enter the decree (SK) number and date and the publication date."))
    if decree_date > publish_on:
        raise ValidationError(
            {"publish_on": _("The announcement cannot be published before its decree date.")}
        )
    return decree_number


def _decree_taken(decree_number: str, exclude=None) -> bool:
    found = Announcement.objects.filter(decree_number=decree_number)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.exists()


@transaction.atomic
def announcement_create(
    *,
    year: int,
    decree_number: str,
    decree_date: datetime.date,
    publish_on: datetime.date,
    by,
) -> Announcement:
    """Prepare an announcement (unpublished): one decree for many awards of a year."""
    decree_number = _announcement_fields(
        decree_number=decree_number, decree_date=decree_date, publish_on=publish_on
    )
    if _decree_taken(decree_number):
        raise ValidationError(
            {"decree_number": _("Another announcement already has this decree number.")}
        )
    announcement = Announcement(
        year=year,
        decree_number=decree_number,
        decree_date=decree_date,
        publish_on=publish_on,
        created_by=by,
    )
    announcement.full_clean()
    announcement._history_user = by
    try:
        # A savepoint: another admin may have used the decree number meanwhile.
        with transaction.atomic():
            announcement.save()
    except IntegrityError:
        raise ValidationError(
            {"decree_number": _("Another announcement already has this decree number.")}
        ) from None
    return announcement


@transaction.atomic
def announcement_update(
    *,
    announcement: Announcement,
    decree_number: str,
    decree_date: datetime.date,
    publish_on: datetime.date,
    by,
) -> Announcement:
    """Change an unpublished announcement's decree or day; its awards repeat the new decree."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        raise ValidationError(_("This announcement is published: it can no longer be changed."))
    decree_number = _announcement_fields(
        decree_number=decree_number, decree_date=decree_date, publish_on=publish_on
    )
    if _decree_taken(decree_number, exclude=announcement):
        raise ValidationError(
            {"decree_number": _("Another announcement already has this decree number.")}
        )
    announcement.decree_number = decree_number
    announcement.decree_date = decree_date
    announcement.publish_on = publish_on
    announcement._history_user = by
    announcement.save()
    for award in announcement.awards.select_for_update():
        award.decree_number = decree_number
        award.decree_date = decree_date
        award._history_user = by
        award.save(update_fields=["decree_number", "decree_date"])
    return announcement


def _lock_announcement(announcement: Announcement) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        raise ValidationError(
            _("This announcement is already published: add the award to another one.")
        )
    return announcement


@transaction.atomic
def award_create_from_item(
    *, item: SubmissionItem, announcement: Announcement, by
) -> tuple[Award, bool]:
    """Create, unpublished in the announcement, the award a national result grants; return
    (award, created).

    Idempotent: the announcement, then the item, are locked, so of two clicks at once the
    second waits and finds the award the first made (the one-to-one column backs this up).
    """
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    item = (
        SubmissionItem.objects.select_for_update()
        .select_related("submission", "evaluation")
        .get(pk=item.pk)
    )
    existing = Award.objects.filter(submission_item=item).first()
    if existing is not None:
        return existing, False
    if item.result not in (NationalResult.WBK, NationalResult.WBBM):
        raise ValidationError(
            _("Record the national result (WBK or WBBM) before creating the award.")
        )
    announcement = _lock_announcement(announcement)
    if announcement.year != item.submission.year:
        raise ValidationError(
            _("This announcement is for %(year)s: choose one of %(item_year)s.")
            % {"year": announcement.year, "item_year": item.submission.year}
        )
    award = Award(
        unit_id=item.evaluation.unit_id,
        predicate=item.result,
        year=item.submission.year,
        decree_number=announcement.decree_number,
        decree_date=announcement.decree_date,
        evaluation=item.evaluation,
        submission_item=item,
        announcement=announcement,
        is_published=False,
        created_by=by,
    )
    award.clean()
    award._history_user = by
    try:
        # A savepoint, so that a clash leaves the outer transaction usable.
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError(
            _("The unit already holds a %(predicate)s award for %(year)s.")
            % {"predicate": item.result, "year": item.submission.year}
        ) from None
    evaluation_services.unit_verdicts_rescore(unit_id=award.unit_id, after_year=award.year)
    return award, True


@transaction.atomic
def announcement_add_awards(*, announcement: Announcement, items, by) -> tuple[list[Award], int]:
    """Create the awards of many national results in one announcement; return (the awards
    created, how many already had theirs). All of them or none."""
    _lock_announcement(announcement)
    created, existing = [], 0
    # Locked in one order, so that two admins adding overlapping results never deadlock.
    for item in sorted(items, key=lambda found: found.pk):
        award, made = award_create_from_item(item=item, announcement=announcement, by=by)
        if made:
            created.append(award)
        else:
            existing += 1
    return created, existing


@transaction.atomic
def announcement_publish(*, announcement: Announcement, by) -> tuple[Announcement, int]:
    """Publish the announcement: its awards become public on its publication date (at once
    when that day has come). Return (announcement, awards published now): publishing again
    changes nothing."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        return announcement, 0
    awards = list(announcement.awards.select_for_update().order_by("pk"))
    if not awards:
        raise ValidationError(_("Add at least one award to the announcement first."))
    for award in awards:
        award.is_published = True
        award.published_on = announcement.publish_on
        award._history_user = by
        award.save(update_fields=["is_published", "published_on"])
    announcement.published_at = timezone.now()
    announcement.published_by = by
    announcement._history_user = by
    announcement.save(update_fields=["published_at", "published_by"])
    return announcement, len(awards)


@transaction.atomic
def award_revoke(
    *,
    award: Award,
    revoked_on: datetime.date,
    reason: str,
    decree: str,
    by,
    today: datetime.date | None = None,
) -> Award:
    """Revoke a predicate by decree; the evaluation it came from becomes `revoked`, logged."""
    today = today or timezone.localdate()
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.revoked_on:
        raise ValidationError(_("This award was already revoked."))
    reason = _text(reason)
    if not reason:
        raise ValidationError(_("Write the reason for the revocation."))
    decree = _text(decree)
    if not decree:
        raise ValidationError(_("Enter the number of the revocation decree."))
    if revoked_on is None:
        raise ValidationError(_("Enter the date of the revocation."))
    if revoked_on > today:
        raise ValidationError(_("The revocation date cannot be in the future."))
    if revoked_on < award.decree_date:
        raise ValidationError(_("A predicate cannot be revoked before it was awarded."))
    award.revoked_on = revoked_on
    award.revocation_reason = reason
    award.revocation_decree = decree
    award._history_user = by
    award.save()
    evaluation_services.unit_verdicts_rescore(unit_id=award.unit_id, after_year=award.year)
    if award.evaluation_id:
        evaluation = Evaluation.objects.select_for_update().get(pk=award.evaluation_id)
        _move(evaluation, name="revoke", by=by, note=reason)
    return award
