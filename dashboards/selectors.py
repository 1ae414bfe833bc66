"""Reads behind the dashboards: the database queries of each page, returning plain rows.

A dashboard issues a fixed number of queries whatever the number of units. Counts and sums come
from the database (grouped `values()` with `Count(filter=Q(...))`), except the pipeline's, which
counts the unit rows the page reads anyway. The per-unit rows of the chosen year are read in one
query with their stored scores, because the early warnings check each threshold rule on the
stored `total`, `areas` and `parts`, which differ per rule kind and live partly in JSON; SQLite
and PostgreSQL read those the same way. figures.py shapes the rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from awards.models import Award, ProposalWindow
from evaluations.models import (
    Criterion,
    Evaluation,
    EvaluationScore,
    Level,
    Predicate,
    Threshold,
)
from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring
from units.models import Pencanangan, Unit

Status = Evaluation.Status
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

# The stored score columns a dashboard reads, of the level it shows (TPI, else self).
SCORE_FIELDS = {
    "total": DecimalField(max_digits=16, decimal_places=10),
    "areas": JSONField(),
    "parts": JSONField(),
    "verdict": CharField(),
    "complete": BooleanField(),
}


@dataclass
class DashboardRows:
    """What one dashboard reads, before the trend (whose units depend on these rows)."""

    year: int
    deadline: date
    pipeline: list[dict]  # per status of the year ("ev__status", None: not started)
    predicates: list[dict]  # per award year
    units: list[dict]  # one per unit, with its evaluation of the year (see unit_rows)
    rules: dict[int | None, list[scoring.ThresholdRule]]  # per rubric; None: the active one's
    area_labels: dict[str, str]


@dataclass
class NationalRows:
    """What the national dashboard reads besides an agency dashboard's rows."""

    geo: list[dict]  # per province and kind of agency
    per_year: list[dict]  # evaluations per year


def dashboard_rows(*, units: QuerySet[Unit], year: int, today: date) -> DashboardRows:
    """Read a dashboard's rows for `units` (scoped through access.py) in `year`."""
    deadline = proposal_deadline(year=year)
    predicates = predicate_counts(units=units)
    rows = unit_rows(units=units, year=year, today=today)
    pipeline = pipeline_counts(rows)
    rules = threshold_rules(
        rubric_ids={row["ev__rubric_id"] for row in rows if row["ev__rubric_id"]}
    )
    labels = area_labels()
    return DashboardRows(
        year=year,
        deadline=deadline,
        pipeline=pipeline,
        predicates=predicates,
        units=rows,
        rules=rules,
        area_labels=labels,
    )


def national_rows(*, units: QuerySet[Unit], year: int) -> NationalRows:
    """Read the national breakdowns: per province and kind of agency, and per year."""
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
    return NationalRows(geo=geo, per_year=per_year)


def proposal_deadline(*, year: int) -> date:
    """Return the day the proposal window closes: its ProposalWindow, else 31 May (one query)."""
    default = date(year, 5, 31)  # The online window usually closes at the end of May
    closes = ProposalWindow.objects.filter(year=year).values_list("closes_on", flat=True).first()
    return closes or default


def pipeline_counts(rows: list[dict]) -> list[dict]:
    """Count the units per status of their evaluation, and those complete per level.

    Counted over the unit rows the page reads anyway (unit_rows): a query of its own joined the
    same 20,000 units, evaluations and 40,000 scores a second time (~0.2 s).
    """
    counts = {}
    for row in rows:
        found = counts.setdefault(
            row["ev__status"],
            {"ev__status": row["ev__status"], "units": 0, "tpi_complete": 0, "self_complete": 0},
        )
        found["units"] += 1
        found["tpi_complete"] += bool(row["tpi_complete"])
        found["self_complete"] += bool(row["self_complete"])
    return list(counts.values())


def predicate_counts(*, units: QuerySet[Unit]) -> list[dict]:
    """Count the units' awards per year: WBK and WBBM held, and those revoked."""
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


