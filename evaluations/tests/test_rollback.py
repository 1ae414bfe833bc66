"""A failed workflow transition or LKE import rolls back completely: nothing is saved halfway.

The failures are real ones, not mocks of the code under test: a workbook with one bad row, and
a database constraint broken in the middle of the write (the acting person's account was
deleted by an administrator while their request ran: every row naming them violates its
foreign key, which the database checks when the transaction commits, after every write).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from evaluations import selectors, services, workflow
from evaluations.models import Answer, Evaluation, EvaluationScore, Evidence, Level, StatusChange
from evaluations.services import AnswerInput
from evaluations.workbook.reader import WorkbookInvalid
from evaluations.workbook.services import workbook_import
from zi_portal import access

from .factories import full_answers, in_status
from .workbook_factory import official

S = Evaluation.Status


def snapshot(evaluation):
    """Everything a transition or an import may write, as comparable values."""
    return {
        "evaluation": Evaluation.objects.filter(pk=evaluation.pk).values_list(
            "status", "content_version"
        )[0],
        "evaluation_history": Evaluation.history.filter(id=evaluation.pk).count(),
        "status_changes": StatusChange.objects.filter(evaluation=evaluation).count(),
        "answers": sorted(
            Answer.objects.filter(evaluation=evaluation).values_list(
                "question__code",
                "level",
                "option__letter",
                "number",
                "note",
                "version",
                "updated_by",
            )
        ),
        "answer_history": Answer.history.filter(evaluation_id=evaluation.pk).count(),
        "scores": sorted(
            EvaluationScore.objects.filter(evaluation=evaluation).values_list(
                "level", "total", "pengungkit", "hasil", "verdict", "answered", "complete"
            )
        ),
        "evidence": sorted(
            Evidence.objects.filter(evaluation=evaluation).values_list("pk", "url", "is_removed")
        ),
        "evidence_history": Evidence.history.filter(evaluation_id=evaluation.pk).count(),
    }


def account_deleted_mid_request(user):
    """Delete the user's account while their request (this Python object) still acts for them.

    The memberships stay cached on the object, as they are within one request, so the role
    checks pass and the service writes until the database refuses the dangling reference.
    """
    access.memberships_of(user)
    get_user_model().objects.filter(pk=user.pk).delete()


def scored_evaluation(unit, unit_operator, evaluator, status):
    """An evaluation with self and TPI answers and stored totals, some evidence, in `status`."""
    evaluation = services.evaluation_create(unit=unit, year=2025)
    services.answers_save(
        evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation), by=unit_operator
    )
    services.evidence_add_link(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        url="https://sleman.go.id/sk-tim-zi.pdf",
        by=unit_operator,
    )
    in_status(evaluation, S.TPI_REVIEW)
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        # Full marks but for one question, so that the TPI total differs from the self total.
        answers=[*full_answers(evaluation), AnswerInput("A.I.1.i.b", letter="B")],
        by=evaluator,
    )
    return in_status(evaluation, status)


# --- Transitions ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_transition_that_fails_after_the_status_change_leaves_everything_as_it_was(
    rubric, unit, unit_operator, evaluator
):
    evaluation = scored_evaluation(unit, unit_operator, evaluator, S.TPI_REVIEW)
    account_deleted_mid_request(evaluator)
    before = snapshot(evaluation)  # after the deletion, which nulls `updated_by` on its answers
    # The status update, its history row and the log row are all written, then refused.
    with pytest.raises(IntegrityError):
        workflow.evaluation_transition(evaluation=evaluation, name="finalize", by=evaluator)
    assert snapshot(evaluation) == before
    assert before["evaluation"][0] == S.TPI_REVIEW


# --- Workbook imports -------------------------------------------------------------------------


@pytest.fixture
def spec(rubric):
    return selectors.rubric_spec(rubric=rubric)


def import_workbook(unit, content, **kwargs):
    return workbook_import(
        unit=unit,
        year=2025,
        level=Level.SELF,
        file=SimpleUploadedFile("lke.xlsx", content),
        **kwargs,
    )


def test_a_workbook_with_one_bad_row_changes_no_answer_history_score_or_evidence(
    rubric, spec, unit, unit_operator, evaluator
):
    evaluation = scored_evaluation(unit, unit_operator, evaluator, S.DRAFT)
    before = snapshot(evaluation)
    # Every other row would change an answer and carries an evidence link; one row holds a
    # letter the question does not have.
    answers = {q.code: min(q.options, key=q.options.get) for q in spec.questions if q.options}
    answers["A.I.1.i.b"] = "Z"
    links = {code: f"https://sleman.go.id/zi/{code}" for code in answers}
    content = official(spec, answers, links=links)
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(unit, content, by=unit_operator)
    assert [p.code for p in refused.value.problems] == ["A.I.1.i.b"]
    assert snapshot(evaluation) == before


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_after_writing_its_answers_leaves_everything_as_it_was(
    rubric, spec, unit, unit_operator, evaluator
):
    evaluation = scored_evaluation(unit, unit_operator, evaluator, S.DRAFT)
    answers = {q.code: min(q.options, key=q.options.get) for q in spec.questions if q.options}
    account_deleted_mid_request(unit_operator)
    before = snapshot(evaluation)
    # Every answer is rewritten and the level rescored before the database refuses the commit.
    with pytest.raises(IntegrityError):
        import_workbook(unit, official(spec, answers), by=unit_operator)
    assert snapshot(evaluation) == before
