"""A dashboard laid out as tables and Chart.js charts: pure Python over its figures.

Each table feeds both the page (its first rows) and the CSV download (every row). A table holds
its items and how to lay out one of them, so the page lays out the rows it shows (50 of the
nation's 20,000 heatmap rows and 50,000 warnings) and the download all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from evaluations.models import Evaluation, Level
from units.models import Agency

from .figures import NOT_STARTED, SHOWN_ROWS, Dashboard
from .warnings import WARNING_KINDS

if TYPE_CHECKING:
    from .selectors import DashboardRows

CHART_UNITS = 10  # lines in the trend chart, bars in the ranking chart

COLOURS = {
    "WBK": "#198754",
    "WBBM": "#0d6efd",
    "revoked": "#dc3545",
    "proposed": "#6c757d",
    "units": "#0d6efd",
    "complete": "#198754",
}
LINE_COLOURS = [
    "#0d6efd",
    "#198754",
    "#dc3545",
    "#fd7e14",
    "#6f42c1",
    "#20c997",
    "#d63384",
    "#ffc107",
    "#0dcaf0",
    "#6c757d",
]


@dataclass
class Table:
    """A table of the page and its CSV: one row per item; the page shows the first `limit`.

    `cells(item)` lays out an item's row (default: the item is its row), `classes(item)` the CSS
    class of each cell (the heatmap's colours).
    """

    name: str
    title: str
    headers: list[str]
    items: Sequence
    cells: Callable[[Any], list] | None = None
    classes: Callable[[Any], list[str]] | None = None
    limit: int | None = SHOWN_ROWS

    @property
    def rows(self) -> Iterator[list]:
        """Every row, laid out one at a time (the CSV download)."""
        return (self._cells(item) for item in self.items)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def shown(self) -> list[list[tuple]]:
        items = self.items if self.limit is None else self.items[: self.limit]
        shown = []
        for item in items:
            row = self._cells(item)
            css = self.classes(item) if self.classes else [""] * len(row)
            shown.append(list(zip(row, css, strict=False)))
        return shown

    @property
    def truncated(self) -> bool:
        return self.limit is not None and self.count > self.limit

    def _cells(self, item) -> list:
        return self.cells(item) if self.cells else item


@dataclass
class Chart:
    """A Chart.js chart drawn by static/js/dashboard.js from `config` (sent as json_script)."""

    name: str
    type: str
    labels: list[str]
    datasets: list[dict]
    stacked: bool = False
    horizontal: bool = False

    @property
    def data_id(self) -> str:
        return f"chart-{self.name}-data"

    @property
    def config(self) -> dict:
        return {
            "type": self.type,
            "labels": self.labels,
            "datasets": self.datasets,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
        }


def add_tables(d: Dashboard, *, rows: DashboardRows, trend_ids: list[int], national: bool) -> None:
    """Lay out a dashboard's figures as its tables and charts; `national` adds agency columns."""
    area_labels = rows.area_labels
    names = {row["pk"]: row["name"] for row in rows.units}
    status_labels = {NOT_STARTED: _("Not started"), **dict(Evaluation.Status.choices)}
    d.tables["pipeline"] = Table(
        "pipeline",
        _("Units by status"),
        [_("Status"), _("Units")],
        [[str(status_labels[s]), n] for s, n in d.pipeline.items()],
        limit=None,
    )
    d.charts["pipeline"] = Chart(
        "pipeline",
        "bar",
        [str(status_labels[s]) for s in d.pipeline],
        [
            {
                "label": str(_("Units")),
                "data": list(d.pipeline.values()),
                "backgroundColor": "#0d6efd",
            }
        ],
        horizontal=True,
    )

    d.tables["predicates"] = Table(
        "predicates",
        _("Predicates per year"),
        [_("Year"), "WBK", "WBBM", _("Revoked")],
        [[p["year"], p["wbk"], p["wbbm"], p["revoked"]] for p in d.predicates],
        limit=None,
    )
    d.charts["predicates"] = Chart(
        "predicates",
        "bar",
        [str(p["year"]) for p in d.predicates],
        [
            {"label": label, "data": [p[key] for p in d.predicates], "backgroundColor": colour}
            for key, label, colour in (
                ("wbk", "WBK", COLOURS["WBK"]),
                ("wbbm", "WBBM", COLOURS["WBBM"]),
                ("revoked", str(_("Revoked")), COLOURS["revoked"]),
            )
        ],
        stacked=True,
    )

    level_labels = {key: str(label) for key, label in Level.choices}
    agency_header = [_("Agency")] if national else []
    d.tables["heatmap"] = Table(
        "heatmap",
        _("Areas: share of each area's weight reached (%)"),
        [_("Unit"), *agency_header, _("Level"), *area_labels.values()],
        d.heatmap,
        cells=lambda h: [
            h["unit"],
            *([h["agency"]] if national else []),
            level_labels[h["level"]],
            *(_pct(h["shares"][k]) for k in area_labels),
        ],
        classes=lambda h: [
            "",
            *([""] if national else []),
            "",
            *(h["classes"][k] for k in area_labels),
        ],
    )

    yes, no = _("yes"), _("no")
    d.tables["ranking"] = Table(
        "ranking",
        _("Ranking by TPI total"),
        [_("Rank"), _("Unit"), *agency_header, _("TPI total"), _("Verdict"), _("Complete")],
        range(len(d.ranking)),
        cells=lambda i: [
            i + 1,
            d.ranking[i]["unit"],
            *([d.ranking[i]["agency"]] if national else []),
            d.ranking[i]["total"],
            d.ranking[i]["verdict"] or "—",
            yes if d.ranking[i]["complete"] else no,
        ],
    )
    top = d.ranking[:CHART_UNITS]
    d.charts["ranking"] = Chart(
        "ranking",
        "bar",
        [r["unit"] for r in top],
        [
            {
                "label": str(_("TPI total")),
                "data": [float(r["total"]) for r in top],
                "backgroundColor": [COLOURS.get(r["verdict"], "#6c757d") for r in top],
            }
        ],
        horizontal=True,
    )

    years = sorted({y for per_unit in d.trend.values() for y in per_unit})
    trend_units = [u for u in trend_ids if u in d.trend] + sorted(
        set(d.trend) - set(trend_ids), key=lambda u: names.get(u, "")
    )
    d.tables["trend"] = Table(
        "trend",
        _("Total score per year"),
        [_("Unit"), *[str(y) for y in years]],
        trend_units,
        cells=lambda u: [names.get(u, u), *(d.trend[u].get(y) for y in years)],
    )
    d.charts["trend"] = Chart(
        "trend",
        "line",
        [str(y) for y in years],
        [
            {
                "label": names.get(u, str(u)),
                "data": [
                    None if d.trend[u].get(y) is None else float(d.trend[u][y]) for y in years
                ],
                "borderColor": LINE_COLOURS[i % len(LINE_COLOURS)],
                "backgroundColor": LINE_COLOURS[i % len(LINE_COLOURS)],
                "spanGaps": True,
            }
            for i, u in enumerate(trend_units[:CHART_UNITS])
        ],
    )

    # Translated once per kind, not once per warning: the nation has 20,000 of them.
    kind_labels = {kind: str(label) for kind, label in WARNING_KINDS.items()}
    d.tables["warnings"] = Table(
        "warnings",
        _("Early warnings"),
        [
            _("Unit"),
            *agency_header,
            _("Warning"),
            _("Rule"),
            _("Value"),
            _("Threshold"),
            _("Shortfall"),
        ],
        d.warnings,
        cells=lambda w: [
            w.unit_name,
            *([w.agency_name] if national else []),
            kind_labels[w.kind],
            f"{w.check.predicate} · {w.check.label}" if w.check else "",
            w.check.value if w.check else w.count,
            w.check.threshold if w.check else None,
            w.check.shortfall if w.check else None,
        ],
    )


def add_national_tables(d: Dashboard) -> None:
    """Lay out the national breakdowns (figures.add_national) as tables and charts."""
    columns = [_("Units"), _("Evaluated"), _("Proposed"), _("Awarded")]
    keys = ("units", "evaluated", "proposed", "awarded")
    kinds = dict(Agency.Kind.choices)
    for name, title, first, groups, label in (
        ("provinces", _("Per province"), _("Province"), d.national["by_province"], None),
        ("kinds", _("Per kind of agency"), _("Kind of agency"), d.national["by_kind"], kinds),
    ):
        labels = [
            str(label.get(k, k)) if label else (k or str(_("No province (K/L)"))) for k in groups
        ]
        d.tables[name] = Table(
            name,
            title,
            [first, *columns],
            [[lab, *(g[k] for k in keys)] for lab, g in zip(labels, groups.values(), strict=True)],
            limit=None,
        )
        d.charts[name] = Chart(
            name,
            "bar",
            labels,
            [
                {
                    "label": str(_("Units")),
                    "data": [g["units"] for g in groups.values()],
                    "backgroundColor": COLOURS["units"],
                },
                {
                    "label": str(_("Awarded")),
                    "data": [g["awarded"] for g in groups.values()],
                    "backgroundColor": COLOURS["WBK"],
                },
            ],
        )
    proposals = d.national["proposals"]
    d.tables["proposals"] = Table(
        "proposals",
        _("Proposals and awards per year"),
        [
            _("Year"),
            _("Evaluated"),
            _("Proposed"),
            _("Awarded"),
            _("National reference: proposed"),
            _("National reference: awarded"),
        ],
        [
            [
                p["year"],
                p["evaluated"],
                p["proposed"],
                p["awarded"],
                p["reference_proposed"],
                p["reference_awarded"],
            ]
            for p in proposals
        ],
        limit=None,
    )
    d.charts["proposals"] = Chart(
        "proposals",
        "bar",
        [str(p["year"]) for p in proposals],
        [
            {
                "label": str(_("Proposed")),
                "data": [p["proposed"] for p in proposals],
                "backgroundColor": COLOURS["proposed"],
            },
            {
                "label": str(_("Awarded")),
                "data": [p["awarded"] for p in proposals],
                "backgroundColor": COLOURS["WBK"],
            },
        ],
    )
    d.tables["near_agencies"] = Table(
        "near_agencies",
        _("Agencies with the most units near a threshold"),
        [_("Agency"), _("Units near a threshold")],
        [[name, n] for name, n in d.national["near_agencies"]],
        limit=10,
    )


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100
