"""Exporting an evaluation as the official workbook: its layout, its formulas, and back again."""

import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook
from pycel import ExcelCompiler

from evaluations import selectors, services
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.rubric import scoring
from evaluations.workbook.problems import WorkbookInvalid
from evaluations.workbook.reader import read_workbook
from evaluations.workbook.services import workbook_import, workbook_preview
from evaluations.workbook.writer import total_position, workbook_export
from zi_portal.tests.upload_samples import PDF_BYTES

from .factories import full_answers, in_status
from .workbook_factory import FIXTURE, SOFFICE, recalculated

pytestmark = pytest.mark.django_db


# Where each level may be answered, for putting an evaluation there before an import.
OPEN_STATUS = {
    Level.SELF: Evaluation.Status.DRAFT,
    Level.TPI: Evaluation.Status.TPI_REVIEW,
    Level.TPN: Evaluation.Status.DESK_EVALUATION,
}


def mixed_answers(evaluation):
    """Full marks, then lower answers, blanks, notes, and a value an evaluator typed.

    A.II.4.i.a cannot be computed (0 of 0 targets), so the evaluator's value counts; the
    other computed questions take their inputs.
    """
    answers = full_answers(evaluation)
    worse = {
        "A.I.1.i.b": services.AnswerInput(
            "A.I.1.i.b", letter="B", note="  Belum lengkap:\n- SK belum ditandatangani\n"
        ),
        "A.I.2.i.a": services.AnswerInput("A.I.2.i.a", letter="A", note="=SUM(1,1) bukan rumus"),
        "A.I.1.iii.a": services.AnswerInput("A.I.1.iii.a", letter="C"),
        "A.I.2.i.b": services.AnswerInput("A.I.2.i.b", letter="D"),
        "B.I.a": services.AnswerInput("B.I.a", number="3.59"),
        "B.I.b": services.AnswerInput("B.I.b", letter="B"),
        "A.II.1.i.a": services.AnswerInput(
            "A.II.1.i.a", inputs={"A.II.1.i.a.1": "7", "A.II.1.i.a.2": "3"}
        ),
        "A.II.3.iii.a": services.AnswerInput(
            "A.II.3.iii.a",
            inputs={"A.II.3.iii.a.1": "4", "A.II.3.iii.a.2": "1", "A.II.3.iii.a.3": "2"},
        ),
        "A.II.4.i.a": services.AnswerInput(
            "A.II.4.i.a", inputs={"A.II.4.i.a.1": "0", "A.II.4.i.a.2": "0"}, number="0.75"
        ),
        "A.II.1.i.b": services.AnswerInput(
            "A.II.1.i.b", inputs={"A.II.1.i.b.1": "4", "A.II.1.i.b.2": "3"}
        ),
    }
    blank = {"A.I.2.ii.a", "A.I.3.i.a", "B.II.a", "A.II.6.i.b"}
    return [worse.get(a.question, a) for a in answers if a.question not in blank]


def snapshot(evaluation, level):
    """Return every stored field of a level's answers (inputs compared as numbers)."""
    return {
        a.question.code: (
            a.option.letter if a.option_id else None,
            a.number,
            {k: Decimal(v) for k, v in a.inputs.items()},
            a.note,
            a.note_to_unit,
        )
        for a in Answer.objects.filter(evaluation=evaluation, level=level).select_related(
            "question", "option"
        )
    }


def link_evidence(evaluation):
    return sorted(
        Evidence.objects.filter(
            evaluation=evaluation, kind=Evidence.Kind.LINK, is_removed=False
        ).values_list("question__code", "url", "description")
    )


