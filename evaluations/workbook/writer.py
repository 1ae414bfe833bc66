"""Write an evaluation as an official LKE workbook (2021 layout) with live Excel formulas.

Every level (self, TPI, TPN) gets its answer and value columns; question values come from the
answers through formulas (option letters looked up in the option values, computed questions from
their "Jumlah …" input rows), sub-areas are AVERAGE(values) × weight and everything above sums its
children, so evaluators can keep working in Excel. An unanswered question is worth 0 in the
formulas, as the regulation counts it (the official workbook's AVERAGE would skip it), so Excel's
totals equal the portal's. `workbook_import` reads the file back.
"""

from __future__ import annotations

import io
from fractions import Fraction

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluations import selectors
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.rubric import scoring
from evaluations.workbook.reader import HEADER_ROW_2021, SHEET_2021

NUMBERING_COLUMNS = 6  # A / I / 1 / i / (i) / a: the deepest question code has six parts

# (level, answer header, value header, note header, note-to-unit header)
LEVEL_COLUMNS = [
    (Level.SELF, "Jawaban", "Nilai", "Catatan", None),
    (Level.TPI, "Jawaban TPI", "Nilai TPI", "Catatan TPI", "Catatan TPI untuk Unit"),
    (Level.TPN, "Jawaban TPN", "Nilai TPN", "Catatan TPN", "Catatan TPN untuk Unit"),
]


def _number(value: Fraction) -> str:
    return repr(float(value))


def _headers() -> list[str]:
    headers = ["No", *[None] * (NUMBERING_COLUMNS - 1), "Komponen", "Bobot", "Penjelasan"]
    headers += ["Pilihan Jawaban"]
    for level, answer, value, note, to_unit in LEVEL_COLUMNS:
        headers += [answer, value]
        if level == Level.SELF:
            headers += ["Persentase"]
        headers += [note]
        if to_unit:
            headers += [to_unit]
        if level == Level.SELF:
            headers += ["Deskripsi Bukti", "Link Bukti"]
    return headers


def _choices(question: scoring.CriterionSpec) -> str:
    if question.options:
        return "/".join(question.options)
    if question.answer_type == scoring.SURVEY:
        return f"0–{question.formula.params['max']}"
    return "Jumlah"


def _option_formula(question, answer_ref: str) -> str:
    values = ",".join(_number(v) for v in question.options.values())
    letters = ",".join(f'"{letter}"' for letter in question.options)
    return f"IFERROR(INDEX({{{values}}},MATCH({answer_ref},{{{letters}}},0)),0)"


def _computed_formula(question, col: str, rows: dict[str, int]) -> str:
    """Return the Excel formula of a percent or decrease question over its input rows.

    It gives "" when an input is blank or the percentage cannot be computed.
    """
    refs = [[f"{col}{rows[code]}" for code in arg] for arg in question.formula.args]
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


