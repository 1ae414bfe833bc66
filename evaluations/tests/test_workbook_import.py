"""Importing LKE workbooks laid out as the official one: the sample, its quirks, every bad row.

The sample (`fixtures/lke_2021_sample.xlsx`) is the official layout with every quirk real files
have; the variants are copies of it edited the way units edit theirs.
"""

import statistics
import time
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl.styles import Alignment

from evaluations import selectors, services
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring
from evaluations.workbook.reader import WorkbookInvalid
from evaluations.workbook.services import workbook_import, workbook_preview
from zi_portal.tests.upload_samples import PDF_BYTES

from .factories import full_answers, in_status
from .workbook_factory import (
    ANSWER,
    LINK,
    TOTAL_EXCEL,
    TOTAL_LOGICAL,
    UNANSWERED,
    corrupt_zip,
    edited,
    fixture_bytes,
    full_values,
    official,
    renamed_pdf,
    sample_rows,
    truncated_sheet,
    unmerged,
    with_answers,
    with_dtd,
    zip_bomb,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def spec(rubric):
    return selectors.rubric_spec(rubric=rubric)


@pytest.fixture
def evaluation(unit, rubric):
    return services.evaluation_create(unit=unit, year=2025)


@pytest.fixture(scope="module")
def rows():
    """Each criterion's row in the sample."""
    return sample_rows(rubric_files.read_rubric(rubric_files.version_folder()).spec)


def upload(content: bytes, name="lke.xlsx"):
    return SimpleUploadedFile(name, content)


def stored(evaluation, level=Level.SELF):
    return {
        a.question.code: (
            a.option.letter if a.option_id else a.number,
            a.inputs,
            a.note,
        )
        for a in Answer.objects.filter(evaluation=evaluation, level=level).select_related(
            "question", "option"
        )
        if a.option_id or a.number is not None or a.inputs or a.note
    }


def run(unit, content, level=Level.SELF, **kwargs):
    return workbook_import(unit=unit, year=2025, level=level, file=upload(content), **kwargs)


def scores(evaluation, spec, *, excel: bool, level=Level.SELF) -> scoring.Breakdown:
    answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
    return scoring.score(spec, answers, inputs, excel_compat=excel)


def problems_of(unit, content, level=Level.SELF):
    with pytest.raises(WorkbookInvalid) as caught:
        run(unit, content, level=level)
    assert not Answer.objects.exists()
    return [(p.sheet, p.row, p.code, str(p.message)) for p in caught.value.problems]


# --- The official sample ----------------------------------------------------------------------


def test_the_official_sample_imports_and_scores_its_known_totals(unit, evaluation, spec):
    result = run(unit, fixture_bytes())
    assert len(result.added) == 113  # the unanswered ones have a note
    logical = scores(evaluation, spec, excel=False)
    assert round(logical.total, 6) == TOTAL_LOGICAL
    assert round(scores(evaluation, spec, excel=True).total, 6) == TOTAL_EXCEL
    assert logical.unanswered == UNANSWERED
    assert evaluation.scores.get(level=Level.SELF).total.quantize(Decimal("1e-6")) == TOTAL_LOGICAL
    # Every question's note and evidence links came along; the unanswered ones keep theirs too.
    assert Answer.objects.exclude(note="").count() == 113
    assert Evidence.objects.filter(question__code="A.I.4.ii.e").count() == 1


def test_excel_mode_reproduces_every_value_the_sample_stores(unit, evaluation, spec, rows):
    """Each sub-area, area, half, component and the total equal the workbook's own results."""
    from .workbook_factory import cached_values

    run(unit, fixture_bytes())
    breakdown = scores(evaluation, spec, excel=True)
    cached = cached_values(fixture_bytes(), rows)
    checked = 0
    for code, value in breakdown.scores.items():
        if spec.criteria[code].kind == scoring.QUESTION:
            continue
        assert float(value) == pytest.approx(cached[code], abs=1e-9), code
        checked += 1
    assert checked == 44 + 12 + 4 + 2  # sub-areas (LHKPN and LHKASN too), areas, halves, …
    assert float(breakdown.total) == pytest.approx(cached[""], abs=1e-9)


def test_the_quirks_of_the_official_file_are_read(unit, evaluation, spec, rows):
    run(unit, fixture_bytes())
    answers = stored(evaluation)
    # The first question's type cell says "Ya": it is a yes/no question all the same.
    assert answers["A.I.1.i.a"][0] == "Ya"
    # "Nilai\n(0-4)" is the survey; "-" and "a" (no dot) markers are questions in order.
    assert answers["B.I.a"][0] == Decimal("2.86")
    assert answers["A.II.1.ii.a"][0] == "E"
    assert answers["A.II.2.ii.a"][0] == "A"
    # The LKHASN half of wealth reporting has no code: its question and inputs are read.
    assert answers["A.II.5.iii.ii.a"][1] == {
        "A.II.5.iii.ii.a.1": "10",
        "A.II.5.iii.ii.a.2": "15",
        "A.II.5.iii.ii.a.3": "1",
        "A.II.5.iii.ii.a.4": "28",
        "A.II.5.iii.ii.a.5": "7",
    }
    # The LHKPN total is a formula: its stored result is read.
    assert answers["A.II.5.iii.i.a"][1]["A.II.5.iii.i.a.1"] == "40"
    links = dict(
        Evidence.objects.filter(question__code__in=["A.I.4.ii.b", "A.I.4.ii.f"]).values_list(
            "question__code", "url"
        )
    )
    # "Klik di sini" gives its hyperlink's target; two links one a line are two links.
    assert links["A.I.4.ii.b"] == "https://drive.example.go.id/bukti/a-i-4-ii-b.pdf"
    assert Evidence.objects.filter(question__code="A.I.4.ii.f").count() == 2
    assert Evidence.objects.filter(kind=Evidence.Kind.LINK).count() == 124
    # Nothing below "NILAI EVALUASI ZONA INTEGRITAS" (the signature block) is read.
    assert rows["B.II.a"] < 208


def test_the_import_of_the_sample_is_timed(unit, other_unit, rubric, capsys):
    """Print the median import time of the sample (no timing is asserted)."""
    run(unit, fixture_bytes(), dry_run=True)  # warm what a running server has warm
    figures = []
    for index in range(5):
        target = unit if index % 2 == 0 else other_unit
        started = time.perf_counter()
        workbook_import(unit=target, year=2025 + index, level=Level.SELF, file=fixture_bytes())
        figures.append((time.perf_counter() - started) * 1000)
    preview = []
    for _ in range(5):
        started = time.perf_counter()
        run(unit, fixture_bytes(), dry_run=True)
        preview.append((time.perf_counter() - started) * 1000)
    with capsys.disabled():
        print(
            "\nimport of the official sample (111 answered questions, 24 inputs, 124 links): "
            f"median {statistics.median(figures):.0f} ms; "
            f"preview median {statistics.median(preview):.0f} ms"
        )


def test_a_formula_input_without_a_stored_result_is_recomputed(unit, evaluation, spec):
    # openpyxl keeps formulas but drops their results: the LHKPN total is summed again.
    run(unit, with_answers(spec, {"A.I.1.i.b": "B"}))
    assert stored(evaluation)["A.II.5.iii.i.a"][1]["A.II.5.iii.i.a.1"] == "40"
    # One of the three rows it sums left blank leaves it blank, as its formula does.
    run(unit, with_answers(spec, {"A.II.5.iii.i.a.3": None}))
    inputs = stored(evaluation)["A.II.5.iii.i.a"][1]
    assert "A.II.5.iii.i.a.1" not in inputs and "A.II.5.iii.i.a.3" not in inputs


# --- Variants: changed and blanked answers ----------------------------------------------------


def test_changed_answers_replace_the_stored_ones(unit, evaluation, spec):
    run(unit, fixture_bytes())
    changes = {
        "A.I.1.i.b": "c",  # a letter in lower case is the option
        "A.I.1.iii.a": "D",
        "B.I.a": "3,6",  # Indonesian decimal comma
        "B.II.a": 3.25,
        "A.II.1.i.a.1": "1.250",  # Indonesian thousands
        "A.II.1.i.a.2": 1000,
    }
    result = run(unit, with_answers(spec, changes))
    answers = stored(evaluation)
    assert answers["A.I.1.i.b"][0] == "C"
    assert answers["A.I.1.iii.a"][0] == "D"
    assert answers["B.I.a"][0] == Decimal("3.6")
    assert answers["B.II.a"][0] == Decimal("3.25")
    assert answers["A.II.1.i.a"][1] == {"A.II.1.i.a.1": "1250", "A.II.1.i.a.2": "1000"}
    assert {c.code for c in result.changed} == {
        "A.I.1.i.b",
        "A.I.1.iii.a",
        "B.I.a",
        "B.II.a",
        "A.II.1.i.a",
    }
    breakdown = scores(evaluation, spec, excel=False)
    assert breakdown.questions["A.II.1.i.a"].value == Decimal("0.8")
    assert breakdown.scores["B.I.a"] == Decimal("17.5") * Decimal("3.6") / 4


def test_blanked_answers_become_unanswered_in_both_modes(unit, evaluation, spec):
    run(unit, fixture_bytes())
    before = {excel: scores(evaluation, spec, excel=excel) for excel in (False, True)}
    # A.I.1.ii.b (A/B/C) and the inputs of A.II.1.i.b blanked; both were answered in full.
    run(unit, with_answers(spec, {"A.I.1.ii.b": None, "A.II.1.i.b.1": None}))
    logical = scores(evaluation, spec, excel=False)
    excel = scores(evaluation, spec, excel=True)
    for breakdown in (logical, excel):
        assert set(breakdown.unanswered) == {*UNANSWERED, "A.I.1.ii.b", "A.II.1.i.b"}
    # The regulation counts them 0 over all the sub-area's questions; the workbook skips them.
    assert logical.scores["A.I.1.ii"] == Fraction(1, 3)  # "Ya" and "C" remain, weight 1
    assert excel.scores["A.I.1.ii"] == Fraction(1, 2)
    assert logical.scores["A.II.1.i"] == 2 * before[False].questions["A.II.1.i.a"].value / 2
    assert excel.scores["A.II.1.i"] == 2 * before[True].questions["A.II.1.i.a"].value
    assert not evaluation.scores.get(level=Level.SELF).complete


# --- Variants: bad values, every bad row reported, nothing changed ------------------------------


def test_every_bad_row_is_reported_in_indonesian_and_nothing_changes(unit, evaluation, spec, rows):
    content = with_answers(
        spec,
        {
            "A.I.1.i.b": "D",  # a forbidden letter
            "A.I.1.ii.a": "Mungkin",
            "B.I.a": "90%",  # a percentage in a survey cell
            "B.II.a": 3.555,  # three decimals
            "A.II.1.i.a.1": "3E+2999999",  # a huge number
            "A.II.1.i.b.1": 12345678901234567890123456789,  # a count of 29 digits
            "A.II.1.i.b.2": "1.234,5",  # Indonesian: 1234.5, not whole
            "A.II.4.i.a.1": -3,
            "A.II.4.i.a.2": "sepuluh",
        },
    )
    started = time.perf_counter()
    problems = problems_of(unit, content)
    assert time.perf_counter() - started < 5  # refused at once, never expanded
    assert problems == [
        (
            "LKE ZI",
            rows["A.I.1.i.b"],
            "A.I.1.i.b",
            "“D” bukan pilihan untuk pertanyaan ini; pilih salah satu dari A, B, C.",
        ),
        (
            "LKE ZI",
            rows["A.I.1.ii.a"],
            "A.I.1.ii.a",
            "“Mungkin” bukan pilihan untuk pertanyaan ini; pilih salah satu dari Ya, Tidak.",
        ),
        (
            "LKE ZI",
            rows["A.II.1.i.a.1"],
            "A.II.1.i.a.1",
            "3.000E+2999999 terlalu besar: jumlah harus di bawah 1.000.000.000.",
        ),
        (
            "LKE ZI",
            rows["A.II.1.i.b.1"],
            "A.II.1.i.b.1",
            "1.235E+28 terlalu besar: jumlah harus di bawah 1.000.000.000.",
        ),
        ("LKE ZI", rows["A.II.1.i.b.2"], "A.II.1.i.b.2", "1234.5 bukan bilangan bulat."),
        ("LKE ZI", rows["A.II.4.i.a.1"], "A.II.4.i.a.1", "Jumlah tidak boleh negatif."),
        ("LKE ZI", rows["A.II.4.i.a.2"], "A.II.4.i.a.2", "“sepuluh” bukan angka."),
        (
            "LKE ZI",
            rows["B.I.a"],
            "B.I.a",
            "Indeks survei adalah angka 0 sampai 4, bukan persentase.",
        ),
        ("LKE ZI", rows["B.II.a"], "B.II.a", "3.555 memiliki lebih dari 2 desimal."),
    ]
    assert not Evidence.objects.exists()
    assert not evaluation.scores.exists()


def test_a_survey_cell_formatted_as_a_percentage_is_refused(unit, evaluation, spec, rows):
    def edit(sheet, found):
        cell = sheet[f"{ANSWER}{found['B.I.a']}"]
        cell.value = 0.9  # what Excel stores when "90%" is typed
        cell.number_format = "0%"

    assert problems_of(unit, edited(spec, edit)) == [
        (
            "LKE ZI",
            rows["B.I.a"],
            "B.I.a",
            "Indeks survei adalah angka 0 sampai 4, bukan persentase.",
        )
    ]


def test_a_survey_index_out_of_range_is_refused(unit, evaluation, spec, rows):
    problems = problems_of(unit, with_answers(spec, {"B.I.a": 4.01, "B.II.a": -1}))
    assert [message for *_where, message in problems] == [
        "4.01 di luar rentang 0–4.",
        "-1 di luar rentang 0–4.",
    ]


def test_a_typed_percentage_counts_only_where_it_cannot_be_computed(unit, evaluation, spec, rows):
    # 0 of 0 targets: the percentage cannot be computed, and the evaluator's value is taken.
    content = with_answers(
        spec, {"A.II.4.i.a.1": 0, "A.II.4.i.a.2": 0, "A.II.4.i.a": "75%", "A.II.6.i.b": 0.5}
    )
    problems = problems_of(unit, content)
    # Where the inputs compute a value, a typed one is refused.
    assert problems == [
        (
            "LKE ZI",
            rows["A.II.6.i.b"],
            "A.II.6.i.b",
            "Nilai diketik menggantikan rumus, padahal nilai hanya diterima bila persentase "
            "tidak dapat dihitung (penyebutnya 0): isi baris “Jumlah”-nya saja.",
        )
    ]
    run(unit, with_answers(spec, {"A.II.4.i.a.1": 0, "A.II.4.i.a.2": 0, "A.II.4.i.a": "75%"}))
    assert stored(evaluation)["A.II.4.i.a"][0] == Decimal("0.75")
    assert scores(evaluation, spec, excel=False).questions["A.II.4.i.a"].value == Decimal("0.75")


@pytest.mark.parametrize(
    "content, message",
    [
        (renamed_pdf(), "Berkas ini bukan buku kerja Excel (.xlsx)."),
        (
            b"PK\x03\x04 not really a zip",
            "Berkas rusak: tidak dapat dibuka sebagai buku kerja Excel.",
        ),
        (zip_bomb(), "Berkas ini mengembang menjadi data yang jauh lebih besar"),
        (truncated_sheet(), "Berkas rusak: tidak dapat dibuka sebagai buku kerja Excel."),
        (with_dtd(), "Berkas ini memuat deklarasi tipe dokumen"),
        (
            corrupt_zip(fixture_bytes()),
            "Berkas rusak: tidak dapat dibuka sebagai buku kerja Excel.",
        ),
    ],
    ids=["renamed-pdf", "fake-zip", "zip-bomb", "truncated-sheet", "dtd", "cut-archive"],
)
def test_files_that_are_not_sound_workbooks_are_refused(unit, evaluation, content, message):
    problems = problems_of(unit, content)
    assert len(problems) == 1 and problems[0][3].startswith(message)


def test_a_file_above_the_size_limit_is_refused(unit, evaluation, settings):
    settings.WORKBOOK_MAX_BYTES = 1024
    problems = problems_of(unit, fixture_bytes())
    assert problems[0][3] == "Berkas lebih besar dari 1,0\xa0KB, batas untuk buku kerja."


# --- Variants: the file and the rubric disagree -----------------------------------------------


def test_two_rows_swapped_are_refused_naming_both(unit, evaluation, spec, rows):
    first, second = rows["A.I.1.i.a"], rows["A.I.1.i.b"]  # "Ya" (yes/no) and "A/B/C"

    def swap(sheet, _found):
        unmerged(sheet)
        for column in "BCDEFGHIJKLMNOPQ":
            a, b = sheet[f"{column}{first}"], sheet[f"{column}{second}"]
            a.value, b.value = b.value, a.value

    problems = problems_of(unit, edited(spec, swap))
    assert problems == [
        (
            "LKE ZI",
            first,
            "A.I.1.i.a",
            "Baris ini tidak cocok dengan pertanyaan A.I.1.i.a “Unit sudah punya tim "
            "pembangunan ZI” (pilihan jawaban Ya/Tidak) menurut rubrik: nomor: diharapkan a, "
            "tertulis b; pilihan jawaban: diharapkan Ya/Tidak, tertulis A/B/C.",
        ),
        (
            "LKE ZI",
            second,
            "A.I.1.i.b",
            "Baris ini tidak cocok dengan pertanyaan A.I.1.i.b “Anggota tim dipilih dengan "
            "prosedur jelas” (pilihan jawaban A/B/C) menurut rubrik: nomor: diharapkan b, "
            "tertulis a; pilihan jawaban: diharapkan A/B/C, tertulis Ya.",
        ),
    ]


def test_a_removed_row_is_refused_naming_where_it_is_missing(unit, evaluation, spec, rows):
    removed = rows["A.I.1.ii.b"]

    def remove(sheet, _found):
        unmerged(sheet)
        sheet.delete_rows(removed)

    problems = problems_of(unit, edited(spec, remove))
    # The row that now stands where it stood is A.I.1.ii.c: the missing one is named there.
    assert problems == [
        (
            "LKE ZI",
            removed,
            "A.I.1.ii.b",
            "Rubrik mengharapkan di sini pertanyaan A.I.1.ii.b “Rencana memuat target prioritas "
            "yang relevan” (pilihan jawaban A/B/C); baris itu tidak ada di berkas.",
        )
    ]


def test_a_shuffled_tree_is_refused_and_nothing_changes(unit, evaluation, spec, rows):
    """Two sub-areas with their questions swapped: every row that moved is named."""

    def shuffle(sheet, found):
        unmerged(sheet)
        for column in "BCDEFGHIJKLMNOPQ":
            for offset in range(3):  # A.I.1.i (2 questions) and the first rows of A.I.1.ii
                a = sheet[f"{column}{found['A.I.1.i'] + offset}"]
                b = sheet[f"{column}{found['A.I.1.ii'] + offset}"]
                a.value, b.value = b.value, a.value

    problems = problems_of(unit, edited(spec, shuffle))
    named = {row for _sheet, row, _code, _message in problems}
    assert named and named <= set(range(rows["A.I.1.i"], rows["A.I.1.iii"]))
    assert not Evidence.objects.exists()


def test_a_weight_that_differs_from_the_rubric_is_refused(unit, evaluation, spec, rows):
    def edit(sheet, found):
        sheet[f"H{found['A.I.1.i']}"] = 0.75

    assert problems_of(unit, edited(spec, edit)) == [
        (
            "LKE ZI",
            rows["A.I.1.i"],
            "A.I.1.i",
            "Baris ini tidak cocok dengan subarea A.I.1.i “Tim kerja pembangunan ZI” (bobot 0.5) "
            "menurut rubrik: bobot: diharapkan 0.5, tertulis 0.75.",
        )
    ]


def test_a_missing_sheet_or_header_is_reported(unit, evaluation, spec):
    def rename(sheet, _rows):
        sheet.title = "Lembar1"

    assert problems_of(unit, edited(spec, rename)) == [("", None, "", "Lembar “LKE ZI” tidak ada.")]

    def drop_answer_header(sheet, _rows):
        sheet["K2"] = None

    assert problems_of(unit, edited(spec, drop_answer_header)) == [
        ("LKE ZI", 2, "", "Judul kolom “Jawaban” tidak ada.")
    ]


def test_columns_are_found_by_header_text(unit, evaluation, spec):
    """Header texts may wrap and change case; a leading space of " %" does not matter."""

    def edit(sheet, _rows):
        sheet["K2"] = "JAWABAN"
        sheet["J2"] = "Pilihan\nJawaban"
        sheet["J2"].alignment = Alignment(wrap_text=True)

    run(unit, edited(spec, edit))
    assert round(scores(Evaluation.objects.get(), spec, excel=False).total, 6) == TOTAL_LOGICAL


# --- What the import does -----------------------------------------------------------------------


def test_a_full_workbook_scores_one_hundred(unit, evaluation, spec, unit_operator):
    answers, inputs = full_values(spec)
    result = run(unit, official(spec, answers, inputs), by=unit_operator)
    assert result.total == Decimal("100")
    assert len(result.added) == 113
    assert Answer.objects.filter(evaluation=evaluation, updated_by=unit_operator).count() == 113


def test_blank_answers_of_an_official_file_clear_the_stored_ones(unit, evaluation, spec):
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))
    answers, inputs = full_values(spec)
    del answers["A.I.1.i.b"]
    del inputs["A.II.1.i.a.1"]
    result = run(unit, official(spec, answers, inputs))
    assert sorted(c.code for c in result.cleared) == ["A.I.1.i.b"]
    # The official LHKPN total is a formula over three rows: the workbook brings it in too.
    assert [c.code for c in result.changed] == ["A.II.1.i.a", "A.II.5.iii.i.a"]
    assert "A.I.1.i.b" not in stored(evaluation)
    assert stored(evaluation)["A.II.1.i.a"][1] == {"A.II.1.i.a.2": "1"}
    assert Evaluation.objects.get(pk=evaluation.pk).scores.get(level="self").complete is False


