"""An evaluation carries its unit's agency, which the lists read it by: always the unit's."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from evaluations.models import Evaluation
from units import services
from units.models import Role, Unit
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory

from .factories import EvaluationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rubric")]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the (unit, agency) foreign key is PostgreSQL's")


def _agency_ids(*evaluations):
    return [Evaluation.objects.get(pk=e.pk).agency_id for e in evaluations]


def test_a_new_evaluation_takes_its_units_agency(rubric):
    unit = UnitFactory()
    evaluation = Evaluation.objects.create(unit=unit, year=2025, rubric=rubric)

    assert _agency_ids(evaluation) == [unit.agency_id]


def test_a_unit_moved_to_another_agency_takes_its_evaluations_along():
    unit = UnitFactory()
    evaluations = [EvaluationFactory(unit=unit, year=year) for year in (2024, 2025)]
    first = unit.agency
    staying = EvaluationFactory(unit=UnitFactory(agency=first), year=2025)
    other = AgencyFactory()

    services.unit_move(unit=unit, agency=other)

    assert _agency_ids(*evaluations, staying) == [other.pk, other.pk, first.pk]


def test_a_unit_moved_in_the_admin_takes_its_evaluations_and_operators_along(
    client, national_admin
):
    unit = UnitFactory()
    evaluation = EvaluationFactory(unit=unit, year=2025)
    operator = MembershipFactory(agency=unit.agency, unit=unit, role=Role.UNIT_OPERATOR)
    other = AgencyFactory()
    client.force_login(national_admin)

    response = client.post(
        reverse("admin:units_unit_change", args=[unit.pk]),
        {
            "agency": other.pk,
            "name": "Nama Baru",
            "code": unit.code,
            "service_kind": unit.service_kind,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    operator.refresh_from_db()
    assert (unit.agency_id, unit.name, operator.agency_id) == (other.pk, "Nama Baru", other.pk)
    assert _agency_ids(evaluation) == [other.pk]


def test_postgresql_cascades_a_move_that_skips_save(postgresql):
    evaluation = EvaluationFactory()
    other = AgencyFactory()

    Unit.objects.filter(pk=evaluation.unit_id).update(agency=other)

    assert _agency_ids(evaluation) == [other.pk]


def test_postgresql_refuses_an_evaluation_naming_another_agency(postgresql):
    evaluation = EvaluationFactory()
    other = AgencyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(agency=other)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred until commit otherwise

    assert _agency_ids(evaluation) == [evaluation.unit.agency_id]