def unit_rows(*, units: QuerySet[Unit], year: int, today: date) -> list[dict]:
    """Return one row per unit with its evaluation of the year and the scores the page shows.

    The scores are those of the TPI level, or of the self-assessment where the TPI has not
    scored yet: "level" names which (None: neither), and "total", "areas", "parts", "verdict" and
    "complete" hold them. Only that level's are read: decoding both levels' JSON was a third of
    the national page. Each row also says which predicates the unit held before `year`
    ("holds_<predicate>"), whether a pencanangan covers it `today` ("covered"), how many answered
    questions of its evaluation lack evidence ("evidence_missing"), when the evaluation or its
    scores last changed ("last_change"), and whether each level is complete ("tpi_complete",
    "self_complete").
    """
    annotations = {}
    for predicate in Predicate.values:
        annotations[f"holds_{predicate}"] = Exists(
            Award.objects.filter(
                unit=OuterRef("pk"), predicate=predicate, year__lt=year, revoked_on__isnull=True
            )
        )
    annotations["covered"] = _covered_annotation(today)
    # Kept on the evaluation by the services; a count per unit here was 4 s for 20,000 units.
    annotations["evidence_missing"] = Coalesce(F("ev__evidence_missing"), Value(0))
    tpi_scored = Q(tpi__updated_at__isnull=False)
    annotations["level"] = Case(
        When(tpi_scored, then=Value(Level.TPI)),
        When(own__updated_at__isnull=False, then=Value(Level.SELF)),
        default=None,
        output_field=CharField(),
    )
    for name, field in SCORE_FIELDS.items():
        annotations[name] = Case(
            When(tpi_scored, then=F(f"tpi__{name}")), default=F(f"own__{name}"), output_field=field
        )
    annotations["tpi_complete"] = F("tpi__complete")
    annotations["self_complete"] = F("own__complete")
    # GREATEST skips NULLs on PostgreSQL only; a missing score counts as the evaluation's change.
    annotations["last_change"] = Greatest(
        "ev__updated_at",
        Coalesce("tpi__updated_at", "ev__updated_at"),
        Coalesce("own__updated_at", "ev__updated_at"),
    )
    fields = ["pk", "name", "agency_id", "agency__name", "ev__status", "ev__rubric_id"]
    return list(
        _with_year(units, year)
        .annotate(**annotations)
        .values(*fields, *annotations)
        .order_by("agency__name", "name", "pk")
    )


def threshold_rules(*, rubric_ids: set[int]) -> dict[int | None, list[scoring.ThresholdRule]]:
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


def area_labels() -> dict[str, str]:
    """Return the six areas' names by key ("1".."6"), from the active rubric's first half."""
    labels = {}
    areas = Criterion.objects.filter(rubric__is_active=True, kind=Criterion.Kind.AREA).only(
        "code", "label_id", "label_en"
    )
    for area in areas.order_by("position"):
        labels.setdefault(area.code.rsplit(".", 1)[-1], area.label)
    return labels


def score_trend(*, units: QuerySet[Unit], unit_ids: list[int] | None) -> list[dict]:
    """Return the TPI and self totals of every year for `unit_ids` (None: every unit of `units`)."""
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


def _with_year(units: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    """Join each unit to its evaluation of the year and that evaluation's TPI and self scores."""
    return units.annotate(
        ev=FilteredRelation("evaluations", condition=Q(evaluations__year=year)),
        tpi=FilteredRelation("ev__scores", condition=Q(ev__scores__level=Level.TPI)),
        own=FilteredRelation("ev__scores", condition=Q(ev__scores__level=Level.SELF)),
    )


def _covered_annotation(today: date):
    """Return an Exists() for "a pencanangan covers this unit today"."""
    return Exists(
        Pencanangan.objects.filter(agency_id=OuterRef("agency_id"), date__lte=today).filter(
            Q(covers_whole_agency=True) | Q(units=OuterRef("pk"))
        )
    )
