"""LKE workbooks for the import tests: the official sample and variants edited from it.

`fixtures/lke_2021_sample.xlsx` is laid out exactly as the circulating official workbook, saved
by a spreadsheet program (formulas with their results). Its known totals are 71.305888 (the
regulation's rule) and 71.916602 (the workbook's own formulas). Variants are copies edited with
openpyxl, which keeps the layout but drops every formula's stored result, as a file written by
a program that computes nothing would.

Rows are located by their labels (the sample's sentences are the rubric's own labels), never by
the importer, so that a test of the importer does not rely on the importer to find its rows.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from evaluations.rubric import scoring

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "lke_2021_sample.xlsx"
SHEET = "LKE ZI"
SHEET_PART = "xl/worksheets/sheet3.xml"  # "LKE ZI" inside the sample's archive
TOTAL_LOGICAL = Decimal("71.305888")
TOTAL_EXCEL = Decimal("71.916602")
UNANSWERED = ("A.I.4.ii.e", "A.I.5.v.a")
# The sample's columns.
ANSWER, VALUE, NOTE, DESCRIPTION, LINK = "K", "L", "O", "P", "Q"
CODE_COLUMNS = "BCDEFG"


def fixture_bytes() -> bytes:
    return FIXTURE.read_bytes()


def _label(sheet, row: int) -> str:
    """Return a row's label: the first text of the code columns that is not a marker."""
    for column in CODE_COLUMNS:
        value = sheet[f"{column}{row}"].value
        if isinstance(value, str) and len(value.strip().rstrip(".")) > 4:
            return value.strip().removeprefix("- ").strip().lower()
    return ""


def locate(sheet, spec: scoring.RubricSpec) -> dict[str, int]:
    """Return each criterion's row, found by its label in tree order."""
    rows, row = {}, 3
    for code, criterion in spec.criteria.items():
        while not _label(sheet, row).startswith(criterion.label_id.lower()):
            row += 1
            if row > sheet.max_row:
                raise AssertionError(f"{code} ({criterion.label_id}) is not in the sheet")
        rows[code] = row
        row += 1
    return rows


def total_row(sheet) -> int:
    """Return the row of "NILAI EVALUASI ZONA INTEGRITAS", the grand total."""
    for row in range(1, sheet.max_row + 1):
        if str(sheet[f"B{row}"].value or "").startswith("NILAI EVALUASI"):
            return row
    raise AssertionError("no grand total")


def sample_rows(spec) -> dict[str, int]:
    return locate(load_workbook(FIXTURE, read_only=False)[SHEET], spec)


def edited(spec, edit: Callable, content: bytes | None = None) -> bytes:
    """Return a copy of the sample (or of `content`) after `edit(sheet, rows)`."""
    book = load_workbook(io.BytesIO(content or fixture_bytes()))
    sheet = book[SHEET]
    edit(sheet, locate(sheet, spec))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unmerged(sheet) -> None:
    """Undo every merge and turn each hyperlink into its target, so that rows can be moved.

    openpyxl moves neither merged ranges nor hyperlinks with the rows it moves.
    """
    for merged in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(merged))
    for row in sheet.iter_rows():
        for cell in row:
            if cell.hyperlink is not None:
                cell.value = cell.hyperlink.target
                cell.hyperlink = None


def with_answers(spec, changes: dict) -> bytes:
    """Return the sample with answer cells set: code → value (None blanks the cell)."""

    def edit(sheet, rows):
        for code, value in changes.items():
            sheet[f"{ANSWER}{rows[code]}"] = value

    return edited(spec, edit)


