"""The printable evaluation report (LHE): what it shows, read with a fixed number of queries,
and the same report as a PDF, rendered once per content of the evaluation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

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
    *,
    evaluation: Evaluation,
    level: str = Level.TPI,
    internal_notes: bool = True,
    held: set[str] | None = None,
) -> LheReport:
    """Return the LHE of an evaluation the caller may see: the TPI's scores, verdict and notes.

    Without `internal_notes` (a reader from the unit) only the TPI's notes to the unit are shown.
    `held`: the predicates the unit held before the year, when the caller has read them.
    """
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
    breakdown = scoring.score(spec, answers, inputs)
    rules = selectors.threshold_rules(rubric=evaluation.rubric)
    if held is None:
        held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    result = scoring.predicate(breakdown, rules, held)
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


# --- The PDF ------------------------------------------------------------------------------------
# WeasyPrint takes a few hundred milliseconds a report, and the same LHE is downloaded again and
# again between changes (and once more for every bulk export of its agency). It is cached in
# Django's cache rather than stored as a file: the key names the content exactly, so an entry is
# never invalidated, only left to expire, and the cache's key prefix carries the release (a new
# template is never served from an old entry). A file per content version would need a purge.

PDF_TIMEOUT = 24 * 60 * 60


def pdf_key(*, evaluation: Evaluation, internal_notes: bool, held: set[str]) -> str:
    """Return the cache key of the LHE PDF of `evaluation` as a reader with these rights sees it.

    `content_version` moves with every answer (scores, notes) and status change. The rest of
    what the report shows is named here: the rubric's `updated_at` (any edit of its tree or
    thresholds), the predicates held (an award of an earlier year moves the verdict), the unit's
    and agency's names, the reader's notes and the language.
    """
    parts = [
        internal_notes,
        evaluation.status,
        evaluation.rubric_id,
        evaluation.rubric.updated_at.isoformat(),
        sorted(held),
        evaluation.unit.code,
        evaluation.unit.name,
        evaluation.unit.agency.name,
        translation.get_language(),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"lhe-pdf:{evaluation.pk}:{evaluation.content_version}:{digest}"


def lhe_pdf(*, evaluation: Evaluation, internal_notes: bool) -> bytes:
    """Return the LHE of an evaluation the caller may see as a PDF, in the active language.

    `evaluation` comes with its unit, agency and rubric (access.get_evaluation_or_404).
    """
    held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    key = pdf_key(evaluation=evaluation, internal_notes=internal_notes, held=held)
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML  # pango and its fonts load on first use only

        report = lhe_report(evaluation=evaluation, internal_notes=internal_notes, held=held)
        html = render_to_string(
            "evaluations/lhe.html", {"evaluation": evaluation, "report": report, "pdf": True}
        )
        pdf = HTML(string=html).write_pdf()
        cache.set(key, pdf, PDF_TIMEOUT)
    return pdf


def pdf_filename(evaluation: Evaluation) -> str:
    return f"LHE-{evaluation.unit.code}-{evaluation.year}.pdf"
