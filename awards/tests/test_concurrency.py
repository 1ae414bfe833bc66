"""Two clicks on "create award" at once, on real parallel PostgreSQL connections: one award."""

import datetime

import pytest
from django.db import connection

from awards import services
from awards.models import Award
from evaluations.tests.test_concurrency import run_together

from .proposal_helpers import proposed_item, record_result

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
    ),
]


def test_two_award_creations_for_one_item_make_one_award(rubric, agency, unit, agency_admin):
    item = record_result(proposed_item(agency, unit, agency_admin), agency_admin)

    def create():
        return services.award_create_from_item(
            item=item,
            decree_number="SK-5/MENPANRB/2025",
            decree_date=datetime.date(2025, 12, 9),
            by=agency_admin,
        )

    results = run_together(create, create)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _award, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Award.objects.count() == 1
