"""Dashboard pages: access first, one selector, then HTML or one table as CSV."""

import csv
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from zi_portal import access

from . import selectors
from .filters import DashboardFilter

AGENCIES_PER_PAGE = 25


@login_required
@require_GET
def dashboard_index(request):
    """Choose an agency's dashboard; someone with one agency goes straight to it."""
    agencies = access.agencies_for(request.user).order_by("name")
    national = access.is_national_admin(request.user)
    if not national:
        ids = list(agencies.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return redirect("dashboards:agency", pk=ids[0])
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "dashboards/index.html", {"agencies": page, "is_national_admin": national}
    )


@login_required
@require_GET
def agency_dashboard(request, pk):
    agency = access.get_agency_or_404(request.user, pk)
    filters = DashboardFilter(
        request.GET, queryset=access.units_for(request.user).filter(agency=agency)
    )
    wants_csv = request.GET.get("format") == "csv"
    data = selectors.agency_dashboard(units=filters.qs, year=filters.chosen_year, full=wants_csv)
    if wants_csv:
        return _csv(data, request.GET.get("table"), prefix=agency.code)
    context = {"agency": agency, "filter": filters, "data": data, "national": False}
    return render(request, "dashboards/agency.html", context)


@login_required
@require_GET
def national_dashboard(request):
    if not access.is_national_admin(request.user):
        raise PermissionDenied
    filters = DashboardFilter(request.GET, queryset=access.units_for(request.user))
    wants_csv = request.GET.get("format") == "csv"
    data = selectors.national_dashboard(units=filters.qs, year=filters.chosen_year, full=wants_csv)
    if wants_csv:
        return _csv(data, request.GET.get("table"), prefix="nasional")
    context = {"filter": filters, "data": data, "national": True}
    return render(request, "dashboards/national.html", context)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value:.2f}"  # DOMAIN.md: scores are shown with two decimals
    return str(value)


def _csv(data: selectors.Dashboard, name: str | None, *, prefix: str) -> HttpResponse:
    table = data.tables.get(name or "")
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"dasbor-{slugify(prefix)}-{table.name}-{data.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(h) for h in table.headers])
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return response
