"""Read an LKE workbook (.xlsx) into one level's answers, or say everything wrong with it.

Two kinds of file come in, both laid out as the official 2021 workbook ("LKE ZI"): the official
file as units and inspectorates fill it in, which names no unit and no year, and the portal's own
export, which adds the TPI's and the TPN's columns and names its unit, year and rubric version in
the file's properties (an export of another unit or year is refused). Both go through the same
steps: the rows are matched to the rubric (layout.py), then every cell of the level is checked
here, the same way for both. The workbook's own results (the "Nilai" column, the percentages of
the "%" questions) are not read: the portal computes them from the answers and the "Jumlah" rows.

Nothing here writes to the database; `workbook.services` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from evaluations import numbers
from evaluations.rubric import scoring
from evaluations.workbook import cells, layout, package
from evaluations.workbook.problems import Problem, WorkbookInvalid, refuse

__all__ = [
    "SHEET",
    "ExportIdentity",
    "ParsedAnswer",
    "ParsedLink",
    "ParsedWorkbook",
    "Problem",
    "WorkbookInvalid",
    "read_workbook",
]

SHEET = "LKE ZI"
# Evidence.url and Evidence.description hold at most this much, and only web links.
LINK_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 500
_web_link = URLValidator(schemes=["http", "https"])
_HYPERLINK_FORMULA = re.compile(r'^=\s*HYPERLINK\(\s*"([^"]+)"', re.IGNORECASE)
_REFERENCE = re.compile(r"(?<![A-Za-z!$])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")

# The portal's export names what it holds in the workbook's custom properties.
PROPERTY_UNIT = "ZI Portal unit"
PROPERTY_UNIT_NAME = "ZI Portal unit name"
PROPERTY_YEAR = "ZI Portal year"
PROPERTY_RUBRIC = "ZI Portal rubric"


@dataclass(frozen=True)
class ParsedLink:
    """One evidence link of a question, with the description the workbook gives it."""

    url: str
    description: str = ""


@dataclass
class ParsedAnswer:
    """One question's answer as the workbook holds it (None: the cell is empty)."""

    code: str
    row: int
    letter: str | None = None
    number: Decimal | None = None
    inputs: dict[str, Decimal] = field(default_factory=dict)
    note: str = ""
    note_to_unit: str = ""
    links: list[ParsedLink] = field(default_factory=list)


@dataclass(frozen=True)
class ExportIdentity:
    """What a portal export says it holds."""

    unit_code: str
    unit_name: str
    year: str
    rubric: str


@dataclass
class ParsedWorkbook:
    sheet: str
    answers: dict[str, ParsedAnswer]
    has_notes: bool
    has_notes_to_unit: bool
    rows: dict[str, int] = field(default_factory=dict)  # every criterion's row in the sheet
    exported: ExportIdentity | None = None  # None: an official file, which names no unit


def read_workbook(
    content: bytes,
    *,
    spec: scoring.RubricSpec,
    level: str,
    unit=None,
    year: int | None = None,
) -> ParsedWorkbook:
    """Read one level's answers from a checked workbook; raise WorkbookInvalid listing each problem.

    `unit` and `year` are the LKE the workbook is meant for: a portal export of another unit,
    year or rubric version is refused.
    """
    book = package.load(content, SHEET)
    exported = _identity(book.properties)
    if exported is not None:
        _check_identity(exported, unit=unit, year=year, rubric=spec.code)
    if book.sheet is None:
        raise refuse(_("The sheet “%(sheet)s” is missing.") % {"sheet": SHEET})
    sheet = book.sheet
    problems: list[Problem] = []
    columns = layout.find_columns(sheet, level, problems)
    if columns is None:
        raise WorkbookInvalid(problems)
    found = layout.match(spec, layout.tree_rows(sheet, columns), sheet.title)
    problems.extend(found.problems)
    cellreader = _Cells(sheet, columns, problems)
    answers = {}
    for question in spec.questions:
        row = found.rows.get(question.code)
        if row is not None and question.code not in found.mismatched:
            answers[question.code] = cellreader.answer(spec, question, row, found.rows)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.code))
        raise WorkbookInvalid(problems)
    return ParsedWorkbook(
        sheet=sheet.title,
        answers=answers,
        has_notes=columns.note is not None,
        has_notes_to_unit=columns.note_to_unit is not None,
        rows={code: row.number for code, row in found.rows.items()},
        exported=exported,
    )


