"""scoring.py against the regulation's rules (PermenPANRB 90/2021); no database needed."""

import ast
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring

from . import lke_2021_sample as sample
from .mini_rubric import mini_breakdown

F = Fraction


@pytest.fixture(scope="module")
def shipped():
    return rubric_files.read_rubric(rubric_files.version_folder())


@pytest.fixture(scope="module")
def spec(shipped):
    return shipped.spec


@pytest.fixture(scope="module")
def rules(shipped):
    return rubric_files.threshold_rules(shipped.thresholds)


def full_marks(spec):
    """Return answers and inputs that give every question its full value.

    Every input row is filled, also the ones a formula does not compute with: the official
    workbook checks some of those for blanks too.
    """
    answers, inputs = {}, {}
    for question in spec.questions:
        rows = [c for c in spec.children[question.code] if spec.criteria[c].kind == "input"]
        if question.options:
            answers[question.code] = max(question.options, key=question.options.get)
        elif question.answer_type == scoring.SURVEY:
            answers[question.code] = "4"
        elif question.formula.function == "ratio":
            numerator, denominator = question.formula.args
            inputs.update(dict.fromkeys(rows, 10))
            inputs[numerator[0]] = 10 * len(denominator)
        else:  # decrease: both years 0
            inputs.update(dict.fromkeys(rows, 0))
    return answers, inputs


# --- Totals -----------------------------------------------------------------------------------


def test_full_marks_score_exactly_100(spec):
    breakdown = scoring.score(spec, *full_marks(spec))
    assert breakdown.total == 100
    assert (breakdown.pengungkit, breakdown.hasil) == (60, 40)
    assert (breakdown.pemenuhan, breakdown.reform) == (30, 30)
    assert breakdown.complete
    assert breakdown.answered == breakdown.question_count == 113


def test_full_marks_in_excel_mode_also_score_100(spec):
    assert scoring.score(spec, *full_marks(spec), excel_compat=True).total == 100


def test_nothing_answered_scores_0_and_lists_every_question(spec):
    breakdown = scoring.score(spec, {}, {})
    assert breakdown.total == 0
    assert not breakdown.complete
    assert breakdown.answered == 0
    assert len(breakdown.unanswered) == 113
    assert breakdown.unanswered[0] == "A.I.1.i.a"


def test_breakdown_has_every_sub_area_and_area_pair(spec):
    breakdown = scoring.score(spec, *full_marks(spec))
    assert len(breakdown.scores_of(scoring.SUB_AREA)) == 44
    assert list(breakdown.areas) == ["1", "2", "3", "4", "5", "6"]
    area = breakdown.areas["5"]  # Penguatan Pengawasan: 7.5 + 7.5
    assert (area.pemenuhan, area.reform, area.total, area.share) == (F("7.5"), F("7.5"), 15, 1)


# --- Answer types -----------------------------------------------------------------------------

OPTION_VALUES = {
    "yes_no": {"Ya": 1, "Tidak": 0},
    "abc": {"A": 1, "B": F("0.5"), "C": 0},
    "abcd": {"A": 1, "B": F("0.67"), "C": F("0.33"), "D": 0},
    "abcde": {"A": 1, "B": F("0.75"), "C": F("0.5"), "D": F("0.25"), "E": 0},
    "grade": {"A": 1, "B": F("0.75"), "C": F("0.5"), "D": F("0.25"), "E": 0},
}


@pytest.mark.parametrize(
    ("answer_type", "letter", "expected"),
    [(t, letter, v) for t, values in OPTION_VALUES.items() for letter, v in values.items()],
)
def test_each_option_has_the_regulation_value(spec, answer_type, letter, expected):
    question = next(q for q in spec.questions if q.answer_type == answer_type)
    breakdown = scoring.score(spec, {question.code: letter}, {})
    assert breakdown.questions[question.code].value == expected


def test_every_option_question_offers_the_values_of_its_type(spec):
    for question in spec.questions:
        if question.answer_type in OPTION_VALUES:
            assert dict(question.options) == OPTION_VALUES[question.answer_type], question.code


