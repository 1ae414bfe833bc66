"""Importing official LKE workbooks: both layouts, every problem reported, all or nothing."""

import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from evaluations import selectors, services
from evaluations.models import Answer, Criterion, Evaluation, Evidence, Level, RubricVersion
from evaluations.workbook.reader import WorkbookInvalid
from evaluations.workbook.services import workbook_import
from zi_portal.tests.upload_samples import PDF_BYTES

from .factories import full_answers, in_status
from .workbook_factory import (
    build_2021,
    build_later,
    corrupt_zip,
    full_values,
    renamed_pdf,
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


def test_full_2021_workbook_scores_one_hundred(unit, evaluation, spec, unit_operator):
    answers, inputs = full_values(spec)
    result = run(unit, build_2021(spec, answers, inputs), by=unit_operator)
    assert result.total == Decimal("100")
    assert len(result.added) == 113
    assert Answer.objects.filter(evaluation=evaluation, updated_by=unit_operator).count() == 113


def test_full_later_workbook_scores_one_hundred_for_self_and_tpi(unit, evaluation, spec):
    answers, inputs = full_values(spec)
    content = build_later(spec, answers, inputs, tpi_answers={"A.I.1.i.a": "Tidak"})
    assert run(unit, content).total == Decimal("100")
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    result = run(unit, content, level=Level.TPI)
    assert [c.code for c in result.added] == ["A.I.1.i.a"]


def test_partly_answered_workbook_imports_letters_numbers_inputs_and_notes(unit, evaluation, spec):
    content = build_2021(
        spec,
        {"A.I.1.i.a": "ya", "A.I.1.i.b": "B", "B.I.a": "3,6"},
        {"A.II.1.i.a.1": 10, "A.II.1.i.a.2": 8},
        notes={"A.I.1.i.b": "SK tim belum ditandatangani"},
    )
    run(unit, content)
    assert stored(evaluation) == {
        "A.I.1.i.a": ("Ya", {}, ""),
        "A.I.1.i.b": ("B", {}, "SK tim belum ditandatangani"),
        "B.I.a": (Decimal("3.6"), {}, ""),
        "A.II.1.i.a": (None, {"A.II.1.i.a.1": "10", "A.II.1.i.a.2": "8"}, ""),
    }


def test_columns_are_found_by_header_text_not_position(unit, evaluation, spec):
    # The factory puts "Catatan" before "Jawaban", unlike the portal's own export.
    run(unit, build_2021(spec, {"A.I.1.i.b": "C"}, notes={"A.I.1.i.b": "x"}))
    assert stored(evaluation)["A.I.1.i.b"] == ("C", {}, "x")


def test_blank_answers_become_unanswered_and_the_preview_lists_them(unit, evaluation, spec):
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))
    answers, inputs = full_values(spec)
    del answers["A.I.1.i.b"]
    del inputs["A.II.1.i.a.1"]
    result = run(unit, build_2021(spec, answers, inputs))
    assert sorted(c.code for c in result.cleared) == ["A.I.1.i.b"]
    assert [c.code for c in result.changed] == ["A.II.1.i.a"]
    assert "A.I.1.i.b" not in stored(evaluation)
    assert stored(evaluation)["A.II.1.i.a"][1] == {"A.II.1.i.a.2": "1"}
    assert Evaluation.objects.get(pk=evaluation.pk).scores.get(level="self").complete is False


def test_changes_show_old_and_new_values(unit, evaluation, spec):
    services.answers_save(
        evaluation=evaluation,
        level=Level.SELF,
        answers=[services.AnswerInput("A.I.1.i.b", letter="C")],
    )
    result = run(unit, build_2021(spec, {"A.I.1.i.b": "A"}), dry_run=True)
    change = next(c for c in result.changes if c.code == "A.I.1.i.b")
    assert change.kind == "changed"
    assert [(f.old, f.new) for f in change.fields] == [("C", "A")]


