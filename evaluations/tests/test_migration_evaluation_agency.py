"""Migration 0011 gives every existing evaluation (and its history) its unit's agency."""

import pytest

from zi_portal.tests import migrations

BEFORE = [("evaluations", "0010_add_evaluation_year_index")]


@pytest.mark.django_db(transaction=True)
def test_existing_evaluations_take_their_units_agency():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    Agency, Unit = old.get_model("units", "Agency"), old.get_model("units", "Unit")
    Evaluation = old.get_model("evaluations", "Evaluation")
    History = old.get_model("evaluations", "HistoricalEvaluation")
    rubric = old.get_model("evaluations", "RubricVersion").objects.create(
        code="uji", regulation="PermenPANRB 90/2021"
    )
    units = [
        Unit.objects.create(
            agency=Agency.objects.create(name=f"Instansi {n}", code=f"I{n}", kind="kementerian"),
            name=f"Unit {n}",
            code=f"U{n}",
        )
        for n in (1, 2)
    ]
    evaluations = [Evaluation.objects.create(unit=u, year=2025, rubric=rubric) for u in units]
    History.objects.create(
        id=evaluations[1].pk,
        unit_id=units[1].pk,
        rubric_id=rubric.pk,
        year=2025,
        status="draft",
        created_at=evaluations[1].created_at,
        updated_at=evaluations[1].created_at,
        history_date=evaluations[1].created_at,
        history_type="+",
    )

    new = migrations.migrate(latest)

    copied = new.get_model("evaluations", "Evaluation").objects.order_by("pk")
    assert [e.agency_id for e in copied] == [u.agency_id for u in units]
    history = new.get_model("evaluations", "HistoricalEvaluation").objects.get()
    assert history.agency_id == units[1].agency_id
