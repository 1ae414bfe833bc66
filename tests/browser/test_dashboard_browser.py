"""A regional head opens the agency dashboard in chromium: charts drawn, tables filled."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from dashboards.tests import dataset
from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UserFactory

YEAR = timezone.localdate().year + 1


@pytest.fixture
def sleman(transactional_db, rubric):
    agency = AgencyFactory(name="Pemerintah Kabupaten Sleman", province="DI Yogyakarta")
    other = AgencyFactory(name="Pemerintah Kota Semarang", kind="kota")
    dataset.build(agency=agency, foreign_agency=other, year=YEAR)
    MembershipFactory(user=UserFactory(username="bupati"), agency=agency, role=Role.VIEWER)
    return agency


def test_viewer_opens_the_dashboard_and_sees_charts_drawn_and_tables_filled(page, live_url, sleman):
    page.goto(live_url("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill("bupati")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Dasbor").first.click()
    expect(page).to_have_url(live_url(f"/instansi/{sleman.pk}/dasbor/"))
    page.get_by_label("Tahun", exact=True).select_option(str(YEAR))
    page.get_by_role("button", name="Tampilkan").click()

    for name in ("pipeline", "predicates", "ranking", "trend"):
        canvas = page.locator(f"#chart-{name}")
        expect(canvas).to_have_attribute("data-chart-drawn", "true")
        assert canvas.bounding_box()["width"] > 0
    expect(page.locator("#table-ranking tbody tr")).to_have_count(4)
    expect(page.locator("#table-ranking tbody tr").first).to_contain_text("Gamma")
    expect(page.locator("#table-heatmap tbody tr")).to_have_count(5)
    expect(page.locator("#table-warnings")).to_contain_text("Gagal tepat satu syarat")
    expect(page.locator("#table-warnings")).not_to_contain_text("Foreign")
