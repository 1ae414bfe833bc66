"""Uploads in an S3 bucket: every upload, download and deletion against a real S3 server.

The `s3` fixture points the default storage at a fresh bucket of moto's S3 server (started once
per test process), through django-storages and boto3 as in production with MinIO or a cloud.
The portal still checks access: the files are streamed through its views, never linked.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from awards import services as awards_services
from awards.tests.proposal_helpers import STAGE_DAY, proposed_item
from evaluations import services
from evaluations.models import Evidence
from evaluations.tests.factories import in_status
from units.models import Pencanangan
from units.tests.factories import MINIMAL_PDF, pdf_upload
from zi_portal.tests.upload_samples import EXE_BYTES, PDF_BYTES, PNG_BYTES

QUESTION = "A.I.1.i.a"


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def _download(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_evidence_goes_to_the_bucket_and_comes_back_through_the_view(
    client, s3, media_root, unit_operator, viewer, outsider, evaluation
):
    client.force_login(unit_operator)
    response = client.post(
        reverse("evaluations:evidence", args=[evaluation.pk, QUESTION]),
        {"kind": "file", "file": SimpleUploadedFile("SK Tim ZI.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    key = f"private/{evidence.file.name}"
    assert key.startswith(f"private/evidence/{evaluation.pk}/")
    assert s3.keys() == [key]
    assert s3.read(key) == PDF_BYTES
    assert not media_root.exists()  # nothing on the local disk

    url = reverse("evaluations:evidence_download", args=[evidence.pk])
    response = _download(client, viewer, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="SK_Tim_ZI.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # Streamed by the portal: no redirect to the object store, signed or not.
    assert "Location" not in response

    revision = evidence.revisions.get()
    revision_url = reverse("evaluations:evidence_revision_download", args=[revision.pk])
    for forbidden in (url, revision_url):
        assert _download(client, outsider, forbidden).status_code == 404


def test_a_replaced_file_keeps_both_objects_and_each_revision_downloads_its_own(
    client, s3, unit_operator, evaluator, evaluation
):
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code=QUESTION,
        upload=SimpleUploadedFile("laporan.pdf", PDF_BYTES),
        by=unit_operator,
    )
    in_status(evaluation, "tpi_review")
    client.force_login(evaluator)
    response = client.post(
        reverse("evaluations:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("foto.png", PNG_BYTES)},
    )
    assert response.status_code == 302
    first, second = evidence.revisions.order_by("number")
    assert s3.keys() == sorted([f"private/{first.file.name}", f"private/{second.file.name}"])
    for revision, data in ((first, PDF_BYTES), (second, PNG_BYTES)):
        url = reverse("evaluations:evidence_revision_download", args=[revision.pk])
        assert b"".join(client.get(url).streaming_content) == data


def test_removed_evidence_keeps_its_object_for_the_history(client, s3, unit_operator, evaluation):
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code=QUESTION,
        upload=SimpleUploadedFile("laporan.pdf", PDF_BYTES),
        by=unit_operator,
    )
    client.force_login(unit_operator)
    client.post(reverse("evaluations:evidence_remove", args=[evidence.pk]))
    evidence.refresh_from_db()
    assert evidence.is_removed
    assert s3.keys() == [f"private/{evidence.file.name}"]


def test_a_refused_file_leaves_no_object(client, s3, unit_operator, evaluation):
    client.force_login(unit_operator)
    response = client.post(
        reverse("evaluations:evidence", args=[evaluation.pk, QUESTION]),
        {"kind": "file", "file": SimpleUploadedFile("laporan.pdf", EXE_BYTES)},
    )
    assert "Berkas ini adalah program, bukan dokumen" in response.content.decode()
    assert s3.keys() == []


def test_a_row_refused_after_its_file_was_stored_deletes_the_object(s3, unit_operator, evaluation):
    # The description is checked with the row, after the file went to the bucket.
    with pytest.raises(ValidationError):
        services.evidence_add_file(
            evaluation=evaluation,
            question_code=QUESTION,
            upload=SimpleUploadedFile("laporan.pdf", PDF_BYTES),
            description="x" * 501,
            by=unit_operator,
        )
    assert not Evidence.objects.exists()
    assert s3.keys() == []


def test_a_file_missing_from_the_bucket_answers_404(client, s3, unit_operator, evaluation):
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code=QUESTION,
        upload=SimpleUploadedFile("laporan.pdf", PDF_BYTES),
        by=unit_operator,
    )
    s3.client.delete_object(Bucket=s3.bucket, Key=f"private/{evidence.file.name}")
    response = _download(
        client, unit_operator, reverse("evaluations:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == 404


def test_a_charter_goes_to_the_bucket_and_only_its_agency_reads_it(
    client, s3, agency, agency_admin, viewer, outsider
):
    client.force_login(agency_admin)
    response = client.post(
        reverse("units:pencanangan_create", args=[agency.pk]),
        {
            "date": "2024-02-20",
            "place": "Pendopo Parasamya, Sleman",
            "signed_by_name": "Kustini Sri Purnomo",
            "signed_by_position": "Bupati Sleman",
            "covers_whole_agency": "on",
            "charter": pdf_upload(),
        },
    )
    assert response.status_code == 302
    pencanangan = Pencanangan.objects.get()
    key = f"private/{pencanangan.charter.name}"
    assert key.startswith(f"private/pencanangan/{agency.pk}/")
    assert s3.keys() == [key]

    url = reverse("units:pencanangan_charter", args=[pencanangan.pk])
    response = _download(client, viewer, url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert _download(client, outsider, url).status_code == 404


def test_objection_attachments_go_to_the_bucket_and_only_the_agency_reads_them(
    client, s3, rubric, agency, unit, agency_admin, national_admin, viewer, outsider
):
    item = proposed_item(agency, unit, agency_admin)
    awards_services.national_stage_record(
        item=item,
        stage="admin_selection",
        date=STAGE_DAY,
        outcome="failed",
        by=national_admin,
        today=STAGE_DAY,
    )
    objection = awards_services.objection_file(
        item=item,
        reason="SPTJM sudah ditandatangani",
        files=[SimpleUploadedFile("sptjm.pdf", PDF_BYTES)],
        by=agency_admin,
        today=STAGE_DAY,
    )
    attachment = objection.attachments.get()
    assert f"private/{attachment.file.name}" in s3.keys(f"private/objections/{objection.pk}/")

    url = reverse("awards:objection_attachment", args=[attachment.pk])
    response = _download(client, viewer, url)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert _download(client, outsider, url).status_code == 404


def test_a_signed_url_of_the_default_storage_expires_within_a_minute(s3):
    name = default_storage.save("ekspor/lke.zip", ContentFile(b"PK"))
    url = default_storage.url(name)
    assert f"/{s3.bucket}/ekspor/lke.zip?" in url
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url


def test_purging_workbook_uploads_works_in_the_bucket(s3):
    name = default_storage.save("workbook-imports/7/token.xlsx", ContentFile(b"PK"))
    uploaded = default_storage.get_modified_time(name)

    with time_machine.travel(uploaded + datetime.timedelta(hours=23)):
        call_command("purge_workbook_uploads")
    assert s3.keys() == [name]

    with time_machine.travel(uploaded + datetime.timedelta(hours=25)):
        call_command("purge_workbook_uploads")
    assert s3.keys() == []