def test_first_question_is_yes_no_as_the_workbook_means_it(spec):
    assert spec.criteria["A.I.1.i.a"].answer_type == "yes_no"


def test_unknown_letter_is_refused(spec):
    with pytest.raises(ValueError, match=r"A\.I\.1\.i\.b: 'Z' is not an option"):
        scoring.score(spec, {"A.I.1.i.b": "Z"}, {})


def test_percent_is_the_ratio_of_its_inputs(spec):
    # A.II.1.i.a = changes made / change agents = 3 / 4
    breakdown = scoring.score(spec, {}, {"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 3})
    assert breakdown.questions["A.II.1.i.a"].value == F(3, 4)


def test_percent_is_capped_at_1(spec):
    breakdown = scoring.score(spec, {}, {"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 9})
    assert breakdown.questions["A.II.1.i.a"].value == 1


def test_percent_over_a_sum_of_inputs(spec):
    # LHKPN: reported / (head + officials + others) = 9 / (2 + 3 + 5); the total row is unused.
    inputs = {"A.II.5.iii.i.a.2": 2, "A.II.5.iii.i.a.3": 3, "A.II.5.iii.i.a.4": 5}
    inputs["A.II.5.iii.i.a.5"] = 9
    breakdown = scoring.score(spec, {}, inputs)
    assert breakdown.questions["A.II.5.iii.i.a"].value == F(9, 10)


def test_percent_with_zero_denominator_is_not_computable_and_counts_0(spec):
    breakdown = scoring.score(spec, {}, {"A.II.5.ii.a.1": 0, "A.II.5.ii.a.3": 0})
    result = breakdown.questions["A.II.5.ii.a"]
    assert (result.value, result.state) == (None, scoring.NOT_COMPUTABLE)
    assert breakdown.not_computable == ("A.II.5.ii.a",)
    assert "A.II.5.ii.a" not in breakdown.unanswered
    assert breakdown.scores["A.II.5.ii"] == 0


def test_not_computable_percent_takes_the_evaluators_value(spec):
    answers, inputs = full_marks(spec)
    inputs.update({"A.II.5.ii.a.1": 0, "A.II.5.ii.a.3": 0})
    assert not scoring.score(spec, answers, inputs).complete
    breakdown = scoring.score(spec, {**answers, "A.II.5.ii.a": "1"}, inputs)
    assert breakdown.complete
    assert breakdown.total == 100


def test_percent_with_a_missing_input_is_unanswered(spec):
    breakdown = scoring.score(spec, {}, {"A.II.1.i.a.1": 4})
    assert breakdown.questions["A.II.1.i.a"].state == scoring.UNANSWERED


def test_negative_input_is_refused(spec):
    with pytest.raises(ValueError, match="cannot be negative"):
        scoring.score(spec, {}, {"A.II.1.i.a.1": -1, "A.II.1.i.a.2": 3})


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (0, 0, 1),  # both years 0: full marks
        (0, 5, 0),  # from 0 to more than 0: nothing
        (10, 4, F(3, 5)),  # (10 - 4) / 10
        (10, 10, 0),
        (4, 10, 0),  # an increase never scores below 0
        (10, 0, 1),
    ],
)
def test_decrease_rule(spec, previous, current, expected):
    inputs = {"A.II.3.iii.a.1": previous, "A.II.3.iii.a.2": current}
    breakdown = scoring.score(spec, {}, inputs)
    assert breakdown.questions["A.II.3.iii.a"].value == expected
    assert breakdown.scores["A.II.3.iii"] == 2 * expected  # the sub-area's weight is 2


@pytest.mark.parametrize(
    ("index", "line"),
    [
        ("3.59", F("15.70625")),  # 17.5 × 3.59 / 4
        ("3.60", F("15.75")),
        (3.6, F("15.75")),  # a float is read as the decimal it prints as
        ("0", 0),
        ("4", F("17.5")),
    ],
)
def test_survey_line_is_weight_times_index_over_4(spec, index, line):
    assert scoring.score(spec, {"B.I.a": index}, {}).scores["B.I.a"] == line


@pytest.mark.parametrize("index", ["4.01", "-0.1", 5])
def test_survey_index_outside_0_to_4_is_refused(spec, index):
    with pytest.raises(ValueError, match="B.I.a: a survey index must be between 0 and 4"):
        scoring.score(spec, {"B.I.a": index}, {})


def test_capaian_kinerja_is_5_times_the_grade_value(spec):
    assert scoring.score(spec, {"B.I.b": "B"}, {}).scores["B.I.b"] == F("3.75")


# --- A hand-computed example, and the Excel-compatible mode ------------------------------------

MIXED_ANSWERS = {
    "A.I.1.i.a": "Ya",
    "A.I.1.i.b": "B",
    "A.I.1.ii.a": "Ya",
    "A.I.1.ii.b": "C",
    # A.I.1.ii.c left unanswered
    "B.I.a": "3.2",
    "B.I.b": "B",
    "B.II.a": "3.0",
}
MIXED_INPUTS = {
    "A.II.1.i.a.1": 4,  # change agents
    "A.II.1.i.a.2": 3,  # changes made
    "A.II.1.i.b.1": 3,  # changes made
    "A.II.1.i.b.2": 2,  # changes integrated
    "A.II.3.iii.a.1": 10,  # breaches last year
    "A.II.3.iii.a.2": 4,  # breaches this year
    "A.II.5.iii.i.a.2": 2,
    "A.II.5.iii.i.a.3": 3,
    "A.II.5.iii.i.a.4": 5,
    "A.II.5.iii.i.a.5": 9,  # LHKPN 9 of 10
    "A.II.5.iii.ii.a.1": 40,
    "A.II.5.iii.ii.a.5": 30,  # LHKASN 30 of 40
}


def test_hand_computed_mixed_example(spec):
    b = scoring.score(spec, MIXED_ANSWERS, MIXED_INPUTS)
    # A.I.1.i   weight 0.5 × (Ya 1 + B 0.5) / 2             = 0.375
    assert b.scores["A.I.1.i"] == F("0.375")
    # A.I.1.ii  weight 1 × (Ya 1 + C 0 + unanswered 0) / 3  = 1/3
    assert b.scores["A.I.1.ii"] == F(1, 3)
    # A.II.1.i  weight 2 × (3/4 + 2/3) / 2                  = 17/12
    assert b.scores["A.II.1.i"] == F(17, 12)
    # A.II.3.iii weight 2 × (10 - 4) / 10                   = 1.2
    assert b.scores["A.II.3.iii"] == F("1.2")
    # A.II.5.iii = LHKPN 1 × 9/10 + LHKASN 1 × 30/40        = 1.65
    assert b.scores["A.II.5.iii"] == F("1.65")
    # B.I.a 17.5 × 3.2/4 = 14; B.I.b 5 × 0.75 = 3.75; B.II.a 17.5 × 3.0/4 = 13.125
    assert (b.scores["B.I.a"], b.scores["B.I.b"], b.scores["B.II.a"]) == (
        14,
        F("3.75"),
        F("13.125"),
    )
    # Area 1 = Pemenuhan (0.375 + 1/3) + Reform 17/12 = 2.125
    assert b.areas["1"].total == F("2.125")
    # Pengungkit = 2.125 + 1.2 + 1.65 = 4.975; hasil = 14 + 3.75 + 13.125 = 30.875
    assert (b.pengungkit, b.hasil) == (F("4.975"), F("30.875"))
    assert b.total == F("35.85")
    assert len(b.unanswered) == 113 - 12


def test_excel_mode_differs_exactly_where_the_workbook_does(spec):
    answers, inputs = full_marks(spec)
    answers["A.I.1.i.b"] = "C"
    del answers["A.I.1.ii.c"]
    inputs.update({"A.II.5.iii.ii.a.1": 40, "A.II.5.iii.ii.a.5": 30})  # LHKASN 30 of 40
    default = scoring.score(spec, answers, inputs)
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    differing = {
        code
        for code, value in default.scores_of(scoring.SUB_AREA).items()
        if excel.scores[code] != value
    }
    # A.I.1.i: the regulation 0.5 × (Ya 1 + C 0) / 2 = 0.25; the workbook's first question is
    #   "-", so its AVERAGE holds C alone: 0.5 × 0 = 0.
    # A.I.1.ii: 1 × (1 + 1 + unanswered 0) / 3 = 2/3; the workbook averages the answered two: 1.
    # A.II.5.iii: LHKPN 1 × 1 + LHKASN 1 × 30/40 = 1.75; the workbook takes LHKPN × 2 = 2.
    assert differing == {"A.I.1.i", "A.I.1.ii", "A.II.5.iii"}
    assert [excel.scores[c] for c in ("A.I.1.i", "A.I.1.ii", "A.II.5.iii")] == [0, 1, 2]
    assert default.total == 100 - F("0.25") - F(1, 3) - F("0.25")
    assert excel.total == F("99.5")


def test_excel_mode_ignores_lhkasn(spec):
    answers, inputs = full_marks(spec)
    inputs["A.II.5.iii.ii.a.5"] = 0  # nobody filed an LHKASN
    assert scoring.score(spec, answers, inputs).total == 99
    assert scoring.score(spec, answers, inputs, excel_compat=True).total == 100


def test_sample_workbook_scores_its_two_totals():
    spec = rubric_files.read_rubric(rubric_files.version_folder()).spec
    logical = scoring.score(spec, sample.ANSWERS, sample.INPUTS)
    excel = scoring.score(spec, sample.ANSWERS, sample.INPUTS, excel_compat=True)
    assert round(float(logical.total), 6) == 71.305888
    assert round(float(excel.total), 6) == 71.916602
    assert logical.unanswered == excel.unanswered == ("A.I.4.ii.e", "A.I.5.v.a")


def test_excel_mode_reproduces_every_cached_cell_of_the_sample_workbook():
    spec = rubric_files.read_rubric(rubric_files.version_folder()).spec
    excel = scoring.score(spec, sample.ANSWERS, sample.INPUTS, excel_compat=True)
    for code, cached in sample.CACHED_SCORES.items():
        assert float(excel.scores[code]) == pytest.approx(cached, abs=1e-9), code
    for code, cached in sample.CACHED_QUESTION_VALUES.items():
        result = excel.questions[code]
        if isinstance(cached, str):
            assert (result.value, result.excel) == (None, cached), code
        else:
            assert float(result.value) == pytest.approx(cached, abs=1e-12), code


def test_first_question_is_a_dash_in_excel_mode_and_counts_under_the_regulation(spec):
    answers, inputs = full_marks(spec)
    answers["A.I.1.i.a"] = "Tidak"
    default = scoring.score(spec, answers, inputs)
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    result = excel.questions["A.I.1.i.a"]
    assert (result.value, result.excel, result.state) == (None, "-", scoring.ANSWERED)
    assert default.scores["A.I.1.i"] == F("0.25")  # 0.5 × (Tidak 0 + A 1) / 2
    assert excel.scores["A.I.1.i"] == F("0.5")  # AVERAGE skips "-": 0.5 × A 1
    assert excel.complete


def test_percent_is_blm_diisi_in_excel_mode_when_a_checked_row_is_blank(spec):
    answers, inputs = full_marks(spec)
    del inputs["A.II.6.i.b.2"]
    default = scoring.score(spec, answers, inputs)
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert default.questions["A.II.6.i.b"].state == scoring.UNANSWERED
    assert excel.questions["A.II.6.i.b"].excel == "Blm Diisi"
    # The regulation counts it 0: 2.5 × (1 + 0) / 2; the workbook's AVERAGE skips it: 2.5 × 1.
    assert (default.scores["A.II.6.i"], excel.scores["A.II.6.i"]) == (F("1.25"), F("2.5"))


def test_excel_mode_checks_rows_its_formula_does_not_compute_with(spec):
    # Complaints in progress (A.II.5.ii.a.2) is not in the ratio, but the workbook checks it.
    answers, inputs = full_marks(spec)
    del inputs["A.II.5.ii.a.2"]
    default = scoring.score(spec, answers, inputs)
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert default.complete and default.total == 100
    assert excel.questions["A.II.5.ii.a"].excel == "Blm Diisi"
    # Its sub-area has no other question: AVERAGE over nothing is #DIV/0!, up to the total.
    assert excel.scores["A.II.5.ii"] is None
    assert (excel.scores["A.II.5"], excel.scores["A"], excel.total) == (None, None, None)
    assert excel.areas["5"].total is None and not excel.computable


def test_decrease_waits_for_the_sanctioned_row_in_excel_mode(spec):
    answers, inputs = full_marks(spec)
    del inputs["A.II.3.iii.a.3"]
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.questions["A.II.3.iii.a"].excel == "Blm Diisi"
    assert scoring.score(spec, answers, inputs).questions["A.II.3.iii.a"].value == 1


def test_lhkpn_with_a_blank_filer_row_is_a_value_error_in_excel_mode(spec):
    answers, inputs = full_marks(spec)
    del inputs["A.II.5.iii.i.a.3"]
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.questions["A.II.5.iii.i.a"].excel == "#VALUE!"
    assert excel.scores["A.II.5.iii"] is None and excel.total is None
    del inputs["A.II.5.iii.i.a.5"]  # the reported row is checked first: "Blm Diisi"
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.questions["A.II.5.iii.i.a"].excel == "Blm Diisi"


def test_zero_denominator_is_div0_in_excel_mode_never_a_number(spec):
    answers, inputs = full_marks(spec)
    inputs.update({"A.II.6.i.b.1": 0, "A.II.6.i.b.2": 0})
    answers["A.II.6.i.b"] = "1"  # an evaluator's value: the regulation takes it
    default = scoring.score(spec, answers, inputs)
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert default.total == 100 and default.complete
    result = excel.questions["A.II.6.i.b"]
    assert (result.value, result.excel) == (None, "#DIV/0!")
    assert excel.scores["A.II.6.i"] is None and excel.total is None
    assert excel.as_dict()["total"] is None


def test_decrease_from_zero_is_div0_in_excel_mode(spec):
    answers, inputs = full_marks(spec)
    inputs.update({"A.II.3.iii.a.1": 0, "A.II.3.iii.a.2": 5})
    assert scoring.score(spec, answers, inputs).questions["A.II.3.iii.a"].value == 0
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.questions["A.II.3.iii.a"].excel == "#DIV/0!"


def test_unanswered_hasil_line_is_a_value_error_in_excel_mode(spec):
    answers, inputs = full_marks(spec)
    del answers["B.I.b"]
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.questions["B.I.b"].excel == "#VALUE!"  # "Blm Diisi" × 5
    assert (excel.scores["B.I.b"], excel.scores["B.I"], excel.total) == (None, None, None)
    assert scoring.score(spec, answers, inputs).scores["B.I"] == F("17.5")


def test_sub_area_with_nothing_answered_is_div0_in_excel_mode(spec):
    answers, inputs = full_marks(spec)
    for code in ("A.I.1.ii.a", "A.I.1.ii.b", "A.I.1.ii.c"):
        del answers[code]
    excel = scoring.score(spec, answers, inputs, excel_compat=True)
    assert excel.scores["A.I.1.ii"] is None
    assert scoring.score(spec, answers, inputs).scores["A.I.1.ii"] == 0


def test_evaluators_value_counts_only_where_the_percent_cannot_be_computed(spec):
    answers, inputs = full_marks(spec)
    del inputs["A.II.1.i.a.2"]  # a number is missing: the LKE is not answered there
    answers["A.II.1.i.a"] = "1"
    result = scoring.score(spec, answers, inputs).questions["A.II.1.i.a"]
    assert (result.value, result.state) == (None, scoring.UNANSWERED)
    inputs["A.II.1.i.a.2"] = 2  # computable: 2 / 10, whatever the typed value
    assert scoring.score(spec, answers, inputs).questions["A.II.1.i.a"].value == F(1, 5)


@pytest.mark.parametrize(
    ("inputs", "state"),
    [
        ({"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 3}, scoring.ANSWERED),
        ({"A.II.1.i.a.1": 4}, scoring.UNANSWERED),
        ({"A.II.1.i.a.1": 0, "A.II.1.i.a.2": 3}, scoring.NOT_COMPUTABLE),
    ],
)
def test_inputs_state_says_when_an_evaluator_may_give_a_value(spec, inputs, state):
    assert scoring.inputs_state(spec.criteria["A.II.1.i.a"], inputs) == state


class Untouchable(Decimal):
    """A Decimal that fails the test when turned into an exact integer, ratio or float."""

    def as_integer_ratio(self):
        raise AssertionError("exponentiated")

    def __int__(self):
        raise AssertionError("exponentiated")

    def __float__(self):
        raise AssertionError("exponentiated")


@pytest.mark.parametrize(
    "value", ["3E+2999999", "1e999999999", "1e-999999999", "12345678901234567890123456789" * 2]
)
def test_hostile_numbers_are_refused_from_their_digits_and_exponent(spec, value):
    with pytest.raises(ValueError):
        scoring.to_fraction(Untouchable(value))
    with pytest.raises(ValueError):
        scoring.score(spec, {"B.I.a": value}, {})
    with pytest.raises(ValueError):
        scoring.score(spec, {}, {"A.II.1.i.a.1": value, "A.II.1.i.a.2": 1})


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", float("nan"), float("inf"), "4,5"])
def test_no_number_is_refused(value):
    with pytest.raises(ValueError):
        scoring.to_fraction(value)


def test_a_large_but_plain_number_is_still_exact():
    assert scoring.to_fraction("999999999") == 999_999_999
    assert scoring.to_fraction(Decimal("0.0001")) == F(1, 10_000)


# --- Predicate ---------------------------------------------------------------------------------


def passing_wbk(**changes):
    """A mini-rubric breakdown that meets every WBK rule at its minimum, total 75.00."""
    # Hasil at each minimum: IPAK 3.6 → 15.75, capaian C → 2.5 (B.I 18.25), IPKP 3.2 → 14.00.
    # Pengungkit 42.75 spread as area 1: 14.25 of 20, area 2: 28.5 of 40 (71.25% each).
    values = {"area1": F("14.25"), "area2": F("28.5"), "ipak": "3.6", "grade": "C", "ipkp": "3.2"}
    values.update(changes)
    return mini_breakdown(**values)


def passing_wbbm(**changes):
    """A mini-rubric breakdown that meets every WBBM rule at its minimum, total 85.00."""
    # Hasil: IPAK 3.6 → 15.75, capaian C → 2.5, IPKP 3.6 → 15.75: 34.00. Pengungkit 51.00:
    # area 1: 15 of 20 (75%), area 2: 36 of 40 (90%).
    values = {"area1": F(15), "area2": F(36), "ipak": "3.6", "grade": "C", "ipkp": "3.6"}
    values.update(changes)
    return mini_breakdown(**values)


def test_minimal_wbk_breakdown_is_at_every_boundary():
    b = passing_wbk()
    assert (b.total, b.pengungkit, b.scores["B.I"], b.scores["B.II.a"]) == (75, 42.75, 18.25, 14)


def test_wbk_at_every_minimum_is_recommended(rules):
    result = scoring.predicate(passing_wbk(), rules, ())
    assert result.verdict == "WBK"
    assert (result.withheld, result.incomplete) == (None, False)
    assert not result.failing("WBK")


@pytest.mark.parametrize("excel_compat", [False, True])
def test_incomplete_lke_gets_no_predicate_in_either_mode(spec, rules, excel_compat):
    answers, inputs = full_marks(spec)
    del answers["A.I.2.ii.d"]  # one question of 113: the total stays far above 85
    breakdown = scoring.score(spec, answers, inputs, excel_compat=excel_compat)
    assert breakdown.total > 85
    result = scoring.predicate(breakdown, rules, {"WBK"})
    assert (result.verdict, result.withheld, result.incomplete) == (None, "incomplete", True)
    assert not result.failing("WBK")  # every rule is still checked, and passes
    assert result.as_dict()["withheld"] == "incomplete"


def test_excel_total_that_is_an_error_gets_no_predicate(spec, rules):
    answers, inputs = full_marks(spec)
    inputs.update({"A.II.6.i.b.1": 0, "A.II.6.i.b.2": 0})
    answers["A.II.6.i.b"] = "1"
    breakdown = scoring.score(spec, answers, inputs, excel_compat=True)
    result = scoring.predicate(breakdown, rules, {"WBK"})
    assert (result.verdict, result.withheld) == (None, "not_computable")
    total_rule = next(r for r in result.rules if r.name == "total")
    assert (total_rule.value, total_rule.passed, total_rule.shortfall) == (None, False, None)
    default = scoring.score(spec, answers, inputs)
    assert scoring.predicate(default, rules, {"WBK"}).verdict == "WBBM"


@pytest.mark.parametrize(
    ("changes", "failing_rule", "shortfall"),
    [
        ({"area2": F("28.49")}, "total", F("0.01")),  # total 74.99
        ({"area1": F("11.99"), "area2": F("30.76")}, "area_share:1", F("0.01")),  # 59.95%
        ({"ipak": "3.59"}, "ipak", F("0.04375")),  # 15.70625
        ({"grade": "D"}, "capaian_kinerja", F("1.25")),
        ({"ipkp": "3.19"}, "ipkp", F("0.04375")),  # 13.95625
    ],
)
def test_wbk_refused_just_below_a_boundary(rules, changes, failing_rule, shortfall):
    result = scoring.predicate(passing_wbk(**changes), rules, ())
    assert result.verdict is None
    failing = [(r.name, r.shortfall) for r in result.failing("WBK")]
    assert (failing_rule, shortfall) in failing


def test_wbk_pengungkit_boundary(rules):
    # Pengungkit 40.00 passes, 39.99 fails; hasil at 40 keeps the total above 75.
    at = mini_breakdown(area1=F("13.34"), area2=F("26.66"))
    below = mini_breakdown(area1=F("13.33"), area2=F("26.66"))
    assert scoring.predicate(at, rules, ()).verdict == "WBK"
    failing = scoring.predicate(below, rules, ()).failing("WBK")
    assert [(r.name, r.value, r.threshold, r.shortfall) for r in failing] == [
        ("pengungkit", F("39.99"), 40, F("0.01"))
    ]


def test_wbk_birokrasi_bersih_boundary(rules):
    # IPAK 3.6 (15.75) with capaian D (1.25) gives B.I 17.00 < 18.25, failing two rules;
    # full pengungkit keeps the total at 91.
    breakdown = passing_wbk(grade="D", area1=F(20), area2=F(40))
    failing = {r.name for r in scoring.predicate(breakdown, rules, ()).failing("WBK")}
    assert failing == {"birokrasi_bersih", "capaian_kinerja"}


def test_area_share_at_60_percent_passes(rules):
    b = passing_wbk(area1=F(12), area2=F("30.75"))  # area 1: exactly 60%
    assert b.areas["1"].share == F("0.6")
    assert scoring.predicate(b, rules, ()).verdict == "WBK"


def test_wbbm_at_every_minimum_with_wbk_held(rules):
    result = scoring.predicate(passing_wbbm(), rules, {"WBK"})
    assert result.verdict == "WBBM"


def test_wbbm_refused_without_a_prior_wbk(rules):
    result = scoring.predicate(passing_wbbm(), rules, ())
    assert result.verdict == "WBK"
    assert [(r.name, r.value, r.threshold) for r in result.failing("WBBM")] == [
        ("prior_wbk", None, "WBK")
    ]


@pytest.mark.parametrize(
    ("changes", "failing_rule"),
    [
        ({"area2": F("35.99")}, "total"),  # 84.99
        ({"area1": F("14.99"), "area2": F("36.01")}, "area_share:1"),  # 74.95%
        ({"ipkp": "3.59"}, "ipkp"),  # 15.70625 < 15.75
    ],
)
def test_wbbm_refused_just_below_a_boundary(rules, changes, failing_rule):
    result = scoring.predicate(passing_wbbm(**changes), rules, {"WBK"})
    assert result.verdict == "WBK"
    assert failing_rule in {r.name for r in result.failing("WBBM")}


def test_wbbm_pengungkit_boundary(rules):
    # Hasil at 40: pengungkit 47.99 keeps the total at 87.99.
    below = mini_breakdown(area1=F(16), area2=F("31.99"))
    failing = scoring.predicate(below, rules, {"WBK"}).failing("WBBM")
    assert ("pengungkit", F("0.01")) in [(r.name, r.shortfall) for r in failing]
    at = mini_breakdown(area1=F(16), area2=F(32))
    assert scoring.predicate(at, rules, {"WBK"}).verdict == "WBBM"


def test_explanation_lists_every_rule_with_value_threshold_and_shortfall(rules):
    result = scoring.predicate(passing_wbk(area2=F("28.49")), rules, ())
    rule = next(r for r in result.rules if (r.predicate, r.name) == ("WBK", "total"))
    assert (rule.value, rule.threshold, rule.passed, rule.shortfall) == (
        F("74.99"),
        75,
        False,
        F("0.01"),
    )
    assert rule.as_dict() == {
        "name": "WBK:total",
        "value": 74.99,
        "threshold": 75.0,
        "passed": False,
        "shortfall": 0.01,
    }
    # 7 WBK and 8 WBBM rules, the area rule counted once per area (2 in the mini rubric).
    assert len(result.rules) == (6 + 2) + (7 + 2)


def test_shipped_rubric_gives_wbk_and_wbbm_thresholds_from_data(rules):
    minimums = {(r.predicate, r.name): r.minimum for r in rules}
    assert minimums[("WBK", "total")] == 75
    assert minimums[("WBBM", "ipkp")] == F("15.75")
    assert minimums[("WBK", "area_share")] == F("0.6")


# --- Gains ------------------------------------------------------------------------------------


def test_gains_on_an_empty_lke_start_with_the_surveys(spec):
    top = scoring.gains(scoring.score(spec, {}, {}), limit=3)
    assert [(g.code, g.points) for g in top] == [
        ("B.I.a", F("17.5")),
        ("B.II.a", F("17.5")),
        ("A.II.5.ii.a", F(3)),
    ]


def test_gains_name_the_next_better_option_and_its_points(spec):
    answers, inputs = full_marks(spec)
    answers["A.I.1.i.b"] = "C"  # abc in a sub-area of weight 0.5 with two questions
    answers["A.I.5.ii.a"] = "C"  # abcde in a sub-area of weight 1.5 with four questions
    found = scoring.gains(scoring.score(spec, answers, inputs))
    assert [(g.code, g.next_letter, g.points) for g in found] == [
        ("A.I.1.i.b", "B", F("0.125")),  # C 0 → B 0.5, × 0.5 / 2
        ("A.I.5.ii.a", "B", F("0.09375")),  # C 0.5 → B 0.75, × 1.5 / 4
    ]


def test_gains_of_full_marks_are_empty(spec):
    assert scoring.gains(scoring.score(spec, *full_marks(spec))) == []


# --- Formulas and purity ----------------------------------------------------------------------


def test_parse_formula_reads_nested_sums():
    formula = scoring.parse_formula("ratio(x.5, sum(x.2, x.3,x.4))")
    assert formula.function == "ratio"
    assert formula.args == (("x.5",), ("x.2", "x.3", "x.4"))
    assert scoring.parse_formula("survey(max=4)").params == {"max": 4}


@pytest.mark.parametrize("text", ["ratio(a)", "avg(a, b)", "ratio(a, b", "ratio(a, max(b))", ""])
def test_parse_formula_refuses_nonsense(text):
    with pytest.raises(ValueError):
        scoring.parse_formula(text)


def test_scoring_module_imports_nothing_from_django():
    source = Path(scoring.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert not {name for name in imported if name.startswith(("django", "."))}


def test_scoring_module_imports_without_django_loaded():
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('scoring', {scoring.__file__!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['scoring'] = module\n"
        "spec.loader.exec_module(module)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_gains_of_a_computed_question_go_up_to_full_value(spec):
    answers, inputs = full_marks(spec)
    inputs.update({"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 2})  # 2 / 4 = 0.5 in a sub-area of 2 over 2
    [gain] = scoring.gains(scoring.score(spec, answers, inputs))
    assert (gain.code, gain.next_letter, gain.next_value, gain.points) == (
        "A.II.1.i.a",
        None,
        1,
        F("0.5"),
    )
