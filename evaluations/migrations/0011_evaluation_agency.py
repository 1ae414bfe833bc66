"""Evaluations carry their unit's agency, so that the lists read an agency's LKEs from one index.

On PostgreSQL a foreign key on (unit, agency) to the unit's (id, agency) keeps the copy true: an
evaluation cannot name another agency than its unit's, and a unit moved to another agency takes its
evaluations along (ON UPDATE CASCADE). SQLite cannot add such a key to an existing table; there
Unit.save carries the move over.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

FOREIGN_KEY = "evaluation_unit_agency_fk"


def copy_agencies(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    agency_of_unit = Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("agency_id")[:1])
    for name in ("Evaluation", "HistoricalEvaluation"):
        apps.get_model("evaluations", name).objects.update(agency_id=agency_of_unit)


def add_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE evaluations_evaluation ADD CONSTRAINT {FOREIGN_KEY} "
            "FOREIGN KEY (unit_id, agency_id) REFERENCES units_unit (id, agency_id) "
            "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED"
        )


def drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE evaluations_evaluation DROP CONSTRAINT {FOREIGN_KEY}")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0010_add_evaluation_year_index"),
        ("units", "0003_unit_id_agency_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="units.agency",
                verbose_name="agency",
            ),
        ),
        migrations.RunPython(copy_agencies, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="evaluation",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["agency", "-year"], name="evaluation_agency_year"),
        ),
        migrations.RunPython(add_foreign_key, drop_foreign_key),
    ]
