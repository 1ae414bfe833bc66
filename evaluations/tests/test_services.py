"""Saving answers keeps each level's stored totals equal to scoring.score."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import selectors, services
from evaluations.models import Answer, Evaluation, EvaluationScore, Level
from evaluations.rubric import scoring
from evaluations.services import AnswerInput

from .factories import full_answers, in_status


@pytest.fixture
def evaluation(rubric, unit):
    # Under TPI review, so that the TPI level these tests answer is open.
    return in_status(services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW)


def stored_equals_score(evaluation, level):
    stored = EvaluationScore.objects.get(evaluation=evaluation, level=level)
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    breakdown = scoring.score(
        spec, *selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
    )
    assert stored.total == services.to_decimal(breakdown.total)
    assert stored.pengungkit == services.to_decimal(breakdown.pengungkit)
    assert stored.hasil == services.to_decimal(breakdown.hasil)
    assert stored.pemenuhan == services.to_decimal(breakdown.pemenuhan)
    assert stored.reform == services.to_decimal(breakdown.reform)
    assert stored.answered == breakdown.answered
    assert stored.complete == breakdown.complete
    assert stored.areas["1"]["total"] == float(breakdown.areas["1"].total)
    return stored


def test_new_evaluation_uses_the_active_rubric_and_starts_as_draft(evaluation, rubric):
    fresh = services.evaluation_create(unit=evaluation.unit, year=2026)
    assert (fresh.rubric, fresh.status, fresh.content_version) == (rubric, "draft", 1)


def test_stored_totals_equal_score_after_each_save(evaluation):
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        answers=[AnswerInput("A.I.1.i.a", letter="Ya"), AnswerInput("B.I.a", number="3.2")],
    )
    stored = stored_equals_score(evaluation, Level.TPI)
    assert stored.total == Decimal("14.25")  # 0.5 × (1 + 0) / 2 + 17.5 × 3.2 / 4
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        answers=[
            AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": "3", "A.II.1.i.a.2": "2"}),
            AnswerInput("A.I.1.i.a", letter="Tidak"),
        ],
    )
    stored = stored_equals_score(evaluation, Level.TPI)
    assert stored.total == Decimal("14.6666666667")  # 0 + 14 + 2 × (2/3 + 0) / 2
    assert not stored.complete


def test_full_lke_is_stored_as_100_and_complete_with_wbk(evaluation):
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation))
    stored = stored_equals_score(evaluation, Level.TPI)
    assert (stored.total, stored.complete, stored.answered) == (100, True, 113)
    # Every WBBM score rule passes, but the unit holds no WBK yet.
    assert stored.verdict == "WBK"


def test_levels_are_scored_apart(evaluation):
    in_status(evaluation, Evaluation.Status.DRAFT)
    services.answers_save(
        evaluation=evaluation, level=Level.SELF, answers=[AnswerInput("B.I.a", number="4")]
    )
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation))
    totals = dict(
        EvaluationScore.objects.filter(evaluation=evaluation).values_list("level", "total")
    )
    assert totals == {"tpi": 100, "self": Decimal("17.5")}


def test_stale_answer_is_refused_and_keeps_the_other_write(evaluation, evaluator, unit_operator):
    first = AnswerInput("A.I.1.i.b", letter="A", expected_version=0)
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=[first], by=unit_operator)
    stale = AnswerInput("A.I.1.i.b", letter="C", expected_version=0)
    with pytest.raises(services.AnswerConflict) as caught:
        services.answers_save(evaluation=evaluation, level=Level.TPI, answers=[stale], by=evaluator)
    assert caught.value.answer.option.letter == "A"
    answer = Answer.objects.get(evaluation=evaluation, question__code="A.I.1.i.b")
    assert (answer.option.letter, answer.version, answer.updated_by) == ("A", 1, unit_operator)


def test_current_version_saves_and_counts_up(evaluation):
    services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=[AnswerInput("A.I.1.i.b", letter="A")]
    )
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        answers=[AnswerInput("A.I.1.i.b", letter="B", note="Sebagian", expected_version=1)],
    )
    answer = Answer.objects.get(evaluation=evaluation, question__code="A.I.1.i.b")
    assert (answer.option.letter, answer.note, answer.version) == ("B", "Sebagian", 2)


@pytest.mark.parametrize(
    "submitted",
    [
        AnswerInput("A.I.1.i.b", letter="Z"),
        AnswerInput("B.I.a", number="4.2"),
        AnswerInput("B.I.a", letter="A"),
        AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": "-2"}),
        AnswerInput("A.II.1.i.a", inputs={"A.II.9": "2"}),
        AnswerInput("A.I.1", letter="A"),
    ],
)
def test_invalid_answer_is_refused_and_nothing_saved(evaluation, submitted):
    with pytest.raises(ValidationError):
        services.answers_save(
            evaluation=evaluation,
            level=Level.TPI,
            answers=[AnswerInput("A.I.1.i.a", letter="Ya"), submitted],
        )
    assert not Answer.objects.filter(evaluation=evaluation).exists()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()


def test_not_computable_percent_is_stored_as_incomplete(evaluation):
    answers = full_answers(evaluation)
    answers.append(AnswerInput("A.II.5.ii.a", inputs={"A.II.5.ii.a.1": 0, "A.II.5.ii.a.3": 0}))
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=answers)
    stored = stored_equals_score(evaluation, Level.TPI)
    assert (stored.total, stored.complete) == (97, False)
    services.answers_save(
        evaluation=evaluation, level=Level.TPI, answers=[AnswerInput("A.II.5.ii.a", number="1")]
    )
    assert stored_equals_score(evaluation, Level.TPI).complete


def test_one_evaluation_per_unit_and_year(evaluation, unit):
    with pytest.raises(ValidationError):
        services.evaluation_create(unit=unit, year=2025)
