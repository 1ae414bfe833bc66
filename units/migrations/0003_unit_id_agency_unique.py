from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_add_pencanangan"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                fields=("id", "agency"), name="unit_id_agency_unique"
            ),
        ),
    ]
