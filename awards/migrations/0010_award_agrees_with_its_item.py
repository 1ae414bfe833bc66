"""An award's unit, year, evaluation, proposed unit and predicate agree.

On PostgreSQL two foreign keys hold it: the award's (evaluation, unit, year) refers to the
evaluation's (id, unit, year), and its (proposed unit, evaluation, predicate) to the proposed
unit's (id, evaluation, result). With the check that an award naming a proposed unit names its
evaluation too, no award can point at another unit's LKE or claim a result its proposal did not
get. SQLite cannot add a foreign key to an existing table: there `Award.clean` and the services
keep it.

Awards that already disagree stop the migration, listed by id: which side is right is for a
person to decide.
"""

from django.db import migrations, models

FOREIGN_KEYS = {
    "award_evaluation_unit_year_fk": (
        "(evaluation_id, unit_id, year) REFERENCES evaluations_evaluation (id, unit_id, year)"
    ),
    "award_item_evaluation_predicate_fk": (
        "(submission_item_id, evaluation_id, predicate) "
        "REFERENCES awards_submissionitem (id, evaluation_id, result)"
    ),
}


def refuse_disagreeing_awards(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    rows = Award.objects.values_list(
        "pk",
        "unit_id",
        "year",
        "predicate",
        "evaluation_id",
        "evaluation__unit_id",
        "evaluation__year",
        "submission_item_id",
        "submission_item__evaluation_id",
        "submission_item__result",
    )
    disagreeing = [
        pk
        for pk, unit, year, predicate, evaluation, e_unit, e_year, item, i_evaluation, result in rows
        if (evaluation is not None and (e_unit, e_year) != (unit, year))
        or (item is not None and (i_evaluation, result) != (evaluation, predicate))
    ]
    if disagreeing:
        raise RuntimeError(
            "These awards name an evaluation or a proposed unit of another unit, year or result: "
            f"{sorted(disagreeing)}. Correct them, then migrate again."
        )


def add_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in FOREIGN_KEYS.items():
            schema_editor.execute(
                f"ALTER TABLE awards_award ADD CONSTRAINT {name} FOREIGN KEY {definition}"
            )


def drop_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in FOREIGN_KEYS:
            schema_editor.execute(f"ALTER TABLE awards_award DROP CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0009_announcement_and_unpublished_awards"),
        ("evaluations", "0016_evaluation_id_unit_year_unique"),
    ]

    operations = [
        migrations.RunPython(refuse_disagreeing_awards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="submissionitem",
            constraint=models.UniqueConstraint(
                fields=("id", "evaluation", "result"), name="submission_item_id_evaluation_result"
            ),
        ),
        migrations.AddConstraint(
            model_name="award",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("submission_item__isnull", True),
                    ("evaluation__isnull", False),
                    _connector="OR",
                ),
                name="award_item_needs_evaluation",
            ),
        ),
        migrations.RunPython(add_foreign_keys, drop_foreign_keys),
    ]
