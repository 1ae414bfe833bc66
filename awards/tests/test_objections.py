"""Objections (sanggah): an agency objects to a failed administrative selection within the
window's objection period, with a reason and attachments; KemenPANRB accepts or rejects it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services
from awards.models import NationalStage, Objection, ObjectionAttachment, ProposalWindow
from evaluations.models import Evaluation, StatusChange
from zi_portal.tests.upload_samples import PDF_BYTES

from .proposal_helpers import STAGE_DAY, proposed_item

S = Evaluation.Status


@pytest.fixture
def failed(rubric, agency, unit, agency_admin, national_admin):
    """A proposed unit that failed the administrative selection on STAGE_DAY."""
    item = proposed_item(agency, unit, agency_admin)
    services.national_stage_record(
        item=item,
        stage="admin_selection",
        date=STAGE_DAY,
        outcome="failed",
        note="SPTJM tidak ditandatangani",
        by=national_admin,
        today=STAGE_DAY,
    )
    item.refresh_from_db()
    return item


def pdf(name="sptjm-bertanda-tangan.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def object_to(item, by, *, on=STAGE_DAY, files=None, reason="SPTJM sudah ditandatangani"):
    return services.objection_file(
        item=item, reason=reason, files=[pdf()] if files is None else files, by=by, today=on
    )


def status_of(item):
    return Evaluation.objects.get(pk=item.evaluation_id).status


def test_an_agency_objects_with_a_reason_and_attachments(failed, agency_admin):
    objection = object_to(failed, agency_admin)
    assert (objection.status, objection.filed_by, objection.stage.stage) == (
        "pending",
        agency_admin,
        "admin_selection",
    )
    attachment = objection.attachments.get()
    assert attachment.original_filename == "sptjm-bertanda-tangan.pdf"
    assert attachment.file.read() == PDF_BYTES
    assert status_of(failed) == S.NOT_AWARDED


def test_an_accepted_objection_reinstates_the_unit_at_the_desk_evaluation(
    failed, agency_admin, national_admin
):
    objection = object_to(failed, agency_admin)
    services.objection_decide(
        objection=objection,
        accept=True,
        reason="Dokumen lengkap",
        by=national_admin,
        today=STAGE_DAY + datetime.timedelta(days=5),
    )
    objection.refresh_from_db()
    failed.refresh_from_db()
    assert (objection.status, objection.decided_by, objection.decision_reason) == (
        "accepted",
        national_admin,
        "Dokumen lengkap",
    )
    assert (failed.result, status_of(failed)) == ("", S.DESK_EVALUATION)
    period = NationalStage.objects.get(item=failed, stage="objection")
    assert (period.outcome, period.note, period.entered_by) == (
        "passed",
        "Dokumen lengkap",
        national_admin,
    )
    change = StatusChange.objects.filter(evaluation_id=failed.evaluation_id).first()
    assert (change.transition, change.from_status, change.to_status) == (
        "objection_accept",
        S.NOT_AWARDED,
        S.DESK_EVALUATION,
    )
    # The track goes on from there.
    services.national_stage_record(
        item=failed,
        stage="desk_evaluation",
        date=datetime.date(2025, 8, 1),
        outcome="passed",
        by=national_admin,
        today=datetime.date(2025, 8, 1),
    )
    assert status_of(failed) == S.FIELD_EVALUATION


def test_a_rejected_objection_leaves_the_unit_not_awarded(failed, agency_admin, national_admin):
    objection = object_to(failed, agency_admin)
    services.objection_decide(
        objection=objection, accept=False, reason="Terlambat dilengkapi", by=national_admin
    )
    failed.refresh_from_db()
    assert (failed.result, status_of(failed)) == ("not_awarded", S.NOT_AWARDED)
    assert not NationalStage.objects.filter(item=failed, stage="objection").exists()
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        services.objection_decide(objection=objection, accept=True, reason="x", by=national_admin)


def test_a_decision_needs_a_reason(failed, agency_admin, national_admin):
    objection = object_to(failed, agency_admin)
    with pytest.raises(ValidationError):
        services.objection_decide(objection=objection, accept=True, reason=" ", by=national_admin)
    assert Objection.objects.get().status == "pending"
    assert status_of(failed) == S.NOT_AWARDED


def test_the_objection_period_is_set_on_the_proposal_window(failed, agency_admin):
    ProposalWindow.objects.create(year=2025, closes_on=datetime.date(2025, 5, 31), objection_days=3)
    with pytest.raises(ValidationError, match="ditutup"):
        object_to(failed, agency_admin, on=STAGE_DAY + datetime.timedelta(days=4))
    assert object_to(failed, agency_admin, on=STAGE_DAY + datetime.timedelta(days=3)).pk


def test_the_default_objection_period_is_seven_days(failed, agency_admin):
    with pytest.raises(ValidationError):
        object_to(failed, agency_admin, on=STAGE_DAY + datetime.timedelta(days=8))
    assert not Objection.objects.exists()


def test_only_a_failed_administrative_selection_is_objected_to_once(
    rubric, agency, unit, agency_admin, national_admin, failed
):
    object_to(failed, agency_admin)
    with pytest.raises(ValidationError, match="sudah diajukan"):
        object_to(failed, agency_admin)
    assert Objection.objects.count() == 1


def test_a_passed_administrative_selection_cannot_be_objected_to(
    rubric, agency, unit, agency_admin, national_admin
):
    item = proposed_item(agency, unit, agency_admin)
    with pytest.raises(ValidationError):
        object_to(item, agency_admin)
    services.national_stage_record(
        item=item,
        stage="admin_selection",
        date=STAGE_DAY,
        outcome="passed",
        by=national_admin,
        today=STAGE_DAY,
    )
    with pytest.raises(ValidationError):
        object_to(item, agency_admin)
    assert not Objection.objects.exists()


def test_a_bad_attachment_stores_nothing(failed, agency_admin, media_root):
    program = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="bukti.pdf"):
        object_to(failed, agency_admin, files=[pdf(), program])
    assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()
    stored = media_root / "private" / "objections"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_a_contested_stage_cannot_be_withdrawn(failed, agency_admin, national_admin):
    object_to(failed, agency_admin)
    contested = NationalStage.objects.get(item=failed, stage="admin_selection")
    with pytest.raises(ValidationError, match="sanggah|keberatan"):
        services.national_stage_withdraw(stage=contested, reason="Salah", by=national_admin)
    contested.refresh_from_db()
    assert not contested.is_withdrawn


def test_the_stage_an_accepted_objection_made_cannot_be_withdrawn(
    failed, agency_admin, national_admin
):
    objection = object_to(failed, agency_admin)
    services.objection_decide(objection=objection, accept=True, reason="Lengkap", by=national_admin)
    period = NationalStage.objects.get(item=failed, stage="objection")
    with pytest.raises(ValidationError):
        services.national_stage_withdraw(stage=period, reason="Salah", by=national_admin)
    assert status_of(failed) == S.DESK_EVALUATION
