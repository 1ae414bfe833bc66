"""A job goes through the real broker: Redis carries a bulk export to a `celery worker`
subprocess, which builds the zip into storage and marks the export done in the database."""

import zipfile

import pytest
from django.core.files.storage import default_storage

from evaluations import tasks
from evaluations.models import BulkExport
from tests.celery_worker import celery_worker, redis_url  # noqa: F401  (fixtures)

from .factories import tpi_final


@pytest.mark.django_db(transaction=True)
def test_a_bulk_export_is_built_by_a_worker_through_the_broker(
    celery_worker,  # noqa: F811
    rubric,
    agency,
    unit,
    other_unit,
    agency_admin,
):
    tpi_final(unit, 2025)
    tpi_final(other_unit, 2025)
    export = BulkExport.objects.create(
        agency=agency, year=2025, requested_by=agency_admin, language="id"
    )
    sent = celery_worker.send(tasks.bulk_export_build, export.pk)
    export = celery_worker.wait(
        lambda: BulkExport.objects.filter(pk=export.pk, status__in=["done", "failed"]).first()
    )
    assert (export.status, export.error) == ("done", "")
    with default_storage.open(export.file.name, "rb") as stored:
        assert sorted(zipfile.ZipFile(stored).namelist()) == [
            "LHE/LHE-SLEMAN-DUKCAPIL-2025.pdf",
            "LHE/LHE-SLEMAN-RSUD-2025.pdf",
            "LKE/LKE-SLEMAN-DUKCAPIL-2025.xlsx",
            "LKE/LKE-SLEMAN-RSUD-2025.xlsx",
        ]
    # The worker ran it, not this process.
    assert f"evaluations.bulk_export_build[{sent.id}] succeeded" in celery_worker.output()
