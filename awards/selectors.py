"""Reads of the national track: the proposal pages, the public list, one award's page and a unit's
whole timeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import selectors as evaluation_selectors
from evaluations import workflow
from evaluations.models import Answer, Evaluation, EvaluationScore, Level
from evaluations.rubric import scoring
from units.models import Agency, Pencanangan
from zi_portal import access

from . import rules, services
from .filters import PublicAwardFilter
from .models import (
    Announcement,
    Award,
    NationalResult,
    NationalStage,
    Objection,
    ProposalWindow,
    Submission,
    SubmissionItem,
)

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


def public_awards(today: datetime.date | None = None) -> QuerySet[Award]:
    """Every public award, newest year first (filter it, then read PUBLIC_FIELDS only).

    An award is public once its announcement was published and its publication day has come:
    publishing ahead of the ceremony needs no job to run on the day, the date does it.
    """
    return Award.objects.filter(
        is_published=True, published_on__lte=today or timezone.localdate()
    ).order_by("-year", "unit__agency__name", "unit__name", "pk")


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
        Agency.objects.filter(pk__in=public_awards().order_by().values("unit__agency_id"))
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
        .prefetch_related(
            Prefetch("stages", queryset=NationalStage.objects.order_by("date", "pk")),
            Prefetch(
                "evaluation__scores",
                queryset=EvaluationScore.objects.filter(level=Level.TPN),
                to_attr="tpn_scores",
            ),
        )
        .order_by("-submission__year")
    )
    for item in proposals:
        # The national team's totals: entered as totals, or scored question by question.
        scores = item.evaluation.tpn_scores
        item.tpn_score = scores[0] if scores else None
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


# --- Proposal pages -----------------------------------------------------------------------------

SUBMISSION_PAGE_SIZE = 50


def submission_list(*, user, page_number=1) -> Page:
    """One page of the submissions the user may see, with their number of proposed units."""
    rows = (
        access.submissions_for(user)
        .select_related("agency")
        .annotate(item_count=Count("items"))
        .order_by("-year", "agency__name")
    )
    return Paginator(rows, SUBMISSION_PAGE_SIZE).get_page(page_number)


@dataclass
class WindowInfo:
    window: ProposalWindow
    days_left: int
    refusal: str | None


def window_info(*, submission: Submission, today: datetime.date | None = None) -> WindowInfo:
    today = today or timezone.localdate()
    window = services.proposal_window(year=submission.year)
    return WindowInfo(
        window=window,
        days_left=max(0, (window.closes_on - today).days),
        refusal=services.window_refusal(submission=submission, today=today),
    )


@dataclass
class Candidate:
    evaluation: Evaluation
    tpi_total: object
    verdict: str
    failing: dict = field(default_factory=dict)  # predicate → list of failing rule dicts
    refusals: list = field(default_factory=list)  # award-history reasons, whatever the score


def _awards_by_unit(unit_ids) -> dict:
    """Return each unit's awards, as the rules between predicates read them (one query)."""
    found = defaultdict(list)
    for award in Award.objects.filter(unit_id__in=unit_ids).only(
        "unit_id", "predicate", "year", "revoked_on"
    ):
        found[award.unit_id].append(award)
    return found


def _covered_unit_ids(agency_id: int, on_date: datetime.date):
    """Return True when a pencanangan covers the whole agency, else the covered unit ids."""
    signed = Pencanangan.objects.filter(agency_id=agency_id, date__lte=on_date)
    if signed.filter(covers_whole_agency=True).exists():
        return True
    return set(signed.values_list("units", flat=True)) - {None}


def candidate_evaluations(*, submission: Submission) -> QuerySet[Evaluation]:
    """The agency's evaluations of the year that may be proposed (tpi_final), for the form."""
    return Evaluation.objects.filter(
        unit__agency_id=submission.agency_id,
        year=submission.year,
        status=Evaluation.Status.TPI_FINAL,
    ).select_related("unit")


