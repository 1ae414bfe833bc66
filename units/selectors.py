"""Reads behind the agency, unit and pencanangan pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zi_portal import access

from .models import Agency, Pencanangan, Unit

PAGE_SIZE = 50


def agency_units(*, user, agency: Agency, page_number=1) -> Page:
    """Return one page of the agency's units that the user may see."""
    units = access.units_for(user).filter(agency=agency).order_by("name")
    return Paginator(units, PAGE_SIZE).get_page(page_number)


def agency_members(*, agency: Agency, page_number=1) -> Page:
    """Return one page of who holds which role in the agency (for those who administer it).

    Paged like the units: an agency with an operator per unit has hundreds of memberships.
    """
    members = agency.memberships.select_related("user", "unit").order_by(
        "role", "user__username", "pk"
    )
    return Paginator(members, PAGE_SIZE).get_page(page_number)


PENCANANGAN_PAGE_SIZE = 25
HISTORY_LIMIT = 20


def pencanangan_list_for(*, user, agency: Agency | None = None, page_number=1) -> Page:
    """Return one page of the pencanangan the user may see, of one agency or of all theirs."""
    records = access.pencanangan_for(user)
    if agency is not None:
        records = records.filter(agency=agency)
    records = (
        records.select_related("agency")
        .annotate(unit_count=Count("units"))
        .order_by("-date", "-pk")
    )
    return Paginator(records, PENCANANGAN_PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class PencananganDetail:
    pencanangan: Pencanangan
    units: list[Unit]
    history: list


def pencanangan_detail(*, pencanangan: Pencanangan) -> PencananganDetail:
    """Return what the detail page shows of a pencanangan fetched through access.py."""
    units = [] if pencanangan.covers_whole_agency else list(pencanangan.units.order_by("name"))
    history = list(
        pencanangan.history.select_related("history_user").order_by("-history_date", "-pk")[
            :HISTORY_LIMIT
        ]
    )
    return PencananganDetail(pencanangan=pencanangan, units=units, history=history)


@dataclass(frozen=True)
class Coverage:
    """The pencanangan that first covered a unit, and since when."""

    pencanangan: Pencanangan
    since: date


def _covering(unit: Unit):
    return Pencanangan.objects.filter(agency_id=unit.agency_id).filter(
        Q(covers_whole_agency=True) | Q(units=unit)
    )


def unit_coverage(unit: Unit, *, on_date: date | None = None) -> Coverage | None:
    """Return the earliest pencanangan covering `unit` on `on_date` (default today), or None.

    One query. The caller has fetched `unit` through access.py; a unit's covering pencanangan
    belongs to the unit's own agency, which everyone who sees the unit may read.
    """
    on_date = on_date or timezone.localdate()
    first = _covering(unit).filter(date__lte=on_date).order_by("date", "pk").first()
    return Coverage(pencanangan=first, since=first.date) if first else None


@dataclass(frozen=True)
class CoverageCheck:
    """Whether a unit may take part in the programme on a date, and why not."""

    covered: bool
    reason: str = ""
    coverage: Coverage | None = None

    def __bool__(self):
        return self.covered


def unit_is_covered(unit: Unit, on_date: date | None = None) -> CoverageCheck:
    """Check that a pencanangan covers `unit` on `on_date`; explain in the user's language if not.

    PermenPANRB 90/2021: only units covered by the agency's pencanangan are built and proposed
    as integrity zones, so proposing refuses a unit this check fails.
    """
    on_date = on_date or timezone.localdate()
    coverage = unit_coverage(unit, on_date=on_date)
    if coverage:
        return CoverageCheck(covered=True, coverage=coverage)
    later = _covering(unit).filter(date__gt=on_date).order_by("date", "pk").first()
    if later:
        reason = _(
            "%(unit)s is covered by a pencanangan only from %(since)s, after %(on_date)s."
        ) % {
            "unit": unit.name,
            "since": date_format(later.date, "DATE_FORMAT"),
            "on_date": date_format(on_date, "DATE_FORMAT"),
        }
    else:
        reason = _(
            "No pencanangan covers %(unit)s: record the agency's pencanangan and its signed "
            "charter covering this unit first."
        ) % {"unit": unit.name}
    return CoverageCheck(covered=False, reason=reason)
