"""The LKE page's workbook upload (preview, confirm), download, and the printable LHE."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import selectors, services
from evaluations.models import Answer, Evaluation, Evidence, Level
from evaluations.workbook.writer import workbook_export

from .factories import full_answers, in_status
from .workbook_factory import TOTAL_LOGICAL, fixture_bytes, full_values, official, renamed_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(unit, rubric):
    return services.evaluation_create(unit=unit, year=2025)


def upload(client, evaluation, content, level="self"):
    return client.post(
        reverse("evaluations:workbook_upload", args=[evaluation.pk]),
        {"level": level, "file": SimpleUploadedFile("lke.xlsx", content)},
    )


def test_the_upload_form_states_its_target(client, unit_operator, evaluation):
    client.force_login(unit_operator)
    page = client.get(reverse("evaluations:workbook_upload", args=[evaluation.pk])).content.decode()
    assert 'id="target-unit">Dinas Kependudukan Sleman (SLEMAN-DUKCAPIL)<' in page
    assert 'id="target-year">2025<' in page
    assert "Buku kerja LKE resmi tidak mencantumkan unit maupun tahun" in page


def test_the_preview_shows_target_level_and_totals_before_and_after(
    client, unit_operator, evaluation
):
    client.force_login(unit_operator)
    services.answers_save(
        evaluation=evaluation,
        level=Level.SELF,
        answers=[services.AnswerInput("A.I.1.ii.a", letter="Ya")],
    )
    response = upload(client, evaluation, fixture_bytes())
    page = response.content.decode()
    assert 'id="target-unit">Dinas Kependudukan Sleman (SLEMAN-DUKCAPIL)<' in page
    assert 'id="target-year">2025<' in page
    assert 'id="target-level">Penilaian mandiri<' in page
    assert 'id="import-total-before">0,33<' in page  # one "Ya" of three questions, weight 1
    assert f'id="import-total">{TOTAL_LOGICAL:.2f}<'.replace(".", ",") in page
    assert "belum lengkap" in page  # two questions of the sample are unanswered
    assert Answer.objects.count() == 1  # the preview writes nothing


def test_an_export_of_another_unit_is_refused_on_upload(
    client, unit_operator, evaluation, other_unit
):
    client.force_login(unit_operator)
    other = services.evaluation_create(unit=other_unit, year=2025)
    response = upload(client, evaluation, workbook_export(evaluation=other))
    page = response.content.decode()
    assert 'id="errors-file"' in page
    assert "ekspor portal dari LKE RSUD Sleman (SLEMAN-RSUD) tahun 2025" in page
    assert not Answer.objects.exists()


def test_upload_shows_a_preview_and_confirm_imports(client, unit_operator, evaluation, rubric):
    client.force_login(unit_operator)
    answers, inputs = full_values(selectors.rubric_spec(rubric=rubric))
    response = upload(
        client, evaluation, official(selectors.rubric_spec(rubric=rubric), answers, inputs)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "113 ditambah, 0 diubah, 0 dikosongkan." in page
    assert not Answer.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("evaluations:workbook_import_confirm", args=[evaluation.pk]), {"token": token}
    )
    assert response.status_code == 302
    assert evaluation.scores.get(level="self").total == 100
    assert Answer.objects.filter(updated_by=unit_operator).count() == 113
    # The token is used up: confirming twice imports nothing more.
    again = client.post(
        reverse("evaluations:workbook_import_confirm", args=[evaluation.pk]), {"token": token}
    )
    assert again.url == reverse("evaluations:workbook_upload", args=[evaluation.pk])


def test_the_preview_lists_evidence_links_and_confirm_adds_them(
    client, unit_operator, evaluation, rubric
):
    client.force_login(unit_operator)
    url = "https://sleman.go.id/zi/sk-tim.pdf"
    content = official(
        selectors.rubric_spec(rubric=rubric),
        {"A.I.1.i.a": "Ya"},
        links={"A.I.1.i.a": url},
        descriptions={"A.I.1.i.a": "SK Tim ZI"},
    )
    response = upload(client, evaluation, content)
    page = response.content.decode()
    assert "1 tautan bukti akan ditambahkan" in page
    assert url in page and "SK Tim ZI" in page
    assert not Evidence.objects.exists()
    response = client.post(
        reverse("evaluations:workbook_import_confirm", args=[evaluation.pk]),
        {"token": response.context["token"]},
        follow=True,
    )
    assert "1 tautan bukti ditambahkan." in response.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.url, evidence.description, evidence.uploaded_by) == (
        url,
        "SK Tim ZI",
        unit_operator,
    )


def test_a_bad_file_shows_indonesian_errors_next_to_the_field(client, unit_operator, evaluation):
    client.force_login(unit_operator)
    response = upload(client, evaluation, renamed_pdf())
    assert response.status_code == 200
    assert "Berkas ini bukan buku kerja Excel (.xlsx)." in response.content.decode()
    assert 'id="errors-file"' in response.content.decode()
    assert not Answer.objects.exists()


def test_a_user_cannot_import_a_level_they_do_not_answer(client, unit_operator, evaluation, rubric):
    client.force_login(unit_operator)
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    response = upload(client, evaluation, fixture_bytes(), "tpi")
    assert response.status_code == 200
    assert response.context["form"].errors["level"]
    assert not Answer.objects.exists()


def test_a_locked_level_is_reported_on_the_form(client, unit_operator, evaluation, rubric):
    client.force_login(unit_operator)
    in_status(evaluation, Evaluation.Status.SELF_SUBMITTED)
    response = upload(client, evaluation, fixture_bytes())
    assert "Penilaian mandiri sudah dikirim" in response.content.decode()


def test_download_returns_the_workbook(client, viewer, evaluation):
    client.force_login(viewer)
    response = client.get(reverse("evaluations:workbook_download", args=[evaluation.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK\x03\x04")
    assert "LKE-SLEMAN-DUKCAPIL-2025.xlsx" in response["Content-Disposition"]


@pytest.fixture
def scored(evaluation):
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    answers = full_answers(evaluation)
    answers.append(services.AnswerInput("A.I.1.i.b", letter="C", note="SK tim belum ada"))
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=answers)
    return evaluation


def test_lhe_page_shows_scores_verdict_gaps_and_notes_in_indonesian(client, evaluator, scored):
    client.force_login(evaluator)  # the TPI's own report, its internal notes included
    page = client.get(reverse("evaluations:lhe", args=[scored.pk])).content.decode()
    assert "Laporan hasil evaluasi" in page
    assert 'id="lhe-total">99,75<' in page
    assert "Direkomendasikan untuk WBK" in page
    assert "SK tim belum ada" in page
    assert "A.I.1.i.b" in page
    assert "@page" in page and "A4" in page


def test_lhe_pdf_is_a_pdf(client, viewer, scored):
    client.force_login(viewer)
    response = client.get(reverse("evaluations:lhe_pdf", args=[scored.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_lhe_of_another_agency_is_not_found(client, outsider, scored):
    client.force_login(outsider)
    assert client.get(reverse("evaluations:lhe", args=[scored.pk])).status_code == 404
    assert client.get(reverse("evaluations:lhe_pdf", args=[scored.pk])).status_code == 404