def test_dry_run_changes_nothing(unit, evaluation, spec):
    answers, inputs = full_values(spec)
    result = run(unit, build_2021(spec, answers, inputs), dry_run=True)
    assert len(result.added) == 113
    assert result.total == Decimal("100")
    assert Answer.objects.filter(evaluation=evaluation).count() == 0
    assert not evaluation.scores.exists()


def test_import_creates_the_evaluation_when_the_unit_has_none(unit, rubric, spec):
    result = run(unit, build_2021(spec, {"A.I.1.i.a": "Ya"}))
    evaluation = Evaluation.objects.get(unit=unit, year=2025)
    assert result.created and evaluation.rubric == rubric
    assert evaluation.status == Evaluation.Status.DRAFT
    assert stored(evaluation) == {"A.I.1.i.a": ("Ya", {}, "")}


def test_dry_run_does_not_create_the_evaluation(unit, rubric, spec):
    result = run(unit, build_2021(spec, {"A.I.1.i.a": "Ya"}), dry_run=True)
    assert result.created and result.evaluation is None
    assert not Evaluation.objects.filter(unit=unit).exists()


def test_a_locked_level_is_refused_and_nothing_changes(unit, evaluation, spec):
    in_status(evaluation, Evaluation.Status.SELF_SUBMITTED)
    with pytest.raises(services.LevelLocked):
        run(unit, build_2021(spec, {"A.I.1.i.a": "Ya"}))
    assert not Answer.objects.exists()


def test_import_records_who_changed_and_bumps_versions(unit, evaluation, spec, unit_operator):
    services.answers_save(
        evaluation=evaluation,
        level=Level.SELF,
        answers=[services.AnswerInput("A.I.1.i.b", letter="C")],
    )
    run(unit, build_2021(spec, {"A.I.1.i.b": "A"}), by=unit_operator)
    answer = Answer.objects.get(evaluation=evaluation, question__code="A.I.1.i.b")
    assert (answer.option.letter, answer.version, answer.updated_by) == ("A", 2, unit_operator)


def test_unchanged_answers_are_not_rewritten(unit, evaluation, spec):
    run(unit, build_2021(spec, {"A.I.1.i.a": "Ya"}))
    result = run(unit, build_2021(spec, {"A.I.1.i.a": "Ya"}))
    assert result.changes == []
    assert Answer.objects.get(question__code="A.I.1.i.a").version == 1


# --- Every problem, all or nothing ------------------------------------------------------------


def problems_of(unit, content, level=Level.SELF):
    with pytest.raises(WorkbookInvalid) as caught:
        run(unit, content, level=level)
    assert not Answer.objects.exists()
    return [(p.sheet, p.row, p.code, str(p.message)) for p in caught.value.problems]


def test_every_bad_row_is_reported_with_sheet_row_and_code(unit, evaluation, spec):
    content = build_2021(
        spec,
        {"A.I.1.i.a": "Mungkin", "A.I.1.i.b": "D", "B.I.a": "tinggi", "B.II.a": 5},
        {"A.II.1.i.a.1": "sepuluh", "A.II.1.i.a.2": -1},
        extra_after={"A.I.1.ii.a": [("z", "A")]},
    )
    problems = problems_of(unit, content)
    by_code = {code: (sheet, row, message) for sheet, row, code, message in problems}
    assert set(by_code) == {
        "A.I.1.i.a",
        "A.I.1.i.b",
        "B.I.a",
        "B.II.a",
        "A.II.1.i.a.1",
        "A.II.1.i.a.2",
        "A.I.1.ii.z",
    }
    assert all(sheet == "LKE ZI" and row > 2 for sheet, row, _ in by_code.values())
    assert by_code["A.I.1.i.b"][2] == (
        "“D” bukan pilihan untuk pertanyaan ini; pilih salah satu dari A, B, C."
    )
    assert by_code["B.I.a"][2] == "“tinggi” bukan angka."
    assert by_code["B.II.a"][2] == "5 di luar rentang 0–4."
    assert by_code["A.II.1.i.a.2"][2] == "Jumlah tidak boleh negatif."
    assert by_code["A.I.1.ii.z"][2] == "Kode tidak dikenal: tidak ada pertanyaan ini di rubrik ini."