@pytest.fixture
def answered(unit, rubric, unit_operator):
    """An evaluation answered at all three levels, with link and file evidence; TPI final."""
    evaluation = services.evaluation_create(unit=unit, year=2025)
    services.answers_save(
        evaluation=evaluation, level=Level.SELF, answers=mixed_answers(evaluation)
    )
    for code, url, description in [
        ("A.I.1.i.a", "https://sleman.go.id/zi/sk-tim.pdf", "SK Tim ZI 2025"),
        ("A.I.1.i.b", "https://drive.google.com/drive/folders/rapat", "Notulen rapat"),
        ("A.I.1.i.b", "https://sleman.go.id/zi/foto", ""),
        ("A.I.2.i.a", "https://sleman.go.id/lama", "Dihapus"),
    ]:
        services.evidence_add_link(
            evaluation=evaluation,
            question_code=code,
            url=url,
            description=description,
            by=unit_operator,
        )
    services.evidence_remove(evidence=Evidence.objects.get(description="Dihapus"), by=unit_operator)
    services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.ii.a",
        upload=SimpleUploadedFile("rencana-kerja.pdf", PDF_BYTES),
        description="Rencana kerja",
        by=unit_operator,
    )
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    tpi = [a for a in full_answers(evaluation) if a.question != "A.I.1.i.a"]
    tpi.append(services.AnswerInput("A.I.1.i.b", letter="C", note_to_unit="Lengkapi SK\n"))
    tpi.append(
        services.AnswerInput(
            "A.II.1.i.a", inputs={"A.II.1.i.a.1": "0", "A.II.1.i.a.2": "0"}, number="0.5"
        )
    )
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=tpi)
    in_status(evaluation, Evaluation.Status.DESK_EVALUATION)
    tpn = [
        services.AnswerInput("A.I.1.i.a", letter="Tidak", note="Tim belum di-SK-kan"),
        services.AnswerInput("A.I.1.i.b", letter="B", note_to_unit="SK tim perlu diperbarui"),
        services.AnswerInput("B.I.a", number="3.25"),
        services.AnswerInput("A.II.3.iii.a", inputs={"A.II.3.iii.a.1": "4", "A.II.3.iii.a.2": "2"}),
    ]
    services.answers_save(evaluation=evaluation, level=Level.TPN, answers=tpn)
    return evaluation


def sheet_of(content: bytes, name="LKE ZI", **kwargs):
    return load_workbook(io.BytesIO(content), **kwargs)[name]


def row_of(sheet, question_label: str) -> int:
    return next(r for r in range(3, sheet.max_row) if sheet[f"G{r}"].value == question_label)


# --- Reading the export back ----------------------------------------------------------------------


@pytest.mark.parametrize("level", Level.values)
def test_reimporting_the_export_changes_nothing(answered, level):
    content = workbook_export(evaluation=answered)
    in_status(answered, OPEN_STATUS[level])
    result = workbook_preview(unit=answered.unit, year=2025, level=level, file=content)
    assert result.exported
    assert result.changes == [] and result.links == []


def test_each_level_comes_back_whole_from_the_export(answered):
    content = workbook_export(evaluation=answered)
    before = {level: snapshot(answered, level) for level in Level.values}
    links = link_evidence(answered)
    totals = {level: answered.scores.get(level=level).total for level in Level.values}
    Evidence.objects.filter(evaluation=answered, kind=Evidence.Kind.LINK).delete()
    for level in Level.values:
        Answer.objects.filter(evaluation=answered, level=level).delete()
        in_status(answered, OPEN_STATUS[level])
        workbook_import(unit=answered.unit, year=2025, level=level, file=io.BytesIO(content))
        assert snapshot(answered, level) == before[level], level
        assert answered.scores.get(level=level).total == totals[level]
    # The typed value of a percentage that cannot be computed travels too.
    assert before[Level.TPI]["A.II.1.i.a"][1] == Decimal("0.5")
    # Links travel with their descriptions; a removed link and the file do not.
    assert link_evidence(answered) == links and len(links) == 3


def test_an_export_of_another_unit_or_year_is_refused(answered, other_unit):
    content = workbook_export(evaluation=answered)
    services.evaluation_create(unit=other_unit, year=2025)
    with translation.override("id"), pytest.raises(WorkbookInvalid) as caught:
        workbook_import(unit=other_unit, year=2025, level=Level.SELF, file=content)
    assert caught.value.messages == [
        "Buku kerja ini adalah ekspor portal dari LKE Dinas Kependudukan Sleman "
        "(SLEMAN-DUKCAPIL) tahun 2025; buku kerja ini tidak dapat diimpor ke LKE RSUD Sleman "
        "(SLEMAN-RSUD) tahun 2025."
    ]
    with pytest.raises(WorkbookInvalid):
        workbook_import(unit=answered.unit, year=2026, level=Level.SELF, file=content)
    assert not Answer.objects.filter(evaluation__unit=other_unit).exists()
    assert not Evaluation.objects.filter(year=2026).exists()


def test_notes_and_links_are_written_as_text_never_as_formulas(answered):
    sheet = sheet_of(workbook_export(evaluation=answered))
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=SUM(1,1) bukan rumus")
    assert cell.data_type == "s"


# --- Looks and behaves like the official workbook -----------------------------------------------


