"""Objections (sanggah) to a failed administrative selection, with their attachments."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import zi_portal.uploads


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0007_national_stage_withdrawal_and_findings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalObjection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason for the objection")),
                (
                    "filed_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="filed at"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting decision"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "decision_reason",
                    models.TextField(blank=True, verbose_name="reason for the decision"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
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
                "verbose_name": "historical objection (sanggah)",
                "verbose_name_plural": "historical objections (sanggah)",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason for the objection")),
                ("filed_at", models.DateTimeField(auto_now_add=True, verbose_name="filed at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting decision"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "decision_reason",
                    models.TextField(blank=True, verbose_name="reason for the decision"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
            ],
            options={
                "verbose_name": "objection (sanggah)",
                "verbose_name_plural": "objections (sanggah)",
                "ordering": ["-filed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ObjectionAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=300,
                        storage=zi_portal.uploads.private_storage,
                        upload_to="",
                        verbose_name="file",
                    ),
                ),
                ("original_filename", models.CharField(max_length=255, verbose_name="file name")),
                ("size", models.PositiveBigIntegerField(verbose_name="size (bytes)")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("content_type", models.CharField(max_length=120, verbose_name="content type")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "objection attachment",
                "verbose_name_plural": "objection attachments",
                "ordering": ["objection", "pk"],
            },
        ),
        migrations.AddField(
            model_name="historicalobjection",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="historicalobjection",
            name="filed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="filed by",
            ),
        ),
        migrations.AddField(
            model_name="historicalobjection",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalobjection",
            name="stage",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="awards.nationalstage",
                verbose_name="contested stage",
            ),
        ),
        migrations.AddField(
            model_name="objection",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="objection",
            name="filed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="filed by",
            ),
        ),
        migrations.AddField(
            model_name="objection",
            name="stage",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="objections",
                to="awards.nationalstage",
                verbose_name="contested stage",
            ),
        ),
        migrations.AddField(
            model_name="objectionattachment",
            name="objection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="awards.objection",
                verbose_name="objection",
            ),
        ),
        migrations.AddField(
            model_name="objectionattachment",
            name="uploaded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="uploaded by",
            ),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.UniqueConstraint(fields=("stage",), name="objection_once_per_stage"),
        ),
        migrations.AddConstraint(
            model_name="objection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="objection_decision_needs_reason",
            ),
        ),
    ]
