"""Go back to django.contrib.sessions: carry the live sessions over (nobody is signed out by the
upgrade), then drop the portal's own session and data-stamp tables."""

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def copy_sessions(apps, schema_editor):
    Old = apps.get_model("zi_portal", "PortalSession")
    New = apps.get_model("sessions", "Session")
    db = schema_editor.connection.alias
    batch = []
    live = Old.objects.using(db).filter(expire_date__gt=timezone.now())
    for old in live.iterator(chunk_size=BATCH):
        # The same signed data: both stores derive their salt from the same class name.
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
            )
        )
        if len(batch) >= BATCH:
            New.objects.using(db).bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.using(db).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("zi_portal", "0003_datastamp"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_sessions, migrations.RunPython.noop),
        migrations.DeleteModel(name="PortalSession"),
        migrations.DeleteModel(name="DataStamp"),
    ]