def candidates(*, submission: Submission, today: datetime.date | None = None) -> list[Candidate]:
    """The agency's tpi_final evaluations of the year, each scored against both predicates.

    Queries do not grow with the number of candidates: one for the evaluations, one for all
    their TPI answers, one for their awards, two for pencanangan coverage, and three per
    rubric version in use.
    """
    evaluations = list(
        Evaluation.objects.filter(
            unit__agency_id=submission.agency_id,
            year=submission.year,
            status=Evaluation.Status.TPI_FINAL,
        )
        .select_related("unit", "rubric")
        .order_by("unit__name")
    )
    if not evaluations:
        return []
    answers: dict[int, dict] = defaultdict(dict)
    inputs: dict[int, dict] = defaultdict(dict)
    rows = Answer.objects.filter(evaluation__in=evaluations, level=Level.TPI).values_list(
        "evaluation_id", "question__code", "option__letter", "number", "inputs"
    )
    for evaluation_id, code, letter, number, answer_inputs in rows:
        if letter is not None:
            answers[evaluation_id][code] = letter
        elif number is not None:
            answers[evaluation_id][code] = number
        inputs[evaluation_id].update(answer_inputs or {})
    specs, thresholds = {}, {}
    today = today or timezone.localdate()
    awards = _awards_by_unit([e.unit_id for e in evaluations])
    covered = _covered_unit_ids(submission.agency_id, today)
    found = []
    for evaluation in evaluations:
        rubric = evaluation.rubric
        if rubric.pk not in specs:
            specs[rubric.pk] = evaluation_selectors.rubric_spec(rubric=rubric)
            thresholds[rubric.pk] = evaluation_selectors.threshold_rules(rubric=rubric)
        unit_awards = awards.get(evaluation.unit_id, [])
        held = set(rules.held_since(unit_awards, year=evaluation.year))
        breakdown = scoring.score(specs[rubric.pk], answers[evaluation.pk], inputs[evaluation.pk])
        result = scoring.predicate(breakdown, thresholds[rubric.pk], held)
        found.append(
            Candidate(
                evaluation=evaluation,
                tpi_total=breakdown.total,
                verdict=result.verdict or "",
                failing={
                    p: [services.rule_as_dict(r) for r in result.failing(p)]
                    for p in ("WBK", "WBBM")
                },
                refusals=(
                    []
                    if covered is True or evaluation.unit_id in covered
                    else [_("No pencanangan covers this unit: it cannot be proposed.")]
                )
                + rules.history_refusals(
                    predicate="WBK",
                    year=submission.year,
                    awards=unit_awards,
                    rubric=rubric,
                    today=today,
                ),
            )
        )
    return found


def submission_items(*, submission: Submission) -> list[SubmissionItem]:
    """The proposed units with their stages and award (two queries)."""
    standing = NationalStage.objects.filter(is_withdrawn=False).exclude(outcome="pending")
    items = list(
        submission.items.select_related("evaluation__unit", "award")
        .prefetch_related(Prefetch("stages", queryset=standing.order_by("date", "pk")))
        .order_by("evaluation__unit__name")
    )
    for item in items:
        stages = item.stages.all()
        item.last_stage = stages[len(stages) - 1] if stages else None
    return items


def item_detail(*, item: SubmissionItem, today: datetime.date | None = None) -> dict:
    """What the proposed unit's page shows besides the item: every stage (withdrawn ones
    marked), the stage to decide next, objections, the TPN score and the award."""
    stages = list(
        item.stages.select_related("entered_by", "findings_by", "withdrawn_by").order_by(
            "date", "pk"
        )
    )
    standing = {stage.stage: stage for stage in stages if not stage.is_withdrawn}
    decided = [stage for stage in stages if not stage.is_withdrawn and stage.is_decided]
    admin = standing.get("admin_selection")
    last = max(decided, key=lambda s: workflow.NATIONAL_STAGES.index(s.stage), default=None)
    reinstated = (
        last is not None
        and last.stage == "objection"
        and admin is not None
        and admin.outcome == NationalStage.Outcome.FAILED
    )
    objections = list(
        Objection.objects.filter(stage__item=item)
        .select_related("filed_by", "decided_by")
        .prefetch_related("attachments")
        .order_by("-filed_at", "-pk")
    )
    return {
        "stages": stages,
        "next_stage": services.next_stage(standing),
        # Only the last outcome recorded may be withdrawn, unless it records an accepted
        # objection.
        "last_stage": last if last is not None and not reinstated else None,
        "findings_stage": services.FINDINGS_STAGE.get(item.evaluation.status),
        "objections": objections,
        "objection_refusal": services.objection_refusal(item=item, stages=standing, today=today),
        # Only a failed administrative selection opens an objection period.
        "objection_closes_on": (
            services.objection_closes_on(admin)
            if admin is not None and admin.outcome == NationalStage.Outcome.FAILED
            else None
        ),
        "tpn_score": EvaluationScore.objects.filter(
            evaluation_id=item.evaluation_id, level=Level.TPN
        ).first(),
        "award": Award.objects.filter(submission_item=item).select_related("announcement").first(),
    }


