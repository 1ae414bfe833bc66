"""Everything the LKE page shows, read with a fixed number of queries.

One function, `lke_page`, loads the rubric, the answers of every level and the thresholds, scores
each level in memory with `scoring`, and returns plain objects the templates render without
further queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from zi_portal import access

from . import rubric_files, scoring, selectors, workflow
from .models import Answer, Criterion, Evaluation, Level, Option, Threshold

LEVELS = [Level.SELF, Level.TPI, Level.TPN]
FILTERS = {
    "unanswered": _("Only unanswered"),
    "differing": _("Only where self and TPI differ"),
    "no_evidence": _("Only without evidence"),
}


@dataclass
class RowState:
    """What one submitted answer left behind: typed values, errors, a conflict or a success."""

    typed: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    conflict: Answer | None = None
    saved: bool = False


@dataclass
class Cell:
    level: str
    label: str
    answer: Answer | None
    value: Fraction | None
    state: str
    display: str
    editable: bool
    lock_reason: str | None
    row_state: RowState | None = None

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

    @property
    def percent(self) -> float | None:
        return None if self.value is None else float(self.value * 100)

    form: dict = field(default_factory=dict)  # values the answer form shows


@dataclass
class InputRow:
    criterion: Criterion
    values: dict  # level → stored number (string) or ""


@dataclass
class QuestionRow:
    criterion: Criterion
    options: list[Option]
    inputs: list[InputRow]
    cells: list[Cell]
    coefficient: Fraction
    evidence_count: int
    difference: Fraction | None  # points TPI's answer costs against the unit's own

    @property
    def kind(self) -> str:
        return "question"

    @property
    def differs(self) -> bool:
        return self.difference is not None and self.difference != 0

    @property
    def anchor(self) -> str:
        return "q-" + self.criterion.code.replace(".", "-")

    def cell(self, level):
        return next(c for c in self.cells if c.level == level)


@dataclass
class HeaderRow:
    criterion: Criterion
    scores: dict  # level → points

    @property
    def kind(self) -> str:
        return "header"


@dataclass
class Group:
    """One collapsible block of the page: an area of Pemenuhan or Reform, or a Hasil group."""

    criterion: Criterion
    half: Criterion | None
    scores: dict
    rows: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "g-" + self.criterion.code.replace(".", "-")

    @property
    def question_rows(self):
        return [r for r in self.rows if r.kind == "question"]


@dataclass
class AreaBar:
    key: str
    label: str
    total: float
    weight: float
    share: float  # percent of the area's weight


@dataclass
class Sidebar:
    level: str
    level_label: str
    breakdown: scoring.Breakdown
    result: scoring.PredicateResult
    bars: list[AreaBar]
    lines: dict  # predicate → percent line for the area bars
    gains: list
    failing: list
    labels: dict  # code → label, for gains


@dataclass
class LkePage:
    evaluation: Evaluation
    groups: list[Group]
    sidebar: Sidebar
    focus_level: str
    editable_levels: set
    filter: str
    question_count: int
    shown_count: int
    transitions: list
    missing: dict  # level → unanswered codes

    def row(self, code):
        for group in self.groups:
            for row in group.question_rows:
                if row.criterion.code == code:
                    return row
        return None


def default_level(user, evaluation) -> str:
    """Return the level a user looks at first: the one they answer, else the TPI's."""
    editable = access.editable_levels(user, evaluation)
    for level in (Level.SELF, Level.TPI, Level.TPN):
        if level in editable:
            return level
    return Level.TPI


def _display(question: Criterion, answer: Answer | None, result) -> str:
    if answer is None or result is None:
        return "—"
    if answer.option_id:
        return answer.option.letter
    if result.state == scoring.NOT_COMPUTABLE:
        return str(_("not computable"))
    if answer.number is not None and question.answer_type == scoring.SURVEY:
        return f"{answer.number:.2f}"
    if result.value is None:
        return "—"
    return f"{float(result.value) * 100:.2f}%"


