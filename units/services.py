"""Writes of the units app: each one atomic, with keyword-only arguments."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zi_portal import uploads

from .models import PENCANANGAN_FORM_FIELDS, Agency, Pencanangan, Unit
from .signals import figures_moved


@transaction.atomic
def unit_move(*, unit: Unit, agency: Agency) -> Unit:
    """Move a unit to another agency, taking its evaluations and its own members along.

    Evaluations carry their unit's agency (the lists find an agency's evaluations by it), and a
    membership in one unit names that unit's agency.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    figures_moved.send(Unit, agency_ids=[unit.agency_id, agency.pk], years=None)
    unit.agency = agency
    unit.full_clean()
    unit.save(update_fields=["agency"])
    # PostgreSQL's (unit, agency) foreign key has already carried the evaluations over.
    unit.evaluations.exclude(agency=agency).update(agency=agency)
    unit.memberships.exclude(agency=agency).update(agency=agency)
    return unit


# The fields a person edits; the charter and the units have their own arguments.
PENCANANGAN_FIELDS = frozenset(PENCANANGAN_FORM_FIELDS) - {"charter", "units"}


def _reject_unknown(fields: dict) -> None:
    unknown = set(fields) - PENCANANGAN_FIELDS
    if unknown:
        raise TypeError(f"Unknown pencanangan fields: {', '.join(sorted(unknown))}")


def _covered_units(*, agency: Agency, covers_whole_agency: bool, units: Iterable[Unit]):
    """Return the units to link, refusing an empty choice or a unit of another agency."""
    if covers_whole_agency:
        return []
    units = list(units)
    if not units:
        raise ValidationError(
            {
                "units": _(
                    "Choose the units this pencanangan covers, or tick “covers the whole agency”."
                )
            }
        )
    if any(u.agency_id != agency.pk for u in units):
        raise ValidationError(
            {"units": _("Every covered unit must belong to the agency of the pencanangan.")}
        )
    return units


def _attach_charter(pencanangan: Pencanangan, charter: UploadedFile) -> None:
    try:
        checked = uploads.validate_upload(charter, allowed=uploads.PDF_ONLY)
    except ValidationError as exc:
        raise ValidationError({"charter": exc.error_list}) from exc
    charter.name = checked.name
    pencanangan.charter = charter
    pencanangan.charter_sha256 = checked.sha256


def _save_removing_new_file_on_error(pencanangan: Pencanangan, stored_before: str) -> None:
    # The database rolls back on error, the file system does not: remove a charter that was
    # written by this save so that a failed save leaves nothing behind.
    try:
        pencanangan.save()
    except Exception:
        if pencanangan.charter and pencanangan.charter.name != stored_before:
            pencanangan.charter.storage.delete(pencanangan.charter.name)
        raise


@transaction.atomic
def pencanangan_create(
    *,
    agency: Agency,
    by,
    charter: UploadedFile,
    units: Iterable[Unit] = (),
    **fields,
) -> Pencanangan:
    """Record an agency's pencanangan with its signed charter (a PDF) and covered units."""
    _reject_unknown(fields)
    pencanangan = Pencanangan(agency=agency, created_by=by, updated_by=by, **fields)
    _attach_charter(pencanangan, charter)
    chosen = _covered_units(
        agency=agency, covers_whole_agency=pencanangan.covers_whole_agency, units=units
    )
    pencanangan.full_clean()
    pencanangan._history_user = by
    _save_removing_new_file_on_error(pencanangan, stored_before="")
    if chosen:
        # Writes a second history row ("changed") that records the covered units.
        pencanangan.units.set(chosen)
    return pencanangan


@transaction.atomic
def pencanangan_update(
    *,
    pencanangan: Pencanangan,
    by,
    charter: UploadedFile | None = None,
    units: Iterable[Unit] | None = None,
    **fields,
) -> Pencanangan:
    """Change a pencanangan; a new charter replaces the current one, the old file is kept.

    The old charter stays in storage because the history rows still point to it.
    """
    _reject_unknown(fields)
    pencanangan = (
        Pencanangan.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=pencanangan.pk)
    )
    stored_before = pencanangan.charter.name
    for name, value in fields.items():
        setattr(pencanangan, name, value)
    if charter is not None:
        _attach_charter(pencanangan, charter)
    chosen = _covered_units(
        agency=pencanangan.agency,
        covers_whole_agency=pencanangan.covers_whole_agency,
        units=pencanangan.units.all() if units is None else units,
    )
    pencanangan.updated_by = by
    pencanangan.full_clean()
    pencanangan._history_user = by
    # Units first and without a history row of their own, so that the save below writes one
    # history row holding both the changed fields and the covered units.
    pencanangan.skip_history_when_saving = True
    try:
        pencanangan.units.set(chosen)
    finally:
        del pencanangan.skip_history_when_saving
    _save_removing_new_file_on_error(pencanangan, stored_before=stored_before)
    return pencanangan