def open_announcements(*, year: int) -> QuerySet[Announcement]:
    """The year's announcements that awards may still be added to (unpublished)."""
    return Announcement.objects.filter(year=year, published_at__isnull=True).order_by(
        "decree_date", "pk"
    )


# --- The national track, the windows and the announcements (KemenPANRB's pages) -----------------

TRACK_PAGE_SIZE = 50


def national_track(*, user, year=None, status="", page_number=1) -> Page:
    """One page of the proposed units the user works on, of every agency, by stage and name.

    National evaluators see the units on the national track; national administrators also see
    the ended ones (results, awards).
    """
    rows = access.submission_items_for(user).select_related(
        "submission__agency", "evaluation__unit", "award"
    )
    if year:
        rows = rows.filter(submission__year=year)
    if status:
        rows = rows.filter(evaluation__status=status)
    elif not access.is_national_admin(user):
        rows = rows.filter(evaluation__status__in=access.national_track_statuses())
    rows = rows.order_by("-submission__year", "submission__agency__name", "evaluation__unit__name")
    return Paginator(rows, TRACK_PAGE_SIZE).get_page(page_number)


def windows() -> list[ProposalWindow]:
    return list(ProposalWindow.objects.order_by("-year"))


def announcements() -> list[Announcement]:
    """Every announcement, newest first, with its number of awards (one query)."""
    return list(
        Announcement.objects.annotate(award_count=Count("awards")).order_by(
            "-year", "-decree_date", "-pk"
        )
    )


def announcement_detail(*, announcement: Announcement) -> dict:
    """The announcement's awards, and the year's results still without an award."""
    return {
        "awards": list(
            announcement.awards.select_related("unit__agency").order_by(
                "unit__agency__name", "unit__name"
            )
        ),
        "results": list(results_without_award(year=announcement.year)),
    }


def results_without_award(*, year: int) -> QuerySet[SubmissionItem]:
    """The year's proposed units awarded WBK or WBBM whose award is not created yet."""
    return (
        SubmissionItem.objects.filter(
            submission__year=year,
            result__in=[NationalResult.WBK, NationalResult.WBBM],
            award__isnull=True,
        )
        .select_related("submission__agency", "evaluation__unit")
        .order_by("submission__agency__name", "evaluation__unit__name")
    )


# --- Predicates held ----------------------------------------------------------------------------


def predicates_held(*, unit_id: int, year: int) -> set[str]:
    """Return the predicates the unit held before `year` (rules.held_since, one query).

    Evaluations asks through evaluations.selectors.predicates_held, which this answers
    (registered in AwardsConfig.ready).
    """
    awards = Award.objects.filter(unit_id=unit_id, year__lt=year).only(
        "predicate", "year", "revoked_on"
    )
    # Plain strings, whichever side of the rule named them (a cache key depends on it).
    return {str(predicate) for predicate in rules.held_since(awards, year=year)}


def predicates_held_for(*, evaluations) -> dict[int, set[str]]:
    """Return evaluation pk → the predicates its unit held before its year (one query)."""
    by_unit: dict[int, list] = {}
    found = Award.objects.filter(unit_id__in={e.unit_id for e in evaluations}).only(
        "unit_id", "predicate", "year", "revoked_on"
    )
    for award in found:
        by_unit.setdefault(award.unit_id, []).append(award)
    return {
        e.pk: {str(p) for p in rules.held_since(by_unit.get(e.unit_id, []), year=e.year)}
        for e in evaluations
    }