def lke_page(
    *,
    user,
    evaluation: Evaluation,
    focus_level: str | None = None,
    filter: str = "",
    row_states: dict | None = None,
    evidence_counts: dict | None = None,
) -> LkePage:
    """Build the LKE page of an evaluation the user may see (access checked by the caller)."""
    row_states = row_states or {}
    focus_level = focus_level if focus_level in LEVELS else default_level(user, evaluation)
    rubric = evaluation.rubric
    criteria = list(Criterion.objects.filter(rubric=rubric).order_by("position"))
    options = list(Option.objects.filter(question__rubric=rubric).order_by("question_id", "order"))
    answers = list(
        Answer.objects.filter(evaluation=evaluation).select_related("option", "question")
    )
    threshold_rows = list(
        Threshold.objects.filter(rubric=rubric).values(
            "predicate", "rule", "kind", "target", "minimum", "order", "label_id", "label_en"
        )
    )
    held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    if evidence_counts is None:
        evidence_counts = {}

    by_id = {c.pk: c for c in criteria}
    options_by_question: dict[int, list[Option]] = {}
    for option in options:
        options_by_question.setdefault(option.question_id, []).append(option)
    spec = rubric_files.spec_from_rows(
        rubric.code,
        [
            {
                "code": c.code,
                "parent": by_id[c.parent_id].code if c.parent_id else "",
                "kind": c.kind,
                "order": c.order,
                "weight": c.weight,
                "answer_type": c.answer_type,
                "formula": c.formula,
                "excel_formula": c.excel_formula,
                "label_id": c.label_id,
                "label_en": c.label_en,
            }
            for c in criteria
        ],
        [
            {
                "question": by_id[o.question_id].code,
                "letter": o.letter,
                "value": o.value,
                "order": o.order,
            }
            for o in options
        ],
    )
    rules = rubric_files.threshold_rules(threshold_rows)

    answers_by_level: dict[str, dict[str, Answer]] = {level: {} for level in LEVELS}
    for answer in answers:
        answers_by_level[answer.level][answer.question.code] = answer
    breakdowns = {}
    for level in LEVELS:
        plain, inputs = {}, {}
        for code, answer in answers_by_level[level].items():
            if answer.option_id:
                plain[code] = answer.option.letter
            elif answer.number is not None:
                plain[code] = answer.number
            inputs.update(answer.inputs or {})
        breakdowns[level] = scoring.score(spec, plain, inputs)

    editable = access.editable_levels(user, evaluation)
    locks = {level: workflow.level_lock_reason(evaluation, level) for level in LEVELS}
    level_labels = dict(Level.choices)

    groups: list[Group] = []
    current: Group | None = None
    half: Criterion | None = None
    children: dict[int, list[Criterion]] = {}
    for c in criteria:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    question_count = 0
    for c in criteria:
        if c.kind == Criterion.Kind.COMPONENT:
            continue
        if c.kind == Criterion.Kind.SUBCOMPONENT:
            has_areas = any(k.kind == Criterion.Kind.AREA for k in children.get(c.pk, []))
            half = c if has_areas else None
            if not has_areas:
                current = Group(c, None, _scores(c.code, breakdowns))
                groups.append(current)
            continue
        if c.kind == Criterion.Kind.AREA:
            current = Group(c, half, _scores(c.code, breakdowns))
            groups.append(current)
            continue
        if c.kind == Criterion.Kind.SUB_AREA:
            current.rows.append(HeaderRow(c, _scores(c.code, breakdowns)))
            continue
        if c.kind != Criterion.Kind.QUESTION:
            continue
        question_count += 1
        cells = []
        input_criteria = [k for k in children.get(c.pk, []) if k.kind == Criterion.Kind.INPUT]
        for level in LEVELS:
            answer = answers_by_level[level].get(c.code)
            result = breakdowns[level].questions.get(c.code)
            state = row_states.get((c.code, level))
            cells.append(
                Cell(
                    level=level,
                    label=level_labels[level],
                    answer=answer,
                    value=result.value if result else None,
                    state=result.state if result else scoring.UNANSWERED,
                    display=_display(c, answer, result),
                    editable=level in editable and locks[level] is None,
                    lock_reason=locks[level] if level in editable else None,
                    row_state=state,
                    form=_form_values(answer, input_criteria, state),
                )
            )
        self_value = breakdowns[Level.SELF].questions[c.code].value
        tpi_value = breakdowns[Level.TPI].questions[c.code].value
        coefficient = spec.coefficients[c.code]
        difference = None
        if self_value is not None and tpi_value is not None:
            difference = (tpi_value - self_value) * coefficient
        inputs = [
            InputRow(
                k,
                {
                    level: (answers_by_level[level].get(c.code).inputs or {}).get(k.code, "")
                    if answers_by_level[level].get(c.code)
                    else ""
                    for level in LEVELS
                },
            )
            for k in children.get(c.pk, [])
            if k.kind == Criterion.Kind.INPUT
        ]
        row = QuestionRow(
            criterion=c,
            options=options_by_question.get(c.pk, []),
            inputs=inputs,
            cells=cells,
            coefficient=coefficient,
            evidence_count=evidence_counts.get(c.code, 0),
            difference=difference,
        )
        if _shown(row, filter, breakdowns[focus_level]):
            current.rows.append(row)

    # Drop sub-area headers left with no question under the active filter.
    if filter:
        for group in groups:
            shown = [r.criterion.code for r in group.question_rows]
            group.rows = [
                r
                for r in group.rows
                if r.kind == "question"
                or any(code.startswith(r.criterion.code + ".") for code in shown)
            ]
    groups = [g for g in groups if not filter or g.question_rows]

    sidebar = _sidebar(spec, breakdowns[focus_level], rules, held, focus_level, criteria)
    return LkePage(
        evaluation=evaluation,
        groups=groups,
        sidebar=sidebar,
        focus_level=focus_level,
        editable_levels=editable,
        filter=filter,
        question_count=question_count,
        shown_count=sum(len(g.question_rows) for g in groups),
        transitions=workflow.available_transitions(user, evaluation),
        missing={
            level: [*breakdowns[level].unanswered, *breakdowns[level].not_computable]
            for level in LEVELS
        },
    )