def test_the_preview_is_computed_in_memory_and_shows_totals(unit, evaluation, spec):
    services.answers_save(
        evaluation=evaluation,
        level=Level.SELF,
        answers=[services.AnswerInput("A.I.1.i.b", letter="C")],
    )
    before = Answer.history.count()
    result = workbook_preview(unit=unit, year=2025, level=Level.SELF, file=fixture_bytes())
    assert (result.unit, result.year, result.level) == (unit, 2025, Level.SELF)
    assert result.total_before == Decimal("0")  # one C: nothing scored yet
    assert result.total.quantize(Decimal("1e-6")) == TOTAL_LOGICAL
    change = next(c for c in result.changes if c.code == "A.I.1.i.b")
    assert change.kind == "changed" and (change.fields[0].old, change.fields[0].new) == ("C", "A")
    assert len(result.links) == 124
    assert Answer.history.count() == before and Answer.objects.count() == 1
    assert not Evidence.objects.exists()


def test_the_preview_of_a_unit_without_an_lke_creates_nothing(unit, rubric):
    result = workbook_preview(unit=unit, year=2025, level=Level.SELF, file=fixture_bytes())
    assert result.created and result.evaluation is None and result.total_before is None
    assert not Evaluation.objects.exists()


def test_import_creates_the_evaluation_when_the_unit_has_none(unit, rubric, spec):
    result = run(unit, official(spec, {"A.I.1.i.a": "Ya"}))
    evaluation = Evaluation.objects.get(unit=unit, year=2025)
    assert result.created and evaluation.rubric == rubric
    assert evaluation.status == Evaluation.Status.DRAFT
    assert stored(evaluation) == {"A.I.1.i.a": ("Ya", {}, "")}


