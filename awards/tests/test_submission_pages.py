"""Proposal pages through the test client: access per role and agency, refusals, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import ProposalWindow, Submission
from evaluations.models import Evaluation
from evaluations.tests.factories import below_wbk, tpi_final
from units.tests.factories import PencananganFactory, UnitFactory

from .proposal_helpers import cover


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def submission(rubric, agency, year):
    # A window open today, whatever the date the suite runs on.
    ProposalWindow.objects.create(
        year=year, closes_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    cover(agency)
    return Submission.objects.create(agency=agency, year=year)


def detail(submission):
    return reverse("awards:submission_detail", args=[submission.pk])


def add(submission):
    return reverse("awards:submission_item_add", args=[submission.pk])


def test_the_agency_admin_opens_a_submission_for_a_year(client, agency, agency_admin, rubric):
    client.force_login(agency_admin)
    response = client.post(reverse("awards:submission_open", args=[agency.pk]), {"year": 2025})
    submission = Submission.objects.get(agency=agency, year=2025)
    assert response.url == detail(submission)


def test_the_page_shows_days_left_and_candidates_with_failing_rules(
    client, submission, agency_admin, unit, other_unit, year
):
    below_wbk(unit, year)
    tpi_final(other_unit, year)
    client.force_login(agency_admin)
    response = client.get(detail(submission))
    body = response.content.decode()
    assert "10 hari lagi" in body
    candidates = {c.evaluation.unit: c for c in response.context["candidates"]}
    assert candidates[other_unit].verdict == "WBK"
    assert candidates[unit].verdict == ""
    assert "IPAK" in body


def test_a_candidate_no_pencanangan_covers_is_flagged(
    client, rubric, agency, agency_admin, unit, other_unit, year
):
    ProposalWindow.objects.create(year=year, closes_on=timezone.localdate())
    PencananganFactory(agency=agency, covers_whole_agency=False, units=[other_unit])
    submission = Submission.objects.create(agency=agency, year=year)
    tpi_final(unit, year)
    tpi_final(other_unit, year)
    client.force_login(agency_admin)
    candidates = {
        c.evaluation.unit: c for c in client.get(detail(submission)).context["candidates"]
    }
    assert candidates[other_unit].refusals == []
    assert "pencanangan" in candidates[unit].refusals[0]


def test_the_agency_admin_proposes_a_unit(client, submission, agency_admin, unit, year):
    evaluation = tpi_final(unit, year)
    client.force_login(agency_admin)
    response = client.post(add(submission), {"evaluation": evaluation.pk, "predicate": "WBK"})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.PROPOSED


def test_a_refusal_is_shown_next_to_the_form_and_keeps_what_was_typed(
    client, submission, agency_admin, unit, year
):
    evaluation = below_wbk(unit, year)
    client.force_login(agency_admin)
    response = client.post(
        add(submission),
        {
            "evaluation": evaluation.pk,
            "predicate": "WBBM",
            "afirmasi": "on",
            "afirmasi_reason": "3T",
        },
    )
    assert response.status_code == 400
    form = response.context["add_form"]
    assert form.non_field_errors()
    assert form["afirmasi_reason"].value() == "3T"
    assert not submission.items.exists()


def test_a_viewer_reads_the_submission_but_cannot_propose(client, submission, viewer, unit, year):
    evaluation = tpi_final(unit, year)
    client.force_login(viewer)
    assert client.get(detail(submission)).status_code == 200
    response = client.post(add(submission), {"evaluation": evaluation.pk, "predicate": "WBK"})
    assert response.status_code == 403
    assert not submission.items.exists()


def test_an_admin_of_another_agency_gets_404(client, submission, outsider, unit, year):
    evaluation = tpi_final(unit, year)
    client.force_login(outsider)
    assert client.get(detail(submission)).status_code == 404
    response = client.post(add(submission), {"evaluation": evaluation.pk, "predicate": "WBK"})
    assert response.status_code == 404


def test_proposing_is_the_agencys_not_kemenpanrbs(client, submission, national_admin, unit, year):
    evaluation = tpi_final(unit, year)
    client.force_login(national_admin)
    assert client.get(detail(submission)).status_code == 200  # KemenPANRB reads every proposal
    response = client.post(add(submission), {"evaluation": evaluation.pk, "predicate": "WBK"})
    assert response.status_code == 403
    assert not submission.items.exists()


def test_after_the_window_closes_the_page_says_so_and_who_opens_it(
    client, submission, agency_admin, year
):
    ProposalWindow.objects.filter(year=year).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(agency_admin)
    body = client.get(detail(submission)).content.decode()
    assert 'id="window-closed"' in body and 'id="add-item-form"' not in body
    assert "KemenPANRB (admin nasional)" in body


def test_the_cover_letter_and_sptjm_print_the_submission(
    client, submission, agency_admin, unit, year
):
    Submission.objects.filter(pk=submission.pk).update(
        cover_letter_number="800/77/ORG", signer_name="Kustini Sri Purnomo"
    )
    client.force_login(agency_admin)
    client.post(add(submission), {"evaluation": tpi_final(unit, year).pk, "predicate": "WBK"})
    for name in ("awards:submission_cover_letter", "awards:submission_sptjm"):
        body = client.get(reverse(name, args=[submission.pk])).content.decode()
        assert "Kustini Sri Purnomo" in body and unit.name in body
    letter = client.get(reverse("awards:submission_cover_letter", args=[submission.pk]))
    assert "800/77/ORG" in letter.content.decode()


def test_the_submission_page_query_count_does_not_grow_with_candidates(
    client, submission, agency_admin, agency, year
):
    client.force_login(agency_admin)
    counts = []
    for batch in (1, 4):
        for unit in UnitFactory.create_batch(batch, agency=agency):
            tpi_final(unit, year)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(submission)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