def test_the_row_number_is_the_spreadsheet_row(unit, evaluation, spec):
    content = build_2021(spec, {"A.I.1.i.a": "Mungkin"})
    # Title on row 1, header on row 2, then A, A.I, A.I.1, A.I.1.i, A.I.1.i.a.
    assert problems_of(unit, content) == [
        ("LKE ZI", 7, "A.I.1.i.a", "“Mungkin” bukan pilihan untuk pertanyaan ini; pilih salah "
         "satu dari Ya, Tidak.")
    ]  # fmt: skip


def test_a_question_of_another_rubric_is_named_as_such(unit, evaluation, spec):
    older = RubricVersion.objects.create(code="2019", regulation="PermenPANRB 10/2019")
    Criterion.objects.create(rubric=older, code="A.I.1.i.z", kind="question", label_id="Lama")
    content = build_2021(spec, {}, extra_after={"A.I.1.i.b": [("z", "A")]})
    assert problems_of(unit, content) == [
        ("LKE ZI", 9, "A.I.1.i.z", "Ini pertanyaan dari versi rubrik lain (2019).")
    ]


def test_a_missing_sheet_is_reported(unit, evaluation, spec):
    problems = problems_of(unit, build_2021(spec, {}, sheet_name="Lembar1"))
    assert problems == [("", None, "", "Lembar “LKE ZI” (atau “Jawaban”) tidak ada.")]


def test_a_missing_answer_header_is_reported(unit, evaluation, spec):
    problems = problems_of(unit, build_2021(spec, {}, drop_headers=("Jawaban",)))
    assert problems == [("LKE ZI", 2, "", "Judul kolom “Jawaban” tidak ada.")]


def test_a_missing_tpi_column_in_the_later_layout_is_reported(unit, evaluation, spec):
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    content = build_later(spec, {}, drop_headers=("Jawaban TPI",))
    assert problems_of(unit, content, level=Level.TPI) == [
        ("Jawaban", 3, "", "Judul kolom “Jawaban TPI” tidak ada.")
    ]


def test_later_layout_reports_unknown_codes_and_bad_options(unit, evaluation, spec):
    content = build_later(spec, {"A.I.1.i.b": "F"}, extra_rows=(("X.9", "A"),))
    problems = problems_of(unit, content)
    assert {(p[0], p[2]) for p in problems} == {("Jawaban", "A.I.1.i.b"), ("Jawaban", "X.9")}


@pytest.mark.parametrize(
    "content, message",
    [
        (renamed_pdf(), "Berkas ini bukan buku kerja Excel (.xlsx)."),
        (
            b"PK\x03\x04 not really a zip",
            "Berkas rusak: tidak dapat dibuka sebagai buku kerja Excel.",
        ),
        (zip_bomb(), "Berkas ini mengembang menjadi data yang jauh lebih besar"),
    ],
    ids=["renamed-pdf", "fake-zip", "zip-bomb"],
)
def test_files_that_are_not_real_workbooks_are_refused(unit, evaluation, content, message):
    problems = problems_of(unit, content)
    assert len(problems) == 1 and problems[0][3].startswith(message)


def test_a_corrupt_workbook_is_refused(unit, evaluation, spec):
    problems = problems_of(unit, corrupt_zip(build_2021(spec, {"A.I.1.i.a": "Ya"})))
    assert problems[0][3] == "Berkas rusak: tidak dapat dibuka sebagai buku kerja Excel."


def test_a_file_above_the_size_limit_is_refused(unit, evaluation, spec, settings):
    settings.WORKBOOK_MAX_BYTES = 1024
    problems = problems_of(unit, build_2021(spec, {}))
    assert problems[0][3] == "Berkas lebih besar dari 1,0\xa0KB, batas untuk buku kerja."