def test_a_locked_level_is_refused_and_nothing_changes(unit, evaluation):
    in_status(evaluation, Evaluation.Status.SELF_SUBMITTED)
    with pytest.raises(services.LevelLocked):
        run(unit, fixture_bytes())
    with pytest.raises(services.LevelLocked):
        run(unit, fixture_bytes(), dry_run=True)
    assert not Answer.objects.exists() and not Evidence.objects.exists()


def test_an_official_file_is_read_for_the_tpi_from_its_one_answer_column(unit, evaluation, spec):
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    run(unit, fixture_bytes(), level=Level.TPI)
    assert round(scores(evaluation, spec, excel=False, level=Level.TPI).total, 6) == TOTAL_LOGICAL
    assert not Answer.objects.filter(level=Level.SELF).exists()


def test_import_records_who_changed_and_bumps_versions(unit, evaluation, spec, unit_operator):
    services.answers_save(
        evaluation=evaluation,
        level=Level.SELF,
        answers=[services.AnswerInput("A.I.1.i.b", letter="C")],
    )
    run(unit, official(spec, {"A.I.1.i.b": "A"}), by=unit_operator)
    answer = Answer.objects.get(evaluation=evaluation, question__code="A.I.1.i.b")
    assert (answer.option.letter, answer.version, answer.updated_by) == ("A", 2, unit_operator)


