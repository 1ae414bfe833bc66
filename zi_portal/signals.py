"""Replace the directory's token when an agency, unit, membership or user changes."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from units.models import Agency, Membership, Unit

from . import directory_cache


@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=Unit)
@receiver([post_save, post_delete], sender=Membership)
@receiver([post_save, post_delete], sender=get_user_model())
def _directory_changed(sender, update_fields=None, **kwargs):
    # Every sign-in saves the user's last_login, which no cached page shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    directory_cache.STAMP.changed_on_commit()
