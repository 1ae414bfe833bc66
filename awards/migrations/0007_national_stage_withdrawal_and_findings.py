"""National stages are withdrawn (with a reason, kept in the history) rather than corrected in
place, and carry the national evaluators' findings of the desk and field evaluations."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0006_proposal_window_objection_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="nationalstage",
            name="national_stage_once_per_item",
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="findings",
            field=models.TextField(blank=True, verbose_name="findings"),
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="findings_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="findings by",
            ),
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="is_withdrawn",
            field=models.BooleanField(default=False, verbose_name="withdrawn"),
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="withdrawal_reason",
            field=models.TextField(blank=True, verbose_name="reason for withdrawal"),
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
        ),
        migrations.AddField(
            model_name="historicalnationalstage",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="withdrawn by",
            ),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="findings",
            field=models.TextField(blank=True, verbose_name="findings"),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="findings_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="findings by",
            ),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="is_withdrawn",
            field=models.BooleanField(default=False, verbose_name="withdrawn"),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="withdrawal_reason",
            field=models.TextField(blank=True, verbose_name="reason for withdrawal"),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
        ),
        migrations.AddField(
            model_name="nationalstage",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="withdrawn by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalnationalstage",
            name="stage",
            field=models.CharField(
                choices=[
                    ("admin_selection", "Administrative selection"),
                    ("objection", "Objection period (sanggah)"),
                    ("desk_evaluation", "Desk evaluation"),
                    ("field_evaluation", "Interview and field observation"),
                    ("panel", "Panel"),
                    ("result", "Result (penetapan)"),
                ],
                max_length=20,
                verbose_name="stage",
            ),
        ),
        migrations.AlterField(
            model_name="nationalstage",
            name="stage",
            field=models.CharField(
                choices=[
                    ("admin_selection", "Administrative selection"),
                    ("objection", "Objection period (sanggah)"),
                    ("desk_evaluation", "Desk evaluation"),
                    ("field_evaluation", "Interview and field observation"),
                    ("panel", "Panel"),
                    ("result", "Result (penetapan)"),
                ],
                max_length=20,
                verbose_name="stage",
            ),
        ),
        migrations.AddConstraint(
            model_name="nationalstage",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_withdrawn", False)),
                fields=("item", "stage"),
                name="national_stage_once_per_item",
            ),
        ),
        migrations.AddConstraint(
            model_name="nationalstage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_withdrawn", False),
                    models.Q(("withdrawal_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="national_stage_withdrawal_needs_reason",
            ),
        ),
    ]
