"""Exporting an evaluation as a 2021-layout workbook with live formulas, and reading it back."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook
from pycel import ExcelCompiler

from evaluations import services
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.workbook.services import workbook_import
from evaluations.workbook.writer import total_cells, workbook_export
from zi_portal.tests.upload_samples import PDF_BYTES

from .factories import full_answers, in_status

pytestmark = pytest.mark.django_db


# Where each level may be answered, for putting an evaluation there before an import.
OPEN_STATUS = {
    Level.SELF: Evaluation.Status.DRAFT,
    Level.TPI: Evaluation.Status.TPI_REVIEW,
    Level.TPN: Evaluation.Status.DESK_EVALUATION,
}


def mixed_answers(evaluation):
    """Full marks, then lower answers, blanks, notes, and values an evaluator typed for percents.

    A.II.1.i.b has inputs that compute (2.5 of 4) and a typed value as well: scoring uses the
    inputs, and the typed value must still survive. A.II.4.i.a cannot be computed (0 of 0), so
    its typed value counts; A.II.6.i.b has only a typed value.
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
            "A.II.1.i.b", inputs={"A.II.1.i.b.1": "4", "A.II.1.i.b.2": "2.5"}, number="0.9"
        ),
        "A.II.6.i.b": services.AnswerInput("A.II.6.i.b", number="0.3333"),
    }
    blank = {"A.I.2.ii.a", "A.I.3.i.a", "B.II.a"}
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
            "A.II.1.i.a", inputs={"A.II.1.i.a.1": "10", "A.II.1.i.a.2": "9"}, number="0.5"
        )
    )
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=tpi)
    in_status(evaluation, Evaluation.Status.DESK_EVALUATION)
    tpn = [
        services.AnswerInput("A.I.1.i.a", letter="Tidak", note="Tim belum di-SK-kan"),
        services.AnswerInput("A.I.1.i.b", letter="B", note_to_unit="SK tim perlu diperbarui"),
        services.AnswerInput("B.I.a", number="3.25"),
        services.AnswerInput(
            "A.II.3.iii.a",
            inputs={"A.II.3.iii.a.1": "4", "A.II.3.iii.a.2": "2"},
            number="0.1",
        ),
    ]
    services.answers_save(evaluation=evaluation, level=Level.TPN, answers=tpn)
    return evaluation


def test_export_then_import_gives_identical_answers_and_links(answered, other_unit):
    content = workbook_export(evaluation=answered)
    copy = services.evaluation_create(unit=other_unit, year=2025)
    for level in (Level.SELF, Level.TPI, Level.TPN):
        in_status(copy, OPEN_STATUS[level])
        workbook_import(unit=other_unit, year=2025, level=level, file=io.BytesIO(content))
        assert snapshot(copy, level) == snapshot(answered, level), level
    # The typed values are all there, the one on a computable percent too.
    assert snapshot(copy, Level.SELF)["A.II.1.i.b"][1] == Decimal("0.9")
    assert snapshot(copy, Level.TPI)["A.II.1.i.a"][1] == Decimal("0.5")
    # Links travel with their descriptions; a removed link and the file do not.
    assert link_evidence(copy) == link_evidence(answered)
    assert len(link_evidence(copy)) == 3
    assert not Evidence.objects.filter(evaluation=copy, kind=Evidence.Kind.FILE).exists()
    for level in Level.values:
        assert copy.scores.get(level=level).total == answered.scores.get(level=level).total


@pytest.mark.parametrize("level", Level.values)
def test_reimporting_the_export_changes_nothing(answered, level):
    content = workbook_export(evaluation=answered)
    in_status(answered, OPEN_STATUS[level])
    result = workbook_import(
        unit=answered.unit, year=2025, level=level, file=io.BytesIO(content), dry_run=True
    )
    assert result.changes == [] and result.links == []


def test_notes_and_links_are_written_as_text_never_as_formulas(answered):
    sheet = load_workbook(io.BytesIO(workbook_export(evaluation=answered)))["LKE ZI"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=SUM(1,1) bukan rumus")
    assert cell.data_type == "s"


def test_exported_formulas_recalculate_to_the_portal_totals(answered, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(workbook_export(evaluation=answered))
    sheet = load_workbook(path)["LKE ZI"]
    total_row = sheet.max_row
    engine = ExcelCompiler(filename=str(path))
    for level, column in total_cells().items():
        computed = engine.evaluate(f"'LKE ZI'!{column}{total_row}")
        stored = answered.scores.filter(level=level).first()
        expected = float(stored.total) if stored else 0.0
        assert computed == pytest.approx(expected, abs=0.01), level
    assert answered.scores.get(level=Level.SELF).total < 100  # the mix is not trivial


def test_export_command_writes_the_workbook(answered, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command("export_lke", unit=answered.unit.code, year=2025, out=str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Utama", "LKE ZI"]
    assert book["Utama"]["B3"].value == answered.unit.code


def test_import_command_prints_the_diff_and_changes_nothing_on_dry_run(answered, tmp_path):
    from io import StringIO

    path = tmp_path / "lke.xlsx"
    path.write_bytes(workbook_export(evaluation=answered))
    in_status(answered, Evaluation.Status.DRAFT)
    Answer.objects.filter(evaluation=answered, level=Level.SELF).delete()
    Evidence.objects.filter(evaluation=answered, kind=Evidence.Kind.LINK).delete()
    out, err = StringIO(), StringIO()
    call_command(
        "import_lke", str(path), str(path), unit=answered.unit.code, year=2025,
        dry_run=True, stdout=out, stderr=err,
    )  # fmt: skip
    assert "A.I.1.i.b" in out.getvalue()
    assert "+ https://sleman.go.id/zi/sk-tim.pdf (SK Tim ZI 2025)" in out.getvalue()
    assert "2/2" in err.getvalue()
    assert not Answer.objects.filter(evaluation=answered, level=Level.SELF).exists()
    assert Evidence.objects.filter(evaluation=answered, is_removed=False).count() == 1


def test_import_command_reports_problems_with_a_non_zero_exit(answered, tmp_path):
    from io import StringIO

    from django.core.management.base import CommandError

    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"%PDF-1.7")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_lke", str(path), unit=answered.unit.code, year=2025, stderr=err)
    assert "xlsx" in err.getvalue()


def test_export_carries_evidence_descriptions_and_links(rubric, unit, unit_operator):
    from io import BytesIO

    from openpyxl import load_workbook

    from evaluations import services
    from evaluations.workbook.writer import workbook_export

    evaluation = services.evaluation_create(unit=unit, year=2030)
    services.evidence_add_link(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        url="https://sleman.go.id/sk-tim-zi.pdf",
        description="SK Tim ZI 2030",
        by=unit_operator,
    )
    sheet = load_workbook(BytesIO(workbook_export(evaluation=evaluation)))["LKE ZI"]
    headers = {cell.value: cell.column_letter for cell in sheet[2] if cell.value}
    row = next(
        r for r in sheet.iter_rows(min_row=3) if r[6].value == "Unit sudah punya tim pembangunan ZI"
    )
    number = row[0].row
    assert sheet[f"{headers['Deskripsi Bukti']}{number}"].value == "SK Tim ZI 2030"
    assert sheet[f"{headers['Link Bukti']}{number}"].value == "https://sleman.go.id/sk-tim-zi.pdf"
