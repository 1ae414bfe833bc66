"""The dashboards' figures: the selectors' rows shaped into what a page shows. No queries here.

A page is built in steps (pages.py): read its rows (selectors.dashboard_rows), derive each unit's
figures (`unit_figures`), read the trend of the units they put first (selectors.score_trend),
assemble the `Dashboard`, then lay it out as tables and charts (tables.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import get_language

from evaluations.models import Evaluation, Level, Predicate

from . import warnings as early
from .selectors import DashboardRows, NationalRows

if TYPE_CHECKING:
    from .tables import Chart, Table

SHOWN_ROWS = 50  # rows of a long table on the page; its CSV has them all

NOT_STARTED = "not_started"
Status = Evaluation.Status

# KemenPANRB's published national figures, shown beside the portal's own counts.
NATIONAL_REFERENCE = {
    2017: {"proposed": 485, "awarded": 77},
    2018: {"proposed": 910, "awarded": 205},
    2020: {"proposed": 3691, "awarded": 763},
    2021: {"proposed": 4042, "awarded": 486},
    2024: {"proposed": None, "awarded": 231},
}


@dataclass
class Dashboard:
    """The figures of one dashboard page, which the templates and the CSV download read."""

    year: int
    deadline: date
    days_to_deadline: int
    unit_count: int
    evaluation_count: int
    tpi_complete: int
    self_complete: int
    wbk_share: Fraction | None
    wbbm_share: Fraction | None
    pipeline: dict[str, int]
    predicates: list[dict]
    heatmap: list[dict]
    ranking: list[dict]
    trend: dict[int, dict[int, Decimal]]
    warnings: list[early.Warning]
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    national: dict = field(default_factory=dict)

    @property
    def window_closed(self) -> bool:
        """Return True once the proposal deadline has passed (its own day still counts)."""
        return self.days_to_deadline < 0


@dataclass
class UnitFigures:
    """What each unit row gives the page: its heatmap line, its rank, its early warnings."""

    heatmap: list[dict]
    ranking: list[dict]
    warnings: list[early.Warning]
    trend_ids: list[int]  # the units whose trend the page shows, in the order it shows them


def unit_figures(rows: DashboardRows, *, now: datetime) -> UnitFigures:
    """Return the heatmap, ranking and early warnings of the unit rows."""
    language = get_language() or "id"
    # Each rubric's rules, and its WBK and WBBM lines for the heatmap's colours, prepared once.
    rule_sets = {
        rubric: early.RuleSet(rules, area_labels=rows.area_labels, language=language)
        for rubric, rules in rows.rules.items()
    }
    rule_sets.setdefault(None, early.RuleSet([], area_labels=rows.area_labels))
    share_lines = {
        rubric: tuple(_share_line(rules, p) for p in (Predicate.WBK, Predicate.WBBM))
        for rubric, rules in rows.rules.items()
    }
    heatmap, ranking, found = [], [], []
    for row in rows.units:
        level = row["level"]
        scores = row if level else None
        rubric = row["ev__rubric_id"] if row["ev__rubric_id"] in rows.rules else None
        found += early.unit_warnings(
            row, scores, rule_sets[rubric], deadline=rows.deadline, now=now
        )
        if scores is None:
            continue
        areas = scores["areas"] or {}
        # Shares are only shown and coloured: the stored floats, compared exactly for the colour.
        shares = {key: areas.get(key, {}).get("share") for key in rows.area_labels}
        wbk, wbbm = share_lines.get(rubric, (None, None))
        heatmap.append(
            {
                "unit_id": row["pk"],
                "unit": row["name"],
                "agency": row["agency__name"],
                "level": level,
                "shares": shares,
                "classes": {key: _share_class(share, wbk, wbbm) for key, share in shares.items()},
            }
        )
        if level == Level.TPI:
            ranking.append(
                {
                    "unit_id": row["pk"],
                    "unit": row["name"],
                    "agency": row["agency__name"],
                    "total": row["total"],
                    "verdict": row["verdict"],
                    "complete": row["complete"],
                }
            )
    ranking.sort(key=lambda r: (-r["total"], r["unit"], r["unit_id"]))

    # Trend lines of the ranked units first, then of the units with a self score only.
    ranked_ids = [r["unit_id"] for r in ranking]
    ranked = set(ranked_ids)  # once: built per heatmap row it was 5.7 s for 20,000 units
    others = [h["unit_id"] for h in heatmap if h["unit_id"] not in ranked]
    trend_ids = (ranked_ids + others)[:SHOWN_ROWS]
    return UnitFigures(heatmap=heatmap, ranking=ranking, warnings=found, trend_ids=trend_ids)


def dashboard(
    rows: DashboardRows, units: UnitFigures, trend_rows: list[dict], *, today: date
) -> Dashboard:
    """Return a dashboard's figures from its rows, its units' figures and their trend scores."""
    pipeline = {NOT_STARTED: 0, **dict.fromkeys(Status.values, 0)}
    for row in rows.pipeline:
        pipeline[row["ev__status"] or NOT_STARTED] += row["units"]
    unit_count = sum(row["units"] for row in rows.pipeline)
    legend_rules = rows.rules.get(None, [])

    trend: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for score in trend_rows:
        unit_id, score_year = score["evaluation__unit_id"], score["evaluation__year"]
        if score["level"] == Level.TPI or score_year not in trend[unit_id]:
            trend[unit_id][score_year] = score["total"]

    return Dashboard(
        year=rows.year,
        deadline=rows.deadline,
        days_to_deadline=(rows.deadline - today).days,
        unit_count=unit_count,
        evaluation_count=unit_count - pipeline[NOT_STARTED],
        tpi_complete=sum(row["tpi_complete"] for row in rows.pipeline),
        self_complete=sum(row["self_complete"] for row in rows.pipeline),
        wbk_share=_area_minimum(legend_rules, Predicate.WBK),
        wbbm_share=_area_minimum(legend_rules, Predicate.WBBM),
        pipeline=pipeline,
        predicates=rows.predicates,
        heatmap=units.heatmap,
        ranking=units.ranking,
        trend=dict(trend),
        warnings=units.warnings,
    )


def add_national(d: Dashboard, rows: NationalRows) -> None:
    """Add the national breakdowns to a dashboard over every agency's units."""
    by_province, by_kind = (
        _roll_up(rows.geo, "agency__province"),
        _roll_up(rows.geo, "agency__kind"),
    )
    awards = {p["year"]: p["wbk"] + p["wbbm"] + p["revoked"] for p in d.predicates}
    evaluated = {p["year"]: p for p in rows.per_year}
    proposal_years = sorted(set(evaluated) | set(awards) | set(NATIONAL_REFERENCE))
    proposals = [
        {
            "year": y,
            "evaluated": evaluated.get(y, {}).get("evaluated", 0),
            "proposed": evaluated.get(y, {}).get("proposed", 0),
            "awarded": awards.get(y, 0),
            "reference_proposed": NATIONAL_REFERENCE.get(y, {}).get("proposed"),
            "reference_awarded": NATIONAL_REFERENCE.get(y, {}).get("awarded"),
        }
        for y in proposal_years
    ]
    near = Counter()
    agency_names = {}
    for w in d.warnings:
        if w.kind == "near_threshold":
            near[w.agency_id] += 1
            agency_names[w.agency_id] = w.agency_name
    top_agencies = sorted(near.items(), key=lambda item: (-item[1], agency_names[item[0]]))
    d.national = {
        "by_province": by_province,
        "by_kind": by_kind,
        "proposals": proposals,
        "near_agencies": [(agency_names[a], n) for a, n in top_agencies],
    }


def _share_class(share, wbk: early.Line | None, wbbm: early.Line | None) -> str:
    if share is None:
        return ""
    if wbbm is not None and wbbm.met_by(share):
        return "table-success"
    if wbk is not None and wbk.met_by(share):
        return "table-warning"
    return "table-danger"


def _share_line(rules, predicate) -> early.Line | None:
    minimum = _area_minimum(rules, predicate)
    return None if minimum is None else early.Line.of(minimum)


def _area_minimum(rules, predicate) -> Fraction | None:
    for rule in rules:
        if rule.predicate == predicate and rule.kind == "area_share":
            return rule.minimum
    return None


def _roll_up(geo, key) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(Counter)
    for row in geo:
        for name in ("units", "evaluated", "proposed", "awarded"):
            totals[row[key] or ""][name] += row[name]
    return dict(sorted(totals.items()))
