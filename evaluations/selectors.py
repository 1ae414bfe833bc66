"""Reads for the evaluations app: one function per use, each with its own queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from . import rubric_files, scoring
from .models import (
    Answer,
    Criterion,
    Evaluation,
    Evidence,
    EvidenceRevision,
    Option,
    RubricVersion,
    Threshold,
)


def rubric_active() -> RubricVersion | None:
    """Return the rubric version new evaluations use."""
    return RubricVersion.objects.filter(is_active=True).first()


def rubric_spec(*, rubric: RubricVersion) -> scoring.RubricSpec:
    """Build the scoring spec of a rubric version from the database (two queries)."""
    criteria = list(
        Criterion.objects.filter(rubric=rubric)
        .order_by("position")
        .values(
            "code",
            "parent__code",
            "kind",
            "order",
            "weight",
            "answer_type",
            "formula",
            "excel_formula",
            "label_id",
            "label_en",
        )
    )
    for row in criteria:
        row["parent"] = row.pop("parent__code") or ""
    options = list(
        Option.objects.filter(question__rubric=rubric).values(
            "letter", "value", "order", "question__code"
        )
    )
    for row in options:
        row["question"] = row.pop("question__code")
    return rubric_files.spec_from_rows(rubric.code, criteria, options)


def threshold_rules(*, rubric: RubricVersion) -> list[scoring.ThresholdRule]:
    """Return a rubric version's predicate rules, lower predicates first."""
    rows = Threshold.objects.filter(rubric=rubric).values(
        "predicate", "rule", "kind", "target", "minimum", "order", "label_id", "label_en"
    )
    return rubric_files.threshold_rules(rows)


def evaluation_scoring_input(
    *, evaluation: Evaluation, level: str
) -> tuple[dict[str, object], dict[str, str]]:
    """Return one level's answers and numeric inputs, shaped for `scoring.score` (one query)."""
    answers: dict[str, object] = {}
    inputs: dict[str, str] = {}
    rows = Answer.objects.filter(evaluation=evaluation, level=level).values_list(
        "question__code", "option__letter", "number", "inputs"
    )
    for code, letter, number, answer_inputs in rows:
        if letter is not None:
            answers[code] = letter
        elif number is not None:
            answers[code] = number
        inputs.update(answer_inputs or {})
    return answers, inputs


def predicates_held(*, unit_id: int, year: int) -> set[str]:
    """Return the predicates a unit holds from earlier years' evaluations.

    An awarded evaluation whose award was later revoked has status `revoked`, so it no longer
    counts. The awards app will become the source of this history.
    """
    held: set[str] = set()
    statuses = Evaluation.objects.filter(
        unit_id=unit_id,
        year__lt=year,
        status__in=[Evaluation.Status.AWARDED_WBK, Evaluation.Status.AWARDED_WBBM],
    ).values_list("status", flat=True)
    for status in statuses:
        held.add("WBK")
        if status == Evaluation.Status.AWARDED_WBBM:
            held.add("WBBM")
    return held


def evaluation_for_unit_year(*, unit_code: str, year: int) -> Evaluation | None:
    """Return the evaluation of the unit with that code in that year, if any."""
    return (
        Evaluation.objects.select_related("unit", "rubric")
        .filter(unit__code=unit_code, year=year)
        .first()
    )


# --- Evidence ---------------------------------------------------------------------------------


def evaluation_question(*, evaluation: Evaluation, code: str) -> Criterion | None:
    """Return the question with that code in the evaluation's rubric, if there is one."""
    return Criterion.objects.filter(
        rubric_id=evaluation.rubric_id, kind=Criterion.Kind.QUESTION, code=code
    ).first()


def evidence_panel(*, evaluation: Evaluation, question: Criterion) -> list[Evidence]:
    """Return a question's current evidence with every file revision (two queries)."""
    revisions = EvidenceRevision.objects.select_related("uploaded_by").order_by("-number")
    return list(
        Evidence.objects.filter(evaluation=evaluation, question=question, is_removed=False)
        .select_related("uploaded_by")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .order_by("created_at", "pk")
    )


def evidence_counts(*, evaluation: Evaluation) -> dict[str, int]:
    """Return question code → number of current evidence items (one query).

    Questions without evidence are absent, so `counts.get(code, 0)` serves the LKE page's
    "only without evidence" filter.
    """
    rows = (
        Evidence.objects.filter(evaluation=evaluation, is_removed=False)
        .values("question__code")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("question__code", "count")
    )
    return dict(rows)
