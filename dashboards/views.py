"""Dashboard pages: access first, one page function, then HTML or one table as CSV."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zi_portal import access, csv_export

from . import figures, pages
from .filters import DashboardFilter

AGENCIES_PER_PAGE = 25

# The figures of a dashboard are rendered once and kept for a few minutes, and the page says
# "data as of HH:MM". A short time-to-live rather than a data fingerprint: the figures read
# evaluations, answers, evidence, scores, awards, pencanangan and units (and the clock, for stale
# work), and no cheap query notices every change among 20,000 units, removals included; a
# fingerprint that misses one would show old figures without saying so. At national scale
# computing them takes seconds. KemenPANRB reads the national figures for trends, so five
# minutes is plenty fresh; an agency's own team acts on its warnings, so theirs live one minute.
NATIONAL_CACHE_SECONDS = 300
AGENCY_CACHE_SECONDS = 60


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
    if request.GET.get("format") == "csv":
        # Downloads are read fresh: rare, and the file should match the data exactly.
        data = pages.agency_dashboard(units=filters.qs, year=filters.chosen_year, full=True)
        return _csv(data, request.GET.get("table"), prefix=agency.code)
    context = {"agency": agency, "filter": filters}
    context.update(
        _figures(
            request,
            # Who sees which units is part of the key: a unit operator sees only their unit.
            key=f"agency:{agency.pk}:{_unit_scope_key(request.user, agency.pk)}",
            seconds=AGENCY_CACHE_SECONDS,
            template="dashboards/_sections.html",
            build=lambda: pages.agency_dashboard(units=filters.qs, year=filters.chosen_year),
        )
    )
    return render(request, "dashboards/agency.html", context)


@login_required
@require_GET
def national_dashboard(request):
    if not access.is_national_admin(request.user):
        raise PermissionDenied
    filters = DashboardFilter(request.GET, queryset=access.units_for(request.user))
    if request.GET.get("format") == "csv":
        data = pages.national_dashboard(units=filters.qs, year=filters.chosen_year, full=True)
        return _csv(data, request.GET.get("table"), prefix="nasional")
    context = {"filter": filters}
    context.update(
        _figures(
            request,
            key="national",
            seconds=NATIONAL_CACHE_SECONDS,
            template="dashboards/_national_sections.html",
            build=lambda: pages.national_dashboard(units=filters.qs, year=filters.chosen_year),
        )
    )
    return render(request, "dashboards/national.html", context)


def _unit_scope_key(user, agency_id: int) -> str:
    """Name which of the agency's units `user` sees: "all", or their own units' ids.

    Two users with the same key see the same units of the agency (access.units_for filtered to
    it), so figures kept under this key are never shown to someone who may see fewer units.
    """
    if access.is_national_admin(user) or access.agency_wide_roles(user, agency_id):
        return "all"
    memberships = access.memberships_of(user)
    ids = sorted(m.unit_id for m in memberships if m.agency_id == agency_id and m.unit_id)
    return "units-" + "-".join(str(pk) for pk in ids)


def _figures(request, *, key, seconds, template, build) -> dict:
    """Return the rendered figures of a dashboard and when they were computed.

    They are kept `seconds` long under the page, the scope, the query string (filters, and the
    CSV links that carry them) and the language. When computed in this request, the context
    also holds `data` (the page's Dashboard).
    """
    query = sorted(request.GET.lists())
    digest = hashlib.sha256(repr((key, query, get_language())).encode()).hexdigest()
    cache_key = f"dashboard:{digest}"
    cached = cache.get(cache_key)
    computed = {}
    if cached is None:
        computed["data"] = build()
        html = render_to_string(template, {"data": computed["data"]}, request=request)
        cached = (str(html), timezone.now())
        cache.set(cache_key, cached, seconds)
    html, as_of = cached
    # The HTML was rendered by our own templates, with their escaping, before it was kept.
    return {"figures": mark_safe(html), "as_of": as_of, "cache_minutes": seconds // 60, **computed}


def _csv(data: figures.Dashboard, name: str | None, *, prefix: str):
    table = data.tables.get(name or "")
    if table is None:
        raise Http404
    filename = f"dasbor-{slugify(prefix)}-{table.name}-{data.year}.csv"
    return csv_export.csv_response(filename, table.headers, table.rows)
