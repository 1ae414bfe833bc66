"""Where a dashboard's rendered figures are kept: the shared cache, per scope, choice and language.

Two kinds of entries share one key per page (`key`):

- figures computed **ahead** by the jobs (tasks.py) for the pages most people open: the national
  dashboard of each year with data and each agency's, agency-wide, for the current year, with
  no kind of unit chosen. They are kept until a job replaces them (tasks.AHEAD_SECONDS bounds
  their age should the jobs stop), in every language;
- figures computed **on view** for every other page (a unit operator's units, a kind of unit, a
  year nobody computed ahead), kept briefly as before: the page says "figures as of HH:MM".

Why the cache and not a table: the figures are derived data that any page can compute again
(within two seconds at national scale), so losing them costs time, never correctness, which is
what a cache is for; production already shares one Redis between every process (`make serve`
refuses a per-process cache with several workers); the release prefix of every key keeps a
deploy from serving HTML of the previous templates; and marking figures stale is one cache
operation after the change commits, not a write that every save in the country would queue on
behind one row lock.

tasks.py computes the figures ahead, and marks them stale after a change that moves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.template.loader import render_to_string

from units.models import Unit

from . import filters
from .figures import Dashboard

NATIONAL = "national"

TEMPLATES = {
    NATIONAL: "dashboards/_national_sections.html",
    "agency": "dashboards/_sections.html",
}


@dataclass(frozen=True)
class Kept:
    """A dashboard's rendered figures and when the data they show was read."""

    html: str
    as_of: datetime
    ahead: bool  # computed by a job, kept until the next one replaces it


def agency_scope(agency_id: int, units: str = "all") -> str:
    """Name an agency's scope: "all" its units, or the units one person sees ("units-3-7")."""
    return f"agency:{agency_id}" if units == "all" else f"agency:{agency_id}:{units}"


def key(scope: str, choice: filters.Choice, language: str) -> str:
    """Return the cache key of a page's figures: built from parsed filters, never the URL."""
    return f"dashboard:{scope}:{choice.year}:{choice.service_kind or '-'}:{language}"


def pending_key(scope: str, year: int) -> str:
    return f"dashboard-pending:{scope}:{year}"


def read(scope: str, choice: filters.Choice, language: str) -> tuple[Kept | None, bool]:
    """Return the kept figures (or None) and whether a recompute of them is queued."""
    found = cache.get_many([key(scope, choice, language), pending_key(scope, choice.year)])
    return found.get(key(scope, choice, language)), pending_key(scope, choice.year) in found


def keep_on_view(scope: str, choice: filters.Choice, language: str, kept: Kept, seconds: int):
    """Keep figures a page computed for `seconds`, unless a job's figures arrived meanwhile."""
    cache.add(key(scope, choice, language), kept, seconds)


def render(data: Dashboard, *, scope: str, choice: filters.Choice, request=None) -> str:
    """Render a dashboard's figures; their CSV links carry the choice, not the request's URL."""
    template = TEMPLATES[NATIONAL if scope == NATIONAL else "agency"]
    context = {"data": data, "filter_query": choice.query()}
    return str(render_to_string(template, context, request=request))


def units_of(scope: str):
    """Return the units of a scope the jobs compute (national, or an agency's every unit)."""
    if scope == NATIONAL:
        return Unit.objects.all()
    kind, agency_id = scope.split(":")
    assert kind == "agency", scope
    return Unit.objects.filter(agency_id=int(agency_id))