def test_import_of_a_full_workbook_is_timed(unit, other_unit, evaluation, spec, capsys):
    """Print how long a full workbook takes (the issue asks for < 1 s); no timing is asserted.

    Once with answers and inputs only, once more with an evidence link on every question, after
    a dry run that warms what a running server has warm (the rubric, openpyxl, translations).
    """
    answers, inputs = full_values(spec)
    # Every "Jumlah …" row filled, also those a formula does not use: 113 + 24 cells.
    inputs = {c: inputs.get(c, 0) for c, k in spec.criteria.items() if k.kind == "input"}
    links = {q.code: f"https://sleman.go.id/zi/bukti/{q.code}" for q in spec.questions}
    figures = []
    workbook_import(
        unit=unit, year=2025, level=Level.SELF, file=io.BytesIO(build_2021(spec)), dry_run=True
    )
    for target, content in [
        (unit, build_2021(spec, answers, inputs)),
        (other_unit, build_2021(spec, answers, inputs, links=links)),
    ]:
        started = time.perf_counter()
        result = workbook_import(unit=target, year=2025, level=Level.SELF, file=io.BytesIO(content))
        figures.append((time.perf_counter() - started) * 1000)
        assert len(result.added) == len(spec.questions) == 113
    assert len(result.links) == 113
    with capsys.disabled():
        print(
            f"\nimport of a full LKE workbook (113 questions, {len(inputs)} inputs): "
            f"{figures[0]:.0f} ms; with 113 evidence links: {figures[1]:.0f} ms"
        )


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
    content = build_2021(
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
    # One line of description for one link pairs them; a link listed twice is one link.
    assert links_of(evaluation) == [
        ("A.I.1.i.a", SK, "SK Tim ZI 2025"),
        ("A.I.1.i.b", FOLDER, ""),
        ("A.I.1.i.b", SK, ""),
    ]
    added = Evidence.history.filter(evaluation_id=evaluation.pk, history_type="+")
    assert added.count() == 3
    assert {h.history_user for h in added} == {unit_operator}
    assert set(Evidence.objects.values_list("uploaded_by", flat=True)) == {unit_operator.pk}


def test_reimporting_the_same_links_adds_no_duplicates(unit, evaluation, spec):
    content = build_2021(spec, {"A.I.1.i.a": "Ya"}, links={"A.I.1.i.a": f"{SK}\n{FOLDER}"})
    run(unit, content)
    result = run(unit, content)
    assert result.links == [] and not result.changes_anything
    assert len(links_of(evaluation)) == 2


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
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        url=SK,
        description="Lama",
        by=unit_operator,
    )
    other = services.evidence_add_link(
        evaluation=evaluation, question_code="A.I.1.i.b", url=FOLDER, by=unit_operator
    )
    # The workbook names the old link again (another description) and a new one; not FOLDER.
    content = build_2021(
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
        ("A.I.1.i.b", FOLDER, ""),
    ]
    assert Evidence.objects.filter(kind=Evidence.Kind.FILE, is_removed=False).count() == 1
    other.refresh_from_db()
    assert not other.is_removed


def test_a_removed_link_named_by_the_workbook_is_added_again(unit, evaluation, spec, unit_operator):
    old = services.evidence_add_link(
        evaluation=evaluation, question_code="A.I.1.i.a", url=SK, by=unit_operator
    )
    services.evidence_remove(evidence=old, by=unit_operator)
    result = run(unit, build_2021(spec, {}, links={"A.I.1.i.a": SK}))
    assert [link.url for link in result.links] == [SK]
    assert links_of(evaluation) == [("A.I.1.i.a", SK, "")]
    assert Evidence.objects.filter(url=SK).count() == 2  # the removed one stays in the record


def test_dry_run_lists_the_links_it_would_add_and_adds_none(unit, evaluation, spec):
    result = run(unit, build_2021(spec, {}, links={"A.I.1.i.b": SK}), dry_run=True)
    assert [(link.code, link.url) for link in result.links] == [("A.I.1.i.b", SK)]
    assert not Evidence.objects.exists()
    assert not Evidence.history.exists()


