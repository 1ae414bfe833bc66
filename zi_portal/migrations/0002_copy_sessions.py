"""Carry the sessions still valid over from django.contrib.sessions, so that nobody is signed out
by the upgrade (and no one loses a form half filled in)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BATCH = 2000


def copy_sessions(apps, schema_editor):
    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("zi_portal", "PortalSession")
    User = apps.get_model("auth", "User")
    db = schema_editor.connection.alias
    users = set(User.objects.using(db).values_list("pk", flat=True))
    decoder = SessionStore()  # the same class name, hence the same signing salt
    batch = []
    live = Old.objects.using(db).filter(expire_date__gt=timezone.now())
    for old in live.iterator(chunk_size=BATCH):
        user_id = decoder.decode(old.session_data).get(SESSION_KEY)
        user_id = int(user_id) if user_id and str(user_id).isdigit() else None
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
        if len(batch) >= BATCH:
            New.objects.using(db).bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.using(db).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("zi_portal", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_sessions, migrations.RunPython.noop)]