def test_unchanged_answers_are_not_rewritten(unit, evaluation, spec):
    content = official(spec, {"A.I.1.i.a": "Ya"})
    run(unit, content)
    result = run(unit, content)
    assert result.changes == []
    assert Answer.objects.get(question__code="A.I.1.i.a").version == 1


# --- Evidence links ---------------------------------------------------------------------------

SK = "https://sleman.go.id/zi/sk-tim.pdf"
FOLDER = "https://drive.google.com/drive/folders/bukti-zi"


def links_of(evaluation):
    return sorted(
        Evidence.objects.filter(
            evaluation=evaluation, kind=Evidence.Kind.LINK, is_removed=False
        ).values_list("question__code", "url", "description")
    )


def test_evidence_links_are_added_with_their_description_and_history(
    unit, evaluation, spec, unit_operator
):
    content = official(
        spec,
        {"A.I.1.i.a": "Ya", "A.I.1.i.b": "A"},
        links={"A.I.1.i.a": SK, "A.I.1.i.b": f"{FOLDER}\n\n{SK}\n{FOLDER}"},
        descriptions={"A.I.1.i.a": "SK Tim ZI 2025"},
    )
    result = run(unit, content, by=unit_operator)
    assert [(link.code, link.url) for link in result.links] == [
        ("A.I.1.i.a", SK),
        ("A.I.1.i.b", FOLDER),
        ("A.I.1.i.b", SK),
    ]
    assert links_of(evaluation) == [
        ("A.I.1.i.a", SK, "SK Tim ZI 2025"),
        ("A.I.1.i.b", FOLDER, ""),
        ("A.I.1.i.b", SK, ""),
    ]
    added = Evidence.history.filter(evaluation_id=evaluation.pk, history_type="+")
    assert added.count() == 3
    assert {h.history_user for h in added} == {unit_operator}


