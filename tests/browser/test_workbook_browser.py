"""Import a workbook in a real chromium: upload, see the preview, confirm, see the score."""

import pytest
from playwright.sync_api import expect

from evaluations import selectors, services
from evaluations.tests.workbook_factory import full_values, official
from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory

from .test_lke_browser import login


@pytest.fixture
def evaluation(transactional_db, rubric):
    agency = AgencyFactory(name="Pemerintah Kabupaten Sleman")
    unit = UnitFactory(agency=agency, name="Dinas Kependudukan Sleman")
    MembershipFactory(
        user=UserFactory(username="operator"), agency=agency, unit=unit, role=Role.UNIT_OPERATOR
    )
    return services.evaluation_create(unit=unit, year=2026)


def test_operator_uploads_a_workbook_previews_and_confirms(page, live_url, evaluation, tmp_path):
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers, inputs = full_values(spec)
    path = tmp_path / "lke.xlsx"
    link = "https://dukcapil.slemankab.go.id/zi/sk-tim.pdf"
    path.write_bytes(official(spec, answers, inputs, links={"A.I.1.i.a": link}))

    login(page, live_url, "operator")
    page.goto(live_url(f"/evaluasi/{evaluation.pk}/"))
    page.get_by_role("link", name="Impor buku kerja").click()
    page.get_by_label("Buku kerja LKE (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Periksa buku kerja").click()
    expect(page.locator("#import-summary")).to_contain_text("113 ditambah")
    expect(page.locator("#import-total")).to_have_text("100,00")
    expect(page.locator("#import-links")).to_contain_text(link)
    page.get_by_role("button", name="Impor perubahan ini").click()
    expect(page.locator("#lke-total")).to_have_text("100,00")
    expect(page.locator("#lke-completeness")).to_contain_text("113 dari 113")