def workbook_export(*, evaluation: Evaluation) -> bytes:
    """Return the evaluation as an .xlsx workbook in the 2021 layout."""
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers = {
        (a.question.code, a.level): a
        for a in Answer.objects.filter(evaluation=evaluation).select_related("question", "option")
    }
    evidence = _evidence_by_question(evaluation)
    unit = evaluation.unit
    book = Workbook()
    main = book.active
    main.title = "Utama"
    for row in [
        ("Instansi", unit.agency.name),
        ("Unit Kerja", unit.name),
        ("Kode Unit", unit.code),
        ("Tahun", evaluation.year),
        ("Versi LKE", evaluation.rubric.code),
        ("Status", str(evaluation.get_status_display())),
        ("Diekspor", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]:
        main.append(row)
    for (cell,) in main.iter_rows(min_col=2, max_col=2):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # names come from people: never a formula
    main.column_dimensions["A"].width = 16
    main.column_dimensions["B"].width = 50

    sheet = book.create_sheet(SHEET_2021)
    headers = _headers()
    col = {name: get_column_letter(i + 1) for i, name in enumerate(headers) if name}
    sheet.cell(1, 1, f"LEMBAR KERJA EVALUASI ZONA INTEGRITAS — {unit.name} {evaluation.year}")
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    for index, name in enumerate(headers, start=1):
        if name:
            cell = sheet.cell(HEADER_ROW_2021, index, name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(
        start_row=HEADER_ROW_2021, start_column=1, end_row=HEADER_ROW_2021,
        end_column=NUMBERING_COLUMNS,
    )  # fmt: skip

    # First pass: a row per criterion in tree order (inputs just below their question).
    rows: dict[str, int] = {}
    for number, code in enumerate(spec.criteria, start=HEADER_ROW_2021 + 1):
        rows[code] = number
    total_row = HEADER_ROW_2021 + 1 + len(rows)

    criteria = spec.criteria
    for code, number in rows.items():
        criterion = criteria[code]
        parts = code.split(".")
        if criterion.kind != scoring.INPUT:
            sheet.cell(number, len(parts), parts[-1])
        label = criterion.label_id
        sheet[f"{col['Komponen']}{number}"] = label
        if criterion.weight is not None:
            sheet[f"{col['Bobot']}{number}"] = float(criterion.weight)
        if criterion.kind == scoring.QUESTION:
            sheet[f"{col['Pilihan Jawaban']}{number}"] = _choices(criterion)
            if code in evidence:
                descriptions, links = evidence[code]
                _text_cell(sheet, f"{col['Deskripsi Bukti']}{number}", "\n".join(descriptions))
                _text_cell(sheet, f"{col['Link Bukti']}{number}", "\n".join(links))
        elif criterion.kind != scoring.INPUT:
            sheet[f"{col['Komponen']}{number}"].font = Font(bold=True)

        for level, answer_h, value_h, note_h, to_unit_h in LEVEL_COLUMNS:
            a_col, v_col = col[answer_h], col[value_h]
            answer_ref = f"{a_col}{number}"
            value_cell = f"{v_col}{number}"
            if criterion.kind == scoring.INPUT:
                stored = answers.get((criterion.parent, level))
                raw = (stored.inputs or {}).get(code) if stored else None
                if raw not in (None, ""):
                    sheet[answer_ref] = _cell_number(raw)
                continue
            if criterion.kind == scoring.QUESTION:
                stored = answers.get((code, level))
                weight = f"*{col['Bobot']}{number}" if criterion.weight is not None else ""
                if criterion.answer_type in scoring.OPTION_TYPES:
                    if stored and stored.option_id:
                        sheet[answer_ref] = stored.option.letter
                    formula = f"={_option_formula(criterion, answer_ref)}{weight}"
                elif criterion.answer_type == scoring.SURVEY:
                    if stored and stored.number is not None:
                        sheet[answer_ref] = _cell_number(stored.number)
                    maximum = _number(criterion.formula.params["max"])
                    formula = f"=IF(ISNUMBER({answer_ref}),{answer_ref}/{maximum}{weight},0)"
                elif stored and stored.number is not None:
                    # The value an evaluator typed stays a plain number, so that it travels back
                    # on import. As in scoring, it counts only when the inputs give no value.
                    sheet[answer_ref] = _cell_number(stored.number)
                    computed = _computed_formula(criterion, a_col, rows)[1:]
                    formula = (
                        f"=IF(ISNUMBER({computed}),{computed},"
                        f"IF(ISNUMBER({answer_ref}),{answer_ref},0)){weight}"
                    )
                else:
                    sheet[answer_ref] = _computed_formula(criterion, a_col, rows)
                    formula = f"=IF(ISNUMBER({answer_ref}),{answer_ref}{weight},0)"
                sheet[value_cell] = formula
                if stored:
                    if stored.note:
                        _text_cell(sheet, f"{col[note_h]}{number}", stored.note)
                    if to_unit_h and stored.note_to_unit:
                        _text_cell(sheet, f"{col[to_unit_h]}{number}", stored.note_to_unit)
                continue
            kids = [k for k in spec.children[code] if criteria[k].kind != scoring.INPUT]
            refs = ",".join(f"{v_col}{rows[k]}" for k in kids)
            averaged = all(
                criteria[k].kind == scoring.QUESTION and criteria[k].weight is None for k in kids
            )
            if averaged:
                sheet[value_cell] = f"=AVERAGE({refs})*{col['Bobot']}{number}"
            else:
                sheet[value_cell] = f"=SUM({refs})"
            if level == Level.SELF:
                sheet[f"{col['Persentase']}{number}"] = (
                    f'=IFERROR({value_cell}/{col["Bobot"]}{number},"")'
                )

    sheet[f"{col['Komponen']}{total_row}"] = "NILAI TOTAL"
    sheet[f"{col['Komponen']}{total_row}"].font = Font(bold=True)
    for _level, _answer_h, value_h, _note_h, _to_unit_h in LEVEL_COLUMNS:
        v_col = col[value_h]
        sheet[f"{v_col}{total_row}"] = "=SUM({})".format(
            ",".join(f"{v_col}{rows[root]}" for root in spec.roots)
        )
    for index in range(1, NUMBERING_COLUMNS + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 4
    sheet.column_dimensions[col["Komponen"]].width = 60
    sheet.freeze_panes = f"{col['Bobot']}{HEADER_ROW_2021 + 1}"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def total_cells() -> dict[str, str]:
    """Return the column letter of each level's value column (the total sits in the last row)."""
    headers = _headers()
    letters = {name: get_column_letter(i + 1) for i, name in enumerate(headers) if name}
    return {level: letters[value_h] for level, _a, value_h, _n, _t in LEVEL_COLUMNS}


def _text_cell(sheet, ref: str, text: str) -> None:
    """Write what someone typed as text, never as a formula.

    openpyxl stores any string that starts with "=" as a formula: a note like "=HYPERLINK(…)"
    would run in the evaluator's Excel, and would not come back as the note on import.
    """
    cell = sheet[ref]
    cell.value = text
    cell.data_type = "s"


def _cell_number(raw):
    """Return a stored decimal (string or Decimal) as an int or float cell value."""
    number = Fraction(str(raw))
    return int(number) if number.denominator == 1 else float(number)


def export_filename(evaluation: Evaluation) -> str:
    return f"LKE-{evaluation.unit.code}-{evaluation.year}.xlsx"
