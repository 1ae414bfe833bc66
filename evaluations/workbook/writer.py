"""Write an evaluation as the official LKE workbook (2021 layout), with live formulas.

The "LKE ZI" sheet has the official file's header and columns, in its order (so the official
layout's reader reads it back): "Penilaian" over the code columns, "Bobot", "Penjelasan",
"Pilihan Jawaban", the unit's "Jawaban", "Nilai", " %", "Catatan/Keterangan/Penjelasan" and the
two unlabelled evidence columns; then the TPI's and the TPN's answer, value and note columns.
"Utama" sums the tree up. The unit, year and rubric version are named in the title and in the
workbook's properties, which the importer checks.

The formulas follow the regulation, as the portal scores: an unanswered question counts 0 and
wealth reporting sums its LHKPN and LHKASN parts, so that Excel's totals equal the portal's.
Answer cells offer the allowed options in a drop-down; formula cells are locked and the sheets
are protected without a password (anyone can lift it; it guards against slips, not people).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evaluations import selectors
from evaluations.models import Answer, Evaluation, Evidence, Level, Option
from evaluations.numbers import COUNT_LIMIT
from evaluations.rubric import scoring
from evaluations.workbook import reader

SHEET = reader.SHEET
SUMMARY_SHEET = "Utama"
HEADER_ROW = 2
FIRST_ROW = 4  # row 3 stays blank, as in the official file
TOTAL_TEXT = "NILAI EVALUASI ZONA INTEGRITAS"

# Columns of "LKE ZI", from 1 (A). A holds row numbers, B:G the codes and labels.
CODE_COLUMNS = range(2, 8)
WEIGHT, EXPLANATION, TYPE = 8, 9, 10
PERCENT = 13  # " %" of the unit's values
DESCRIPTION, LINK = 16, 17  # no header, as in the official file


@dataclass(frozen=True)
class LevelColumns:
    level: str
    answer: int
    value: int
    note: int
    to_unit: int | None
    headers: tuple[str, str, str, str | None]  # answer, value, note, note to the unit


_UNIT_HEADERS = ("Jawaban", "Nilai", "Catatan/Keterangan/Penjelasan", None)
_TPI_HEADERS = ("Jawaban TPI", "Nilai TPI", "Catatan TPI", "Catatan TPI untuk Unit")
_TPN_HEADERS = ("Jawaban TPN", "Nilai TPN", "Catatan TPN", "Catatan TPN untuk Unit")
LEVELS = (
    LevelColumns(Level.SELF, 11, 12, 15, None, _UNIT_HEADERS),
    LevelColumns(Level.TPI, 18, 19, 20, 21, _TPI_HEADERS),
    LevelColumns(Level.TPN, 22, 23, 24, 25, _TPN_HEADERS),
)
LAST_COLUMN = 25

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells someone fills in
_WRAP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def letter(column: int) -> str:
    return get_column_letter(column)


def _number(value: Fraction) -> str:
    return repr(float(value))


def type_text(criterion: scoring.CriterionSpec) -> str:
    """Return the "Pilihan Jawaban" text of a row, as the official file writes it."""
    if criterion.kind == scoring.INPUT:
        return "Jumlah"
    if criterion.options:
        return "/".join(criterion.options)
    if criterion.answer_type == scoring.SURVEY:
        return f"Nilai\n(0-{_number(criterion.formula.params['max']).removesuffix('.0')})"
    return "%"


def _option_formula(question, answer_ref: str) -> str:
    values = ",".join(_number(v) for v in question.options.values())
    letters = ",".join(f'"{option}"' for option in question.options)
    return f"IFERROR(INDEX({{{values}}},MATCH({answer_ref},{{{letters}}},0)),0)"


def _computed_formula(question, column: str, rows: dict[str, int]) -> str:
    """Return the Excel formula of a percent or decrease question over its input rows.

    It gives "" when an input is blank or the percentage cannot be computed.
    """
    refs = [[f"{column}{rows[code]}" for code in arg] for arg in question.formula.args]
    every = ",".join(ref for arg in refs for ref in arg)
    count = sum(len(arg) for arg in refs)
    sums = [f"SUM({','.join(arg)})" for arg in refs]
    if question.formula.function == "ratio":
        numerator, denominator = sums
        # PermenPANRB 90/2021: a percentage counts at most 100%; denominator 0: not computable.
        body = f'IF({denominator}=0,"",MIN(1,{numerator}/{denominator}))'
    else:
        previous, current = sums
        body = f"IF({previous}=0,IF({current}=0,1,0),MAX(0,({previous}-{current})/{previous}))"
    # An input left blank leaves the question unanswered (the portal's rule), not Excel's 0.
    return f'=IF(COUNT({every})<{count},"",{body})'


def _evidence_by_question(evaluation: Evaluation) -> dict[str, tuple[list[str], list[str]]]:
    """Return question code → (descriptions, web links) of its current evidence (one query).

    Uploaded files stay in the portal (they are served only to those who may see them); the
    workbook names them, and carries the links a unit gave.
    """
    found: dict[str, tuple[list[str], list[str]]] = {}
    rows = (
        Evidence.objects.filter(evaluation=evaluation, is_removed=False)
        .order_by("question__position", "pk")
        .values_list("question__code", "kind", "description", "url", "original_filename")
    )
    for code, kind, description, url, filename in rows:
        descriptions, links = found.setdefault(code, ([], []))
        descriptions.append(description or filename or url)
        if kind == Evidence.Kind.LINK:
            links.append(url)
    return found


def _explanations(evaluation: Evaluation) -> dict[str, str]:
    """Return each question's options and what qualifies for them, one a line (one query)."""
    found: dict[str, list[str]] = {}
    rows = Option.objects.filter(question__rubric_id=evaluation.rubric_id).values_list(
        "question__code", "letter", "description_id"
    )
    for code, option, description in rows.order_by("question__position", "order"):
        marker = option.lower() if len(option) == 1 else option
        found.setdefault(code, []).append(f"{marker}. {description}" if description else marker)
    return {code: "\n".join(lines) for code, lines in found.items()}


