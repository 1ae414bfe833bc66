"""The LHE as PDF: rendered once per content of the evaluation, and whatever changes what it
shows is in the very next download; one reader never gets another's cached report."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.tests.factories import AwardFactory
from evaluations import services, workflow
from evaluations.models import Evaluation, Level

from .factories import full_answers, in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(unit, rubric):
    """A 2025 LKE under TPI review, full marks but one question, with an internal TPI note."""
    evaluation = in_status(
        services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW
    )
    answers = full_answers(evaluation)
    answers.append(services.AnswerInput("A.I.1.i.b", letter="C", note="SK tim belum ada"))
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=answers)
    return evaluation


def pdf(client, evaluation) -> bytes:
    response = client.get(reverse("evaluations:lhe_pdf", args=[evaluation.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    return response.content


def fresh_pdf(client, evaluation) -> bytes:
    """Return the PDF as a first render gives it, with nothing cached."""
    cache.clear()
    return pdf(client, evaluation)


def test_a_repeated_download_reads_no_answers_again(client, viewer, scored):
    client.force_login(viewer)
    first = pdf(client, scored)
    with CaptureQueriesContext(connection) as queries:
        again = pdf(client, scored)
    assert again == first
    assert not [q["sql"] for q in queries.captured_queries if "evaluations_answer" in q["sql"]]


def test_a_saved_answer_is_in_the_next_download(client, viewer, scored):
    client.force_login(viewer)
    before = pdf(client, scored)
    services.answers_save(
        evaluation=scored,
        level=Level.TPI,
        answers=[services.AnswerInput("A.I.1.i.b", letter="B", note_to_unit="Lengkapi SK tim")],
    )
    after = pdf(client, scored)
    assert after != before
    assert fresh_pdf(client, scored) == after


def test_a_status_change_is_in_the_next_download(client, evaluator, viewer, scored):
    client.force_login(viewer)
    before = pdf(client, scored)
    workflow.evaluation_transition(evaluation=scored, name="return_to_unit", by=evaluator, note="x")
    after = pdf(client, scored)  # the status line says "Draf" now
    assert after != before
    assert fresh_pdf(client, scored) == after


def test_a_unit_reader_never_gets_the_reviewers_notes(client, evaluator, viewer, scored):
    client.force_login(evaluator)
    for_reviewers = pdf(client, scored)
    client.force_login(viewer)  # the regional head reads the notes to the unit only
    for_readers = pdf(client, scored)
    assert for_readers != for_reviewers
    assert fresh_pdf(client, scored) == for_readers


def test_a_renamed_unit_is_in_the_next_download(client, viewer, scored, unit):
    client.force_login(viewer)
    before = pdf(client, scored)
    unit.name = "Dinas Kependudukan dan Pencatatan Sipil Sleman"
    unit.save()
    assert pdf(client, scored) != before


def test_an_earlier_award_changes_the_verdict_in_the_next_download(client, viewer, scored, unit):
    client.force_login(viewer)
    before = pdf(client, scored)
    AwardFactory(unit=unit, year=2024, predicate="WBK")
    after = pdf(client, scored)
    assert after != before
    assert fresh_pdf(client, scored) == after


def test_english_and_indonesian_pdfs_are_cached_apart(client, viewer, scored):
    client.force_login(viewer)
    indonesian = pdf(client, scored)
    client.post(reverse("set_language"), {"language": "en"})
    english = pdf(client, scored)
    assert english != indonesian
    assert fresh_pdf(client, scored) == english


def test_a_download_writes_no_informational_log_lines(client, viewer, scored, caplog):
    client.force_login(viewer)
    with caplog.at_level(logging.DEBUG):
        pdf(client, scored)
    chatter = [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
    assert [r.getMessage() for r in chatter if r.levelno < logging.WARNING] == []
