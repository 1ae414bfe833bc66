"""Reads behind the proposal pages: one function per page, each with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.rubric import scoring
from zi_portal import access

from . import selectors, submissions
from .models import (
    Answer,
    Evaluation,
    EvaluationScore,
    Level,
    NationalStage,
    ProposalWindow,
    Submission,
    SubmissionItem,
)

PAGE_SIZE = 50


def submission_list(*, user, page_number=1) -> Page:
    """One page of the submissions the user may see, with their number of proposed units."""
    rows = (
        access.submissions_for(user)
        .select_related("agency")
        .annotate(item_count=Count("items"))
        .order_by("-year", "agency__name")
    )
    return Paginator(rows, PAGE_SIZE).get_page(page_number)


@dataclass
class WindowInfo:
    window: ProposalWindow
    days_left: int
    refusal: str | None


def window_info(*, submission: Submission, today: datetime.date | None = None) -> WindowInfo:
    today = today or timezone.localdate()
    window = submissions.proposal_window(year=submission.year)
    return WindowInfo(
        window=window,
        days_left=max(0, (window.closes_on - today).days),
        refusal=submissions.window_refusal(submission=submission, today=today),
    )


@dataclass
class Candidate:
    evaluation: Evaluation
    tpi_total: object
    verdict: str
    failing: dict = field(default_factory=dict)  # predicate → list of failing rule dicts
    refusals: list = field(default_factory=list)  # award-history reasons, whatever the score


def _awards_by_unit(unit_ids) -> dict:
    from awards.models import Award

    found = defaultdict(list)
    for award in Award.objects.filter(unit_id__in=unit_ids).only(
        "unit_id", "predicate", "year", "revoked_on"
    ):
        found[award.unit_id].append(award)
    return found


def _covered_unit_ids(agency_id: int, on_date: datetime.date):
    """Return True when a pencanangan covers the whole agency, else the covered unit ids."""
    from units.models import Pencanangan

    signed = Pencanangan.objects.filter(agency_id=agency_id, date__lte=on_date)
    if signed.filter(covers_whole_agency=True).exists():
        return True
    return set(signed.values_list("units", flat=True)) - {None}


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
    specs, rules = {}, {}
    awards = _awards_by_unit([e.unit_id for e in evaluations])
    covered = _covered_unit_ids(submission.agency_id, today or timezone.localdate())
    found = []
    for evaluation in evaluations:
        rubric = evaluation.rubric
        if rubric.pk not in specs:
            specs[rubric.pk] = selectors.rubric_spec(rubric=rubric)
            rules[rubric.pk] = selectors.threshold_rules(rubric=rubric)
        unit_awards = awards.get(evaluation.unit_id, [])
        held = set()
        for award in unit_awards:
            if not award.revoked_on and award.year < evaluation.year:
                held |= {"WBK", award.predicate}
        breakdown = scoring.score(specs[rubric.pk], answers[evaluation.pk], inputs[evaluation.pk])
        result = scoring.predicate(breakdown, rules[rubric.pk], held)
        found.append(
            Candidate(
                evaluation=evaluation,
                tpi_total=breakdown.total,
                verdict=result.verdict or "",
                failing={
                    p: [submissions.rule_as_dict(r) for r in result.failing(p)]
                    for p in ("WBK", "WBBM")
                },
                refusals=(
                    []
                    if covered is True or evaluation.unit_id in covered
                    else [_("No pencanangan covers this unit: it cannot be proposed.")]
                )
                + submissions.history_refusals(
                    predicate="WBK", year=submission.year, awards=unit_awards, today=today
                ),
            )
        )
    return found


def submission_items(*, submission: Submission) -> list[SubmissionItem]:
    """The proposed units with their stages and award (two queries)."""
    items = list(
        submission.items.select_related("evaluation__unit", "award")
        .prefetch_related(Prefetch("stages", queryset=NationalStage.objects.order_by("date", "pk")))
        .order_by("evaluation__unit__name")
    )
    for item in items:
        stages = item.stages.all()
        item.last_stage = stages[len(stages) - 1] if stages else None
    return items


def item_detail(*, item: SubmissionItem) -> dict:
    """What the proposed unit's page shows besides the item: stages, TPN score, award."""
    from awards.models import Award

    return {
        "stages": list(item.stages.select_related("entered_by").order_by("date", "pk")),
        "tpn_score": EvaluationScore.objects.filter(
            evaluation_id=item.evaluation_id, level=Level.TPN
        ).first(),
        "award": Award.objects.filter(submission_item=item).first(),
    }
