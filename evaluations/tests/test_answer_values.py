"""Numbers in answers: bounded, read as Indonesians write them, stored exactly as validated.

The workbook import saves through answers_save too, so these bounds hold for it as well.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import services
from evaluations.models import Answer, Evaluation, EvaluationScore, Level
from evaluations.services import AnswerInput

from .factories import full_answers, in_status

HOSTILE = ["3E+2999999", "1e999999999", "1e-999999999", "12345678901234567890123456789"]


@pytest.fixture
def evaluation(rubric, unit):
    return in_status(services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW)


def save(evaluation, *answers):
    return services.answers_save(evaluation=evaluation, level=Level.TPI, answers=list(answers))


def refused(evaluation, *answers) -> str:
    """Save, expect a refusal that stored nothing, and return its message."""
    with pytest.raises(ValidationError) as caught:
        save(evaluation, *answers)
    assert not Answer.objects.filter(evaluation=evaluation).exists()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    return " ".join(caught.value.messages)


class Untouchable(Decimal):
    """A Decimal that fails the test if anything turns it into an exact integer, ratio or float:
    what made "3E+2999999" take seconds and hold the row lock."""

    def as_integer_ratio(self):
        raise AssertionError("exponentiated")

    def __int__(self):
        raise AssertionError("exponentiated")

    def __float__(self):
        raise AssertionError("exponentiated")


# --- Survey indices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3.59", "3.59"),
        ("3,59", "3.59"),  # the Indonesian decimal comma
        (" 3.6 ", "3.6"),
        ("3.50", "3.5"),  # trailing zeros are not decimals
        ("4", "4"),
        ("0", "0"),
        (3.59, "3.59"),  # a workbook cell's float
        (Decimal("3.6"), "3.6"),
    ],
)
def test_survey_index_is_stored_exactly_as_validated(evaluation, typed, stored):
    save(evaluation, AnswerInput("B.I.a", number=typed))
    assert Answer.objects.get(evaluation=evaluation).number == Decimal(stored)
    score = EvaluationScore.objects.get(evaluation=evaluation)
    assert score.hasil == Decimal("17.5") * Decimal(stored) / 4


def test_survey_index_with_more_than_two_decimals_is_refused_not_rounded(evaluation):
    # Rounded to 3.6 it would pass the IPAK line (15.75) that 3.59999 misses.
    message = refused(evaluation, AnswerInput("B.I.a", number="3.59999"))
    assert "B.I.a" in message
    assert "memiliki lebih dari 2 desimal" in message


@pytest.mark.parametrize(
    "typed", ["4.01", "-0.5", "5", "abc", "NaN", "Infinity", "-inf", float("nan"), *HOSTILE]
)
def test_survey_index_out_of_bounds_is_refused(evaluation, typed):
    message = refused(evaluation, AnswerInput("B.I.a", number=typed))
    assert message.startswith("B.I.a: ")


def test_percentage_in_a_survey_cell_is_refused(evaluation):
    message = refused(evaluation, AnswerInput("B.I.a", number="90%"))
    assert "bukan persentase" in message


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_number_is_refused_without_computing_with_it(evaluation, value):
    refused(evaluation, AnswerInput("B.I.a", number=Untouchable(value)))
    refused(evaluation, AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": Untouchable(value)}))


# --- Counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "12"),
        (12, "12"),
        (12.0, "12"),  # a workbook cell's float
        ("1.234", "1234"),  # Indonesian thousands
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.234,0", "1234"),
        ("999999999", "999999999"),
        ("0", "0"),
    ],
)
def test_count_is_read_as_indonesian_and_stored_whole(evaluation, typed, stored):
    save(evaluation, AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": typed}))
    assert Answer.objects.get(evaluation=evaluation).inputs == {"A.II.1.i.a.1": stored}


@pytest.mark.parametrize(
    "typed",
    ["-2", "1.5", "1,5", "1.234,5", "1000000000", "12%", "abc", "NaN", "Infinity", *HOSTILE],
)
def test_count_out_of_bounds_is_refused(evaluation, typed):
    message = refused(evaluation, AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": typed}))
    assert message.startswith("A.II.1.i.a.1: ")


def test_count_message_is_indonesian(evaluation):
    message = refused(evaluation, AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": "-2"}))
    assert "Jumlah tidak boleh negatif" in message


# --- An evaluator's value for a percent -----------------------------------------------------------

ZERO_DENOMINATOR = {"A.II.1.i.a.1": "0", "A.II.1.i.a.2": "3"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0.85", "0.85"), ("85%", "0.85"), ("87,55%", "0.8755"), ("1", "1"), ("0", "0")],
)
def test_evaluators_value_is_taken_where_the_percent_cannot_be_computed(evaluation, typed, stored):
    save(evaluation, AnswerInput("A.II.1.i.a", inputs=ZERO_DENOMINATOR, number=typed))
    assert Answer.objects.get(evaluation=evaluation).number == Decimal(stored)


@pytest.mark.parametrize("typed", ["1.5", "150%", "0.12345", "abc", "1e999999999"])
def test_evaluators_value_out_of_bounds_is_refused(evaluation, typed):
    refused(evaluation, AnswerInput("A.II.1.i.a", inputs=ZERO_DENOMINATOR, number=typed))


@pytest.mark.parametrize(
    "inputs",
    [
        {"A.II.1.i.a.1": "4", "A.II.1.i.a.2": "3"},  # the numbers give 3/4
        {"A.II.1.i.a.1": "4"},  # a number is missing
        None,  # no numbers at all
    ],
)
def test_evaluators_value_is_refused_where_the_form_offers_none(evaluation, inputs):
    message = refused(evaluation, AnswerInput("A.II.1.i.a", inputs=inputs, number="0.9"))
    assert "A.II.1.i.a hanya menerima nilai langsung" in message


def test_evaluators_value_goes_once_the_numbers_give_one(evaluation):
    save(evaluation, AnswerInput("A.II.1.i.a", inputs=ZERO_DENOMINATOR, number="0.5"))
    # The form sends the value back with the corrected numbers: it is not typed anew.
    save(
        evaluation,
        AnswerInput("A.II.1.i.a", inputs={"A.II.1.i.a.1": "4"}, number="0.5", expected_version=1),
    )
    answer = Answer.objects.get(evaluation=evaluation)
    assert (answer.number, answer.inputs) == (None, {"A.II.1.i.a.1": "4", "A.II.1.i.a.2": "3"})
    # A.II.1.i (weight 2, two questions) = 2 × 3/4 / 2
    assert EvaluationScore.objects.get(evaluation=evaluation).total == Decimal("0.75")


# --- Verdicts -----------------------------------------------------------------------------------


def test_incomplete_lke_is_stored_without_a_verdict(evaluation):
    answers = [a for a in full_answers(evaluation) if a.question != "A.I.2.ii.d"]
    save(evaluation, *answers)
    stored = EvaluationScore.objects.get(evaluation=evaluation)
    assert stored.total > 99 and not stored.complete
    assert stored.verdict == ""
    save(evaluation, AnswerInput("A.I.2.ii.d", letter="A"))
    assert EvaluationScore.objects.get(evaluation=evaluation).verdict == "WBK"
