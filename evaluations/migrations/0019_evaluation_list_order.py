"""Evaluations carry their agency's and unit's names, the list's order, under two indexes.

The national list sorted every LKE of a year by the joined names to show 25 of them; with the
names on the row, a page is read in order from `evaluation_list_order`, and an agency's from
`evaluation_agency_list_order`, which takes over from the (agency, year) index it extends.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_names(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Agency = apps.get_model("units", "Agency")
    Unit = apps.get_model("units", "Unit")
    Evaluation.objects.using(schema_editor.connection.alias).update(
        agency_name=Subquery(Agency.objects.filter(pk=OuterRef("agency_id")).values("name")[:1]),
        unit_name=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0018_bulkexport"),
        ("units", "0004_national_evaluator_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="agency_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="agency name"
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="unit_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="unit name"
            ),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                fields=["-year", "agency_name", "unit_name", "id"], name="evaluation_list_order"
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                fields=["agency", "-year", "agency_name", "unit_name", "id"],
                name="evaluation_agency_list_order",
            ),
        ),
        migrations.RemoveIndex(model_name="evaluation", name="evaluation_agency_year"),
    ]
