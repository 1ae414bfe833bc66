"""Keep a rubric version's `updated_at` honest: any change to its tree touches it; and replace
the evaluation list's tokens (list_cache) when what it shows changes.

`rubric_snapshot` keys its per-process copy on `updated_at`, so an edit in the admin or a
re-load must move it, whatever path the edit took.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import list_cache
from .models import Criterion, Evaluation, EvaluationScore, Option, RubricVersion, Threshold


def touch_rubric(rubric_id) -> None:
    RubricVersion.objects.filter(pk=rubric_id).update(updated_at=timezone.now())
    # The list shows each evaluation's number of questions.
    transaction.on_commit(list_cache.STAMPS.changed_everywhere)


@receiver([post_save, post_delete], sender=Evaluation)
def _evaluation_changed(sender, instance, **kwargs):
    list_cache.STAMPS.changed_on_commit([instance.agency_id])


@receiver([post_save, post_delete], sender=EvaluationScore)
def _stored_totals_changed(sender, instance, **kwargs):
    list_cache.changed_for_evaluation_on_commit(instance.evaluation_id)


@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=Threshold)
def _criterion_or_threshold_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_rubric(instance.rubric_id)


@receiver([post_save, post_delete], sender=Option)
def _option_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_rubric(Criterion.objects.filter(pk=instance.question_id).values("rubric_id")[:1])
