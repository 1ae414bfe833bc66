"""Each dashboard put together: its rows read (selectors.py), shaped (figures.py, tables.py)."""

from django.db.models import QuerySet
from django.utils import timezone

from units.models import Unit

from . import figures, selectors, tables


def agency_dashboard(*, units: QuerySet[Unit], year: int, full: bool = False) -> figures.Dashboard:
    """Return an agency dashboard's figures for `units` (scoped through access.py) in `year`.

    `full` reads the trend of every unit (for its CSV) instead of the units shown on the page.
    """
    return _dashboard(units=units, year=year, full=full, national=False)


def national_dashboard(
    *, units: QuerySet[Unit], year: int, full: bool = False
) -> figures.Dashboard:
    """Return the national dashboard: the agency figures over `units`, plus national breakdowns."""
    data = _dashboard(units=units, year=year, full=full, national=True)
    figures.add_national(data, selectors.national_rows(units=units, year=year))
    tables.add_national_tables(data)
    return data


def _dashboard(*, units, year, full, national) -> figures.Dashboard:
    now = timezone.now()
    today = timezone.localdate()
    rows = selectors.dashboard_rows(units=units, year=year, today=today)
    per_unit = figures.unit_figures(rows, now=now)
    # The trend shows the units the ranking puts first, so their scores are read after it.
    trend_rows = selectors.score_trend(units=units, unit_ids=None if full else per_unit.trend_ids)
    data = figures.dashboard(rows, per_unit, trend_rows, today=today)
    tables.add_tables(data, rows=rows, trend_ids=per_unit.trend_ids, national=national)
    return data
