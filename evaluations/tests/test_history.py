"""The Riwayat page: every change of answers, evidence and status, with who and when."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations import selectors, services
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.services import AnswerInput
from evaluations.tests.factories import in_status
from zi_portal.tests.upload_samples import PDF_BYTES, PNG_BYTES


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def evaluation(rubric, unit, agency_admin):
    return services.evaluation_create(unit=unit, year=2025, by=agency_admin)


def history_url(evaluation, **params):
    url = reverse("evaluations:history", args=[evaluation.pk])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def entries(client, evaluation, **params):
    return list(client.get(history_url(evaluation, **params)).context["page"].object_list)


def save(evaluation, by, code="A.I.1.i.b", level=Level.SELF, **fields):
    # Open the level the way the workflow would (self in draft, TPI under review).
    in_status(evaluation, "draft" if level == Level.SELF else "tpi_review")
    services.answers_save(
        evaluation=evaluation, level=level, answers=[AnswerInput(code, **fields)], by=by
    )


def test_answer_saves_write_history_rows_with_the_user_and_time(
    evaluation, unit_operator, evaluator
):
    since = timezone.now()
    save(evaluation, unit_operator, letter="A")
    save(evaluation, evaluator, level=Level.TPI, letter="B")
    rows = Answer.history.filter(evaluation_id=evaluation.pk).order_by("history_date")
    assert [(r.history_user, r.level) for r in rows] == [
        (unit_operator, "self"),
        (evaluator, "tpi"),
    ]
    assert all(since <= r.history_date <= timezone.now() for r in rows)


def test_evidence_changes_write_history_rows_with_the_user_and_time(
    evaluation, unit_operator, evaluator
):
    since = timezone.now()
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
        by=unit_operator,
    )
    in_status(evaluation, "tpi_review")  # the TPI corrects evidence while it reviews
    services.evidence_replace(
        evidence=evidence, upload=SimpleUploadedFile("b.png", PNG_BYTES), by=evaluator
    )
    services.evidence_remove(evidence=evidence, by=evaluator)
    rows = Evidence.history.filter(id=evidence.pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in rows] == [
        ("+", unit_operator),
        ("~", evaluator),
        ("~", evaluator),
    ]
    assert all(since <= r.history_date <= timezone.now() for r in rows)


def test_riwayat_shows_every_change_newest_first_with_old_and_new_values(
    client, evaluation, unit_operator, viewer
):
    save(evaluation, unit_operator, letter="A", note="SK ada")
    save(evaluation, unit_operator, letter="C", note="Belum lengkap")
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.i.b",
        upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=unit_operator,
    )
    services.evidence_replace(
        evidence=evidence, upload=SimpleUploadedFile("sk2.pdf", PDF_BYTES + b"%"), by=unit_operator
    )
    services.evidence_remove(evidence=evidence, by=unit_operator)
    evaluation.status = Evaluation.Status.SELF_SUBMITTED
    evaluation._history_user = unit_operator
    evaluation.save()
    client.force_login(viewer)
    found = entries(client, evaluation)
    summary = [(e.source, e.action, e.old, e.new) for e in found]
    assert summary == [
        ("evaluation", "Status diubah", "Draf", "Penilaian mandiri diajukan"),
        ("evidence", "Bukti dukung dihapus", "", "sk2.pdf"),
        ("evidence", "Berkas bukti dukung diganti", "sk.pdf", "sk2.pdf"),
        ("evidence", "Bukti dukung ditambahkan", "", "sk.pdf"),
        ("answer", "Jawaban disimpan", "A", "C"),
        ("answer", "Jawaban disimpan", "", "A"),
        ("evaluation", "Penilaian dimulai", "", "Draf"),
    ]
    assert found[4].note == "Belum lengkap"
    assert {e.who for e in found} == {
        unit_operator,
        evaluation.unit.agency.memberships.get(role="agency_admin").user,
    }


def test_saves_that_do_not_change_the_status_are_left_out(client, evaluation, viewer):
    evaluation.save()  # e.g. a version bump
    client.force_login(viewer)
    assert [e.action for e in entries(client, evaluation)] == ["Penilaian dimulai"]


def test_riwayat_filters_by_question(client, evaluation, unit_operator, viewer):
    save(evaluation, unit_operator, code="A.I.1.i.b", letter="A")
    save(evaluation, unit_operator, code="A.I.1.ii.c", letter="B")
    client.force_login(viewer)
    found = entries(client, evaluation, question="a.i.1.ii.c")
    assert [(e.question_code, e.new) for e in found] == [("A.I.1.ii.c", "B")]


def test_riwayat_filters_by_person(client, evaluation, unit_operator, evaluator, viewer):
    save(evaluation, unit_operator, letter="A")
    save(evaluation, evaluator, level=Level.TPI, letter="B")
    client.force_login(viewer)
    found = entries(client, evaluation, person=evaluator.pk)
    assert [(e.who, e.level) for e in found] == [(evaluator, "Tim Penilai Internal (TPI)")]


def test_riwayat_is_paginated(client, evaluation, unit_operator, viewer, monkeypatch):
    monkeypatch.setattr(selectors, "HISTORY_PAGE_SIZE", 2)
    for letter in "ABC":
        save(evaluation, unit_operator, letter=letter)
    client.force_login(viewer)
    page = client.get(history_url(evaluation, page=2)).context["page"]
    assert (page.paginator.count, [e.new for e in page.object_list]) == (4, ["A", "Draf"])
    assert page.object_list[1].action == "Penilaian dimulai"


def test_riwayat_of_another_agency_is_404(client, evaluation, outsider):
    client.force_login(outsider)
    assert client.get(history_url(evaluation)).status_code == 404


def test_riwayat_query_count_does_not_grow_with_history(
    client, evaluation, unit_operator, evaluator, viewer, django_assert_num_queries
):
    client.force_login(viewer)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(evaluation)).status_code == 200
        return len(queries)

    # One change of each source: the page runs one details query per source it shows.
    save(evaluation, unit_operator, letter="A")
    services.evidence_add_link(
        evaluation=evaluation, question_code="A.I.1.i.b", url="https://a.go.id", by=unit_operator
    )
    small = count_queries()
    for index, code in enumerate(["A.I.1.i.b", "A.I.1.ii.c", "A.I.1.iii.a", "A.I.1.iii.b"] * 4):
        save(evaluation, evaluator if index % 2 else unit_operator, code=code, letter="B")
        services.evidence_add_link(
            evaluation=evaluation,
            question_code=code,
            url=f"https://contoh.go.id/{index}",
            by=unit_operator,
        )
    with django_assert_num_queries(small):
        client.get(history_url(evaluation))