def _placement(criterion: scoring.CriterionSpec, spec) -> tuple[int | None, int]:
    """Return the columns of a row's marker and label, one level a column as the official file."""
    kind = criterion.kind
    if kind == scoring.INPUT:
        return None, 7
    if kind == scoring.QUESTION:
        parent = spec.criteria[criterion.parent]
        # The hasil lines stand straight under their group ("I."/"II.").
        return (4, 5) if parent.kind == scoring.SUBCOMPONENT else (6, 7)
    column = {
        scoring.COMPONENT: 2,
        scoring.SUBCOMPONENT: 3,
        scoring.AREA: 4,
        scoring.SUB_AREA: 5,
    }[kind]
    return column, column + 1


def _layout(spec: scoring.RubricSpec) -> tuple[dict[str, int], dict[str, int], int]:
    """Return the row of every criterion, the row of each component's total, and the grand
    total's row: each component's tree, then "TOTAL …" and a blank row."""
    rows, totals = {}, {}
    number = FIRST_ROW
    for root in spec.roots:
        for code in spec.criteria:
            if code == root or code.startswith(f"{root}."):
                rows[code] = number
                number += 1
        totals[root] = number
        number += 2
    return rows, totals, number


def workbook_export(*, evaluation: Evaluation, internal_notes: bool = True) -> bytes:
    """Return the evaluation as an .xlsx workbook in the official 2021 layout.

    Without `internal_notes` (a reader from the unit) the TPI's internal notes are left out.
    """
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers = {
        (a.question.code, a.level): a
        for a in Answer.objects.filter(evaluation=evaluation).select_related("question", "option")
    }
    if not internal_notes:
        for (_code, level), answer in answers.items():
            if level == Level.TPI:
                answer.note = ""
    evidence = _evidence_by_question(evaluation)
    explanations = _explanations(evaluation)
    unit = evaluation.unit
    rows, totals, total_row = _layout(spec)

    book = Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    sheet = book.create_sheet(SHEET)
    book.active = sheet
    title = (
        f"LEMBAR KERJA EVALUASI ZONA INTEGRITAS — {unit.name} ({unit.code}) — "
        f"TAHUN {evaluation.year}"
    )
    _text(sheet.cell(1, 2), title).font = Font(bold=True, size=12)
    sheet.merge_cells(start_row=1, start_column=2, end_row=1, end_column=LINK)
    _header(sheet)

    validations = _Validations(sheet)
    for code, number in rows.items():
        criterion = spec.criteria[code]
        _tree_cells(sheet, criterion, spec, number, explanations)
        for columns in LEVELS:
            _level_cells(sheet, criterion, spec, number, rows, columns, answers, validations)
        if criterion.kind == scoring.QUESTION and code in evidence:
            descriptions, links = evidence[code]
            _text(sheet.cell(number, DESCRIPTION), "\n".join(descriptions))
            _text(sheet.cell(number, LINK), "\n".join(links))
        if criterion.kind == scoring.QUESTION:
            for column in (DESCRIPTION, LINK):
                _editable(sheet.cell(number, column))
    for root, number in totals.items():
        _total_row(sheet, number, f"TOTAL {spec.criteria[root].label_id.upper()}")
        for columns in LEVELS:
            sheet.cell(number, columns.value, f"={letter(columns.value)}{rows[root]}")
    _total_row(sheet, total_row, TOTAL_TEXT)
    for columns in LEVELS:
        refs = ",".join(f"{letter(columns.value)}{rows[root]}" for root in spec.roots)
        sheet.cell(total_row, columns.value, f"=SUM({refs})")
    for number in range(HEADER_ROW, total_row + 1):
        sheet.cell(number, 1, number - 1)  # the official file numbers its rows in column A
    for number in range(FIRST_ROW, total_row + 1):
        for columns in LEVELS:
            sheet.cell(number, columns.value).number_format = "0.00"
        sheet.cell(number, PERCENT).number_format = "0.00%"
    validations.attach()
    _sheet_look(sheet)

    _summary(summary, evaluation, spec, rows, totals, total_row)
    for name, value in [
        (reader.PROPERTY_UNIT, unit.code),
        (reader.PROPERTY_UNIT_NAME, unit.name),
        (reader.PROPERTY_YEAR, str(evaluation.year)),
        (reader.PROPERTY_RUBRIC, evaluation.rubric.code),
    ]:
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet) -> None:
    headers = {
        2: "Penilaian",
        WEIGHT: "Bobot",
        EXPLANATION: "Penjelasan",
        TYPE: "Pilihan Jawaban",
        PERCENT: " %",
    }
    for columns in LEVELS:
        answer, value, note, to_unit = columns.headers
        headers.update({columns.answer: answer, columns.value: value, columns.note: note})
        if to_unit:
            headers[columns.to_unit] = to_unit
    for column in range(1, LAST_COLUMN + 1):
        cell = sheet.cell(HEADER_ROW, column, headers.get(column))
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = _BOX
    sheet.merge_cells(start_row=HEADER_ROW, start_column=2, end_row=HEADER_ROW, end_column=7)