def test_the_export_has_the_official_sheets_header_and_columns(answered):
    content = workbook_export(evaluation=answered)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Utama", "LKE ZI"]
    sheet, official = book["LKE ZI"], load_workbook(FIXTURE)["LKE ZI"]
    # The unit's columns are the official file's, header for header (A holds row numbers).
    for column in "BCDEFGHIJKLMNOPQ":
        assert sheet[f"{column}2"].value == official[f"{column}2"].value, column
    assert "B2:G2" in {str(r) for r in sheet.merged_cells.ranges}
    # Then the TPI's and the TPN's columns.
    assert [sheet[f"{c}2"].value for c in "RSTUVWXY"] == [
        "Jawaban TPI",
        "Nilai TPI",
        "Catatan TPI",
        "Catatan TPI untuk Unit",
        "Jawaban TPN",
        "Nilai TPN",
        "Catatan TPN",
        "Catatan TPN untuk Unit",
    ]
    types = {cell.value for cell in sheet["J"][3:] if cell.value}
    assert types == {
        "Ya/Tidak",
        "A/B/C",
        "A/B/C/D",
        "A/B/C/D/E",
        "%",
        "Jumlah",
        "Nilai\n(0-4)",
    }
    labels = [str(sheet[f"B{row}"].value) for row in range(1, sheet.max_row + 1)]
    assert "TOTAL PENGUNGKIT" in labels and labels[-1] == "NILAI EVALUASI ZONA INTEGRITAS"


def test_the_export_names_its_unit_year_and_rubric(answered):
    book = load_workbook(io.BytesIO(workbook_export(evaluation=answered)))
    properties = {p.name: p.value for p in book.custom_doc_props}
    assert properties == {
        "ZI Portal unit": "SLEMAN-DUKCAPIL",
        "ZI Portal unit name": "Dinas Kependudukan Sleman",
        "ZI Portal year": "2025",
        "ZI Portal rubric": "2021",
    }
    assert "Dinas Kependudukan Sleman (SLEMAN-DUKCAPIL)" in book["LKE ZI"]["B1"].value
    assert "2025" in book["LKE ZI"]["B1"].value


def test_answer_cells_offer_their_options_and_formulas_are_locked(answered):
    sheet = sheet_of(workbook_export(evaluation=answered))
    row = row_of(sheet, "Anggota tim dipilih dengan prosedur jelas")
    lists = {
        cell: rule.formula1
        for rule in sheet.data_validations.dataValidation
        if rule.type == "list"
        for cell in str(rule.sqref).split()
    }
    # A.I.1.i.b, an A/B/C question: a drop-down in the unit's, the TPI's and the TPN's column.
    for column in "KRV":
        assert lists[f"{column}{row}"] == '"A,B,C"'
        assert sheet[f"{column}{row}"].protection.locked is False
    assert lists[f"K{row - 1}"] == '"Ya,Tidak"'
    # The value formulas are locked; the notes are open; the sheet is protected, no password.
    for column in "LSW":
        assert sheet[f"{column}{row}"].value.startswith("=")
        assert sheet[f"{column}{row}"].protection.locked is True
    assert sheet[f"O{row}"].protection.locked is False
    assert sheet.protection.sheet is True
    assert not sheet.protection.password and not sheet.protection.hashValue
    summary = load_workbook(io.BytesIO(workbook_export(evaluation=answered)))["Utama"]
    assert summary.protection.sheet is True and not summary.protection.hashValue


def test_a_stored_value_beyond_spreadsheet_numbers_does_not_break_the_export(answered):
    """A count stored before numbers were bounded is written as the text it is."""
    answer = Answer.objects.get(evaluation=answered, level=Level.SELF, question__code="A.II.1.i.a")
    answer.inputs = {"A.II.1.i.a.1": "3E+2999999", "A.II.1.i.a.2": "3"}
    answer.save(update_fields=["inputs"])
    sheet = sheet_of(workbook_export(evaluation=answered))
    answers = [c.value for row in sheet.iter_rows(min_col=11, max_col=11) for c in row]
    assert "3E+2999999" in answers


# --- Live formulas -------------------------------------------------------------------------------


def level_scores(evaluation, level) -> scoring.Breakdown:
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
    return scoring.score(spec, answers, inputs)


