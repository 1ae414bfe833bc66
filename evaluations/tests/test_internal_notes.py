"""The TPI's internal notes and removed evidence are for the reviewers, not for the unit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services
from evaluations.models import Evaluation, Level
from zi_portal.tests.upload_samples import PDF_BYTES

from .factories import in_status

INTERNAL = "Catatan internal: periksa ulang SK tim"
TO_UNIT = "Mohon lengkapi SK tim kerja"


@pytest.fixture
def evaluation(rubric, unit, evaluator):
    evaluation = services.evaluation_create(unit=unit, year=2025)
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    services.answers_save(
        evaluation=evaluation,
        level=Level.TPI,
        answers=[
            services.AnswerInput("A.I.1.i.a", letter="Ya", note=INTERNAL, note_to_unit=TO_UNIT)
        ],
        by=evaluator,
    )
    return evaluation


def _pages(client, evaluation):
    lke = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    lhe = client.get(reverse("evaluations:lhe", args=[evaluation.pk])).content.decode()
    xlsx = client.get(reverse("evaluations:workbook_download", args=[evaluation.pk])).content
    cells = [
        str(cell.value)
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    ]
    return lke, lhe, "\n".join(cells)


def test_the_unit_reads_the_note_to_the_unit_but_not_the_internal_note(
    client, evaluation, unit_operator
):
    client.force_login(unit_operator)
    for shown in _pages(client, evaluation):
        assert TO_UNIT in shown
        assert INTERNAL not in shown


@pytest.mark.parametrize("role", ["evaluator", "agency_admin"])
def test_the_tpi_and_the_administrators_read_the_internal_note(request, client, evaluation, role):
    client.force_login(request.getfixturevalue(role))
    for shown in _pages(client, evaluation):
        assert INTERNAL in shown


def test_removed_evidence_is_for_the_reviewers_only(client, rubric, unit, unit_operator, evaluator):
    evaluation = services.evaluation_create(unit=unit, year=2025)
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=unit_operator,
    )
    revision = evidence.revisions.get()
    services.evidence_remove(evidence=evidence, by=unit_operator)
    urls = [
        reverse("evaluations:evidence_download", args=[evidence.pk]),
        reverse("evaluations:evidence_revision_download", args=[revision.pk]),
    ]
    client.force_login(unit_operator)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(evaluator)
    assert [client.get(url).status_code for url in urls] == [200, 200]