def _tree_cells(sheet, criterion, spec, number: int, explanations: dict[str, str]) -> None:
    marker_column, label_column = _placement(criterion, spec)
    if marker_column is not None:
        sheet.cell(number, marker_column, f"{criterion.code.rsplit('.', 1)[-1]}.")
    label = criterion.label_id
    if criterion.kind == scoring.INPUT:
        label = f"- {label}"
    cell = _text(sheet.cell(number, label_column), label)
    cell.alignment = _WRAP
    if criterion.kind not in (scoring.QUESTION, scoring.INPUT):
        cell.font = _BOLD
        if label_column < 7:
            sheet.merge_cells(
                start_row=number, start_column=label_column, end_row=number, end_column=7
            )
    if criterion.weight is not None:
        sheet.cell(number, WEIGHT, float(criterion.weight))
    if criterion.kind in (scoring.QUESTION, scoring.INPUT):
        sheet.cell(number, TYPE, type_text(criterion)).alignment = _WRAP
    if criterion.code in explanations:
        _text(sheet.cell(number, EXPLANATION), explanations[criterion.code]).alignment = _WRAP


def _level_cells(sheet, criterion, spec, number, rows, columns, answers, validations) -> None:
    answer_column, value_column = letter(columns.answer), letter(columns.value)
    answer_ref = f"{answer_column}{number}"
    answer_cell = sheet.cell(number, columns.answer)
    kind = criterion.kind
    if kind == scoring.INPUT:
        stored = answers.get((criterion.parent, columns.level))
        raw = (stored.inputs or {}).get(criterion.code) if stored else None
        if raw not in (None, ""):
            answer_cell.value = _cell_number(raw)
        _editable(answer_cell)
        validations.count(answer_ref)
        return
    if kind != scoring.QUESTION:
        kids = [k for k in spec.children[criterion.code] if spec.criteria[k].kind != scoring.INPUT]
        refs = ",".join(f"{value_column}{rows[k]}" for k in kids)
        averaged = all(
            spec.criteria[k].kind == scoring.QUESTION and spec.criteria[k].weight is None
            for k in kids
        )
        formula = f"=AVERAGE({refs})*{letter(WEIGHT)}{number}" if averaged else f"=SUM({refs})"
        sheet.cell(number, columns.value, formula).font = _BOLD
        if columns.level == Level.SELF:
            sheet.cell(number, PERCENT, f'=IFERROR({value_column}{number}/H{number},"")')
        return
    stored = answers.get((criterion.code, columns.level))
    weight = f"*{letter(WEIGHT)}{number}" if criterion.weight is not None else ""
    if criterion.answer_type in scoring.OPTION_TYPES:
        if stored and stored.option_id:
            answer_cell.value = stored.option.letter
        formula = f"={_option_formula(criterion, answer_ref)}{weight}"
        _editable(answer_cell)
        validations.options(answer_ref, list(criterion.options))
    elif criterion.answer_type == scoring.SURVEY:
        if stored and stored.number is not None:
            answer_cell.value = _cell_number(stored.number)
        maximum = _number(criterion.formula.params["max"])
        formula = f"=IF(ISNUMBER({answer_ref}),{answer_ref}/{maximum},0){weight}"
        _editable(answer_cell)
        validations.survey(answer_ref, maximum)
    elif stored and stored.number is not None:
        # The value an evaluator typed stays a plain number, so that it travels back on import.
        # As in scoring, it counts only when the inputs give no value.
        answer_cell.value = _cell_number(stored.number)
        computed = _computed_formula(criterion, answer_column, rows)[1:]
        formula = (
            f"=IF(ISNUMBER({computed}),{computed},"
            f"IF(ISNUMBER({answer_ref}),{answer_ref},0)){weight}"
        )
        _editable(answer_cell)
        answer_cell.number_format = "0.00%"
    else:
        answer_cell.value = _computed_formula(criterion, answer_column, rows)
        answer_cell.number_format = "0.00%"
        formula = f"=IF(ISNUMBER({answer_ref}),{answer_ref},0){weight}"
    sheet.cell(number, columns.value, formula)
    for column in (columns.note, columns.to_unit):
        if column is not None:
            _editable(sheet.cell(number, column))
    if stored:
        if stored.note:
            _text(sheet.cell(number, columns.note), stored.note)
        if columns.to_unit and stored.note_to_unit:
            _text(sheet.cell(number, columns.to_unit), stored.note_to_unit)


