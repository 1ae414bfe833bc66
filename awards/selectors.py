"""Reads for awards: the public list, one award's page and a unit's whole timeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from evaluations.models import Evaluation, EvaluationScore, Level, SubmissionItem
from units.models import Agency, Pencanangan

from .filters import PublicAwardFilter
from .models import Award

PUBLIC_PAGE_SIZE = 50
HISTORY_LIMIT = 30

# What the public may read of an award: nothing about evaluations, nothing unpublished.
PUBLIC_FIELDS = [
    "pk",
    "year",
    "predicate",
    "decree_number",
    "decree_date",
    "revoked_on",
    "unit__name",
    "unit__agency__name",
    "unit__agency__province",
]


def public_awards() -> QuerySet[Award]:
    """Every published award, newest year first (filter it, then read PUBLIC_FIELDS only)."""
    return Award.objects.filter(is_published=True).order_by(
        "-year", "unit__agency__name", "unit__name", "pk"
    )


@dataclass
class PublicList:
    filter: PublicAwardFilter
    page: Page
    counts: dict


def public_award_list(*, params, page_number=1) -> PublicList:
    """One page of published awards matching the filters, with counts."""
    filterset = PublicAwardFilter(params or None, queryset=public_awards())
    # Counted on the awards alone: the unit and agency are joined only when a filter needs them
    # (joining them for every count read all 20,000 units at national scale).
    counts = filterset.qs.order_by().aggregate(
        total=Count("pk"),
        wbk=Count("pk", filter=Q(predicate="WBK")),
        wbbm=Count("pk", filter=Q(predicate="WBBM")),
        revoked=Count("pk", filter=Q(revoked_on__isnull=False)),
    )
    paginator = Paginator(filterset.qs.values(*PUBLIC_FIELDS), PUBLIC_PAGE_SIZE)
    paginator.count = counts["total"]  # already counted above: no second COUNT query
    return PublicList(filter=filterset, page=paginator.get_page(page_number), counts=counts)


def public_award_agencies() -> list[tuple[int, str]]:
    """Return (id, name) of the agencies with a published award, by name."""
    return list(
        Agency.objects.filter(
            pk__in=Award.objects.filter(is_published=True).values("unit__agency_id")
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def public_award_rows(*, params):
    """Every published award matching the filters, for the CSV download (streamed)."""
    rows = PublicAwardFilter(params or None, queryset=public_awards()).qs
    return rows.values(*PUBLIC_FIELDS).iterator(chunk_size=2000)


def award_history(*, award: Award) -> list:
    """The award's recorded changes, newest first, with who made them."""
    return list(
        award.history.select_related("history_user").order_by("-history_date", "-pk")[
            :HISTORY_LIMIT
        ]
    )


# --- Unit timeline ------------------------------------------------------------------------------


@dataclass
class Timeline:
    pencanangan: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    awards: list = field(default_factory=list)


def unit_timeline(*, unit) -> Timeline:
    """Everything of a unit's journey, in a fixed number of queries whatever its history."""
    evaluations = list(
        Evaluation.objects.filter(unit=unit)
        .order_by("-year")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=EvaluationScore.objects.order_by("level"),
                to_attr="score_list",
            )
        )
    )
    for evaluation in evaluations:
        evaluation.level_scores = {s.level: s for s in evaluation.score_list}
        evaluation.tpi_score = evaluation.level_scores.get(Level.TPI)
    proposals = list(
        SubmissionItem.objects.filter(evaluation__unit=unit)
        .select_related("submission", "evaluation")
        .prefetch_related("stages")
        .order_by("-submission__year")
    )
    awards = list(Award.objects.filter(unit=unit).order_by("-year", "-pk"))
    return Timeline(
        pencanangan=_pencanangan_of(unit),
        evaluations=evaluations,
        proposals=proposals,
        awards=awards,
    )


def _pencanangan_of(unit) -> list:
    """The pencanangan of the unit's agency that cover it, oldest first (one query)."""
    return list(
        Pencanangan.objects.filter(agency_id=unit.agency_id)
        .filter(Q(covers_whole_agency=True) | Q(units=unit))
        .distinct()
        .order_by("date", "pk")
    )
