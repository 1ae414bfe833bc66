"""A viewer logs in through chromium, sees their units in Indonesian, then in English."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory


@pytest.fixture
def viewer_world(transactional_db):
    sleman = AgencyFactory(name="Pemerintah Kabupaten Sleman", province="DI Yogyakarta")
    semarang = AgencyFactory(name="Pemerintah Kota Semarang", kind="kota")
    UnitFactory(agency=sleman, name="Dinas Kependudukan Sleman")
    UnitFactory(agency=sleman, name="RSUD Sleman")
    UnitFactory(agency=semarang, name="Kecamatan Semarang Tengah")
    viewer = UserFactory(username="bupati", first_name="Sri")
    MembershipFactory(user=viewer, agency=sleman, role=Role.VIEWER)
    return viewer


def test_viewer_logs_in_sees_own_units_in_indonesian_and_switches_to_english(
    page, live_url, viewer_world
):
    page.goto(live_url("/"))
    expect(page).to_have_url(live_url("/akun/masuk/?next=/"))
    page.get_by_label("Nama pengguna").fill("bupati")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", name="Selamat datang, Sri")).to_be_visible()
    rows = page.locator("#unit-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#unit-table")).to_contain_text("Dinas Kependudukan Sleman")
    expect(page.locator("#unit-table")).to_contain_text("RSUD Sleman")
    expect(page.locator("#unit-table")).not_to_contain_text("Semarang")

    page.get_by_label("Bahasa").select_option("en")
    expect(page.get_by_role("heading", name="Welcome, Sri")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#unit-table tbody tr")).to_have_count(2)
