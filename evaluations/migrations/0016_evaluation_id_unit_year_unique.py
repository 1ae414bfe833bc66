"""An evaluation's (id, unit, year) is unique, so that awards can refer to all three at once."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0015_evidence_link_unique_per_question"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                fields=("id", "unit", "year"), name="evaluation_id_unit_year_unique"
            ),
        ),
    ]