def test_links_that_are_not_web_links_are_reported_and_nothing_changes(unit, evaluation, spec):
    content = build_2021(
        spec,
        {"A.I.1.i.a": "Ya", "A.I.1.i.b": "A"},
        links={
            "A.I.1.i.a": f"{SK}\nftp://sleman.go.id/sk.pdf",
            "A.I.1.i.b": "javascript:alert(1)",
            "A.I.1.ii.a": "Terlampir di map merah",
        },
    )
    problems = problems_of(unit, content)
    assert [(sheet, code, message) for sheet, _row, code, message in problems] == [
        (
            "LKE ZI",
            "A.I.1.i.a",
            "“ftp://sleman.go.id/sk.pdf” bukan tautan web: tautan bukti diawali http:// atau "
            "https://.",
        ),
        (
            "LKE ZI",
            "A.I.1.i.b",
            "“javascript:alert(1)” bukan tautan web: tautan bukti diawali http:// atau https://.",
        ),
        (
            "LKE ZI",
            "A.I.1.ii.a",
            "“Terlampir di map merah” bukan tautan web: tautan bukti diawali http:// atau "
            "https://.",
        ),
    ]
    # Rows: title, header, A, A.I, A.I.1, A.I.1.i, then A.I.1.i.a on row 7.
    assert [row for _sheet, row, _code, _message in problems] == [7, 8, 10]
    assert not Evidence.objects.exists()
    assert not Evaluation.objects.get(pk=evaluation.pk).scores.exists()


def test_a_locked_level_adds_no_evidence(unit, evaluation, spec):
    in_status(evaluation, Evaluation.Status.SELF_SUBMITTED)
    with pytest.raises(services.LevelLocked):
        run(unit, build_2021(spec, {}, links={"A.I.1.i.a": SK}))
    assert not Evidence.objects.exists()


def test_evidence_from_an_import_follows_the_same_locks_as_a_manual_change(
    unit, evaluation, spec, unit_operator, national_evaluator
):
    services.evidence_add_link(evaluation=evaluation, question_code="A.I.1.i.a", url=SK, by=None)
    in_status(evaluation, Evaluation.Status.TPI_FINAL)
    # The unit's evidence is closed once the TPI scores are final: its import is refused whole.
    with pytest.raises(services.LevelLocked):
        run(unit, build_2021(spec, {}, links={"A.I.1.i.a": FOLDER}), by=unit_operator)
    assert links_of(evaluation) == [("A.I.1.i.a", SK, "")]
    # The national team scores at the desk and field evaluation, from the agency's evidence: a
    # link of its own is refused like a manual change, its scores are taken.
    in_status(evaluation, Evaluation.Status.DESK_EVALUATION)

    def tpn(links):
        content = build_2021(
            spec, {"A.I.1.i.a": "Ya"}, links={"A.I.1.i.a": links}, answer_header="Jawaban TPN"
        )
        return run(unit, content, level=Level.TPN, by=national_evaluator)

    with pytest.raises(WorkbookInvalid):
        tpn(f"{SK}\n{FOLDER}")
    result = tpn(SK)
    assert [c.code for c in result.added] == ["A.I.1.i.a"]
    assert links_of(evaluation) == [("A.I.1.i.a", SK, "")]


def test_the_tpi_adds_links_from_the_later_layout_while_reviewing(
    unit, evaluation, spec, evaluator
):
    answers, inputs = full_values(spec)
    content = build_later(spec, answers, inputs)
    run(unit, content)
    assert len(links_of(evaluation)) == len(answers)  # one "Link Bukti" per answered question
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    Evidence.objects.filter(question__code="A.I.1.i.a").delete()
    result = run(unit, content, level=Level.TPI, by=evaluator)
    assert [(link.code, link.row) for link in result.links] == [("A.I.1.i.a", 4)]
    assert Evidence.objects.get(question__code="A.I.1.i.a").uploaded_by == evaluator
