"""Project-level pages: home, health check and error pages."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import access, row_cache, selectors

logger = logging.getLogger(__name__)


def agency_row_values(agency) -> tuple:
    """What zi_portal/_home_agency_row.html shows of an agency (its key in row_cache)."""
    return (agency.pk, agency.name, agency.kind, agency.unit_count)


def unit_row_values(unit) -> tuple:
    """What zi_portal/_home_unit_row.html shows of a unit (its key in row_cache)."""
    return (unit.pk, unit.name, unit.is_active, unit.agency.name, unit.code)


@login_required
def home(request):
    query = request.GET.get("q", "").strip()
    agencies = selectors.home_agencies(
        user=request.user, page_number=request.GET.get("agencies_page")
    )
    units = selectors.home_units(
        user=request.user, query=query, page_number=request.GET.get("page")
    )
    context = {
        "agencies": agencies,
        "agency_rows": row_cache.render_rows(
            "zi_portal/_home_agency_row.html", agencies, name="agency", values=agency_row_values
        ),
        "units": units,
        "unit_rows": row_cache.render_rows(
            "zi_portal/_home_unit_row.html", units, name="unit", values=unit_row_values
        ),
        "query": query,
        "is_national_admin": access.is_national_admin(request.user),
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
