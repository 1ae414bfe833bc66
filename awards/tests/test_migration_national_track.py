"""Migrations awards 0005 and evaluations 0012 move the national track's tables to awards.

A database of the layout before them, with rows in every moved table and its history, migrates
forward with every row, every foreign key and every content type kept.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from zi_portal.tests import migrations

BEFORE = [
    ("awards", "0004_delete_publicliststamp"),
    ("evaluations", "0011_evaluation_agency"),
    # Not a dependency of the two above, but the content types are read and written here.
    ("contenttypes", "0002_remove_content_type_name"),
]
MOVED = [
    "proposalwindow",
    "submission",
    "historicalsubmission",
    "submissionitem",
    "historicalsubmissionitem",
    "nationalstage",
    "historicalnationalstage",
]


def _history(model, row, **fields):
    """Write the history row simple_history would have written when `row` was created."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    return model.objects.create(
        **values, **fields, history_date=timezone.now(), history_type="+", history_user_id=None
    )


def _old_layout(old):
    """Fill every table the migrations move, as evaluations held them; return their keys."""
    Agency, Unit = old.get_model("units", "Agency"), old.get_model("units", "Unit")
    rubric = old.get_model("evaluations", "RubricVersion").objects.create(
        code="uji", regulation="PermenPANRB 90/2021"
    )
    agency = Agency.objects.create(name="Instansi Uji", code="UJI", kind="kementerian")
    unit = Unit.objects.create(agency=agency, name="Unit Uji", code="UJI-1")
    evaluation = old.get_model("evaluations", "Evaluation").objects.create(
        unit=unit, agency=agency, year=2024, rubric=rubric, status="awarded_wbk"
    )

    def model(name):
        return old.get_model("evaluations", name)

    window = model("ProposalWindow").objects.create(
        year=2024, opens_on=datetime.date(2024, 1, 2), closes_on=datetime.date(2024, 5, 31)
    )
    submission = model("Submission").objects.create(agency=agency, year=2024, status="locked")
    item = model("SubmissionItem").objects.create(
        submission=submission,
        evaluation=evaluation,
        proposed_predicate="WBK",
        tpi_total=81,
        tpi_verdict="WBK",
        result="WBK",
    )
    stage = model("NationalStage").objects.create(
        item=item, stage="result", date=datetime.date(2024, 12, 9), outcome="passed"
    )
    history = {
        "submission": _history(model("HistoricalSubmission"), submission).history_id,
        "item": _history(model("HistoricalSubmissionItem"), item).history_id,
        "stage": _history(model("HistoricalNationalStage"), stage).history_id,
    }
    award = old.get_model("awards", "Award").objects.create(
        unit=unit,
        predicate="WBK",
        year=2024,
        decree_number="SK-1/2024",
        decree_date=datetime.date(2024, 12, 9),
        evaluation=evaluation,
        submission_item=item,
    )
    history["award"] = _history(old.get_model("awards", "HistoricalAward"), award).history_id
    ContentType = old.get_model("contenttypes", "ContentType")
    types = {
        name: ContentType.objects.get_or_create(app_label="evaluations", model=name)[0].pk
        for name in MOVED
    }
    return {
        "evaluation": evaluation.pk,
        "window": window.pk,
        "submission": submission.pk,
        "item": item.pk,
        "stage": stage.pk,
        "award": award.pk,
        "history": history,
        "types": types,
    }


def _foreign_keys(table: str) -> dict[str, str]:
    """Return column → referenced table of the table's foreign key constraints."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {c["columns"][0]: c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}


@pytest.mark.django_db(transaction=True)
def test_the_national_track_moves_to_awards_with_every_row():
    latest = migrations.latest()
    keys = _old_layout(migrations.migrate(BEFORE))

    new = migrations.migrate(latest)

    def model(name):
        return new.get_model("awards", name)

    window = model("ProposalWindow").objects.get(pk=keys["window"])
    assert (window.year, window.closes_on) == (2024, datetime.date(2024, 5, 31))
    submission = model("Submission").objects.get(pk=keys["submission"])
    assert (submission.agency.code, submission.year, submission.status) == ("UJI", 2024, "locked")
    item = model("SubmissionItem").objects.get(pk=keys["item"])
    assert (item.submission_id, item.evaluation_id, item.result) == (
        keys["submission"],
        keys["evaluation"],
        "WBK",
    )
    stage = model("NationalStage").objects.get(pk=keys["stage"])
    assert (stage.item_id, stage.stage, stage.outcome) == (keys["item"], "result", "passed")
    award = model("Award").objects.get(pk=keys["award"])
    assert (award.submission_item_id, award.evaluation_id) == (keys["item"], keys["evaluation"])
    assert award.submission_item.submission.agency.code == "UJI"

    history = keys["history"]
    moved_submission = model("HistoricalSubmission").objects.get(history_id=history["submission"])
    assert moved_submission.id == keys["submission"]
    moved_item = model("HistoricalSubmissionItem").objects.get(history_id=history["item"])
    assert (moved_item.id, moved_item.submission_id) == (keys["item"], keys["submission"])
    moved_stage = model("HistoricalNationalStage").objects.get(history_id=history["stage"])
    assert (moved_stage.id, moved_stage.item_id) == (keys["stage"], keys["item"])
    moved_award = model("HistoricalAward").objects.get(history_id=history["award"])
    assert moved_award.submission_item_id == keys["item"]

    # The database's own foreign keys point at the renamed tables; the old names are gone.
    assert _foreign_keys("awards_award")["submission_item_id"] == "awards_submissionitem"
    assert _foreign_keys("awards_submissionitem")["submission_id"] == "awards_submission"
    assert _foreign_keys("awards_submissionitem")["evaluation_id"] == "evaluations_evaluation"
    assert _foreign_keys("awards_nationalstage")["item_id"] == "awards_submissionitem"
    tables = set(connection.introspection.table_names())
    assert {f"awards_{name}" for name in MOVED} <= tables
    assert not {f"evaluations_{name}" for name in MOVED} & tables

    # Permissions and admin log entries keep their content types, now under awards.
    ContentType = new.get_model("contenttypes", "ContentType")
    moved_types = ContentType.objects.filter(pk__in=keys["types"].values())
    assert {(t.app_label, t.model) for t in moved_types} == {("awards", n) for n in MOVED}

    # New rows continue after the old ones.
    later = model("Submission").objects.create(agency=submission.agency, year=2025)
    assert later.pk > submission.pk
