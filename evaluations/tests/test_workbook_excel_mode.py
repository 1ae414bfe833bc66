"""The Excel-compatible mode against the official workbook's own formulas, recalculated.

Each variant of the sample is recalculated by LibreOffice (the workbook's own formulas, as a
unit's Excel computes them), imported, and scored in Excel-compatible mode: every sub-area, area,
half, component and the total must equal what the workbook shows. Where the workbook shows no
number ("#DIV/0!", or "Blm Diisi" turned into an error), the portal must show none either.
"""

import pytest
from django.utils import translation

from evaluations import selectors
from evaluations.models import Evaluation, Level
from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring
from evaluations.workbook.services import workbook_import

from .workbook_factory import (
    SOFFICE,
    cached_values,
    fixture_bytes,
    recalculated,
    sample_rows,
    with_answers,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed here: Debian package libreoffice-calc-nogui",
    ),
]

# code → cell value; None blanks the cell.
VARIANTS = {
    "sample": {},
    "changed": {
        "A.I.1.ii.c": "A",
        "A.I.2.ii.a": "B",
        "A.I.6.v.c": "Tidak",
        "B.I.a": 3.61,
        "B.I.b": "D",
        "A.II.1.i.a.2": 5,
        "A.II.5.iii.i.a.5": 12,
    },
    "blanked": {
        "A.I.1.ii.b": None,
        "A.I.3.iii.c": None,
        "A.II.1.i.b.1": None,  # a "%" question whose input is blank is unanswered
        "A.II.6.i.b.2": None,
    },
    # The first question is typed "Ya" in the workbook: its formula gives "-", which AVERAGE
    # skips, whatever the answer (the sample has it equal to its neighbour, which hides it).
    "first-question-no": {"A.I.1.i.a": "Tidak"},
    # An input the workbook's formula checks but the regulation's ratio does not use.
    "unused-input-blank": {"A.II.5.ii.a.2": None},
    # A zero denominator: the workbook shows #DIV/0! up to the total.
    "zero-denominator": {"A.II.4.i.a.1": 0, "A.II.4.i.a.2": 0},
    # Every question of a sub-area blank: its AVERAGE has nothing to average (#DIV/0!).
    "sub-area-blank": {"A.I.2.iii.a": None, "A.I.2.iii.b": None},
    # A survey left blank: "Blm Diisi" × weight is #VALUE!, up to the total.
    "survey-blank": {"B.I.a": None},
}


@pytest.fixture(scope="module")
def spec_file():
    return rubric_files.read_rubric(rubric_files.version_folder()).spec


@pytest.fixture(scope="module")
def workbooks(spec_file):
    """Each variant as a unit's spreadsheet leaves it: recalculated (one LibreOffice run)."""
    names = list(VARIANTS)
    edited = [
        fixture_bytes() if not VARIANTS[name] else with_answers(spec_file, VARIANTS[name])
        for name in names
    ]
    return dict(zip(names, recalculated(*edited), strict=True))


@pytest.fixture(scope="module")
def rows(spec_file):
    return sample_rows(spec_file)


def excel_breakdown(unit, content) -> scoring.Breakdown:
    with translation.override("id"):
        workbook_import(unit=unit, year=2025, level=Level.SELF, file=content)
    evaluation = Evaluation.objects.get(unit=unit, year=2025)
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=Level.SELF)
    return scoring.score(spec, answers, inputs, excel_compat=True)


def mismatches(breakdown: scoring.Breakdown, cached: dict) -> dict:
    """Return code → (portal, workbook) wherever the two differ; "" is the total."""
    found = {}
    spec = breakdown.rubric
    portal = {
        code: value
        for code, value in breakdown.scores.items()
        if spec.criteria[code].kind not in (scoring.QUESTION, scoring.INPUT)
    }
    portal[""] = breakdown.total
    for code, value in portal.items():
        expected = cached[code]
        if isinstance(expected, str) or expected is None:
            same = value is None  # the workbook shows no number: neither may the portal
        else:
            same = value is not None and abs(float(value) - expected) < 1e-9
        if not same:
            found[code] = (None if value is None else float(value), expected)
    return found


def test_libreoffice_recalculates_the_sample_to_its_own_stored_values(workbooks, rows):
    """LibreOffice computes the official formulas as the program that saved the sample did."""
    original = cached_values(fixture_bytes(), rows)
    again = cached_values(workbooks["sample"], rows)
    assert again == pytest.approx(original, abs=1e-9)


@pytest.mark.parametrize("variant", ["sample", "changed", "blanked"])
def test_excel_mode_equals_the_workbook_for_each_variant(unit, rubric, workbooks, rows, variant):
    content = workbooks[variant]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_excel_mode_skips_the_first_question_as_the_workbook_does(unit, rubric, workbooks, rows):
    content = workbooks["first-question-no"]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_excel_mode_leaves_a_question_unfilled_when_an_input_it_checks_is_blank(
    unit, rubric, workbooks, rows
):
    content = workbooks["unused-input-blank"]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_excel_mode_has_no_number_where_the_workbook_divides_by_zero(unit, rubric, workbooks, rows):
    content = workbooks["zero-denominator"]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_excel_mode_has_no_number_for_a_sub_area_left_blank(unit, rubric, workbooks, rows):
    content = workbooks["sub-area-blank"]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_excel_mode_has_no_number_for_a_blank_survey(unit, rubric, workbooks, rows):
    content = workbooks["survey-blank"]
    assert mismatches(excel_breakdown(unit, content), cached_values(content, rows)) == {}


def test_the_variants_without_a_number_really_have_none(workbooks, rows):
    """The variants above show what they say: the workbook's own total is an error."""
    zero = cached_values(workbooks["zero-denominator"], rows)
    assert zero["A.II.4.i"] == "#DIV/0!" and zero[""] == "#DIV/0!"
    blank = cached_values(workbooks["sub-area-blank"], rows)
    assert blank["A.I.2.iii"] == "#DIV/0!" and blank[""] == "#DIV/0!"
    survey = cached_values(workbooks["survey-blank"], rows)
    assert survey["B.I"] == "#VALUE!" and survey[""] == "#VALUE!"