def official(
    spec,
    answers: dict | None = None,
    inputs: dict | None = None,
    *,
    notes: dict | None = None,
    links: dict | None = None,
    descriptions: dict | None = None,
) -> bytes:
    """Return the official layout filled in with only the given answers, inputs and notes.

    Every answer, note and evidence cell of the sample is emptied first; the formulas of the
    "%" questions and of the one "Jumlah" row that sums three others stay, as in the official
    file. `links` set the evidence link cells (several links one a line).
    """
    answers, inputs = answers or {}, inputs or {}
    notes, links, descriptions = notes or {}, links or {}, descriptions or {}

    def edit(sheet, rows):
        for code, criterion in spec.criteria.items():
            row = rows[code]
            answer = sheet[f"{ANSWER}{row}"]
            if criterion.kind == scoring.QUESTION:
                if criterion.answer_type not in scoring.COMPUTED_TYPES:
                    answer.value = None
                for column in (NOTE, DESCRIPTION, LINK):
                    sheet[f"{column}{row}"].value = None
                    sheet[f"{column}{row}"].hyperlink = None
            elif criterion.kind == scoring.INPUT and not str(answer.value).startswith("="):
                answer.value = None
        for code, value in {**answers, **inputs}.items():
            sheet[f"{ANSWER}{rows[code]}"] = value
        for column, values in ((NOTE, notes), (LINK, links), (DESCRIPTION, descriptions)):
            for code, value in values.items():
                sheet[f"{column}{rows[code]}"] = value

    return edited(spec, edit)


def full_values(spec: scoring.RubricSpec) -> tuple[dict, dict]:
    """Return (answers, inputs) giving every question full marks, as workbook cell values.

    The LHKPN total (the "Jumlah" row that is a formula in the official file) is left to its
    formula.
    """
    answers, inputs = {}, {}
    for question in spec.questions:
        if question.options:
            answers[question.code] = max(question.options, key=question.options.get)
        elif question.answer_type == scoring.SURVEY:
            answers[question.code] = 4
        elif question.formula.function == "ratio":
            numerator, denominator = question.formula.args
            for code in denominator:
                inputs[code] = 1
            inputs[numerator[0]] = len(denominator)
        else:
            for code in question.formula.codes:
                inputs[code] = 0
    return answers, inputs


# --- Files that are not sound workbooks ---------------------------------------------------------


def _rezip(content: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return buffer.getvalue()


def truncated_sheet(content: bytes | None = None) -> bytes:
    """Return the sample with its "LKE ZI" sheet cut off halfway, inside a sound archive."""
    return _rezip(
        content or fixture_bytes(),
        lambda name, data: data[: len(data) // 2] if name == SHEET_PART else data,
    )


def with_dtd(content: bytes | None = None) -> bytes:
    """Return the sample whose sheet declares entities (a "billion laughs" in small)."""
    declaration = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'

    def change(name, data):
        if name != SHEET_PART:
            return data
        head, sep, rest = data.partition(b"?>")
        return head + sep + declaration + rest

    return _rezip(content or fixture_bytes(), change)


def renamed_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def corrupt_zip(valid: bytes) -> bytes:
    """Return a workbook cut in half: the zip signature is there, the archive is not."""
    return valid[: len(valid) // 2]


def zip_bomb(size: int = 60 * 1024 * 1024) -> bytes:
    """Return a small archive that looks like a workbook and inflates to `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buffer.getvalue()


# --- Recalculating with LibreOffice --------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def recalculated(*contents: bytes) -> list[bytes]:
    """Return the workbooks as LibreOffice saves them after computing every formula.

    One headless `soffice --convert-to xlsx` run for all of them (each start takes seconds), in
    a profile of its own so that it never meets a LibreOffice the machine runs otherwise.
    """
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        names = []
        for index, content in enumerate(contents):
            path = base / "in" / f"book{index}.xlsx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            names.append(path)
        out = base / "out"
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{base / 'profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                *map(str, names),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return [(out / path.name).read_bytes() for path in names]


def cached_values(content: bytes, rows: dict[str, int], column: str = VALUE) -> dict[str, object]:
    """Return the stored result of `column` on each row, and of the grand total (key "")."""
    sheet = load_workbook(io.BytesIO(content), data_only=True)[SHEET]
    found = {code: sheet[f"{column}{row}"].value for code, row in rows.items()}
    found[""] = sheet[f"{column}{total_row(sheet)}"].value
    return found
