"""The LKE in a real chromium: the unit answers and submits, the TPI scores and returns it."""

import hashlib

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from evaluations import services
from evaluations.models import Evaluation, Evidence, Level, StatusChange
from evaluations.tests.factories import full_answers
from units.models import Role
from units.tests.factories import MINIMAL_PDF as PDF_BYTES
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory


@pytest.fixture
def lke(transactional_db, rubric):
    agency = AgencyFactory(name="Pemerintah Kabupaten Sleman", province="DI Yogyakarta")
    unit = UnitFactory(agency=agency, name="Dinas Kependudukan Sleman")
    users = {}
    for username, role, scope in [
        ("operator", Role.UNIT_OPERATOR, unit),
        ("evaluator", Role.EVALUATOR, None),
        ("bupati", Role.VIEWER, None),
    ]:
        users[username] = UserFactory(username=username)
        MembershipFactory(user=users[username], agency=agency, unit=scope, role=role)
    evaluation = services.evaluation_create(unit=unit, year=2026)
    # Everything but the two questions the operator answers in the browser.
    rest = [a for a in full_answers(evaluation) if a.question not in {"A.I.1.i.a", "A.I.1.i.b"}]
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=rest)
    return evaluation


def login(page, live_url, username):
    page.context.clear_cookies()
    page.goto(live_url("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()


def test_unit_submits_and_tpi_scores_and_returns_it(page, live_url, lke):
    url = live_url(f"/evaluasi/{lke.pk}/")

    login(page, live_url, "operator")
    page.goto(url)
    expect(page.locator("#lke-completeness")).to_contain_text("111 dari 113")
    first = page.locator("#q-A-I-1-i-a")
    first.get_by_label("Jawaban").select_option("Ya")
    expect(page.locator("#q-A-I-1-i-a .lke-saved")).to_be_visible()
    second = page.locator("#q-A-I-1-i-b")
    second.get_by_label("Jawaban").select_option("A")
    expect(page.locator("#q-A-I-1-i-b .lke-saved")).to_be_visible()
    expect(page.locator("#lke-completeness")).to_contain_text("113 dari 113")
    expect(page.locator("#lke-total")).to_have_text("100,00")

    # Evidence for the first question: a real PDF through the evidence panel.
    page.locator("#q-A-I-1-i-a [data-evidence-count]").click()
    page.get_by_label("Berkas", exact=True).set_input_files(
        files=[{"name": "SK Tim ZI.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Keterangan").first.fill("SK Tim ZI 2026")
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator(".evidence-panel")).to_contain_text("SK Tim ZI 2026")
    evidence = Evidence.objects.get(evaluation=lke)
    assert (evidence.question.code, evidence.sha256) == (
        "A.I.1.i.a",
        hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    page.goto(url)
    expect(page.locator("#q-A-I-1-i-a [data-evidence-count]")).to_have_attribute(
        "data-evidence-count", "1"
    )
    page.get_by_role("button", name="Kirim penilaian mandiri").click()
    expect(page.locator("#evaluation-status")).to_have_text("Penilaian mandiri diajukan")
    expect(page.locator("form.answer-form")).to_have_count(0)

    login(page, live_url, "evaluator")
    page.goto(url)
    page.get_by_role("button", name="Mulai penilaian TPI").click()
    expect(page.locator("#evaluation-status")).to_have_text("Reviu TPI")
    expect(page.locator("#lke-total")).to_have_text("0,00")
    # The page shows one area at a time: the survey questions are in Hasil's first group.
    page.locator('#lke-areas a[href^="?area=B.I&"]').click()
    expect(page.locator("#lke-areas .active")).to_contain_text("B.I")
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.locator("#q-B-I-a").get_by_label("Indeks survei (0–4)").fill("3.6")
    page.locator("#q-B-I-a").get_by_label("Indeks survei (0–4)").blur()
    expect(page.locator("#lke-total")).to_have_text("15,75")
    # Most of the LKE is still unanswered: no predicate until every question is.
    expect(page.locator("#lke-verdict")).to_contain_text("Belum lengkap")
    assert page.evaluate("window.notReloaded") is True

    page.locator("#note-return_to_unit").fill("Lengkapi SK tim ZI")
    page.get_by_role("button", name="Kembalikan ke unit").click()
    expect(page.locator("#evaluation-status")).to_have_text("Draf")
    change = StatusChange.objects.latest("pk")
    assert (change.to_status, change.note) == (Evaluation.Status.DRAFT, "Lengkapi SK tim ZI")

    login(page, live_url, "bupati")
    page.goto(url)
    expect(page.locator("#lke-total")).to_be_visible()
    expect(page.locator("form.answer-form")).to_have_count(0)
    expect(page.locator("#workflow-actions button")).to_have_count(0)