def _total_row(sheet, number: int, label: str) -> None:
    _text(sheet.cell(number, 2), label).font = _BOLD
    sheet.merge_cells(start_row=number, start_column=2, end_row=number, end_column=7)
    for columns in LEVELS:
        sheet.cell(number, columns.value).font = _BOLD


class _Validations:
    """The drop-down lists and number checks of the answer cells, grouped by their rule."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.rules: dict[tuple, DataValidation] = {}

    def _rule(self, key: tuple, make) -> DataValidation:
        if key not in self.rules:
            self.rules[key] = make()
        return self.rules[key]

    def options(self, ref: str, letters: list[str]) -> None:
        def make():
            return DataValidation(
                type="list",
                formula1='"{}"'.format(",".join(letters)),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not an option"),
                error=_("Choose one of %(options)s.") % {"options": ", ".join(letters)},
            )

        self._rule(("list", *letters), make).add(ref)

    def survey(self, ref: str, maximum: str) -> None:
        def make():
            return DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=maximum,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not a survey index"),
                error=_("A survey index is a number from 0 to %(max)s, with at most two decimals.")
                % {"max": maximum.removesuffix(".0")},
            )

        self._rule(("survey", maximum), make).add(ref)

    def count(self, ref: str) -> None:
        def make():
            return DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2=str(COUNT_LIMIT - 1),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not a count"),
                error=_("A count is a whole number from 0 below 1,000,000,000."),
            )

        self._rule(("count",), make).add(ref)

    def attach(self) -> None:
        for rule in self.rules.values():
            self.sheet.add_data_validation(rule)


def _sheet_look(sheet) -> None:
    widths = {1: 6, 2: 4, 3: 5, 4: 4, 5: 5, 6: 4, 7: 52, WEIGHT: 8, EXPLANATION: 60, TYPE: 12}
    for columns in LEVELS:
        widths.update({columns.answer: 12, columns.value: 10, columns.note: 40})
        if columns.to_unit:
            widths[columns.to_unit] = 40
    widths.update({PERCENT: 9, 14: 3, DESCRIPTION: 45, LINK: 45})
    for column, width in widths.items():
        sheet.column_dimensions[letter(column)].width = width
    sheet.column_dimensions["A"].hidden = True  # row numbers, hidden as in the official file
    sheet.freeze_panes = f"H{HEADER_ROW + 1}"
    _protect(sheet)


def _protect(sheet) -> None:
    """Lock the sheet without a password: formulas stay as they are, the open cells take input."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths and heights stay adjustable
    sheet.protection.formatRows = False


