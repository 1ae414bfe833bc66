"""The national track's pages through the test client: who records what, the confirmation
before every irreversible step, objections, the national evaluator's narrow view, and
KemenPANRB's screens for proposal windows and announcements."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import services
from awards.models import (
    Announcement,
    Award,
    NationalStage,
    Objection,
    ProposalWindow,
    SubmissionItem,
)
from evaluations.models import Answer, Evaluation
from evaluations.tests.factories import in_status
from zi_portal.tests.upload_samples import PDF_BYTES

from .proposal_helpers import STAGE_DAY, announcement, pass_stages, proposed_item, record_result

S = Evaluation.Status
TODAY = "2026-04-15"  # tests.clock.TODAY


@pytest.fixture
def item(rubric, agency, unit, agency_admin):
    return proposed_item(agency, unit, agency_admin)


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def status_of(item):
    return Evaluation.objects.get(pk=item.evaluation_id).status


# --- Who records the national stages ------------------------------------------------------------


def test_the_agency_admin_follows_the_stages_and_records_none(
    client, item, agency_admin, national_admin
):
    pass_stages(item, national_admin, through="admin_selection")
    client.force_login(agency_admin)
    body = client.get(url("submission_item_detail", item.pk)).content.decode()
    assert "Seleksi administrasi" in body and 'id="stage-table"' in body
    assert 'id="stage-form"' not in body and "stage-withdraw-form" not in body
    assert "dicatat oleh KemenPANRB" in body
    data = {"stage": "objection", "date": TODAY, "outcome": "passed"}
    assert client.post(url("national_stage_record", item.pk), data).status_code == 403
    assert client.get(url("result_record", item.pk)).status_code == 403
    stage = NationalStage.objects.get(item=item)
    assert client.post(url("stage_withdraw", stage.pk), {"reason": "x"}).status_code == 403
    assert NationalStage.objects.filter(item=item).count() == 1
    assert status_of(item) == S.ADMIN_SELECTION


def test_kemenpanrb_records_the_next_stage_on_the_item_page(client, item, national_admin):
    client.force_login(national_admin)
    page = client.get(url("submission_item_detail", item.pk))
    assert page.context["stage_form"]["stage"].value() == "admin_selection"
    response = client.post(
        url("national_stage_record", item.pk),
        {"stage": "admin_selection", "date": TODAY, "outcome": "failed", "note": "SPTJM kosong"},
    )
    assert response.status_code == 302
    assert status_of(item) == S.NOT_AWARDED
    # Out of order: refused next to the form, nothing recorded.
    response = client.post(
        url("national_stage_record", item.pk),
        {"stage": "panel", "date": TODAY, "outcome": "passed"},
    )
    assert response.status_code == 400
    assert "hanya dapat menyusul" in response.content.decode()
    assert NationalStage.objects.filter(item=item).count() == 1


def test_a_mistaken_stage_is_withdrawn_on_the_page_with_a_reason(client, item, national_admin):
    pass_stages(item, national_admin, through="objection")
    last = NationalStage.objects.get(item=item, stage="objection")
    client.force_login(national_admin)
    assert client.post(url("stage_withdraw", last.pk), {"reason": ""}).status_code == 400
    response = client.post(url("stage_withdraw", last.pk), {"reason": "Tanggal keliru"})
    assert response.status_code == 302
    body = client.get(url("submission_item_detail", item.pk)).content.decode()
    assert "Tanggal keliru" in body and "ditarik" in body
    assert status_of(item) == S.ADMIN_SELECTION


# --- Confirmations before irreversible steps ------------------------------------------------------


def test_the_result_is_recorded_only_after_its_confirmation(client, item, national_admin):
    pass_stages(item, national_admin)
    client.force_login(national_admin)
    page = client.get(url("result_record", item.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Yang akan terjadi" in body and item.evaluation.unit.name in body
    assert status_of(item) == S.PANEL
    data = {"result": "WBK", "date": TODAY}
    unconfirmed = client.post(url("result_record", item.pk), data)
    assert unconfirmed.status_code == 400
    assert status_of(item) == S.PANEL
    confirmed = client.post(url("result_record", item.pk), {**data, "confirm": "yes"})
    assert confirmed.status_code == 302
    assert status_of(item) == S.AWARDED_WBK


def test_the_award_and_its_publication_are_confirmed_and_reach_the_public_list(
    client, item, national_admin
):
    record_result(item, national_admin)
    decree = announcement(
        publish_on=datetime.date(2026, 4, 1), decree_date=datetime.date(2026, 3, 1)
    )
    client.force_login(national_admin)
    assert client.get(url("create_from_item", item.pk)).status_code == 200
    data = {"announcement": decree.pk}
    assert client.post(url("create_from_item", item.pk), data).status_code == 400
    assert not Award.objects.exists()
    response = client.post(url("create_from_item", item.pk), {**data, "confirm": "yes"})
    award = Award.objects.get()
    assert response.url == award.get_absolute_url()
    assert not award.is_published
    assert "SK-10/MENPANRB/2025" not in client.get(url("public_list")).content.decode()

    page = client.get(url("announcement_publish", decree.pk)).content.decode()
    assert "1 penghargaan dalam pengumuman ini tampil di daftar publik" in page
    assert client.post(url("announcement_publish", decree.pk)).status_code == 400
    assert not Announcement.objects.get().is_published
    response = client.post(url("announcement_publish", decree.pk), {"confirm": "yes"})
    assert response.status_code == 302
    client.logout()
    assert "SK-10/MENPANRB/2025" in client.get(url("public_list")).content.decode()


def test_the_announcement_page_adds_every_result_at_once(
    client, item, national_admin, agency_admin, other_unit
):
    from evaluations.tests.factories import tpi_final

    record_result(item, national_admin)
    second = services.submission_item_add(
        submission=item.submission,
        evaluation=tpi_final(other_unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=datetime.date(2025, 4, 1),
    )
    record_result(second, national_admin)
    decree = announcement()
    client.force_login(national_admin)
    page = client.get(url("announcement_add_awards", decree.pk))
    assert set(page.context["form"]["items"].value()) == {item.pk, second.pk}
    response = client.post(
        url("announcement_add_awards", decree.pk),
        {"items": [item.pk, second.pk], "confirm": "yes"},
    )
    assert response.status_code == 302
    assert set(Award.objects.values_list("announcement", "is_published")) == {(decree.pk, False)}


def test_revocation_is_confirmed_and_needs_its_decree(client, item, national_admin):
    record_result(item, national_admin)
    award, _ = services.award_create_from_item(
        item=item, announcement=announcement(), by=national_admin
    )
    client.force_login(national_admin)
    assert "tidak dapat dibatalkan" in client.get(url("revoke", award.pk)).content.decode()
    data = {"revoked_on": TODAY, "reason": "OTT KPK", "confirm": "yes"}
    response = client.post(url("revoke", award.pk), data)
    assert response.status_code == 400
    assert "decree" in response.context["form"].errors
    response = client.post(url("revoke", award.pk), {**data, "decree": "SK-3/2026"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.revocation_decree == "SK-3/2026"


def test_the_agency_admin_can_neither_award_nor_revoke(client, item, agency_admin, national_admin):
    record_result(item, national_admin)
    award, _ = services.award_create_from_item(
        item=item, announcement=announcement(), by=national_admin
    )
    client.force_login(agency_admin)
    assert client.get(url("create_from_item", item.pk)).status_code == 403
    data = {"revoked_on": TODAY, "reason": "x", "decree": "y", "confirm": "yes"}
    assert client.post(url("revoke", award.pk), data).status_code == 403
    assert client.get(url("announcement_list")).status_code == 403
    award.refresh_from_db()
    assert not award.is_revoked
    assert "revoke-link" not in client.get(award.get_absolute_url()).content.decode()


# --- Objections on the page -----------------------------------------------------------------------


def test_the_agency_objects_on_the_page_and_kemenpanrb_decides(
    client, item, agency_admin, national_admin
):
    # Failed the administrative selection yesterday: the objection period is open.
    services.national_stage_record(
        item=item,
        stage="admin_selection",
        date=datetime.date(2026, 4, 14),
        outcome="failed",
        by=national_admin,
    )
    client.force_login(agency_admin)
    body = client.get(url("submission_item_detail", item.pk)).content.decode()
    assert 'id="objection-form"' in body and "21 April 2026" in body
    empty = client.post(url("objection_file", item.pk), {"reason": ""})
    assert empty.status_code == 400 and not Objection.objects.exists()
    upload = SimpleUploadedFile("sptjm.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        url("objection_file", item.pk), {"reason": "SPTJM terlampir", "files": [upload]}
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    attachment = objection.attachments.get()
    download = client.get(url("objection_attachment", attachment.pk))
    assert b"".join(download.streaming_content) == PDF_BYTES
    decision = {"decision": "accept", "reason": "Dokumen lengkap"}
    assert client.post(url("objection_decide", objection.pk), decision).status_code == 403

    client.force_login(national_admin)
    assert client.post(url("objection_decide", objection.pk), decision).status_code == 302
    assert status_of(item) == S.DESK_EVALUATION
    # The track resumes: the desk evaluation is next, and the reinstating record stays.
    page = client.get(url("submission_item_detail", item.pk))
    assert (page.context["next_stage"], page.context["last_stage"]) == ("desk_evaluation", None)


def test_an_outsider_does_not_see_the_objection(
    client, item, agency_admin, outsider, national_admin
):
    services.national_stage_record(
        item=item,
        stage="admin_selection",
        date=datetime.date(2026, 4, 14),
        outcome="failed",
        by=national_admin,
    )
    upload = SimpleUploadedFile("sptjm.pdf", PDF_BYTES)
    objection = services.objection_file(item=item, reason="x", files=[upload], by=agency_admin)
    client.force_login(outsider)
    assert client.post(url("objection_file", item.pk), {"reason": "x"}).status_code == 404
    attachment = objection.attachments.get()
    assert client.get(url("objection_attachment", attachment.pk)).status_code == 404


# --- The national evaluator ---------------------------------------------------------------------


def test_the_national_evaluator_sees_only_proposed_units_on_the_track(
    client, item, national_evaluator, national_admin, agency, unit, other_unit
):
    from evaluations.services import evaluation_create

    draft = evaluation_create(unit=other_unit, year=2025)
    client.force_login(national_evaluator)
    track = client.get(url("national_track"))
    assert [row.pk for row in track.context["page"]] == [item.pk]
    assert client.get(url("submission_item_detail", item.pk)).status_code == 200
    assert client.get(reverse("evaluations:detail", args=[item.evaluation_id])).status_code == 200
    # Nothing else: the agency's proposal, units, agency, other LKEs, dashboards.
    assert client.get(url("submission_detail", item.submission_id)).status_code == 404
    assert client.get(url("unit_detail", unit.pk)).status_code == 404
    assert client.get(reverse("units:agency_detail", args=[agency.pk])).status_code == 404
    assert client.get(reverse("evaluations:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("dashboards:national")).status_code == 403
    assert client.get(reverse("dashboards:agency", args=[agency.pk])).status_code == 404
    # Once the result is set, the unit has left the national track.
    record_result(item, national_admin)
    assert client.get(url("submission_item_detail", item.pk)).status_code == 404
    assert client.get(reverse("evaluations:detail", args=[item.evaluation_id])).status_code == 404


def answer(client, item, level="tpn"):
    return client.post(
        reverse("evaluations:answer_save", args=[item.evaluation_id, "A.I.1.i.a", level]),
        {"letter": "Ya"},
    )


def test_only_the_national_evaluator_scores_the_tpn_level_at_desk_or_field_evaluation(
    client, item, national_evaluator, national_admin, agency_admin
):
    client.force_login(national_evaluator)
    pass_stages(item, national_admin, through="admin_selection")
    assert answer(client, item).status_code == 409  # still in the objection period
    services.national_stage_record(
        item=item, stage="objection", date=STAGE_DAY, outcome="passed", by=national_admin
    )
    assert answer(client, item).status_code == 302
    assert Answer.objects.filter(evaluation_id=item.evaluation_id, level="tpn").count() == 1
    assert answer(client, item, level="tpi").status_code == 403
    for other in (agency_admin, national_admin):
        client.force_login(other)
        assert answer(client, item).status_code == 403
    assert Answer.objects.filter(evaluation_id=item.evaluation_id, level="tpn").count() == 1


def test_the_national_evaluator_writes_findings_and_totals_but_records_no_outcome(
    client, item, national_evaluator, national_admin
):
    pass_stages(item, national_admin, through="objection")
    client.force_login(national_evaluator)
    body = client.get(url("submission_item_detail", item.pk)).content.decode()
    assert 'id="findings-form"' in body and 'id="tpn-form"' in body
    assert 'id="stage-form"' not in body and "objection-form" not in body
    response = client.post(url("stage_findings", item.pk), {"findings": "SOP belum lengkap"})
    assert response.status_code == 302
    response = client.post(url("submission_item_tpn", item.pk), {"pengungkit": "50", "hasil": "30"})
    assert response.status_code == 302
    assert SubmissionItem.objects.get(pk=item.pk).tpn_total == 80
    data = {"stage": "desk_evaluation", "date": TODAY, "outcome": "passed"}
    assert client.post(url("national_stage_record", item.pk), data).status_code == 403
    assert NationalStage.objects.get(item=item, stage="desk_evaluation").outcome == "pending"


def test_the_unit_page_shows_the_tpn_totals(
    client, item, national_evaluator, national_admin, agency_admin, unit
):
    pass_stages(item, national_admin, through="objection")
    services.submission_item_set_tpn_totals(
        item=item, pengungkit=52, hasil=31, by=national_evaluator
    )
    client.force_login(agency_admin)
    body = client.get(url("unit_detail", unit.pk)).content.decode()
    assert "83,00" in body and "52,00" in body and "31,00" in body


# --- Proposal windows ----------------------------------------------------------------------------


def test_kemenpanrb_sets_and_changes_a_window_on_its_screen(client, national_admin, agency_admin):
    client.force_login(agency_admin)
    assert client.get(url("window_list")).status_code == 403
    client.force_login(national_admin)
    data = {"year": 2027, "opens_on": "2027-02-01", "closes_on": "2027-05-31", "objection_days": 5}
    assert client.post(url("window_create"), data).status_code == 302
    window = ProposalWindow.objects.get(year=2027)
    assert (window.closes_on, window.objection_days) == (datetime.date(2027, 5, 31), 5)
    again = client.post(url("window_create"), data)
    assert again.status_code == 400 and "sudah ada" in again.content.decode()
    bad = {"opens_on": "2027-06-01", "closes_on": "2027-05-31", "objection_days": 5}
    response = client.post(url("window_update", window.pk), bad)
    assert response.status_code == 400
    assert response.context["form"].errors
    window.refresh_from_db()
    assert window.opens_on == datetime.date(2027, 2, 1)
    changed = {"opens_on": "2027-02-01", "closes_on": "2027-06-15", "objection_days": 10}
    assert client.post(url("window_update", window.pk), changed).status_code == 302
    window.refresh_from_db()
    assert (window.closes_on, window.objection_days) == (datetime.date(2027, 6, 15), 10)
    assert window.history.first().history_user == national_admin


def test_an_announcement_is_prepared_on_its_screen(client, national_admin):
    client.force_login(national_admin)
    data = {
        "year": 2026,
        "decree_number": "SK-1/MENPANRB/2026",
        "decree_date": "2026-12-09",
        "publish_on": "2026-12-01",
    }
    response = client.post(url("announcement_create"), data)
    assert response.status_code == 400 and not Announcement.objects.exists()
    response = client.post(url("announcement_create"), {**data, "publish_on": "2026-12-10"})
    announcement_ = Announcement.objects.get()
    assert response.url == announcement_.get_absolute_url()
    assert not announcement_.is_published


def test_an_evaluation_on_the_track_stays_hidden_from_other_agencies(client, item, outsider):
    in_status(item.evaluation, S.DESK_EVALUATION)
    client.force_login(outsider)
    assert client.get(url("submission_item_detail", item.pk)).status_code == 404
    assert client.get(url("national_track")).status_code == 403


def test_the_national_track_list_query_count_does_not_grow_with_units(
    client, rubric, agency, agency_admin, national_evaluator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.tests.factories import tpi_final
    from units.tests.factories import UnitFactory

    from .proposal_helpers import cover

    cover(agency)
    submission = services.submission_open(agency=agency, year=2025, by=agency_admin)[0]
    client.force_login(national_evaluator)
    counts = []
    for batch in (1, 4):
        for unit in UnitFactory.create_batch(batch, agency=agency):
            item = services.submission_item_add(
                submission=submission,
                evaluation=tpi_final(unit, 2025),
                predicate="WBK",
                by=agency_admin,
                today=datetime.date(2025, 4, 1),
            )
            in_status(item.evaluation, S.DESK_EVALUATION)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("national_track"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(response.context["page"]) == 5
    assert counts[0] == counts[1]
