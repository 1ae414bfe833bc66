"""Replace the public list's token when anything it shows changes (see public_cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from units.models import Agency, Unit

from . import public_cache
from .models import Award


@receiver([post_save, post_delete], sender=Award)
@receiver([post_save, post_delete], sender=Unit)
@receiver([post_save, post_delete], sender=Agency)
def _shown_on_the_public_list_changed(sender, **kwargs):
    # Also for fixtures loaded raw: they change what the list shows all the same.
    public_cache.STAMP.changed_on_commit()