def _summary(summary, evaluation, spec, rows, totals, total_row) -> None:
    """Fill "Utama": the tree down to the areas and the hasil lines, read from "LKE ZI"."""
    headers = {2: "Penilaian", 8: "Bobot", 9: "Nilai", 10: " %", 11: "Nilai TPI", 12: "Nilai TPN"}
    for column, text in headers.items():
        cell = summary.cell(1, column, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    summary.merge_cells(start_row=1, start_column=2, end_row=1, end_column=7)
    value_columns = {9: LEVELS[0], 11: LEVELS[1], 12: LEVELS[2]}
    number = 3
    shown = (scoring.COMPONENT, scoring.SUBCOMPONENT, scoring.AREA)
    for root in spec.roots:
        for code, criterion in spec.criteria.items():
            if not (code == root or code.startswith(f"{root}.")):
                continue
            parent = spec.criteria.get(criterion.parent) if criterion.parent else None
            hasil_line = (
                criterion.kind == scoring.QUESTION
                and parent
                and parent.kind == scoring.SUBCOMPONENT
            )
            if criterion.kind not in shown and not hasil_line:
                continue
            marker_column, label_column = _placement(criterion, spec)
            summary.cell(number, marker_column, f"{code.rsplit('.', 1)[-1]}.")
            _text(summary.cell(number, label_column), criterion.label_id)
            if criterion.weight is not None:
                summary.cell(number, 8, float(criterion.weight))
            for column, columns in value_columns.items():
                summary.cell(number, column, f"='{SHEET}'!{letter(columns.value)}{rows[code]}")
            summary.cell(number, 10, f'=IFERROR(I{number}/H{number},"")').number_format = "0.00%"
            number += 1
        _text(summary.cell(number, 2), f"TOTAL {spec.criteria[root].label_id.upper()}").font = _BOLD
        for column, columns in value_columns.items():
            summary.cell(number, column, f"='{SHEET}'!{letter(columns.value)}{totals[root]}")
        number += 2
    _text(summary.cell(number, 2), TOTAL_TEXT).font = _BOLD
    for column, columns in value_columns.items():
        summary.cell(number, column, f"='{SHEET}'!{letter(columns.value)}{total_row}")
    for row in summary.iter_rows(min_row=3, max_row=number, min_col=9, max_col=12):
        for cell in row:
            if cell.column != 10:
                cell.number_format = "0.00"
    unit = evaluation.unit
    number += 2
    for label, value in [
        ("Instansi", unit.agency.name),
        ("Unit Kerja", unit.name),
        ("Kode Unit", unit.code),
        ("Tahun", evaluation.year),
        ("Versi LKE", evaluation.rubric.code),
        ("Status", str(evaluation.get_status_display())),
        ("Diekspor", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]:
        summary.cell(number, 2, label).font = _BOLD
        if isinstance(value, str):
            _text(summary.cell(number, 7), value)
        else:
            summary.cell(number, 7, value)
        number += 1
    for column, width in {1: 4, 2: 4, 3: 5, 4: 4, 5: 5, 6: 4, 7: 52, 8: 8, 9: 10, 10: 9}.items():
        summary.column_dimensions[letter(column)].width = width
    _protect(summary)


def total_position(evaluation: Evaluation) -> tuple[int, dict[str, str]]:
    """Return the row of the grand total in "LKE ZI" and each level's value column letter."""
    _rows, _totals, total_row = _layout(selectors.rubric_spec(rubric=evaluation.rubric))
    return total_row, {columns.level: letter(columns.value) for columns in LEVELS}


def _text(cell, text: str):
    """Write text as text, never as a formula, and return the cell.

    openpyxl stores any string that starts with "=" as a formula: a note like "=HYPERLINK(…)"
    would run in the evaluator's Excel, and would not come back as the note on import.
    """
    cell.value = text
    cell.data_type = "s"
    return cell


def _editable(cell) -> None:
    cell.protection = _OPEN
    cell.fill = _INPUT_FILL


def _cell_number(raw):
    """Return a stored decimal (string or Decimal) as an int or float cell value.

    A value beyond what a spreadsheet number holds (stored before numbers were bounded) is
    written as the text it is rather than failing the whole export.
    """
    number = Decimal(str(raw))
    if not number.is_finite() or abs(number.adjusted()) > 15:
        return str(raw)
    return int(number) if number == number.to_integral_value() else float(number)


def export_filename(evaluation: Evaluation) -> str:
    return f"LKE-{evaluation.unit.code}-{evaluation.year}.xlsx"
