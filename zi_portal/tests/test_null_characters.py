"""Text holding a NUL character, which PostgreSQL cannot store, bounces with a message.

Django's forms refuse it; these are the places that read text without a form (the LKE answer
row, the workflow note, the home search), which answered 500 on PostgreSQL before.
"""

import pytest
from django.test import Client
from django.urls import reverse

from evaluations import services, workflow
from evaluations.models import Answer, Evaluation, StatusChange
from evaluations.tests.factories import in_status

NUL_REFUSED = "Karakter null tidak diizinkan."


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


@pytest.fixture
def visitor():
    """A client that receives a server error as a page, as a browser would, not as an exception."""
    return Client(raise_request_exception=False)


def test_an_answer_note_with_a_nul_is_refused_next_to_the_row_and_kept(
    visitor, unit_operator, evaluation
):
    visitor.force_login(unit_operator)
    response = visitor.post(
        reverse("evaluations:answer_save", args=[evaluation.pk, "A.I.1.i.a", "self"]),
        {"letter": "Ya", "version": "0", "note": "SK ada\x00"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert NUL_REFUSED in page
    assert "SK ada" in page  # what was typed stays in the row
    assert not Answer.objects.exists()


def test_a_transition_note_with_a_nul_is_refused_and_changes_nothing(evaluator, evaluation):
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.evaluation_transition(
            evaluation=evaluation, name="return_to_unit", by=evaluator, note="Lengkapi\x00"
        )
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.TPI_REVIEW
    assert not StatusChange.objects.exists()


def test_the_transition_page_says_why_a_nul_note_was_refused(visitor, evaluator, evaluation):
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    visitor.force_login(evaluator)
    response = visitor.post(
        reverse("evaluations:transition", args=[evaluation.pk, "return_to_unit"]),
        {"note": "Lengkapi\x00"},
        follow=True,
    )
    assert response.status_code == 200
    assert NUL_REFUSED in response.content.decode()


def test_the_home_search_ignores_a_nul(visitor, viewer, unit):
    visitor.force_login(viewer)
    response = visitor.get(reverse("home"), {"q": "Kependudukan\x00"})
    assert response.status_code == 200
    assert unit.name in response.content.decode()
