"""Bulk exports: every LKE workbook and LHE of an agency's year as one zip, made by a job."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0017_evaluation_evidence_missing"),
        ("units", "0004_national_evaluator_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BulkExport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Being prepared"),
                            ("done", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="evaluations")),
                ("done", models.PositiveIntegerField(default=0, verbose_name="evaluations done")),
                (
                    "file",
                    models.FileField(blank=True, max_length=300, upload_to="", verbose_name="file"),
                ),
                ("size", models.PositiveBigIntegerField(default=0, verbose_name="size in bytes")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="units.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "bulk export",
                "verbose_name_plural": "bulk exports",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["requested_by", "agency", "-created_at"],
                        name="bulkexport_user_agency",
                    ),
                    models.Index(fields=["created_at"], name="bulkexport_created"),
                ],
            },
        ),
    ]
