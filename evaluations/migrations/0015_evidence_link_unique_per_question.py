from django.db import migrations, models
from django.utils import timezone


def remove_duplicate_links(apps, schema_editor):
    """Mark all but the first of each repeated live link as removed: nothing is deleted."""
    Evidence = apps.get_model("evaluations", "Evidence")
    seen = set()
    live_links = Evidence.objects.filter(kind="link", is_removed=False).order_by("pk")
    duplicates = []
    for row in live_links.values_list("pk", "evaluation_id", "question_id", "url").iterator():
        key = row[1:]
        if key in seen:
            duplicates.append(row[0])
        else:
            seen.add(key)
    if duplicates:
        Evidence.objects.filter(pk__in=duplicates).update(
            is_removed=True, removed_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0014_rename_evaluation_version_content_version"),
    ]

    operations = [
        migrations.RunPython(remove_duplicate_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_removed", False), ("kind", "link")),
                fields=("evaluation", "question", "url"),
                name="evidence_link_unique_per_question",
                violation_error_message="This link is already evidence for this question.",
            ),
        ),
    ]
