"""An evaluation's (id, unit, year) is unique, so that awards can refer to all three at once."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0014_rename_evaluation_version_content_version"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                fields=("id", "unit", "year"), name="evaluation_id_unit_year_unique"
            ),
        ),
    ]
