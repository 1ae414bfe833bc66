"""The national evaluator (TPN) role: held, like the national administrator's, without an agency."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_unit_id_agency_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_needs_agency",
        ),
        migrations.AlterField(
            model_name="membership",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty only for national administrators and national evaluators (KemenPANRB).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="units.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("national_admin", "National administrator"),
                    ("national_evaluator", "National evaluator (TPN)"),
                    ("agency_admin", "Agency administrator"),
                    ("evaluator", "Evaluator (TPI)"),
                    ("unit_operator", "Unit operator"),
                    ("viewer", "Viewer"),
                ],
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("role__in", ["national_admin", "national_evaluator"]),
                    ("agency__isnull", False),
                    _connector="OR",
                ),
                name="membership_needs_agency",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "national_evaluator"), _negated=True),
                    ("agency__isnull", True),
                    _connector="OR",
                ),
                name="membership_national_evaluator_no_agency",
            ),
        ),
    ]
