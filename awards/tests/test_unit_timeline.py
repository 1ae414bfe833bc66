"""The unit page tells the unit's journey: evaluations, proposals, stages, awards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import NationalStage, Submission, SubmissionItem
from awards.tests.factories import AwardFactory
from evaluations.tests.factories import EvaluationFactory, tpi_final
from units.tests.factories import PencananganFactory


def journey(unit, year):
    """One more year of history: a TPI-scored evaluation, its proposal, stages and award."""
    evaluation = tpi_final(unit, year)
    submission, _ = Submission.objects.get_or_create(agency=unit.agency, year=year)
    item = SubmissionItem.objects.create(
        submission=submission,
        evaluation=evaluation,
        proposed_predicate="WBK",
        tpi_total=100,
        result="WBK",
    )
    for stage in ("admin_selection", "desk_evaluation", "result"):
        NationalStage.objects.create(item=item, stage=stage, date=datetime.date(year, 9, 1))
    AwardFactory(unit=unit, year=year, submission_item=item, evaluation=evaluation)


@pytest.mark.django_db
def test_the_unit_page_shows_scores_proposals_awards_and_revocations(
    client, rubric, unit, agency_admin
):
    PencananganFactory(agency=unit.agency, place="Pendopo Sleman")
    journey(unit, 2023)
    AwardFactory(
        unit=unit,
        year=2021,
        decree_number="SK-LAMA",
        revoked_on=datetime.date(2022, 5, 1),
        revocation_reason="Kasus pungli",
    )
    client.force_login(agency_admin)
    body = client.get(reverse("awards:unit_detail", args=[unit.pk])).content.decode()
    assert "100,00" in body  # the TPI total of 2023
    assert "Seleksi administrasi" in body
    assert "SK-LAMA" in body and "Kasus pungli" in body
    assert "Pendopo Sleman" in body


@pytest.mark.django_db
def test_the_unit_page_query_count_does_not_grow_with_history(client, rubric, unit, agency_admin):
    client.force_login(agency_admin)
    counts = []
    for years in ((2021,), (2022, 2023, 2024)):
        for year in years:
            journey(unit, year)
        EvaluationFactory(unit=unit, year=years[-1] + 10)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("awards:unit_detail", args=[unit.pk]))
        counts.append(len(captured))
    assert counts[0] == counts[1]
