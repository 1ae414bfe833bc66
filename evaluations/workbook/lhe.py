"""The printable evaluation report (LHE): what it shows, read with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from evaluations import selectors
from evaluations.models import Answer, Evaluation, Level
from evaluations.rubric import scoring


@dataclass
class AreaLine:
    key: str
    label: str
    pemenuhan: Fraction
    reform: Fraction
    total: Fraction
    weight: Fraction
    share: Fraction  # percent of the weight
    lines: dict  # predicate → points the area needs
    notes: list  # (code, note) of the TPI in this area


@dataclass
class LheReport:
    evaluation: Evaluation
    level: str
    breakdown: scoring.Breakdown
    result: scoring.PredicateResult
    areas: list[AreaLine]
    components: list  # (code, label, score, weight)
    rules: list  # RuleResult with a label
    gains: list  # (Gain, label)
    labels: dict


def lhe_report(
    *, evaluation: Evaluation, level: str = Level.TPI, internal_notes: bool = True
) -> LheReport:
    """Return the LHE of an evaluation the caller may see: the TPI's scores, verdict and notes.

    Without `internal_notes` (a reader from the unit) only the TPI's notes to the unit are shown.
    """
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
    breakdown = scoring.score(spec, answers, inputs)
    rules = selectors.threshold_rules(rubric=evaluation.rubric)
    result = scoring.predicate(
        breakdown,
        rules,
        selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year),
    )
    labels = {code: c.label_id for code, c in spec.criteria.items()}
    notes: dict[str, list] = {}
    rows = (
        Answer.objects.filter(evaluation=evaluation, level=level)
        .exclude(note="", note_to_unit="")
        .order_by("question__position")
        .values_list("question__code", "note", "note_to_unit")
    )
    for code, note, to_unit in rows:
        text = " ".join(t for t in (note if internal_notes else "", to_unit) if t)
        if text:
            notes.setdefault(_area_key(spec, code), []).append((code, text))
    shares = {
        rule.predicate: rule.minimum for rule in rules if rule.kind == scoring.RULE_AREA_SHARE
    }
    areas = [
        AreaLine(
            key=key,
            label=labels[area.pemenuhan_code],
            pemenuhan=area.pemenuhan,
            reform=area.reform,
            total=area.total,
            weight=area.weight,
            share=area.share * 100,
            lines={p: share * area.weight for p, share in shares.items()},
            notes=notes.get(key, []),
        )
        for key, area in breakdown.areas.items()
    ]
    components = [
        (code, labels[code], breakdown.scores[code], spec.criteria[code].weight)
        for code in [spec.pengungkit, *spec.halves, spec.hasil, *spec.children[spec.hasil]]
    ]
    return LheReport(
        evaluation=evaluation,
        level=level,
        breakdown=breakdown,
        result=result,
        areas=areas,
        components=components,
        rules=list(result.rules),
        gains=[(g, labels.get(g.code, "")) for g in scoring.gains(breakdown, limit=10)],
        labels=labels,
    )


def _area_key(spec: scoring.RubricSpec, code: str) -> str:
    """Return the area number a question belongs to ("1" … "6"), or its hasil group."""
    for key, (pemenuhan, reform) in spec.area_pairs.items():
        if code.startswith(pemenuhan + ".") or code.startswith(reform + "."):
            return key
    return spec.hasil
