"""Keep copies honest: a rubric version's `updated_at`, and the names evaluations sort by.

`rubric_snapshot` keys its per-process copy on `updated_at`, so an edit in the admin or a
re-load must move it, whatever path the edit took. The evaluation list sorts by the agency and
unit names each evaluation carries (`Evaluation.agency_name`, `unit_name`): a rename, or a unit
moved to another agency, copies them again.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from units.models import Agency, Unit

from .models import Criterion, Evaluation, Option, RubricVersion, Threshold


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


@receiver(post_save, sender=Agency)
def _agency_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        Evaluation.objects.filter(agency_id=instance.pk).exclude(agency_name=instance.name).update(
            agency_name=instance.name
        )


@receiver(post_save, sender=Unit)
def _unit_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        agency_name = instance.agency.name
        Evaluation.objects.filter(unit_id=instance.pk).filter(
            ~Q(unit_name=instance.name) | ~Q(agency_name=agency_name)
        ).update(unit_name=instance.name, agency_name=agency_name)
