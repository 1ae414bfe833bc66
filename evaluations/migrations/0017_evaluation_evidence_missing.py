"""Keep on each evaluation how many answered questions lack evidence, counted once for the rows
already there (one statement)."""

from django.db import migrations, models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def count_existing(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Answer = apps.get_model("evaluations", "Answer")
    Evidence = apps.get_model("evaluations", "Evidence")
    answered = Q(option__isnull=False) | Q(number__isnull=False) | ~Q(inputs={})
    live = Evidence.objects.filter(
        evaluation=OuterRef("evaluation"), question=OuterRef("question"), is_removed=False
    )
    missing = (
        Answer.objects.filter(answered, evaluation=OuterRef("pk"))
        .exclude(Exists(live))
        .order_by()
        .values("evaluation")
        .annotate(n=Count("question", distinct=True))
        .values("n")
    )
    Evaluation.objects.using(schema_editor.connection.alias).update(
        evidence_missing=Coalesce(Subquery(missing, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0016_evaluation_id_unit_year_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="evidence_missing",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="answered questions without evidence"
            ),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="evidence_missing",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="answered questions without evidence"
            ),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
