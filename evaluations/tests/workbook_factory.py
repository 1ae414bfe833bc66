"""Build LKE workbooks with openpyxl the way the official files come, for import tests.

Both layouts: the 2021 "LKE ZI" tree (title on row 1, header on row 2 with "No" merged over the
numbering columns, formulas in the value cells, percent questions holding a formula over the
"Jumlah …" input rows below them) and the later "Jawaban" sheet (one row per code, unit and TPI
columns side by side). Columns are deliberately in another order than the portal's export, so the
importer has to find them by header text.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from evaluations.rubric import scoring

NUMBERING = 6
HEADERS_2021 = [
    "Komponen",
    "Bobot",
    "Penjelasan",
    "Pilihan Jawaban",
    "Catatan",
    "Jawaban",
    "Nilai",
    "Persentase",
    "Deskripsi Bukti",
    "Link Bukti",
]


def full_values(spec: scoring.RubricSpec) -> tuple[dict, dict]:
    """Return (answers, inputs) giving every question full marks, as workbook cell values."""
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


def build_2021(
    spec: scoring.RubricSpec,
    answers: dict | None = None,
    inputs: dict | None = None,
    *,
    notes: dict | None = None,
    answer_header: str = "Jawaban",
    drop_headers: tuple = (),
    sheet_name: str = "LKE ZI",
    extra_after: dict | None = None,
    skip: tuple = (),
    links: dict | None = None,
    descriptions: dict | None = None,
) -> bytes:
    """Return an .xlsx in the 2021 layout.

    `extra_after` maps a question code to rows `(numbering part, answer)` inserted just below it
    (a part "z" after A.I.1.i.b makes the code A.I.1.i.z); `skip` leaves codes out entirely.
    `links` and `descriptions` map a question code to its "Link Bukti" / "Deskripsi Bukti" cell.
    """
    answers, inputs, notes = answers or {}, inputs or {}, notes or {}
    links, descriptions = links or {}, descriptions or {}
    headers = [
        answer_header if h == "Jawaban" else h for h in HEADERS_2021 if h not in drop_headers
    ]
    book = Workbook()
    book.active.title = "Utama"
    book.active.append(["Nama Unit Kerja", "Dinas Uji"])
    book.create_sheet("Ctt Eval").append(["Bobot lama", 99])  # outdated weights: ignored
    sheet = book.create_sheet(sheet_name)
    sheet.cell(1, 1, "LEMBAR KERJA EVALUASI ZONA INTEGRITAS MENUJU WBK/WBBM")
    sheet.cell(2, 1, "No")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NUMBERING)
    col = {}
    for index, name in enumerate(headers, start=NUMBERING + 1):
        sheet.cell(2, index, name)
        col[name] = get_column_letter(index)
    answer_col = col.get(answer_header)
    row = 3
    criteria = spec.criteria
    for code, criterion in criteria.items():
        if code in skip:
            continue
        parts = code.split(".")
        if criterion.kind == scoring.INPUT:
            # "Jumlah …" rows carry no numbering, as in the official file.
            sheet[f"{col['Komponen']}{row}"] = f"Jumlah: {criterion.label_id}"
            if answer_col and code in inputs:
                sheet[f"{answer_col}{row}"] = inputs[code]
            row += 1
            continue
        sheet.cell(row, len(parts), parts[-1])
        sheet[f"{col['Komponen']}{row}"] = criterion.label_id
        if "Bobot" in col and criterion.weight is not None:
            sheet[f"{col['Bobot']}{row}"] = float(criterion.weight)
        if criterion.kind == scoring.QUESTION:
            if "Pilihan Jawaban" in col:
                sheet[f"{col['Pilihan Jawaban']}{row}"] = "/".join(criterion.options) or "Jumlah"
            if answer_col:
                if criterion.answer_type in scoring.COMPUTED_TYPES and code not in answers:
                    first, count = row + 1, len(spec.children[code])
                    sheet[f"{answer_col}{row}"] = (
                        f"=IFERROR({answer_col}{first + 1}/{answer_col}{first},0)"
                        if count >= 2
                        else "=0"
                    )
                elif code in answers:
                    sheet[f"{answer_col}{row}"] = answers[code]
                if "Nilai" in col:
                    sheet[f"{col['Nilai']}{row}"] = f'=IF({answer_col}{row}="A",1,0)'
            if "Catatan" in col and code in notes:
                sheet[f"{col['Catatan']}{row}"] = notes[code]
            if "Link Bukti" in col and code in links:
                sheet[f"{col['Link Bukti']}{row}"] = links[code]
            if "Deskripsi Bukti" in col and code in descriptions:
                sheet[f"{col['Deskripsi Bukti']}{row}"] = descriptions[code]
        elif "Nilai" in col:
            sheet[f"{col['Nilai']}{row}"] = f"=SUM({col['Nilai']}{row + 1}:{col['Nilai']}{row + 9})"
        row += 1
        for part, value in (extra_after or {}).get(code, []):
            sheet.cell(row, len(parts), part)
            sheet[f"{col['Komponen']}{row}"] = "Baris tambahan"
            if answer_col:
                sheet[f"{answer_col}{row}"] = value
            row += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_later(
    spec: scoring.RubricSpec,
    answers: dict | None = None,
    inputs: dict | None = None,
    *,
    notes: dict | None = None,
    tpi_answers: dict | None = None,
    tpi_notes: dict | None = None,
    drop_headers: tuple = (),
    extra_rows: tuple = (),
) -> bytes:
    """Return an .xlsx in the later layout: a "Jawaban" sheet with unit and TPI columns."""
    answers, inputs, notes = answers or {}, inputs or {}, notes or {}
    tpi_answers, tpi_notes = tpi_answers or {}, tpi_notes or {}
    headers = [
        h
        for h in [
            "No",
            "Kode",
            "Uraian",
            "Jawaban Unit",
            "Catatan Unit",
            "Link Bukti",
            "Jawaban TPI",
            "Catatan TPI",
        ]
        if h not in drop_headers
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Jawaban"
    sheet.append(["Jawaban LKE Zona Integritas"])
    sheet.append([])
    sheet.append(headers)
    rows = [
        (code, c)
        for code, c in spec.criteria.items()
        if c.kind in (scoring.QUESTION, scoring.INPUT)
    ]
    for number, (code, criterion) in enumerate(rows, start=1):
        values = {
            "No": number,
            "Kode": code,
            "Uraian": criterion.label_id,
            "Jawaban Unit": inputs.get(code, answers.get(code)),
            "Catatan Unit": notes.get(code),
            "Link Bukti": "https://drive.example/bukti" if code in answers else None,
            "Jawaban TPI": tpi_answers.get(code),
            "Catatan TPI": tpi_notes.get(code),
        }
        sheet.append([values[h] for h in headers])
    for code, value in extra_rows:
        sheet.append([{"Kode": code, "Jawaban Unit": value}.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