def test_exported_formulas_compute_the_portal_totals_without_a_spreadsheet(answered, tmp_path):
    """pycel (a Python formula engine) computes each level's total as the portal stores it."""
    path = tmp_path / "lke.xlsx"
    path.write_bytes(workbook_export(evaluation=answered))
    engine = ExcelCompiler(filename=str(path))
    total_row, columns = total_position(answered)
    for level, column in columns.items():
        computed = engine.evaluate(f"'LKE ZI'!{column}{total_row}")
        assert computed == pytest.approx(float(answered.scores.get(level=level).total), abs=1e-9)
    assert answered.scores.get(level=Level.SELF).total < 100  # the mix is not trivial


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed here: Debian package libreoffice-calc-nogui",
)
def test_libreoffice_recalculates_the_export_to_the_portal_totals(answered):
    """The export round-trips through LibreOffice (`soffice --headless --convert-to xlsx`)."""
    content = workbook_export(evaluation=answered)
    (saved,) = recalculated(content)
    values = load_workbook(io.BytesIO(saved), data_only=True)
    sheet = values["LKE ZI"]
    total_row, columns = total_position(answered)
    for level, column in columns.items():
        expected = answered.scores.get(level=level).total
        assert sheet[f"{column}{total_row}"].value == pytest.approx(float(expected), abs=1e-9)
    # Every sub-area, area, half and component of each level, not only the total.
    spec = selectors.rubric_spec(rubric=answered.rubric)
    rows = read_workbook(saved, spec=spec, level=Level.SELF, unit=answered.unit, year=2025).rows
    for level, column in columns.items():
        for code, value in level_scores(answered, level).scores.items():
            if spec.criteria[code].kind != scoring.QUESTION:
                cell = sheet[f"{column}{rows[code]}"].value
                assert cell == pytest.approx(float(value), abs=1e-9), (level, code)
    # The summary sheet reads the same totals.
    summary = [row for row in values["Utama"].iter_rows(values_only=True) if row[1]]
    grand = next(row for row in summary if str(row[1]).startswith("NILAI EVALUASI"))
    assert grand[8] == pytest.approx(float(answered.scores.get(level=Level.SELF).total), abs=1e-9)
    # What LibreOffice saved is still the portal's export of this LKE: it reads back unchanged.
    in_status(answered, Evaluation.Status.DRAFT)
    result = workbook_preview(unit=answered.unit, year=2025, level=Level.SELF, file=saved)
    assert result.changes == [] and result.links == []


# --- Commands ----------------------------------------------------------------------------------


def test_export_command_writes_the_workbook(answered, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command("export_lke", unit=answered.unit.code, year=2025, out=str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Utama", "LKE ZI"]
    assert {p.name: p.value for p in book.custom_doc_props}["ZI Portal unit"] == answered.unit.code


def test_import_command_prints_the_target_diff_and_totals_and_changes_nothing_on_dry_run(
    answered, tmp_path
):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(workbook_export(evaluation=answered))
    in_status(answered, Evaluation.Status.DRAFT)
    total = answered.scores.get(level=Level.SELF).total
    Answer.objects.filter(evaluation=answered, level=Level.SELF).delete()
    Evidence.objects.filter(evaluation=answered, kind=Evidence.Kind.LINK).delete()
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(
            "import_lke", str(path), str(path), unit=answered.unit.code, year=2025,
            dry_run=True, stdout=out, stderr=err,
        )  # fmt: skip
    printed = out.getvalue()
    assert (
        "Target: Dinas Kependudukan Sleman (SLEMAN-DUKCAPIL), 2025, level Self-assessment"
        in printed
    )
    assert "A.I.1.i.b" in printed
    assert "+ https://sleman.go.id/zi/sk-tim.pdf (SK Tim ZI 2025)" in printed
    assert f"Total score: — before, {total:.2f} after" in printed
    assert "2/2" in err.getvalue()
    assert not Answer.objects.filter(evaluation=answered, level=Level.SELF).exists()
    assert Evidence.objects.filter(evaluation=answered, is_removed=False).count() == 1


def test_import_command_reports_problems_with_a_non_zero_exit(answered, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"%PDF-1.7")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_lke", str(path), unit=answered.unit.code, year=2025, stderr=err)
    assert "xlsx" in err.getvalue()


def test_export_carries_evidence_descriptions_and_links(rubric, unit, unit_operator):
    evaluation = services.evaluation_create(unit=unit, year=2030)
    services.evidence_add_link(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        url="https://sleman.go.id/sk-tim-zi.pdf",
        description="SK Tim ZI 2030",
        by=unit_operator,
    )
    sheet = sheet_of(workbook_export(evaluation=evaluation))
    row = row_of(sheet, "Unit sudah punya tim pembangunan ZI")
    # The two unlabelled columns after the unit's note, as in the official file.
    assert sheet[f"P{row}"].value == "SK Tim ZI 2030"
    assert sheet[f"Q{row}"].value == "https://sleman.go.id/sk-tim-zi.pdf"
