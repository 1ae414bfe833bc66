"""Reads behind the dashboards: one function per page, a fixed number of queries each.

Counts and sums come from the database (grouped `values()` with `Count(filter=Q(...))`). The
per-unit rows of the chosen year are read in one query with their stored scores, because the
early warnings check each threshold rule on the stored `total`, `areas` and `parts`, which
differ per rule kind and live partly in JSON; SQLite and PostgreSQL read those the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from awards.models import Award, ProposalWindow
from evaluations import rubric_files
from evaluations.models import (
    Answer,
    Criterion,
    Evaluation,
    EvaluationScore,
    Evidence,
    Level,
    Predicate,
    Threshold,
)
from units.models import Agency, Pencanangan, Unit

from . import warnings as early

SHOWN_ROWS = 50  # rows of a long table on the page; its CSV has them all
CHART_UNITS = 10  # lines in the trend chart, bars in the ranking chart

NOT_STARTED = "not_started"
Status = Evaluation.Status
# Still being built and scored by the agency: these can go stale before the deadline.
OPEN_STATUSES = [Status.DRAFT, Status.SELF_SUBMITTED, Status.TPI_REVIEW]
PROPOSED_STATUSES = [
    Status.PROPOSED,
    Status.ADMIN_SELECTION,
    Status.DESK_EVALUATION,
    Status.FIELD_EVALUATION,
    Status.PANEL,
    Status.AWARDED_WBK,
    Status.AWARDED_WBBM,
    Status.NOT_AWARDED,
    Status.REVOKED,
]
AWARDED_STATUSES = [Status.AWARDED_WBK, Status.AWARDED_WBBM]

# DOMAIN.md's national figures (KemenPANRB), shown beside the portal's own counts.
NATIONAL_REFERENCE = {
    2017: {"proposed": 485, "awarded": 77},
    2018: {"proposed": 910, "awarded": 205},
    2020: {"proposed": 3691, "awarded": 763},
    2021: {"proposed": 4042, "awarded": 486},
    2024: {"proposed": None, "awarded": 231},
}

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


# --- Shapes the templates and the CSV download read ---------------------------------------------


@dataclass
class Table:
    """A table of the page and its CSV: headers and every row; the page shows the first rows."""

    name: str
    title: str
    headers: list[str]
    rows: list[list]
    classes: list[list[str]] | None = None  # CSS class per cell (the heatmap's colours)
    limit: int | None = SHOWN_ROWS

    @property
    def shown(self) -> list[list[tuple]]:
        rows = self.rows if self.limit is None else self.rows[: self.limit]
        classes = self.classes or [[""] * len(row) for row in rows]
        return [list(zip(row, css, strict=False)) for row, css in zip(rows, classes, strict=False)]

    @property
    def truncated(self) -> bool:
        return self.limit is not None and len(self.rows) > self.limit


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


@dataclass(frozen=True)
class Warning:
    """One early warning on one unit; `check` holds the rule, value, threshold and shortfall."""

    kind: str
    unit_id: int
    unit_name: str
    agency_id: int
    agency_name: str
    check: early.RuleCheck | None = None
    count: int | None = None  # days without change, or answered questions without evidence

    @property
    def kind_label(self) -> str:
        return str(WARNING_KINDS[self.kind])


WARNING_KINDS = {
    "near_threshold": gettext_lazy("Within 5 points of a threshold"),
    "one_rule": gettext_lazy("Fails exactly one rule"),
    "stale": gettext_lazy("No change in 30 days"),
    "not_covered": gettext_lazy("Not covered by a pencanangan"),
    "evidence_missing": gettext_lazy("Evidence missing on answered questions"),
}


@dataclass
class Dashboard:
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
    warnings: list[Warning]
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    national: dict = field(default_factory=dict)

    @property
    def window_closed(self) -> bool:
        """Return True once the proposal deadline has passed (its own day still counts)."""
        return self.days_to_deadline < 0


# --- Deadline, pencanangan coverage and evidence ---------------------------------------------


def proposal_deadline(*, year: int) -> date:
    """Return the day the proposal window closes: its ProposalWindow, else 31 May (one query)."""
    default = date(year, 5, 31)  # DOMAIN.md: the online window usually closes at the end of May
    closes = ProposalWindow.objects.filter(year=year).values_list("closes_on", flat=True).first()
    return closes or default


def _covered_annotation(today: date):
    """Return an Exists() for "a pencanangan covers this unit today"."""
    return Exists(
        Pencanangan.objects.filter(agency_id=OuterRef("agency_id"), date__lte=today).filter(
            Q(covers_whole_agency=True) | Q(units=OuterRef("pk"))
        )
    )


def _evidence_missing_annotation():
    """Return a count of the evaluation's answered questions that have no evidence."""
    # Letter and survey answers carry an option or a number; computed ones their inputs.
    answered = Q(option__isnull=False) | Q(number__isnull=False) | ~Q(inputs={})
    missing = (
        Answer.objects.filter(answered, evaluation=OuterRef("ev__pk"))
        .exclude(
            Exists(
                Evidence.objects.filter(
                    evaluation=OuterRef("evaluation"),
                    question=OuterRef("question"),
                    is_removed=False,
                )
            )
        )
        .order_by()
        .values("evaluation")
        .annotate(n=Count("question", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(missing, output_field=IntegerField()), Value(0))


# --- Queries -------------------------------------------------------------------------------------

SCORE_FIELDS = ("total", "pengungkit", "areas", "parts", "verdict", "complete", "updated_at")


def _with_year(units: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    """Join each unit to its evaluation of the year and that evaluation's TPI and self scores."""
    return units.annotate(
        ev=FilteredRelation("evaluations", condition=Q(evaluations__year=year)),
        tpi=FilteredRelation("ev__scores", condition=Q(ev__scores__level=Level.TPI)),
        own=FilteredRelation("ev__scores", condition=Q(ev__scores__level=Level.SELF)),
    )


def _pipeline(units, year) -> list[dict]:
    return list(
        _with_year(units, year)
        .values("ev__status")
        .annotate(
            units=Count("pk"),
            tpi_complete=Count("pk", filter=Q(tpi__complete=True)),
            self_complete=Count("pk", filter=Q(own__complete=True)),
        )
        .order_by()  # Unit's default ordering would split the groups
    )


def _predicates(units) -> list[dict]:
    return list(
        Award.objects.filter(unit__in=units.values("pk"))
        .values("year")
        .annotate(
            wbk=Count("pk", filter=Q(predicate=Predicate.WBK, revoked_on__isnull=True)),
            wbbm=Count("pk", filter=Q(predicate=Predicate.WBBM, revoked_on__isnull=True)),
            revoked=Count("pk", filter=Q(revoked_on__isnull=False)),
        )
        .order_by("year")
    )


def _unit_rows(units, year, today) -> list[dict]:
    """Return one row per unit with its evaluation of the year and both stored score levels."""
    annotations = {}
    for predicate in Predicate.values:
        annotations[f"holds_{predicate}"] = Exists(
            Award.objects.filter(
                unit=OuterRef("pk"), predicate=predicate, year__lt=year, revoked_on__isnull=True
            )
        )
    annotations["covered"] = _covered_annotation(today)
    annotations["evidence_missing"] = _evidence_missing_annotation()
    fields = ["pk", "name", "service_kind", "agency_id", "agency__name"]
    fields += ["ev__pk", "ev__status", "ev__updated_at", "ev__rubric_id"]
    fields += [f"{level}__{name}" for level in ("tpi", "own") for name in SCORE_FIELDS]
    return list(
        _with_year(units, year)
        .annotate(**annotations)
        .values(*fields, *annotations)
        .order_by("agency__name", "name", "pk")
    )


def _rules(rubric_ids: set[int]) -> dict[int | None, list]:
    """Return each rubric's threshold rules; key None holds the active rubric's (the legend)."""
    rows = list(
        Threshold.objects.filter(Q(rubric_id__in=rubric_ids) | Q(rubric__is_active=True)).values(
            "rubric_id",
            "rubric__is_active",
            "predicate",
            "rule",
            "kind",
            "target",
            "minimum",
            "order",
            "label_id",
            "label_en",
        )
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["rubric_id"]].append(row)
        if row["rubric__is_active"]:
            grouped[None].append(row)
    return {key: rubric_files.threshold_rules(found) for key, found in grouped.items()}


def _area_labels() -> dict[str, str]:
    """Return the six areas' names by key ("1".."6"), from the active rubric's first half."""
    labels = {}
    areas = Criterion.objects.filter(rubric__is_active=True, kind=Criterion.Kind.AREA).only(
        "code", "label_id", "label_en"
    )
    for area in areas.order_by("position"):
        labels.setdefault(area.code.rsplit(".", 1)[-1], area.label)
    return labels


def _trend(units, unit_ids: list[int] | None) -> list[dict]:
    scores = EvaluationScore.objects.filter(level__in=[Level.TPI, Level.SELF])
    if unit_ids is None:
        scores = scores.filter(evaluation__unit__in=units.values("pk"))
    else:
        scores = scores.filter(evaluation__unit_id__in=unit_ids)
    return list(
        scores.values("evaluation__unit_id", "evaluation__year", "level", "total").order_by(
            "evaluation__year"
        )
    )


# --- Assembling a page ----------------------------------------------------------------------------


def _effective(row) -> tuple[str, dict] | tuple[None, None]:
    """Return the level the dashboard reads (TPI, self where no TPI yet) and its stored scores."""
    for prefix, level in (("tpi", Level.TPI), ("own", Level.SELF)):
        if row[f"{prefix}__updated_at"] is not None:
            return level, {name: row[f"{prefix}__{name}"] for name in SCORE_FIELDS}
    return None, None


def _share_class(share, wbk, wbbm) -> str:
    if share is None:
        return ""
    if wbbm is not None and share >= wbbm:
        return "table-success"
    if wbk is not None and share >= wbk:
        return "table-warning"
    return "table-danger"


def _area_minimum(rules, predicate) -> Fraction | None:
    for rule in rules:
        if rule.predicate == predicate and rule.kind == "area_share":
            return rule.minimum
    return None


def _ranked_predicates(rules) -> list[str]:
    ranked = []
    for rule in rules:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
    return ranked


def _warnings_for(row, level, scores, rules, area_labels, deadline, now, language) -> list[Warning]:
    found = []
    base = {
        "unit_id": row["pk"],
        "unit_name": row["name"],
        "agency_id": row["agency_id"],
        "agency_name": row["agency__name"],
    }
    if scores is not None and rules:
        target = early.next_predicate(scores["verdict"], _ranked_predicates(rules))
        if target:
            near = early.near_threshold(rules=rules, predicate=target, total=scores["total"])
            if near is not None:
                total_rule = next(r for r in rules if r.predicate == target and r.name == near.rule)
                near = early.RuleCheck(
                    near.predicate,
                    near.rule,
                    early.rule_label(total_rule, language),
                    near.value,
                    near.threshold,
                    False,
                )
                found.append(Warning("near_threshold", check=near, **base))
            held = {p for p in Predicate.values if row[f"holds_{p}"]}
            checks = early.check_rules(
                rules=rules,
                predicate=target,
                total=scores["total"],
                parts=scores["parts"] or {},
                areas=scores["areas"] or {},
                held=held,
                area_labels=area_labels,
                language=language,
            )
            single = early.single_failure(checks)
            if single is not None:
                found.append(Warning("one_rule", check=single, **base))
    if row["ev__status"] in OPEN_STATUSES and now.date() <= deadline:
        changes = [row["ev__updated_at"], row["tpi__updated_at"], row["own__updated_at"]]
        last = max(c for c in changes if c is not None)
        if now - last > timedelta(days=early.STALE_DAYS):
            found.append(Warning("stale", count=(now - last).days, **base))
    if row.get("covered") is False:
        found.append(Warning("not_covered", **base))
    if row.get("evidence_missing"):
        found.append(Warning("evidence_missing", count=row["evidence_missing"], **base))
    return found


def _dashboard(*, units: QuerySet[Unit], year: int, full: bool, national: bool) -> Dashboard:
    now = timezone.now()
    today = timezone.localdate()
    language = get_language() or "id"
    deadline = proposal_deadline(year=year)

    pipeline_rows = _pipeline(units, year)
    pipeline = {NOT_STARTED: 0, **dict.fromkeys(Status.values, 0)}
    for row in pipeline_rows:
        pipeline[row["ev__status"] or NOT_STARTED] += row["units"]
    unit_count = sum(row["units"] for row in pipeline_rows)

    predicates = _predicates(units)
    rows = _unit_rows(units, year, today)
    rules_by_rubric = _rules({row["ev__rubric_id"] for row in rows if row["ev__rubric_id"]})
    area_labels = _area_labels()
    legend_rules = rules_by_rubric.get(None, [])
    wbk_share = _area_minimum(legend_rules, Predicate.WBK)
    wbbm_share = _area_minimum(legend_rules, Predicate.WBBM)

    heatmap, ranking, found = [], [], []
    for row in rows:
        level, scores = _effective(row)
        rules = rules_by_rubric.get(row["ev__rubric_id"], legend_rules)
        found += _warnings_for(row, level, scores, rules, area_labels, deadline, now, language)
        if scores is None:
            continue
        areas = scores["areas"] or {}
        shares = {key: early.to_fraction(areas.get(key, {}).get("share")) for key in area_labels}
        heatmap.append(
            {
                "unit_id": row["pk"],
                "unit": row["name"],
                "agency": row["agency__name"],
                "level": level,
                "shares": shares,
                "classes": {
                    key: _share_class(
                        share,
                        _area_minimum(rules, Predicate.WBK),
                        _area_minimum(rules, Predicate.WBBM),
                    )
                    for key, share in shares.items()
                },
            }
        )
        if row["tpi__updated_at"] is not None:
            ranking.append(
                {
                    "unit_id": row["pk"],
                    "unit": row["name"],
                    "agency": row["agency__name"],
                    "total": row["tpi__total"],
                    "verdict": row["tpi__verdict"],
                    "complete": row["tpi__complete"],
                }
            )
    ranking.sort(key=lambda r: (-r["total"], r["unit"], r["unit_id"]))

    # Trend lines of the ranked units first, then of the units with a self score only.
    ranked_ids = [r["unit_id"] for r in ranking]
    others = [h["unit_id"] for h in heatmap if h["unit_id"] not in set(ranked_ids)]
    trend_ids = (ranked_ids + others)[:SHOWN_ROWS]
    trend_rows = _trend(units, None if full else trend_ids)
    trend: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for score in trend_rows:
        unit_id, score_year = score["evaluation__unit_id"], score["evaluation__year"]
        if score["level"] == Level.TPI or score_year not in trend[unit_id]:
            trend[unit_id][score_year] = score["total"]
    names = {row["pk"]: row["name"] for row in rows}

    dashboard = Dashboard(
        year=year,
        deadline=deadline,
        days_to_deadline=(deadline - today).days,
        unit_count=unit_count,
        evaluation_count=unit_count - pipeline[NOT_STARTED],
        tpi_complete=sum(row["tpi_complete"] for row in pipeline_rows),
        self_complete=sum(row["self_complete"] for row in pipeline_rows),
        wbk_share=wbk_share,
        wbbm_share=wbbm_share,
        pipeline=pipeline,
        predicates=predicates,
        heatmap=heatmap,
        ranking=ranking,
        trend=dict(trend),
        warnings=found,
    )
    _tables_and_charts(dashboard, area_labels, names, trend_ids, national)
    return dashboard


def _pct(share: Fraction | None) -> Decimal | None:
    return None if share is None else Decimal(share.numerator * 100) / share.denominator


def _points(value: Fraction | None) -> Decimal | None:
    return None if value is None else Decimal(value.numerator) / value.denominator


def _tables_and_charts(d: Dashboard, area_labels, names, trend_ids, national) -> None:
    status_labels = {NOT_STARTED: _("Not started"), **dict(Status.choices)}
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

    level_labels = dict(Level.choices)
    agency_header = [_("Agency")] if national else []
    d.tables["heatmap"] = Table(
        "heatmap",
        _("Areas: share of each area's weight reached (%)"),
        [_("Unit"), *agency_header, _("Level"), *area_labels.values()],
        [
            [
                h["unit"],
                *([h["agency"]] if national else []),
                str(level_labels[h["level"]]),
                *(_pct(h["shares"][k]) for k in area_labels),
            ]
            for h in d.heatmap
        ],
        classes=[
            ["", *([""] if national else []), "", *(h["classes"][k] for k in area_labels)]
            for h in d.heatmap
        ],
    )

    d.tables["ranking"] = Table(
        "ranking",
        _("Ranking by TPI total"),
        [_("Rank"), _("Unit"), *agency_header, _("TPI total"), _("Verdict"), _("Complete")],
        [
            [
                index,
                r["unit"],
                *([r["agency"]] if national else []),
                r["total"],
                r["verdict"] or "—",
                _("yes") if r["complete"] else _("no"),
            ]
            for index, r in enumerate(d.ranking, start=1)
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
        [[names.get(u, u), *(d.trend[u].get(y) for y in years)] for u in trend_units],
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
        [
            [
                w.unit_name,
                *([w.agency_name] if national else []),
                kind_labels[w.kind],
                f"{w.check.predicate} · {w.check.label}" if w.check else "",
                _points(w.check.value) if w.check else w.count,
                _points(w.check.threshold) if w.check else None,
                _points(w.check.shortfall) if w.check else None,
            ]
            for w in d.warnings
        ],
    )


def agency_dashboard(*, units: QuerySet[Unit], year: int, full: bool = False) -> Dashboard:
    """Return an agency dashboard's figures for `units` (scoped through access.py) in `year`.

    `full` reads the trend of every unit (for its CSV) instead of the units shown on the page.
    """
    return _dashboard(units=units, year=year, full=full, national=False)


def national_dashboard(*, units: QuerySet[Unit], year: int, full: bool = False) -> Dashboard:
    """Return the national dashboard: the agency figures over `units`, plus national breakdowns."""
    d = _dashboard(units=units, year=year, full=full, national=True)
    geo = list(
        _with_year(units, year)
        .values("agency__province", "agency__kind")
        .annotate(
            units=Count("pk"),
            evaluated=Count("ev"),
            proposed=Count("ev", filter=Q(ev__status__in=PROPOSED_STATUSES)),
            awarded=Count("ev", filter=Q(ev__status__in=AWARDED_STATUSES)),
        )
        .order_by()
    )
    per_year = list(
        Evaluation.objects.filter(unit__in=units.values("pk"))
        .values("year")
        .annotate(
            evaluated=Count("pk"),
            proposed=Count("pk", filter=Q(status__in=PROPOSED_STATUSES)),
        )
        .order_by("year")
    )
    by_province, by_kind = _roll_up(geo, "agency__province"), _roll_up(geo, "agency__kind")
    awards = {p["year"]: p["wbk"] + p["wbbm"] + p["revoked"] for p in d.predicates}
    evaluated = {p["year"]: p for p in per_year}
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
    _national_tables(d)
    return d


def _roll_up(geo, key) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(Counter)
    for row in geo:
        for name in ("units", "evaluated", "proposed", "awarded"):
            totals[row[key] or ""][name] += row[name]
    return dict(sorted(totals.items()))


def _national_tables(d: Dashboard) -> None:
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
