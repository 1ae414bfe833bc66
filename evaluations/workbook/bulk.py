"""Bulk exports: every LKE workbook and LHE PDF of an agency's year as one zip.

An administrator asks on the agency's export page; a background job builds the zip into default
storage (local disk or object storage alike, through the Storage API only) with the same writer
as the single workbook download and the same cached LHE PDF; the page lists the person's
exports and serves each through a view that checks access again. A periodic job deletes them
after BULK_EXPORT_KEEP_DAYS.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import zipfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from evaluations.models import BulkExport
from evaluations.workbook import lhe
from evaluations.workbook.writer import export_filename, workbook_export
from zi_portal import access

logger = logging.getLogger(__name__)

FOLDER = "bulk-exports"
PROGRESS_EVERY = 10  # evaluations between two progress updates of the row


class ExportRefused(Exception):
    """The requester may no longer export this agency."""


def export_years(*, user, agency) -> list[int]:
    """Return the years in which the agency has LKEs the user sees, newest first."""
    return list(
        access.evaluations_for(user)
        .filter(agency=agency)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@transaction.atomic
def bulk_export_request(*, agency, year: int, by) -> tuple[BulkExport, bool]:
    """Queue a zip of every LKE workbook and LHE of the agency's year; return (export, created).

    The caller has checked that `by` administers the agency. When that person already has an
    export of the same agency and year waiting or being prepared, it is returned instead.
    """
    if year not in export_years(user=by, agency=agency):
        raise ValidationError(
            _("%(agency)s has no LKE in %(year)s.") % {"agency": agency.name, "year": year}
        )
    pending = BulkExport.objects.filter(
        agency=agency,
        year=year,
        requested_by=by,
        status__in=[BulkExport.Status.QUEUED, BulkExport.Status.RUNNING],
    ).first()
    if pending is not None:
        return pending, False
    export = BulkExport.objects.create(
        agency=agency, year=year, requested_by=by, language=translation.get_language()
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export, True


def _enqueue(export_id: int) -> None:
    from evaluations import tasks  # the tasks module imports this one

    try:
        tasks.bulk_export_build.delay(export_id)
    except OperationalError:
        # The broker cannot be reached: say so on the page instead of leaving it queued forever.
        logger.exception("Bulk export %s could not be queued.", export_id)
        BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.QUEUED).update(
            status=BulkExport.Status.FAILED,
            error=_("The job queue cannot be reached. Try again in a few minutes."),
            finished_at=timezone.now(),
        )


def bulk_export_build(*, export_id: int) -> None:
    """Build a queued export's zip into default storage; mark it done, or failed with a reason.

    Run by the background job. A job delivered again (a worker stopped midway) builds it again;
    an export already done, or deleted meanwhile, is left alone.
    """
    export = (
        BulkExport.objects.select_related("agency", "requested_by").filter(pk=export_id).first()
    )
    if export is None or export.status == BulkExport.Status.DONE:
        return
    with translation.override(export.language):
        _set(export, status=BulkExport.Status.RUNNING, done=0, error="")
        try:
            name, size = _write_zip(export)
        except SoftTimeLimitExceeded:
            error = _(
                "The export took too long and was stopped. Try again later; if it stops "
                "again, tell the portal's administrators."
            )
        except ExportRefused:
            error = _("You no longer administer this agency.")
        except Exception:
            logger.exception("Bulk export %s failed.", export.pk)
            error = _(
                "The export could not be made. Try again; if it fails again, tell the "
                "portal's administrators."
            )
        else:
            error = None
        if error is not None:
            # Translated here, in the language of the person who asked.
            _set(
                export,
                status=BulkExport.Status.FAILED,
                error=error,
                finished_at=timezone.now(),
            )
            return
    _set(
        export,
        status=BulkExport.Status.DONE,
        file=name,
        size=size,
        done=export.total,
        finished_at=timezone.now(),
    )


def _set(export: BulkExport, **fields) -> None:
    for field, value in fields.items():
        setattr(export, field, value)
    BulkExport.objects.filter(pk=export.pk).update(**fields)


def _write_zip(export: BulkExport) -> tuple[str, int]:
    """Write the zip to a temporary file, then save it in default storage; return its name and
    size. Entries: LKE/<workbook>.xlsx and LHE/<report>.pdf per evaluation, by unit code."""
    user, agency = export.requested_by, export.agency
    # Checked again when the job runs: a role removed since the request is a refusal.
    if not access.can_change_agency(user, agency):
        raise ExportRefused
    evaluations = list(
        access.evaluations_for(user)
        .filter(agency=agency, year=export.year)
        .select_related("unit__agency", "rubric")
        .order_by("unit__code", "pk")
    )
    _set(export, total=len(evaluations))
    name = storage_name(export)
    # A job delivered again (its worker stopped after storing the zip) replaces that file.
    default_storage.delete(name)
    # Workbooks and PDFs are compressed already: stored as they are, the zip costs no CPU.
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
            for done, evaluation in enumerate(evaluations, start=1):
                notes = access.can_review(user, evaluation)
                archive.writestr(
                    f"LKE/{export_filename(evaluation)}",
                    workbook_export(evaluation=evaluation, internal_notes=notes),
                )
                archive.writestr(
                    f"LHE/{lhe.pdf_filename(evaluation)}",
                    lhe.lhe_pdf(evaluation=evaluation, internal_notes=notes),
                )
                if done % PROGRESS_EVERY == 0:
                    _set(export, done=done)
        size = spool.tell()
        spool.seek(0)
        name = default_storage.save(name, File(spool))
    return name, size


def storage_name(export: BulkExport) -> str:
    """Return where an export's zip is stored: one name per export, known before it is made."""
    return f"{FOLDER}/{export.pk}/{export.download_name}"


def bulk_exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the exports (rows and files) older than BULK_EXPORT_KEEP_DAYS; return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.BULK_EXPORT_KEEP_DAYS)
    purged = 0
    exports = BulkExport.objects.filter(created_at__lt=cutoff).select_related("agency")
    for export in exports.order_by("pk"):
        # Also the file of a job that stored its zip and stopped before it said so.
        names = {storage_name(export), *([export.file.name] if export.file else [])}
        try:
            for name in names:
                default_storage.delete(name)
        except OSError:
            logger.exception("Bulk export %s: its file could not be deleted.", export.pk)
            continue  # the row stays, so the next run tries the file again
        export.delete()
        purged += 1
    return purged
