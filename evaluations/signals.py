"""Keep a rubric version's `updated_at` honest: any change to its tree touches it.

`rubric_snapshot` keys its per-process copy on `updated_at`, so an edit in the admin or a
re-load must move it, whatever path the edit took.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Criterion, Option, RubricVersion, Threshold


def touch_rubric(rubric_id) -> None:
    RubricVersion.objects.filter(pk=rubric_id).update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=Threshold)
def _criterion_or_threshold_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_rubric(instance.rubric_id)


@receiver([post_save, post_delete], sender=Option)
def _option_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_rubric(Criterion.objects.filter(pk=instance.question_id).values("rubric_id")[:1])
