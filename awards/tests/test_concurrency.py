"""Two clicks on "create award" at once, on real parallel PostgreSQL connections: one award."""

import datetime

import pytest
from django.db import connection

from awards import services
from awards.models import Award
from evaluations import submissions
from evaluations.models import NationalResult, Submission
from evaluations.tests.factories import tpi_final
from evaluations.tests.proposal_helpers import cover
from evaluations.tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
    ),
]

TODAY = datetime.date(2025, 4, 1)


def test_two_award_creations_for_one_item_make_one_award(rubric, agency, unit, agency_admin):
    cover(agency)
    submission = Submission.objects.create(agency=agency, year=2025)
    item = submissions.submission_item_add(
        submission=submission,
        evaluation=tpi_final(unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=TODAY,
    )
    submissions.national_stage_record(
        item=item,
        stage="result",
        date=TODAY,
        outcome="passed",
        result=NationalResult.WBK,
        by=agency_admin,
    )

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
