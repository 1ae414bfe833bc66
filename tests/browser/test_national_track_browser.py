"""The national track in a real chromium: the agency proposes and objects, KemenPANRB records
every stage, decides the objection, sets the result and publishes the award, the national
evaluator scores the TPN level; the award reaches the public list; the agency records nothing."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import Award, ProposalWindow
from awards.tests.proposal_helpers import cover
from conftest import PASSWORD
from evaluations.models import Answer, Evaluation, Level
from evaluations.tests.factories import tpi_final
from units.models import Role
from units.tests.factories import MINIMAL_PDF as PDF_BYTES
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory

UNIT = "Dinas Kependudukan Sleman"
DECREE = "SK-77/MENPANRB/2026"


@pytest.fixture
def candidate(transactional_db, rubric):
    agency = AgencyFactory(name="Pemerintah Kabupaten Sleman", province="DI Yogyakarta")
    unit = UnitFactory(agency=agency, name=UNIT)
    for username, role, scope, staff in [
        ("admin.sleman", Role.AGENCY_ADMIN, agency, True),
        ("nasional", Role.NATIONAL_ADMIN, None, True),
        ("tpn.nasional", Role.NATIONAL_EVALUATOR, None, False),
    ]:
        user = UserFactory(
            username=username, is_staff=staff, is_superuser=role == Role.NATIONAL_ADMIN
        )
        MembershipFactory(user=user, agency=scope, role=role)
    today = timezone.localdate()
    ProposalWindow.objects.create(year=today.year, closes_on=today + datetime.timedelta(days=20))
    cover(agency, on=today - datetime.timedelta(days=400))
    return tpi_final(unit, today.year)


def login(page, live_url, username):
    page.context.clear_cookies()
    page.goto(live_url("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()


def record_stage(page, stage, outcome="passed"):
    form = page.locator("#stage-form")
    form.locator("[name=stage]").select_option(stage)
    form.locator("[name=date]").fill(timezone.localdate().isoformat())
    form.get_by_label("Hasil tahap").select_option(outcome)
    form.get_by_role("button", name="Catat tahap").click()


def expect_no_recording(page):
    """The agency administrator follows the stages: no form records or withdraws any."""
    for selector in ("#stage-form", "#result-link", "#award-link", ".stage-withdraw-form"):
        expect(page.locator(selector)).to_have_count(0)
    expect(page.locator("#stages-by-kemenpanrb")).to_be_visible()


def test_the_national_track_from_proposal_to_the_public_list(page, live_url, candidate):
    today = timezone.localdate().isoformat()

    # The agency proposes its unit.
    login(page, live_url, "admin.sleman")
    page.get_by_role("link", name="Pengusulan", exact=True).click()
    page.get_by_role("button", name="Buka").click()
    form = page.locator("#add-item-form")
    form.get_by_label("Unit kerja").select_option(label=UNIT)
    form.get_by_label("Predikat yang diusulkan").select_option("WBK")
    form.get_by_role("button", name="Usulkan").click()
    page.locator("#item-table").get_by_role("link", name=UNIT).click()
    item_url = page.url
    expect(page.locator("#evaluation-status")).to_have_text("Diusulkan ke KemenPANRB")
    expect_no_recording(page)

    # KemenPANRB finds it on the national track: the administrative selection fails.
    login(page, live_url, "nasional")
    page.get_by_role("link", name="Penilaian nasional").first.click()
    page.locator("#track-table").get_by_role("link", name=UNIT).click()
    record_stage(page, "admin_selection", "failed")
    expect(page.locator("#evaluation-status")).to_have_text("Tidak meraih predikat")
    expect(page.locator("#track-ended")).to_be_visible()

    # The agency objects, with its reason and the signed SPTJM.
    login(page, live_url, "admin.sleman")
    page.goto(item_url)
    objection = page.locator("#objection-form")
    objection.get_by_label("Alasan sanggahan").fill("SPTJM sudah ditandatangani Bupati.")
    objection.locator("[name=files]").set_input_files(
        files=[{"name": "sptjm.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    objection.get_by_role("button", name="Kirim sanggahan").click()
    expect(page.locator(".objection-status")).to_have_text("Menunggu keputusan")
    expect(page.get_by_role("link", name="sptjm.pdf")).to_be_visible()
    expect_no_recording(page)

    # KemenPANRB accepts it: the unit goes on to the desk evaluation.
    login(page, live_url, "nasional")
    page.goto(item_url)
    decision = page.locator(".objection-decision-form")
    decision.get_by_label("Terima: unit berlanjut ke evaluasi dokumen").check()
    decision.get_by_label("Alasan keputusan").fill("Dokumen lengkap.")
    decision.get_by_role("button", name="Putuskan").click()
    expect(page.locator(".objection-status")).to_have_text("Diterima")
    expect(page.locator("#evaluation-status")).to_have_text("Evaluasi dokumen (desk evaluation)")

    # The national evaluator writes findings and scores the TPN level of the LKE.
    login(page, live_url, "tpn.nasional")
    expect(page.get_by_role("link", name="Pengusulan", exact=True)).to_have_count(0)
    page.goto(live_url("/pengusulan/nasional/"))
    page.locator("#track-table").get_by_role("link", name=UNIT).click()
    page.locator("#findings-form").get_by_label("Temuan").fill("SOP pelayanan lengkap.")
    page.get_by_role("button", name="Simpan temuan").click()
    expect(page.locator("#stage-table")).to_contain_text("SOP pelayanan lengkap.")
    expect(page.locator("#stage-form")).to_have_count(0)
    page.get_by_role("link", name="Buka LKE").click()
    question = page.locator("#q-A-I-1-i-a")
    question.get_by_label("Jawaban").select_option("Ya")
    expect(page.locator("#q-A-I-1-i-a .lke-saved")).to_be_visible()
    assert Answer.objects.filter(evaluation=candidate, level=Level.TPN).count() == 1

    # KemenPANRB: desk and field evaluation, panel, then the result after its confirmation.
    login(page, live_url, "nasional")
    page.goto(item_url)
    for stage, status in [
        ("desk_evaluation", "Evaluasi lapangan"),
        ("field_evaluation", "Panel"),
        ("panel", "Panel"),
    ]:
        record_stage(page, stage)
        expect(page.locator("#evaluation-status")).to_have_text(status)
    page.locator("#result-link").click()
    expect(page.locator("#confirm-consequences")).to_contain_text(UNIT)
    page.get_by_label("Hasil akhir").select_option("WBK")
    page.get_by_role("button", name="Catat hasil").click()
    expect(page.locator("#item-result")).to_have_text("WBK")

    # The Minister's announcement: prepared, the award added, published today.
    page.goto(live_url("/penghargaan/pengumuman/"))
    announcement = page.locator("#announcement-form")
    announcement.get_by_label("Nomor SK").fill(DECREE)
    announcement.get_by_label("Tanggal SK").fill(today)
    announcement.get_by_label("Tanggal publikasi").fill(today)
    announcement.get_by_role("button", name="Siapkan").click()
    page.locator("#add-awards-link").click()
    expect(page.get_by_label(UNIT, exact=False)).to_be_checked()
    page.get_by_role("button", name="Buat penghargaan").click()
    expect(page.locator("#announcement-awards")).to_contain_text(UNIT)
    page.locator("#publish-link").click()
    expect(page.locator("#confirm-consequences")).to_contain_text("1 penghargaan")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator("#announcement-status")).to_contain_text("publik")
    award = Award.objects.get()
    assert (award.is_published, award.announcement.decree_number) == (True, DECREE)
    assert Evaluation.objects.get(pk=candidate.pk).status == Evaluation.Status.AWARDED_WBK

    # Anyone finds it on the public list.
    page.context.clear_cookies()
    page.goto(live_url("/penghargaan/"))
    expect(page.locator("#award-table")).to_contain_text(UNIT)
    expect(page.locator("#award-table")).to_contain_text(DECREE)

    # The agency followed every stage and could record none of them.
    login(page, live_url, "admin.sleman")
    page.goto(item_url)
    stages = page.locator("#stage-table")
    for label in [
        "Seleksi administrasi",
        "Masa sanggah",
        "Evaluasi dokumen (desk evaluation)",
        "Wawancara dan observasi lapangan",
        "Panel",
        "Hasil (penetapan)",
    ]:
        expect(stages).to_contain_text(label)
    expect_no_recording(page)
    response = page.request.get(live_url(item_url.split(live_url(""), 1)[1] + "hasil/"))
    assert response.status == 403