def test_several_links_on_one_line_and_a_hyperlink_formula_are_read(unit, evaluation, spec):
    content = official(
        spec,
        links={
            "A.I.1.i.a": f"{SK} {FOLDER}",
            "A.I.1.i.b": f'=HYPERLINK("{SK}","Klik di sini")',
        },
    )
    run(unit, content)
    assert [(code, url) for code, url, _d in links_of(evaluation)] == [
        ("A.I.1.i.a", FOLDER),
        ("A.I.1.i.a", SK),
        ("A.I.1.i.b", SK),
    ]


def test_reimporting_the_same_links_adds_no_duplicates(unit, evaluation):
    run(unit, fixture_bytes())
    result = run(unit, fixture_bytes())
    assert result.links == [] and not result.changes_anything
    assert Evidence.objects.count() == 124


def test_existing_file_and_link_evidence_stay_and_only_new_links_are_added(
    unit, evaluation, spec, unit_operator
):
    services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=unit_operator,
    )
    services.evidence_add_link(
        evaluation=evaluation, question_code="A.I.1.i.a", url=SK, description="Lama", by=None
    )
    content = official(
        spec,
        {"A.I.1.i.a": "Ya"},
        links={"A.I.1.i.a": f"{SK}\n{FOLDER}"},
        descriptions={"A.I.1.i.a": "Baru\nFolder bukti"},
    )
    result = run(unit, content, by=unit_operator)
    assert [(link.code, link.url, link.description) for link in result.links] == [
        ("A.I.1.i.a", FOLDER, "Folder bukti")
    ]
    assert links_of(evaluation) == [
        ("A.I.1.i.a", FOLDER, "Folder bukti"),
        ("A.I.1.i.a", SK, "Lama"),
    ]
    assert Evidence.objects.filter(kind=Evidence.Kind.FILE, is_removed=False).count() == 1


