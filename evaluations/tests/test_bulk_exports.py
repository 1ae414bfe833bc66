"""Bulk exports: an agency's administrators ask for every LKE workbook and LHE of a year as one
zip, follow it on a page and download it; nobody else reaches it; old exports go.

Without a broker the job runs as the request's transaction commits, so here the export is ready
when the request returns (test_bulk_export_worker.py sends one through a real broker).
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations import tasks
from evaluations.models import BulkExport
from evaluations.workbook import bulk
from tests.celery_worker import unreachable_broker  # noqa: F401  (a fixture)
from units.models import Membership, Role
from units.tests.factories import MembershipFactory

from .factories import tpi_final

pytestmark = pytest.mark.django_db


@pytest.fixture
def lkes(rubric, unit, other_unit):
    """The agency's 2025 LKEs (final TPI scores) and one of 2024."""
    return [tpi_final(unit, 2025), tpi_final(other_unit, 2025), tpi_final(unit, 2024)]


def page(agency):
    return reverse("evaluations:bulk_exports", args=[agency.pk])


def ask(client, agency, year, django_capture_on_commit_callbacks):
    """Ask for an export as the page's form does; return the page shown after it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(agency), {"year": year})
    assert response.status_code == 302
    return client.get(response.url)


def download(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("evaluations:bulk_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert "LKE-LHE-KAB-SLEMAN-2025.zip" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_agency_admin_gets_every_lke_and_lhe_of_the_year_in_one_zip(
    client, agency, agency_admin, lkes, django_capture_on_commit_callbacks
):
    client.force_login(agency_admin)
    response = ask(client, agency, 2025, django_capture_on_commit_callbacks)
    assert "Ekspor sedang disiapkan" in response.content.decode()
    export = BulkExport.objects.get()
    assert (export.status, export.total, export.done) == ("done", 2, 2)
    archive = download(client, export)
    assert sorted(archive.namelist()) == [
        "LHE/LHE-SLEMAN-DUKCAPIL-2025.pdf",
        "LHE/LHE-SLEMAN-RSUD-2025.pdf",
        "LKE/LKE-SLEMAN-DUKCAPIL-2025.xlsx",
        "LKE/LKE-SLEMAN-RSUD-2025.xlsx",
    ]
    book = load_workbook(io.BytesIO(archive.read("LKE/LKE-SLEMAN-RSUD-2025.xlsx")))
    assert "RSUD Sleman (SLEMAN-RSUD) — TAHUN 2025" in book.properties.title
    # The same report the LHE page's download gives the administrator.
    single = client.get(reverse("evaluations:lhe_pdf", args=[lkes[0].pk])).content
    assert archive.read("LHE/LHE-SLEMAN-DUKCAPIL-2025.pdf") == single


def test_the_page_lists_the_persons_exports_with_their_status_in_indonesian(
    client, agency, agency_admin, lkes, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(agency=agency, role=Role.AGENCY_ADMIN).user
    BulkExport.objects.create(agency=agency, year=2024, requested_by=colleague, language="id")
    client.force_login(agency_admin)
    body = ask(client, agency, 2025, django_capture_on_commit_callbacks).content.decode()
    assert "Siap diunduh" in body
    assert "LKE-LHE-KAB-SLEMAN-2025.zip" in body
    assert "Menunggu antrean" not in body  # the colleague's export is theirs to see


def test_a_queued_export_shows_and_the_page_refreshes_itself(client, agency, agency_admin, lkes):
    BulkExport.objects.create(agency=agency, year=2025, requested_by=agency_admin, language="id")
    client.force_login(agency_admin)
    body = client.get(page(agency)).content.decode()
    assert "Menunggu antrean" in body
    assert 'hx-trigger="every 5s"' in body
    fragment = client.get(page(agency), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="bulk-exports"')


def test_asking_again_while_it_is_prepared_queues_nothing_new(
    client, agency, agency_admin, lkes, django_capture_on_commit_callbacks
):
    BulkExport.objects.create(agency=agency, year=2025, requested_by=agency_admin, language="id")
    client.force_login(agency_admin)
    response = ask(client, agency, 2025, django_capture_on_commit_callbacks)
    assert "Ekspor ini sudah sedang disiapkan" in response.content.decode()
    assert BulkExport.objects.count() == 1


def test_a_year_without_lkes_is_refused_with_a_message_and_nothing_is_queued(
    client, agency, agency_admin, lkes, django_capture_on_commit_callbacks
):
    client.force_login(agency_admin)
    for year, message in [
        ("2019", "Masukkan pilihan yang valid"),
        ("tahun lalu", "Masukkan pilihan yang valid"),
        ("", "Bidang ini tidak boleh kosong"),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(page(agency), {"year": year})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not BulkExport.objects.exists()


def test_a_national_admin_exports_any_agency(
    client, agency, national_admin, lkes, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    ask(client, agency, 2025, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    assert len(download(client, export).namelist()) == 4


def test_someone_of_another_agency_gets_404_for_the_export(
    client, agency, agency_admin, outsider, lkes, django_capture_on_commit_callbacks
):
    client.force_login(agency_admin)
    ask(client, agency, 2025, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    client.force_login(outsider)
    url = reverse("evaluations:bulk_export_download", args=[export.pk])
    assert client.get(url).status_code == 404
    assert client.get(page(agency)).status_code == 404


def test_an_administrator_who_lost_the_role_can_no_longer_download(
    client, agency, agency_admin, lkes, django_capture_on_commit_callbacks
):
    client.force_login(agency_admin)
    ask(client, agency, 2025, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    Membership.objects.filter(user=agency_admin).update(role="viewer")
    url = reverse("evaluations:bulk_export_download", args=[export.pk])
    assert client.get(url).status_code == 404


def test_the_job_refuses_a_requester_who_no_longer_administers_the_agency(
    agency, agency_admin, lkes
):
    export = BulkExport.objects.create(
        agency=agency, year=2025, requested_by=agency_admin, language="id"
    )
    Membership.objects.filter(user=agency_admin).delete()
    tasks.bulk_export_build.delay(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error == "Anda tidak lagi menjadi admin instansi ini."
    assert not export.file


def test_an_export_of_a_lke_that_cannot_be_written_fails_with_a_message(
    agency, agency_admin, lkes, unit
):
    # A count stored before counts were checked: scoring (and so the LHE) refuses it.
    answer = lkes[0].answers.get(question__code="A.II.1.i.a", level="tpi")
    answer.inputs = {**answer.inputs, "A.II.1.i.a.1": "3E+2999999"}
    answer.save()
    export = BulkExport.objects.create(
        agency=agency, year=2025, requested_by=agency_admin, language="id"
    )
    tasks.bulk_export_build.delay(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert "Ekspor tidak dapat dibuat" in export.error
    assert not export.file


def test_exports_older_than_the_limit_are_deleted_with_their_files(settings, agency, agency_admin):
    settings.BULK_EXPORT_KEEP_DAYS = 3

    def export(days_ago, *, recorded=True):
        made = BulkExport.objects.create(
            agency=agency, year=2025, requested_by=agency_admin, language="id"
        )
        name = default_storage.save(bulk.storage_name(made), ContentFile(b"PK"))
        BulkExport.objects.filter(pk=made.pk).update(
            file=name if recorded else "",
            created_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
        return made.pk, name

    old, recent = export(4), export(2)
    stopped = export(5, recorded=False)  # its job stored the zip, then stopped before saying so
    tasks.bulk_exports_purge.delay()
    assert list(BulkExport.objects.values_list("pk", flat=True)) == [recent[0]]
    assert not default_storage.exists(old[1])
    assert not default_storage.exists(stopped[1])
    assert default_storage.exists(recent[1])


def test_the_purge_is_on_the_workers_schedule(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks.bulk_exports_purge.name in scheduled


def test_the_agency_page_links_to_exports_for_its_administrators_only(
    client, agency, agency_admin, viewer
):
    client.force_login(agency_admin)
    link = f'href="{page(agency)}"'
    assert link in client.get(reverse("units:agency_detail", args=[agency.pk])).content.decode()
    client.force_login(viewer)
    assert link not in client.get(reverse("units:agency_detail", args=[agency.pk])).content.decode()


def test_export_years_are_those_with_lkes_newest_first(agency, agency_admin, lkes):
    assert bulk.export_years(user=agency_admin, agency=agency) == [2025, 2024]


def test_an_export_that_cannot_be_queued_says_so_on_the_page(
    client,
    agency,
    agency_admin,
    lkes,
    unreachable_broker,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(agency_admin)
    body = ask(client, agency, 2025, django_capture_on_commit_callbacks).content.decode()
    assert "Antrean pekerjaan tidak dapat dihubungi" in body
    assert BulkExport.objects.get().status == "failed"
