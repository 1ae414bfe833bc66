from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0013_rubric_regulation_numbers"),
    ]

    operations = [
        migrations.RenameField(
            model_name="evaluation", old_name="version", new_name="content_version"
        ),
        migrations.RenameField(
            model_name="historicalevaluation", old_name="version", new_name="content_version"
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="content_version",
            field=models.PositiveIntegerField(default=1, verbose_name="content version"),
        ),
        migrations.AlterField(
            model_name="historicalevaluation",
            name="content_version",
            field=models.PositiveIntegerField(default=1, verbose_name="content version"),
        ),
    ]