def test_links_that_are_not_web_links_are_reported_and_nothing_changes(
    unit, evaluation, spec, rows
):
    content = official(
        spec,
        {"A.I.1.i.a": "Ya"},
        links={
            "A.I.1.i.a": f"{SK}\nftp://sleman.go.id/sk.pdf",
            "A.I.1.i.b": "javascript:alert(1)",
            "A.I.1.ii.a": "Terlampir di map merah",
        },
    )
    problems = problems_of(unit, content)
    assert [(row, code, message) for _sheet, row, code, message in problems] == [
        (
            rows["A.I.1.i.a"],
            "A.I.1.i.a",
            "“ftp://sleman.go.id/sk.pdf” bukan tautan web: tautan bukti diawali http:// atau "
            "https://.",
        ),
        (
            rows["A.I.1.i.b"],
            "A.I.1.i.b",
            "“javascript:alert(1)” bukan tautan web: tautan bukti diawali http:// atau https://.",
        ),
        (
            rows["A.I.1.ii.a"],
            "A.I.1.ii.a",
            "“Terlampir di map merah” bukan tautan web: tautan bukti diawali http:// atau "
            "https://.",
        ),
    ]
    assert not Evidence.objects.exists()
    assert not Evaluation.objects.get(pk=evaluation.pk).scores.exists()


