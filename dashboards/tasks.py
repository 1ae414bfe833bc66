"""Jobs that compute the dashboards' figures ahead of time, and when they are queued.

The schedule (CELERY_BEAT_SCHEDULE in settings) refreshes the national figures of every year
with data and each agency's figures of the current year; a change that moves figures queues
their recompute (`figures_moved`). Both keep them in the shared cache (store.py), in every
language, for the pages to serve.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from evaluations.models import Evaluation
from units.models import Agency
from zi_portal.celery import app

from . import filters, pages, store

# Kept figures outlive the schedule's periods (settings.CELERY_BEAT_SCHEDULE) by far, so that a
# late job never leaves a page without them, yet stop being served some hours after the jobs stop.
AHEAD_SECONDS = 3 * 3600
# A change waits this long for the others of the same burst (autosave), then one recompute runs.
DEBOUNCE_SECONDS = 60
# A recompute still pending after this is taken for lost, and the next change queues another.
PENDING_SECONDS = DEBOUNCE_SECONDS + 600


@shared_task(name="dashboards.compute_figures")
def compute_figures(scope: str, year: int) -> None:
    """Compute and keep the figures of a scope (national or an agency) in `year`, per language."""
    # Cleared first: a change committed from now on may not be in what this job reads, so it
    # queues a recompute of its own.
    cache.delete(store.pending_key(scope, year))
    units = store.units_of(scope)
    build = pages.national_dashboard if scope == store.NATIONAL else pages.agency_dashboard
    choice = filters.Choice(year=year)
    as_of = timezone.now()
    for language, _name in settings.LANGUAGES:
        # Figures hold translated labels (tables, rule names): computed once per language.
        with translation.override(language):
            html = store.render(build(units=units, year=year), scope=scope, choice=choice)
        kept = store.Kept(html, as_of, ahead=True)
        cache.set(store.key(scope, choice, language), kept, AHEAD_SECONDS)


@shared_task(name="dashboards.refresh_national")
def refresh_national() -> None:
    """Queue the national figures of this year and of every year that has evaluations."""
    this_year = timezone.localdate().year
    with_data = Evaluation.objects.values_list("year", flat=True).distinct().order_by()
    for year in sorted({this_year, *with_data}, reverse=True):
        compute_figures.delay(store.NATIONAL, year)


@shared_task(name="dashboards.refresh_agencies")
def refresh_agencies() -> None:
    """Queue each agency's figures of this year (agencies with units)."""
    this_year = timezone.localdate().year
    agencies = Agency.objects.filter(units__isnull=False).distinct().order_by("pk")
    for agency_id in agencies.values_list("pk", flat=True):
        compute_figures.delay(store.agency_scope(agency_id), this_year)


def figures_at_start(**kwargs) -> None:
    """Queue the national refresh when the schedule starts (receiver of Celery's beat_init).

    A deploy (a new cache prefix) or an emptied cache leaves no figures kept, and an interval's
    first run comes one period after the start: until then each national year (seconds of work)
    would be computed by the first person to open it. An agency's figures take a tenth of a
    second on view; all of them at once would take the machine for a minute, so they wait for
    their period.
    """
    refresh_national.delay()


def every_minutes(task: str) -> int:
    """Return how often the schedule runs `task`, in minutes (the pages say it)."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == task:
            return int(entry["schedule"]) // 60
    raise LookupError(f"{task} is not in CELERY_BEAT_SCHEDULE.")


def figures_moved(*, agency_ids, years, **kwargs) -> None:
    """Mark the figures a change moves once it commits (receiver of units.signals.figures_moved).

    Cheap on purpose: autosave sends it on every answer saved.
    """
    scopes = [store.NATIONAL, *(store.agency_scope(pk) for pk in set(agency_ids))]
    years = list(filters.years()) if years is None else list(years)
    # Robust: the change is committed by then, and a cache or broker that fails must not turn
    # its response into an error (logged; the schedule recomputes the figures anyway).
    transaction.on_commit(lambda: mark_stale(scopes=scopes, years=years), robust=True)


def mark_stale(*, scopes: list[str], years: list[int]) -> None:
    """Queue one recompute per scope and year (with a broker), or drop the kept figures."""
    if app.conf.task_always_eager:
        # No worker: a recompute here would keep the saving request waiting for seconds. The kept
        # figures go instead, and the next page that needs them computes them.
        choices = [filters.Choice(year=year) for year in years]
        languages = [code for code, _name in settings.LANGUAGES]
        cache.delete_many(
            [store.key(s, c, lang) for s in scopes for c in choices for lang in languages]
        )
        return
    for scope in scopes:
        for year in years:
            # One recompute per burst: the first change queues it, the next ones find it pending
            # (an atomic add) and the kept figures are served, "as of" their time, until it lands.
            if cache.add(store.pending_key(scope, year), True, PENDING_SECONDS):
                compute_figures.apply_async((scope, year), countdown=DEBOUNCE_SECONDS)
