"""Dashboard pages: access first, one page function, then HTML or one table as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from zi_portal import access, csv_export

from . import figures, pages, store, tasks
from .filters import DashboardFilter

AGENCIES_PER_PAGE = 25

# Figures a page computes itself are kept a few minutes, and the page says "data as of HH:MM".
# A short time-to-live rather than a data fingerprint: the figures read evaluations, answers,
# evidence, scores, awards, pencanangan and units (and the clock, for stale work), and no cheap
# query notices every change among 20,000 units, removals included; a fingerprint that misses one
# would show old figures without saying so. KemenPANRB reads the national figures for trends, so
# five minutes is plenty fresh; an agency's own team acts on its warnings, so theirs live one
# minute. The national and agency-wide figures most people open are computed ahead by the jobs
# (tasks.py) and kept until the next job replaces them.
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
    context = {"agency": agency, "filter": filters}
    choice = filters.choice
    if choice is None:
        return render(request, "dashboards/agency.html", context, status=400)
    if request.GET.get("format") == "csv":
        # Downloads are read fresh: rare, and the file should match the data exactly.
        data = pages.agency_dashboard(units=filters.qs, year=choice.year, full=True)
        return _csv(data, request.GET.get("table"), prefix=agency.code)
    context.update(
        _figures(
            request,
            # Who sees which units is part of the key: a unit operator sees only their unit.
            scope=store.agency_scope(agency.pk, _unit_scope_key(request.user, agency.pk)),
            choice=choice,
            seconds=AGENCY_CACHE_SECONDS,
            ahead_minutes=tasks.every_minutes("dashboards.refresh_agencies"),
            build=lambda: pages.agency_dashboard(units=filters.qs, year=choice.year),
        )
    )
    return render(request, "dashboards/agency.html", context)


@login_required
@require_GET
def national_dashboard(request):
    if not access.is_national_admin(request.user):
        raise PermissionDenied
    filters = DashboardFilter(request.GET, queryset=access.units_for(request.user))
    context = {"filter": filters}
    choice = filters.choice
    if choice is None:
        return render(request, "dashboards/national.html", context, status=400)
    if request.GET.get("format") == "csv":
        data = pages.national_dashboard(units=filters.qs, year=choice.year, full=True)
        return _csv(data, request.GET.get("table"), prefix="nasional")
    context.update(
        _figures(
            request,
            scope=store.NATIONAL,
            choice=choice,
            seconds=NATIONAL_CACHE_SECONDS,
            ahead_minutes=tasks.every_minutes("dashboards.refresh_national"),
            build=lambda: pages.national_dashboard(units=filters.qs, year=choice.year),
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


def _figures(request, *, scope, choice, seconds, ahead_minutes, build) -> dict:
    """Return a dashboard's rendered figures and when their data was read.

    Kept figures come first: a job's (computed ahead), or a page's of the last `seconds`. Kept
    under the scope, the parsed filters and the language, so that a query string naming the
    same choice differently (`?x=1`, parameters reordered or repeated) finds the same figures.
    When computed in this request, the context also holds `data` (the page's Dashboard).
    """
    language = get_language()
    kept, pending = store.read(scope, choice, language)
    computed = {}
    if kept is None:
        computed["data"] = build()
        html = store.render(computed["data"], scope=scope, choice=choice, request=request)
        kept = store.Kept(html, timezone.now(), ahead=False)
        store.keep_on_view(scope, choice, language, kept, seconds)
    # The HTML was rendered by our own templates, with their escaping, before it was kept.
    return {
        "figures": mark_safe(kept.html),
        "as_of": kept.as_of,
        "ahead": kept.ahead,
        "recount_pending": kept.ahead and pending,
        "cache_minutes": ahead_minutes if kept.ahead else seconds // 60,
        **computed,
    }


def _csv(data: figures.Dashboard, name: str | None, *, prefix: str):
    table = data.tables.get(name or "")
    if table is None:
        raise Http404
    filename = f"dasbor-{slugify(prefix)}-{table.name}-{data.year}.csv"
    return csv_export.csv_response(filename, table.headers, table.rows)