def test_evidence_from_an_import_follows_the_same_locks_as_a_manual_change(
    unit, evaluation, spec, unit_operator, national_evaluator
):
    services.evidence_add_link(evaluation=evaluation, question_code="A.I.1.i.a", url=SK, by=None)
    in_status(evaluation, Evaluation.Status.TPI_FINAL)
    # The unit's level is closed once the TPI scores are final: its import is refused whole.
    with pytest.raises(services.LevelLocked):
        run(unit, official(spec, links={"A.I.1.i.a": FOLDER}), by=unit_operator)
    assert links_of(evaluation) == [("A.I.1.i.a", SK, "")]
    # The national team scores at the desk and field evaluation, from the agency's evidence: a
    # link of its own is refused like a manual change, its scores are taken.
    in_status(evaluation, Evaluation.Status.DESK_EVALUATION)

    def tpn(links):
        content = official(spec, {"A.I.1.i.a": "Ya"}, links={"A.I.1.i.a": links})
        return run(unit, content, level=Level.TPN, by=national_evaluator)

    with pytest.raises(WorkbookInvalid):
        tpn(f"{SK}\n{FOLDER}")
    result = tpn(SK)
    assert [c.code for c in result.added] == ["A.I.1.i.a"]
    assert links_of(evaluation) == [("A.I.1.i.a", SK, "")]


