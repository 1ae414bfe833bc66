"""The agency's proposal to KemenPANRB in a real chromium, and the public list's filters."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import ProposalWindow
from awards.tests.factories import AwardFactory
from awards.tests.proposal_helpers import cover
from conftest import PASSWORD
from evaluations.models import Evaluation
from evaluations.tests.factories import tpi_final
from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory


@pytest.fixture
def candidate(transactional_db, rubric):
    agency = AgencyFactory(name="Pemerintah Kabupaten Sleman", province="DI Yogyakarta")
    unit = UnitFactory(agency=agency, name="Dinas Kependudukan Sleman")
    admin = UserFactory(username="admin.sleman", is_staff=True)
    MembershipFactory(user=admin, agency=agency, role=Role.AGENCY_ADMIN)
    today = timezone.localdate()
    ProposalWindow.objects.create(year=today.year, closes_on=today + datetime.timedelta(days=20))
    cover(agency, on=today - datetime.timedelta(days=400))
    return tpi_final(unit, today.year)


def test_the_agency_proposes_a_unit_and_the_public_list_filters_awards(page, live_url, candidate):
    page.goto(live_url("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill("admin.sleman")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("link", name="Pengusulan", exact=True).click()
    page.get_by_role("button", name="Buka").click()
    expect(page.locator("#days-left")).to_contain_text("20 hari lagi")
    expect(page.locator("#candidate-table")).to_contain_text("Dinas Kependudukan Sleman")
    form = page.locator("#add-item-form")
    form.get_by_label("Unit kerja").select_option(label="Dinas Kependudukan Sleman")
    form.get_by_label("Predikat yang diusulkan").select_option("WBK")
    form.get_by_role("button", name="Usulkan").click()
    expect(page.locator("#item-table")).to_contain_text("Dinas Kependudukan Sleman")

    page.locator("#item-table").get_by_role("link", name="Dinas Kependudukan Sleman").click()
    expect(page.locator("#evaluation-status")).to_have_text("Diusulkan ke KemenPANRB")
    assert Evaluation.objects.get(pk=candidate.pk).status == Evaluation.Status.PROPOSED
    # Every step after the proposal is KemenPANRB's (test_national_track_browser walks them).
    expect(page.locator("#stage-form")).to_have_count(0)

    # The public list, filtered: an award announced earlier, published.
    AwardFactory(unit=candidate.unit, year=2023, decree_number="SK-77/MENPANRB/2023")
    page.context.clear_cookies()
    page.goto(live_url("/penghargaan/"))
    expect(page.locator("#award-table")).to_contain_text("Dinas Kependudukan Sleman")
    expect(page.locator("#award-table")).to_contain_text("SK-77/MENPANRB/2023")
    page.get_by_label("Predikat").select_option("WBBM")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("#award-table")).to_have_count(0)