def _form_values(answer, input_criteria, state) -> dict:
    """Return what the answer form shows: what was just typed, else what is stored."""
    stored_inputs = (answer.inputs or {}) if answer else {}
    values = {
        "letter": answer.option.letter if answer and answer.option_id else "",
        "number": ""
        if answer is None or answer.number is None
        else f"{answer.number.normalize():f}",
        "note": answer.note if answer else "",
        "note_to_unit": answer.note_to_unit if answer else "",
    }
    typed = state.typed if state else {}
    for key in values:
        if key in typed:
            values[key] = typed[key]
    values["inputs"] = [
        (k, typed.get(f"input:{k.code}", stored_inputs.get(k.code, ""))) for k in input_criteria
    ]
    return values


def _scores(code, breakdowns):
    return {level: breakdowns[level].scores.get(code, Fraction(0)) for level in LEVELS}


def _shown(row: QuestionRow, filter: str, focus: scoring.Breakdown) -> bool:
    if filter == "unanswered":
        return focus.questions[row.criterion.code].state != scoring.ANSWERED
    if filter == "differing":
        return row.differs
    if filter == "no_evidence":
        return row.evidence_count == 0
    return True


def _sidebar(spec, breakdown, rules, held, level, criteria) -> Sidebar:
    result = scoring.predicate(breakdown, rules, held)
    labels = {c.code: c.label for c in criteria}
    area_labels = {key: labels[pemenuhan] for key, (pemenuhan, _reform) in spec.area_pairs.items()}
    bars = [
        AreaBar(
            key=key,
            label=area_labels[key],
            total=float(area.total),
            weight=float(area.weight),
            share=float(area.share * 100),
        )
        for key, area in breakdown.areas.items()
    ]
    lines = {
        rule.predicate: float(rule.minimum * 100)
        for rule in rules
        if rule.kind == scoring.RULE_AREA_SHARE
    }
    top = scoring.gains(breakdown, limit=5)
    # Rules of the next predicate the unit does not reach yet are the ones worth showing.
    target = _next_predicate(result, rules)
    return Sidebar(
        level=level,
        level_label=dict(Level.choices)[level],
        breakdown=breakdown,
        result=result,
        bars=bars,
        lines=lines,
        gains=[(g, labels.get(g.code, ""), "q-" + g.code.replace(".", "-")) for g in top],
        failing=result.failing(target) if target else [],
        labels=labels,
    )


def _next_predicate(result, rules):
    ranked = []
    for rule in rules:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
    if result.verdict is None:
        return ranked[0] if ranked else None
    index = ranked.index(result.verdict)
    return ranked[index + 1] if index + 1 < len(ranked) else None