def _identity(properties: dict[str, str]) -> ExportIdentity | None:
    if PROPERTY_UNIT not in properties:
        return None
    return ExportIdentity(
        unit_code=properties.get(PROPERTY_UNIT, ""),
        unit_name=properties.get(PROPERTY_UNIT_NAME, ""),
        year=properties.get(PROPERTY_YEAR, ""),
        rubric=properties.get(PROPERTY_RUBRIC, ""),
    )


def _check_identity(exported: ExportIdentity, *, unit, year, rubric: str) -> None:
    if unit is not None and (exported.unit_code != unit.code or exported.year != str(year)):
        raise refuse(
            _(
                "This workbook is the portal's export of the LKE of %(exported_unit)s "
                "(%(exported_code)s) for %(exported_year)s; it cannot be imported into the "
                "LKE of %(unit)s (%(code)s) for %(year)s."
            )
            % {
                "exported_unit": exported.unit_name or exported.unit_code,
                "exported_code": exported.unit_code,
                "exported_year": exported.year,
                "unit": unit.name,
                "code": unit.code,
                "year": year,
            }
        )
    if exported.rubric and exported.rubric != rubric:
        raise refuse(
            _(
                "This workbook was exported with rubric version %(exported)s; this LKE uses "
                "version %(rubric)s."
            )
            % {"exported": exported.rubric, "rubric": rubric}
        )


class _Cells:
    """Checks the cells of the matched rows: one validation path for every kind of file."""

    def __init__(self, sheet: package.Sheet, columns: layout.Columns, problems: list[Problem]):
        self.sheet = sheet
        self.columns = columns
        self.problems = problems

    def problem(self, row: int, code: str, message) -> None:
        self.problems.append(Problem(self.sheet.title, row, code, message))

    def value(self, row: int, column: int | None):
        return self.sheet.value(row, column)

    def answer(self, spec, question: scoring.CriterionSpec, row: layout.Row, rows) -> ParsedAnswer:
        number = row.number
        parsed = ParsedAnswer(question.code, number)
        raw = self.value(number, self.columns.answer)
        percent = (number, self.columns.answer) in self.sheet.percent
        answer_type = question.answer_type
        if answer_type in scoring.COMPUTED_TYPES:
            for code in spec.children[question.code]:
                if spec.criteria[code].kind == scoring.INPUT and code in rows:
                    value = self.count(rows[code].number, code)
                    if value is not None:
                        parsed.inputs[code] = value
            # The official cell holds the formula over the "Jumlah" rows: the portal computes it.
            # A plain value there is one an evaluator typed.
            if not cells.is_formula(raw) and not cells.is_blank(raw):
                parsed.number = self.typed_value(question, parsed, raw, percent)
        else:
            if cells.is_formula(raw):
                raw = self.sheet.cached.get((number, self.columns.answer))
            if not cells.is_blank(raw):
                try:
                    if answer_type in scoring.OPTION_TYPES:
                        parsed.letter = _letter(question, raw)
                    else:
                        maximum = question.formula.params["max"]
                        parsed.number = numbers.survey(
                            raw,
                            Decimal(maximum.numerator) / Decimal(maximum.denominator),
                            percent_format=percent,
                        )
                except cells.CellError as exc:
                    self.problem(number, question.code, exc.message)
        parsed.note = cells.note(self.value(number, self.columns.note))
        parsed.note_to_unit = cells.note(self.value(number, self.columns.note_to_unit))
        parsed.links = self.links(number, question.code)
        return parsed

    def count(self, row: int, code: str) -> Decimal | None:
        """Return an input row's count (None: blank); a formula gives its stored result."""
        column = self.columns.answer
        raw = self.value(row, column)
        try:
            if cells.is_formula(raw):
                raw = self._formula_result(row, column, raw, depth=0)
            if raw is None or cells.is_blank(raw):
                return None
            return numbers.count(raw)
        except cells.CellError as exc:
            self.problem(row, code, exc.message)
            return None

    def _formula_result(self, row: int, column: int, formula: str, *, depth: int):
        """Return a formula's stored result, or recompute the sum of the counts it names.

        A file written by a program that computes nothing (openpyxl, a generator) stores no
        results: the one formula among the official "Jumlah" rows adds up the three rows below
        it, and any blank one leaves it blank ("Blm Diisi"), as the workbook's formula does.
        """
        if (row, column) in self.sheet.cached:
            result = self.sheet.cached[(row, column)]
            if isinstance(result, str) and result.startswith("#"):
                raise cells.CellError(
                    _("The formula of this cell gives an error (%(error)s).") % {"error": result}
                )
            return result
        references = _references(formula)
        if depth > 3 or references is None or not references:
            raise cells.CellError(
                _(
                    "The result of this cell's formula is not stored in the file: open the "
                    "workbook in Excel or LibreOffice, save it and upload it again."
                )
            )
        total = Decimal(0)
        for ref_row, ref_column in references:
            value = self.value(ref_row, ref_column)
            if cells.is_formula(value):
                value = self._formula_result(ref_row, ref_column, value, depth=depth + 1)
            if value is None or cells.is_blank(value):
                return None
            total += numbers.count(value)
        return total

    def typed_value(self, question, parsed: ParsedAnswer, raw, percent: bool) -> Decimal | None:
        try:
            value = numbers.fraction(raw, percent_format=percent)
        except cells.CellError as exc:
            self.problem(parsed.row, question.code, exc.message)
            return None
        if not _not_computable(question, parsed.inputs):
            self.problem(
                parsed.row,
                question.code,
                _(
                    "A value is typed in place of the formula, but a value is taken only when "
                    "the percentage cannot be computed (its denominator is 0): fill in the "
                    "“Jumlah” rows instead."
                ),
            )
            return None
        return value

    def links(self, row: int, code: str) -> list[ParsedLink]:
        """Return a question's evidence links; record each one that is no web link.

        A link is a URL typed in the cell (several: one a line), or the target of the cell's
        hyperlink when the cell shows something else ("Klik di sini"). A description goes with
        each link: line by line when the description has as many lines as there are links, else
        the whole description for each.
        """
        raw = self.value(row, self.columns.link)
        target = self.sheet.links.get((row, self.columns.link))
        if cells.is_formula(raw):
            match = _HYPERLINK_FORMULA.match(raw)
            urls = [match.group(1)] if match else []
        else:
            urls = cells.link_lines(raw)
            if target and not any(_looks_like_link(url) for url in urls):
                urls = [target]
        urls = list(dict.fromkeys(urls))  # the same link twice is one link
        descriptions = cells.lines(self.value(row, self.columns.description))
        if len(descriptions) != len(urls):
            descriptions = ["; ".join(descriptions)] * len(urls)
        found = []
        for url, description in zip(urls, descriptions, strict=True):
            if len(url) > LINK_MAX_LENGTH:
                self.problem(
                    row,
                    code,
                    _("An evidence link is longer than %(max)s characters.")
                    % {"max": LINK_MAX_LENGTH},
                )
                continue
            try:
                _web_link(url)
            except ValidationError:
                self.problem(
                    row,
                    code,
                    _(
                        "“%(link)s” is not a web link: an evidence link starts with http:// or https://."
                    )
                    % {"link": url},
                )
                continue
            if description == url:
                description = ""
            if len(description) > DESCRIPTION_MAX_LENGTH:
                self.problem(
                    row,
                    code,
                    _("An evidence description is longer than %(max)s characters.")
                    % {"max": DESCRIPTION_MAX_LENGTH},
                )
                continue
            found.append(ParsedLink(url, description))
        return found


