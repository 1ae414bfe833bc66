"""Move the national track's models from evaluations to awards, keeping every row.

The tables were created by evaluations (0009_add_submission). Here awards takes the models over in
Django's state and the tables are renamed in place (ALTER TABLE … RENAME TO, the same statement on
SQLite and PostgreSQL): rows, primary keys and sequences stay, and the foreign keys that point at
the tables (Award.submission_item, and those between the moved tables) follow the rename. The
content types (and with them permissions and admin log entries) move to the awards app too.
evaluations 0012 then drops the models from its own state.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Model names, each renamed from evaluations_<name> to awards_<name>.
MOVED = [
    "proposalwindow",
    "submission",
    "historicalsubmission",
    "submissionitem",
    "historicalsubmissionitem",
    "nationalstage",
    "historicalnationalstage",
]


def _rename(source: str, target: str) -> list[str]:
    return [f'ALTER TABLE "{source}_{name}" RENAME TO "{target}_{name}"' for name in MOVED]


def _move_content_types(apps, schema_editor, source: str, target: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for name in MOVED:
        # A fresh database has none yet: post_migrate creates them under their new app.
        if not types.filter(app_label=target, model=name).exists():
            types.filter(app_label=source, model=name).update(app_label=target)


def content_types_to_awards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "evaluations", "awards")


def content_types_to_evaluations(apps, schema_editor):
    _move_content_types(apps, schema_editor, "awards", "evaluations")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_delete_publicliststamp"),
        ("evaluations", "0011_evaluation_agency"),
        ("units", "0003_unit_id_agency_unique"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalSubmission",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("submitted", "Submitted"),
                                    ("locked", "Locked"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "cover_letter_number",
                            models.CharField(
                                blank=True, max_length=120, verbose_name="cover letter number"
                            ),
                        ),
                        (
                            "cover_letter_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="cover letter date"
                            ),
                        ),
                        (
                            "signer_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="signed by (name)"
                            ),
                        ),
                        (
                            "signer_position",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="signed by (position)"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated at"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="units.agency",
                                verbose_name="agency",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
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
                        "verbose_name": "historical submission",
                        "verbose_name_plural": "historical submissions",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ProposalWindow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(
                                unique=True,
                                validators=[
                                    django.core.validators.MinValueValidator(2010),
                                    django.core.validators.MaxValueValidator(2100),
                                ],
                                verbose_name="year",
                            ),
                        ),
                        (
                            "opens_on",
                            models.DateField(blank=True, null=True, verbose_name="opens on"),
                        ),
                        (
                            "closes_on",
                            models.DateField(
                                blank=True,
                                help_text="Empty: 31 May of the year.",
                                verbose_name="closes on",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "proposal window",
                        "verbose_name_plural": "proposal windows",
                        "ordering": ["-year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("opens_on__isnull", True),
                                    ("opens_on__lte", models.F("closes_on")),
                                    _connector="OR",
                                ),
                                name="proposal_window_opens_before_close",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Submission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("submitted", "Submitted"),
                                    ("locked", "Locked"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "cover_letter_number",
                            models.CharField(
                                blank=True, max_length=120, verbose_name="cover letter number"
                            ),
                        ),
                        (
                            "cover_letter_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="cover letter date"
                            ),
                        ),
                        (
                            "signer_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="signed by (name)"
                            ),
                        ),
                        (
                            "signer_position",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="signed by (position)"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submissions",
                                to="units.agency",
                                verbose_name="agency",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "submission",
                        "verbose_name_plural": "submissions",
                        "ordering": ["-year", "agency__name"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalSubmissionItem",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "proposed_predicate",
                            models.CharField(
                                choices=[
                                    ("WBK", "WBK (Corruption-Free Zone)"),
                                    ("WBBM", "WBBM (Clean and Serving Bureaucracy Zone)"),
                                ],
                                max_length=10,
                                verbose_name="proposed predicate",
                            ),
                        ),
                        (
                            "is_afirmasi",
                            models.BooleanField(
                                default=False,
                                help_text="Proposed below a threshold through KemenPANRB's afirmasi route (WBK only).",
                                verbose_name="afirmasi",
                            ),
                        ),
                        (
                            "afirmasi_reason",
                            models.TextField(blank=True, verbose_name="reason for afirmasi"),
                        ),
                        (
                            "tpi_total",
                            models.DecimalField(
                                decimal_places=10, max_digits=16, verbose_name="TPI total"
                            ),
                        ),
                        (
                            "tpi_verdict",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("WBK", "WBK (Corruption-Free Zone)"),
                                    ("WBBM", "WBBM (Clean and Serving Bureaucracy Zone)"),
                                ],
                                max_length=10,
                                verbose_name="TPI verdict",
                            ),
                        ),
                        (
                            "failing_rules",
                            models.JSONField(
                                blank=True, default=list, verbose_name="failing rules"
                            ),
                        ),
                        (
                            "tpn_pengungkit",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN enablers (pengungkit)",
                            ),
                        ),
                        (
                            "tpn_hasil",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN results (hasil)",
                            ),
                        ),
                        (
                            "tpn_total",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN total",
                            ),
                        ),
                        (
                            "result",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("WBK", "WBK"),
                                    ("WBBM", "WBBM"),
                                    ("not_awarded", "Not awarded"),
                                ],
                                max_length=20,
                                verbose_name="national result",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated at"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="added by",
                            ),
                        ),
                        (
                            "evaluation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="evaluations.evaluation",
                                verbose_name="evaluation",
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
                        (
                            "submission",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="awards.submission",
                                verbose_name="submission",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical proposed unit",
                        "verbose_name_plural": "historical proposed units",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="SubmissionItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "proposed_predicate",
                            models.CharField(
                                choices=[
                                    ("WBK", "WBK (Corruption-Free Zone)"),
                                    ("WBBM", "WBBM (Clean and Serving Bureaucracy Zone)"),
                                ],
                                max_length=10,
                                verbose_name="proposed predicate",
                            ),
                        ),
                        (
                            "is_afirmasi",
                            models.BooleanField(
                                default=False,
                                help_text="Proposed below a threshold through KemenPANRB's afirmasi route (WBK only).",
                                verbose_name="afirmasi",
                            ),
                        ),
                        (
                            "afirmasi_reason",
                            models.TextField(blank=True, verbose_name="reason for afirmasi"),
                        ),
                        (
                            "tpi_total",
                            models.DecimalField(
                                decimal_places=10, max_digits=16, verbose_name="TPI total"
                            ),
                        ),
                        (
                            "tpi_verdict",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("WBK", "WBK (Corruption-Free Zone)"),
                                    ("WBBM", "WBBM (Clean and Serving Bureaucracy Zone)"),
                                ],
                                max_length=10,
                                verbose_name="TPI verdict",
                            ),
                        ),
                        (
                            "failing_rules",
                            models.JSONField(
                                blank=True, default=list, verbose_name="failing rules"
                            ),
                        ),
                        (
                            "tpn_pengungkit",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN enablers (pengungkit)",
                            ),
                        ),
                        (
                            "tpn_hasil",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN results (hasil)",
                            ),
                        ),
                        (
                            "tpn_total",
                            models.DecimalField(
                                blank=True,
                                decimal_places=10,
                                max_digits=16,
                                null=True,
                                verbose_name="TPN total",
                            ),
                        ),
                        (
                            "result",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("WBK", "WBK"),
                                    ("WBBM", "WBBM"),
                                    ("not_awarded", "Not awarded"),
                                ],
                                max_length=20,
                                verbose_name="national result",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="added by",
                            ),
                        ),
                        (
                            "evaluation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="submission_item",
                                to="evaluations.evaluation",
                                verbose_name="evaluation",
                            ),
                        ),
                        (
                            "submission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="awards.submission",
                                verbose_name="submission",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "proposed unit",
                        "verbose_name_plural": "proposed units",
                        "ordering": ["submission", "evaluation__unit__name"],
                    },
                ),
                migrations.CreateModel(
                    name="NationalStage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "stage",
                            models.CharField(
                                choices=[
                                    ("admin_selection", "Administrative selection"),
                                    ("objection", "Objection window (sanggah)"),
                                    ("desk_evaluation", "Desk evaluation"),
                                    ("field_evaluation", "Interview and field visit"),
                                    ("panel", "Panel"),
                                    ("result", "Result (penetapan)"),
                                ],
                                max_length=20,
                                verbose_name="stage",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("passed", "Passed"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="outcome",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "entered_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="entered by",
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="stages",
                                to="awards.submissionitem",
                                verbose_name="proposed unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "national stage",
                        "verbose_name_plural": "national stages",
                        "ordering": ["item", "date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalNationalStage",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "stage",
                            models.CharField(
                                choices=[
                                    ("admin_selection", "Administrative selection"),
                                    ("objection", "Objection window (sanggah)"),
                                    ("desk_evaluation", "Desk evaluation"),
                                    ("field_evaluation", "Interview and field visit"),
                                    ("panel", "Panel"),
                                    ("result", "Result (penetapan)"),
                                ],
                                max_length=20,
                                verbose_name="stage",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("passed", "Passed"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="outcome",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="updated at"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "entered_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="entered by",
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
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="awards.submissionitem",
                                verbose_name="proposed unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical national stage",
                        "verbose_name_plural": "historical national stages",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name="award",
                    name="submission_item",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award",
                        to="awards.submissionitem",
                        verbose_name="proposed unit",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalaward",
                    name="submission_item",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="awards.submissionitem",
                        verbose_name="proposed unit",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submission",
                    constraint=models.UniqueConstraint(
                        fields=("agency", "year"), name="submission_agency_year"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submissionitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("is_afirmasi", False),
                            models.Q(("afirmasi_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="submission_item_afirmasi_needs_reason",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="submissionitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("is_afirmasi", False), ("proposed_predicate", "WBK"), _connector="OR"
                        ),
                        name="submission_item_afirmasi_only_wbk",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="nationalstage",
                    constraint=models.UniqueConstraint(
                        fields=("item", "stage"), name="national_stage_once_per_item"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    _rename("evaluations", "awards"), reverse_sql=_rename("awards", "evaluations")
                ),
            ],
        ),
        migrations.RunPython(content_types_to_awards, content_types_to_evaluations),
    ]
