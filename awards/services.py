"""Writes of the national track: the proposal to KemenPANRB (pengusulan), the national stages
that follow it, and the award a national result grants (and its revocation).

Every rule that decides whether a unit may be proposed lives here, so that pages, admin and
commands refuse the same things with the same message.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations import selectors, workflow
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, Level, Predicate
from evaluations.rubric import scoring
from evaluations.services import to_decimal

from . import rules
from .models import (
    Award,
    NationalResult,
    NationalStage,
    ProposalWindow,
    Submission,
    SubmissionItem,
    default_window_close,
)

S = Evaluation.Status
RANK = {"": 0, Predicate.WBK: 1, Predicate.WBBM: 2}

# --- Window -----------------------------------------------------------------------------------


def proposal_window(*, year: int) -> ProposalWindow:
    """Return the year's window, or an unsaved default one (until 31 May) when none is set."""
    window = ProposalWindow.objects.filter(year=year).first()
    return window or ProposalWindow(year=year, closes_on=default_window_close(year))


def window_refusal(*, submission: Submission, today: datetime.date | None = None) -> str | None:
    """Return why the submission cannot change its list of units now, or None if it can."""
    today = today or timezone.localdate()
    if submission.status == Submission.Status.LOCKED:
        return _("This submission is locked: units can no longer be added or removed.")
    window = proposal_window(year=submission.year)
    if today > window.closes_on:
        return _(
            "The proposal window for %(year)s closed on %(date)s: the submission is locked and "
            "units can no longer be added or removed."
        ) % {"year": submission.year, "date": date_format(window.closes_on, "DATE_FORMAT")}
    if window.opens_on and today < window.opens_on:
        return _("The proposal window for %(year)s opens on %(date)s.") % {
            "year": submission.year,
            "date": date_format(window.opens_on, "DATE_FORMAT"),
        }
    return None


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
) -> NationalStage:
    """Record (or correct) one national stage; the evaluation moves forward with it.

    A failed stage ends the national evaluation (not awarded); the result stage sets the
    final result (WBK, WBBM or not awarded).
    """
    item = SubmissionItem.objects.select_for_update().get(pk=item.pk)
    evaluation = Evaluation.objects.select_for_update().get(pk=item.evaluation_id)
    if stage not in NationalStage.Stage.values:
        raise ValidationError(_("Choose a stage."))
    if outcome not in NationalStage.Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if evaluation.status not in workflow.NATIONAL_ORDER:
        raise ValidationError(
            _("The national evaluation of this unit has ended (“%(status)s”).")
            % {"status": evaluation.get_status_display()}
        )
    if stage == NationalStage.Stage.RESULT:
        if result not in NationalResult.values:
            raise ValidationError(_("Choose the final result: WBK, WBBM or not awarded."))
        if result == NationalResult.WBBM and item.proposed_predicate != Predicate.WBBM:
            raise ValidationError(_("A unit proposed for WBK cannot be awarded WBBM."))
        outcome = (
            NationalStage.Outcome.FAILED
            if result == NationalResult.NOT_AWARDED
            else NationalStage.Outcome.PASSED
        )
    elif result:
        raise ValidationError(_("The final result belongs to the result stage."))
    # Not update_or_create: the history row must name who recorded the stage. The item's row
    # lock above keeps two recordings of one stage from racing.
    recorded = NationalStage.objects.filter(item=item, stage=stage).first()
    if recorded is None:
        recorded = NationalStage(item=item, stage=stage)
    recorded.date = date
    recorded.outcome = outcome
    recorded.note = note.strip()
    recorded.entered_by = by
    recorded._history_user = by
    recorded.save()
    if stage == NationalStage.Stage.RESULT:
        final = result
    elif outcome == NationalStage.Outcome.FAILED:
        final = NationalResult.NOT_AWARDED
    else:
        final = ""
    if final:
        item.result = final
        item._history_user = by
        item.save(update_fields=["result", "updated_at"])
        workflow.evaluation_move(
            evaluation=evaluation,
            name=f"stage_{stage}",
            to=workflow.RESULT_STATUS[final],
            by=by,
            note=note,
        )
    else:
        move = workflow.transition(f"stage_{stage}", to=workflow.STAGE_STATUS[stage])
        # Statuses only move forward: correcting an earlier stage does not send the unit back.
        if evaluation.status in move.sources:
            workflow.evaluation_move(
                evaluation=evaluation, name=move.name, to=move.target, by=by, note=note
            )
    return recorded


@transaction.atomic
def submission_item_set_tpn_totals(
    *, item: SubmissionItem, pengungkit: Decimal, hasil: Decimal, by
) -> SubmissionItem:
    """Record the national team's scores as totals (pengungkit 0–60, hasil 0–40)."""
    if not (0 <= pengungkit <= 60):
        raise ValidationError(_("The enablers (pengungkit) total must be between 0 and 60."))
    if not (0 <= hasil <= 40):
        raise ValidationError(_("The results (hasil) total must be between 0 and 40."))
    item = SubmissionItem.objects.select_for_update().get(pk=item.pk)
    item.tpn_pengungkit = pengungkit
    item.tpn_hasil = hasil
    item.tpn_total = pengungkit + hasil
    item._history_user = by
    item.save(update_fields=["tpn_pengungkit", "tpn_hasil", "tpn_total", "updated_at"])
    return item


# --- Awards ---------------------------------------------------------------------------------------


@transaction.atomic
def award_create_from_item(
    *, item: SubmissionItem, decree_number: str, decree_date: datetime.date, by
) -> tuple[Award, bool]:
    """Create the award a proposed unit's national result grants; return (award, created).

    Idempotent: the item row is locked, so of two clicks at once the second waits and finds the
    award the first made (the one-to-one column backs this up in the database).
    """
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
    decree_number = (decree_number or "").strip()
    if not decree_number or decree_date is None:
        raise ValidationError(_("Enter the decree (SK) number and date."))
    award = Award(
        unit_id=item.evaluation.unit_id,
        predicate=item.result,
        year=item.submission.year,
        decree_number=decree_number,
        decree_date=decree_date,
        evaluation=item.evaluation,
        submission_item=item,
        created_by=by,
    )
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
def award_revoke(*, award: Award, revoked_on: datetime.date, reason: str, decree: str, by) -> Award:
    """Revoke a predicate; the evaluation it came from becomes `revoked`, with a log row."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.revoked_on:
        raise ValidationError(_("This award was already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write the reason for the revocation."))
    if revoked_on is None:
        raise ValidationError(_("Enter the date of the revocation."))
    if revoked_on < award.decree_date:
        raise ValidationError(_("A predicate cannot be revoked before it was awarded."))
    award.revoked_on = revoked_on
    award.revocation_reason = reason
    award.revocation_decree = (decree or "").strip()
    award._history_user = by
    award.save()
    evaluation_services.unit_verdicts_rescore(unit_id=award.unit_id, after_year=award.year)
    if award.evaluation_id:
        evaluation = Evaluation.objects.select_for_update().get(pk=award.evaluation_id)
        workflow.evaluation_move(evaluation=evaluation, name="revoke", by=by, note=reason)
    return award