def _letter(question: scoring.CriterionSpec, raw) -> str:
    typed = cells.text(raw).rstrip(".").strip()
    letters = {letter.lower(): letter for letter in question.options}
    letter = letters.get(typed.lower())
    if letter is None:
        raise cells.CellError(
            _("“%(answer)s” is not an option of this question; choose one of %(options)s.")
            % {"answer": cells.text(raw), "options": ", ".join(question.options)}
        )
    return letter


def _looks_like_link(text: str) -> bool:
    return text.lower().startswith(("http://", "https://", "www."))


def _not_computable(question: scoring.CriterionSpec, inputs: dict[str, Decimal]) -> bool:
    """True when the question's inputs are all there and its denominator is 0."""
    if question.formula.function != "ratio":
        return False
    if any(code not in inputs for code in question.formula.codes):
        return False
    return sum((inputs[code] for code in question.formula.args[1]), Decimal(0)) == 0


def _references(formula: str) -> list[tuple[int, int]] | None:
    """Return the cells a formula names (ranges of one column expanded), or None if it is not
    a plain formula of this sheet (another sheet, a name, a range over several columns)."""
    if "!" in formula:
        return None
    found: list[tuple[int, int]] = []
    for first_col, first_row, last_col, last_row in _REFERENCE.findall(formula):
        column = package.column_number(first_col)
        start = int(first_row)
        end = int(last_row) if last_row else start
        if last_col and last_col != first_col or end < start or end - start > 100:
            return None
        for row in range(start, end + 1):
            if (row, column) not in found:
                found.append((row, column))
    return found
