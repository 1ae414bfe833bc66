"""Reads for the evaluations app: one function per use, each with its own queries."""

from __future__ import annotations

from . import rubric_files, scoring
from .models import Answer, Criterion, Evaluation, Option, RubricVersion, Threshold


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
    """Return the predicates a unit holds from earlier years' awards.

    A revoked award no longer counts; a WBBM holder also counts as holding WBK.
    """
    from awards.models import Award

    held: set[str] = set()
    predicates = Award.objects.filter(
        unit_id=unit_id, year__lt=year, revoked_on__isnull=True
    ).values_list("predicate", flat=True)
    for predicate in predicates:
        held.add("WBK")
        held.add(predicate)
    return held


def evaluation_for_unit_year(*, unit_code: str, year: int) -> Evaluation | None:
    """Return the evaluation of the unit with that code in that year, if any."""
    return (
        Evaluation.objects.select_related("unit", "rubric")
        .filter(unit__code=unit_code, year=year)
        .first()
    )
