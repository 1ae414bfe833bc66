"""The Minister's announcements group awards under one decree, published on a chosen day.

Awards are now created unpublished. Those already published stay public: they are public from
their decree date.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def published_from_decree_date(apps, schema_editor):
    for name in ("Award", "HistoricalAward"):
        model = apps.get_model("awards", name)
        model.objects.filter(is_published=True, published_on__isnull=True).update(
            published_on=F("decree_date")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0008_objection"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Announcement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(2010),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="year",
                    ),
                ),
                (
                    "decree_number",
                    models.CharField(
                        max_length=120, unique=True, verbose_name="decree (SK) number"
                    ),
                ),
                ("decree_date", models.DateField(verbose_name="decree date")),
                (
                    "publish_on",
                    models.DateField(
                        help_text="The day its awards appear on the public list, once it is published.",
                        verbose_name="publication date",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="published at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "announcement",
                "verbose_name_plural": "announcements",
                "ordering": ["-year", "-decree_date", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAnnouncement",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(2010),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="year",
                    ),
                ),
                (
                    "decree_number",
                    models.CharField(
                        db_index=True, max_length=120, verbose_name="decree (SK) number"
                    ),
                ),
                ("decree_date", models.DateField(verbose_name="decree date")),
                (
                    "publish_on",
                    models.DateField(
                        help_text="The day its awards appear on the public list, once it is published.",
                        verbose_name="publication date",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="published at"),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical announcement",
                "verbose_name_plural": "historical announcements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="award",
            name="published_on",
            field=models.DateField(blank=True, null=True, verbose_name="public from"),
        ),
        migrations.AddField(
            model_name="historicalaward",
            name="published_on",
            field=models.DateField(blank=True, null=True, verbose_name="public from"),
        ),
        migrations.AlterField(
            model_name="award",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text="Published awards appear on the public list from their publication date.",
                verbose_name="published",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaward",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text="Published awards appear on the public list from their publication date.",
                verbose_name="published",
            ),
        ),
        migrations.AddField(
            model_name="announcement",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AddField(
            model_name="announcement",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AddField(
            model_name="award",
            name="announcement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="awards",
                to="awards.announcement",
                verbose_name="announcement",
            ),
        ),
        migrations.AddField(
            model_name="historicalaward",
            name="announcement",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="awards.announcement",
                verbose_name="announcement",
            ),
        ),
        migrations.RunPython(published_from_decree_date, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="award",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_published", False), ("published_on__isnull", False), _connector="OR"
                ),
                name="award_published_has_a_date",
            ),
        ),
        migrations.AddField(
            model_name="historicalannouncement",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AddField(
            model_name="historicalannouncement",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalannouncement",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AddConstraint(
            model_name="announcement",
            constraint=models.CheckConstraint(
                condition=models.Q(("decree_date__lte", models.F("publish_on"))),
                name="announcement_decree_before_publication",
            ),
        ),
    ]
