"""Writes for awards: creating one from a proposed unit's national result, and revoking it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluations import services as evaluation_services
from evaluations.models import Evaluation, NationalResult, StatusChange, SubmissionItem

from .models import Award


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
        previous = evaluation.status
        evaluation.status = Evaluation.Status.REVOKED
        evaluation.version += 1
        evaluation._history_user = by
        evaluation.save(update_fields=["status", "version", "updated_at"])
        StatusChange.objects.create(
            evaluation=evaluation,
            transition="revoke",
            from_status=previous,
            to_status=evaluation.status,
            note=reason,
            by=by,
        )
    return award
