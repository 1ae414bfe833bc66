"""The proposal window says how many days agencies have to object to an administrative selection;
its changes are kept in a history."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0005_move_national_track"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="proposalwindow",
            name="objection_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="Days after the administrative selection during which an agency may object to a unit that did not pass it (sanggah).",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="objection period (days)",
            ),
        ),
        migrations.AddConstraint(
            model_name="proposalwindow",
            constraint=models.CheckConstraint(
                condition=models.Q(("objection_days__gte", 1), ("objection_days__lte", 60)),
                name="proposal_window_objection_days_range",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalProposalWindow",
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
                        db_index=True,
                        validators=[
                            django.core.validators.MinValueValidator(2010),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="year",
                    ),
                ),
                ("opens_on", models.DateField(blank=True, null=True, verbose_name="opens on")),
                (
                    "closes_on",
                    models.DateField(
                        blank=True, help_text="Empty: 31 May of the year.", verbose_name="closes on"
                    ),
                ),
                (
                    "objection_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        help_text="Days after the administrative selection during which an agency may object to a unit that did not pass it (sanggah).",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="objection period (days)",
                    ),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical proposal window",
                "verbose_name_plural": "historical proposal windows",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
