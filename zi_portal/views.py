"""Project-level pages: home, health check and error pages."""

import logging
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import access, cached_pages, directory_cache, selectors

logger = logging.getLogger(__name__)


class AgencyRow(NamedTuple):
    """What zi_portal/_home_agency_row.html shows of an agency (its key in row_cache)."""

    pk: int
    name: str
    kind: str
    unit_count: int


class UnitRow(NamedTuple):
    """What zi_portal/_home_unit_row.html shows of a unit (its key in row_cache)."""

    pk: int
    name: str
    is_active: bool
    agency_name: str
    code: str


def agency_row_values(agency) -> AgencyRow:
    return AgencyRow(agency.pk, agency.name, agency.kind, agency.unit_count)


def unit_row_values(unit) -> UnitRow:
    return UnitRow(unit.pk, unit.name, unit.is_active, unit.agency.name, unit.code)


@login_required
def home(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    agencies_page, units_page = request.GET.get("agencies_page"), request.GET.get("page")
    # Kept until the directory changes (directory_cache), per what the user may see.
    token, scope = directory_cache.STAMP.token(), access.scope_key(user)
    agencies = cached_pages.cached_page(
        (token,),
        (scope, agencies_page),
        lambda: selectors.home_agencies(user=user, page_number=agencies_page),
        template="zi_portal/_home_agency_row.html",
        name="agency",
        values=agency_row_values,
    )
    units = cached_pages.cached_page(
        (token,),
        (scope, query, units_page),
        lambda: selectors.home_units(user=user, query=query, page_number=units_page),
        template="zi_portal/_home_unit_row.html",
        name="unit",
        values=unit_row_values,
    )
    context = {
        "agencies": agencies.page(selectors.PAGE_SIZE),
        "agency_rows": agencies.html,
        "units": units.page(selectors.PAGE_SIZE),
        "unit_rows": units.html,
        "query": query,
        "is_national_admin": access.is_national_admin(user),
    }
    return render(request, "zi_portal/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Answer load balancers and monitors: is the portal up and can it reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