def test_the_link_cell_of_the_sample_keeps_its_row(unit, evaluation, spec, rows):
    def edit(sheet, found):
        sheet[f"{LINK}{found['A.I.1.i.b']}"] = "lihat map"

    problems = problems_of(unit, edited(spec, edit))
    assert [(row, code) for _sheet, row, code, _message in problems] == [
        (rows["A.I.1.i.b"], "A.I.1.i.b")
    ]


def test_a_workbook_equal_to_the_level_changes_nothing_not_even_its_version(unit, evaluation, spec):
    first = run(unit, fixture_bytes())
    version = Evaluation.objects.get(pk=evaluation.pk).content_version
    history = Answer.history.count()
    again = run(unit, fixture_bytes())
    assert not again.changes_anything
    assert Evaluation.objects.get(pk=evaluation.pk).content_version == version
    assert Answer.history.count() == history
    assert again.total == first.total == evaluation.scores.get(level=Level.SELF).total


def test_a_workbook_adding_only_links_moves_the_version_and_counts_evidence(unit, evaluation, spec):
    run(unit, official(spec, {"A.I.1.i.a": "Ya"}))
    before = Evaluation.objects.get(pk=evaluation.pk)
    assert before.evidence_missing == 1
    result = run(
        unit,
        official(spec, {"A.I.1.i.a": "Ya"}, links={"A.I.1.i.a": "https://contoh.go.id/sk.pdf"}),
    )
    assert (len(result.changes), len(result.links)) == (0, 1)
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert after.content_version == before.content_version + 1
    assert after.evidence_missing == 0
