"""Everything the LKE page shows, read with a fixed number of queries.

One function, `lke_page`, loads the rubric, the answers of every level and the thresholds, scores
each level in memory with `scoring`, and returns plain objects the templates render without
further queries. `answer_fragment` builds the one row and the sidebar that an answer's save sends
back, from the score the save computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.rubric import scoring
from evaluations.rubric import snapshot as rubric_snapshot
from zi_portal import access

from . import selectors, workflow
from .models import Answer, Criterion, Evaluation, Level, Option

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

    @property
    def conflict_author(self) -> str:
        """Who saved the conflicting answer; empty when unknown (an account since deleted)."""
        author = self.conflict.updated_by if self.conflict else None
        return (author.get_full_name() or author.username) if author else ""


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
    save_url: str = ""

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
    evidence_url: str = ""

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
    question_count: int = 0
    answered_count: int = 0  # at the level the page focuses on

    @property
    def code(self) -> str:
        return self.criterion.code

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


@dataclass
class LkePage:
    evaluation: Evaluation
    groups: list[Group]  # every block, for the navigation; only shown ones carry rows
    shown_groups: list[Group]
    selected: str  # the one area shown, if the page shows one
    sidebar: Sidebar
    focus_level: str
    filter: str
    area: str  # "all" when every area is shown
    question_count: int
    shown_count: int

    def row(self, code):
        for group in self.groups:
            for row in group.question_rows:
                if row.criterion.code == code:
                    return row
        return None


def default_level(editable: set) -> str:
    """Return the level a user looks at first: the one they answer, else the TPI's."""
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


ALL_AREAS = "all"


def lke_page(
    *,
    user,
    evaluation: Evaluation,
    focus_level: str | None = None,
    filter: str = "",
    area: str = "",
    question: str = "",
    row_states: dict | None = None,
    evidence_counts: dict | None = None,
    held: set | None = None,
) -> LkePage:
    """Build the LKE page of an evaluation the user may see (access checked by the caller).

    The page shows one area's questions at a time (`area`, default the first; "all" for every
    area), the area holding `question` when one is named, or every area's matching questions
    under a filter. Every area's scores are still computed, for the navigation and the sidebar.
    """
    row_states = row_states or {}
    editable = access.editable_levels(user, evaluation)
    focus_level = focus_level if focus_level in LEVELS else default_level(editable)
    rubric = rubric_snapshot.rubric_snapshot(evaluation.rubric)
    answers = _answers(evaluation)
    if held is None:
        held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    if evidence_counts is None:
        evidence_counts = {}

    answers_by_level = _by_level(answers, rubric, access.can_review(user, evaluation))
    breakdowns = {
        level: scoring.score(rubric.spec, *_scoring_input(answers_by_level[level]))
        for level in LEVELS
    }

    groups = _groups(rubric, breakdowns, focus_level)
    if filter or area == ALL_AREAS:
        shown = groups
    else:
        wanted = question or area
        shown = [
            next(
                (g for g in groups if wanted == g.code or wanted.startswith(g.code + ".")),
                groups[0],
            )
        ]
    rows = RowBuilder(
        editable=editable,
        evaluation=evaluation,
        rubric=rubric,
        answers_by_level=answers_by_level,
        results={level: breakdown.questions for level, breakdown in breakdowns.items()},
        breakdowns=breakdowns,
        row_states=row_states,
        evidence_counts=evidence_counts,
    )
    for group in shown:
        group.rows = rows.group_rows(group, filter, breakdowns[focus_level])
    if filter:
        shown = [g for g in shown if g.question_rows]

    focus = breakdowns[focus_level]
    sidebar = _sidebar(rubric, focus, scoring.predicate(focus, rubric.rules, held), focus_level)
    return LkePage(
        evaluation=evaluation,
        groups=groups,
        shown_groups=shown,
        selected=shown[0].code if len(shown) == 1 and not filter else "",
        sidebar=sidebar,
        focus_level=focus_level,
        filter=filter,
        area=area if area == ALL_AREAS else "",
        question_count=sum(g.question_count for g in groups),
        shown_count=sum(len(g.question_rows) for g in shown),
    )


def _answers(evaluation: Evaluation):
    """Return the evaluation's answers with the columns the page shows."""
    return Answer.objects.filter(evaluation=evaluation).only(
        "pk",
        "question_id",
        "level",
        "option_id",
        "number",
        "inputs",
        "note",
        "note_to_unit",
        "version",
    )


def _by_level(answers, rubric, internal_notes: bool) -> dict[str, dict[str, Answer]]:
    """Return level → question code → answer, each answer joined to the rubric snapshot's own
    question and option (no second copy of each per answer)."""
    answers_by_level: dict[str, dict[str, Answer]] = {level: {} for level in LEVELS}
    for answer in answers:
        answer.question = rubric.by_id[answer.question_id]
        if answer.level == Level.TPI and not internal_notes:
            answer.note = ""  # the TPI's internal note; the unit reads its note to the unit
        if answer.option_id:
            answer.option = rubric.options_by_id[answer.option_id]
        answers_by_level[answer.level][answer.question.code] = answer
    return answers_by_level


def _scoring_input(answers: dict[str, Answer]) -> tuple[dict, dict]:
    """Return one level's answers (from `_by_level`) shaped for `scoring.score`."""
    plain: dict = {}
    inputs: dict = {}
    for code, answer in answers.items():
        letter = answer.option.letter if answer.option_id else None
        selectors.add_scoring_row(plain, inputs, (code, letter, answer.number, answer.inputs))
    return plain, inputs


@dataclass
class AnswerFragment:
    """What the LKE page swaps in after an answer is saved: its row and the level's sidebar."""

    row: QuestionRow
    sidebar: Sidebar


def answer_fragment(
    *,
    user,
    evaluation: Evaluation,
    code: str,
    level: str,
    row_state: RowState,
    saved=None,
) -> AnswerFragment | None:
    """Return the row of question `code` and the sidebar of `level` after a save of that answer
    (access checked by the caller); None when `code` is no question of the rubric.

    `saved` is what services.answers_save returned: the level's score it stored is shown as it
    is, not computed again. Without it (a refused save) the level is scored from its stored
    answers. The other levels' cells need only this question's value, scored alone.
    """
    rubric = rubric_snapshot.rubric_snapshot(evaluation.rubric)
    question = rubric.by_code.get(code)
    if question is None or question.kind != Criterion.Kind.QUESTION:
        return None
    wanted = Q(question_id=question.pk)
    if saved is None:
        wanted |= Q(level=level)
    answers_by_level = _by_level(
        _answers(evaluation).filter(wanted), rubric, access.can_review(user, evaluation)
    )
    if saved is not None:
        breakdown, result = saved.breakdown, saved.result
    else:
        breakdown = scoring.score(rubric.spec, *_scoring_input(answers_by_level[level]))
        held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
        result = scoring.predicate(breakdown, rubric.rules, held)
    results = {level: breakdown.questions}
    for other in LEVELS:
        if other != level:
            plain, inputs = _scoring_input(answers_by_level[other])  # this question's only
            value = scoring.question_result(rubric.spec, code, plain.get(code), inputs)
            results[other] = {code: value}
    rows = RowBuilder(
        editable=access.editable_levels(user, evaluation),
        evaluation=evaluation,
        rubric=rubric,
        answers_by_level=answers_by_level,
        results=results,
        row_states={(code, level): row_state},
        evidence_counts=selectors.evidence_counts(evaluation=evaluation, question=question),
    )
    return AnswerFragment(
        row=rows.question_row(question), sidebar=_sidebar(rubric, breakdown, result, level)
    )


def _groups(rubric, breakdowns, focus_level) -> list[Group]:
    """Return the page's blocks in rubric order, with their scores and question counts, no rows."""
    groups: list[Group] = []
    half = None
    focus = breakdowns[focus_level].questions
    for c in rubric.criteria:
        if c.kind == Criterion.Kind.SUBCOMPONENT:
            kids = rubric.children.get(c.pk, [])
            has_areas = any(k.kind == Criterion.Kind.AREA for k in kids)
            half = c if has_areas else None
            if not has_areas:
                groups.append(Group(c, None, _scores(c.code, breakdowns)))
        elif c.kind == Criterion.Kind.AREA:
            groups.append(Group(c, half, _scores(c.code, breakdowns)))
        elif c.kind == Criterion.Kind.QUESTION:
            group = groups[-1]
            group.question_count += 1
            if focus[c.code].state == scoring.ANSWERED:
                group.answered_count += 1
    return groups


class RowBuilder:
    """Builds the question rows of the groups a page shows (and only those)."""

    def __init__(
        self,
        *,
        editable: set,
        evaluation,
        rubric,
        answers_by_level,
        results,
        row_states,
        evidence_counts,
        breakdowns=None,
    ):
        self.rubric = rubric
        self.answers_by_level = answers_by_level
        self.results = results  # level → question code → QuestionResult
        self.breakdowns = breakdowns  # level → Breakdown, for sub-area headers
        self.row_states = row_states
        self.evidence_counts = evidence_counts
        self.editable = editable
        self.locks = {level: workflow.level_lock_reason(evaluation, level) for level in LEVELS}
        self.level_labels = dict(Level.choices)
        # Reversed once and filled in per row: a {% url %} per cell was a fifth of the page.
        self.save_url = reverse(
            "evaluations:answer_save", args=[evaluation.pk, "CODE", "LEVEL"]
        ).replace("CODE/LEVEL/", "{code}/{level}/")
        self.evidence_url = reverse("evaluations:evidence", args=[evaluation.pk, "CODE"]).replace(
            "CODE/", "{code}/"
        )

    def group_rows(self, group: Group, filter: str, focus: scoring.Breakdown) -> list:
        rows: list = []
        prefix = group.code + "."
        for c in self.rubric.criteria:
            if not c.code.startswith(prefix):
                continue
            if c.kind == Criterion.Kind.SUB_AREA:
                rows.append(HeaderRow(c, _scores(c.code, self.breakdowns)))
            elif c.kind == Criterion.Kind.QUESTION:
                row = self.question_row(c)
                if _shown(row, filter, focus):
                    rows.append(row)
        if filter:
            # Drop sub-area headers left with no question under the filter.
            shown = [r.criterion.code for r in rows if r.kind == "question"]
            rows = [
                r
                for r in rows
                if r.kind == "question"
                or any(code.startswith(r.criterion.code + ".") for code in shown)
            ]
        return rows

    def question_row(self, c: Criterion) -> QuestionRow:
        input_criteria = [
            k for k in self.rubric.children.get(c.pk, []) if k.kind == Criterion.Kind.INPUT
        ]
        cells = []
        for level in LEVELS:
            answer = self.answers_by_level[level].get(c.code)
            result = self.results[level].get(c.code)
            state = self.row_states.get((c.code, level))
            cells.append(
                Cell(
                    level=level,
                    label=self.level_labels[level],
                    answer=answer,
                    value=result.value if result else None,
                    state=result.state if result else scoring.UNANSWERED,
                    display=_display(c, answer, result),
                    editable=level in self.editable and self.locks[level] is None,
                    lock_reason=self.locks[level] if level in self.editable else None,
                    row_state=state,
                    form=_form_values(answer, input_criteria, state),
                    save_url=self.save_url.format(code=c.code, level=level),
                )
            )
        self_value = self.results[Level.SELF][c.code].value
        tpi_value = self.results[Level.TPI][c.code].value
        coefficient = self.rubric.spec.coefficients[c.code]
        difference = None
        if self_value is not None and tpi_value is not None:
            difference = (tpi_value - self_value) * coefficient
        inputs = []
        for k in input_criteria:
            values = {}
            for level in LEVELS:
                answer = self.answers_by_level[level].get(c.code)
                values[level] = (answer.inputs or {}).get(k.code, "") if answer else ""
            inputs.append(InputRow(k, values))
        return QuestionRow(
            criterion=c,
            options=self.rubric.options_by_question.get(c.pk, []),
            inputs=inputs,
            cells=cells,
            coefficient=coefficient,
            evidence_count=self.evidence_counts.get(c.code, 0),
            difference=difference,
            evidence_url=self.evidence_url.format(code=c.code),
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


def _sidebar(rubric, breakdown, result, level) -> Sidebar:
    rules = rubric.rules
    labels = {c.code: c.label for c in rubric.criteria}
    spec = rubric.spec
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
        gains=[(g, labels.get(g.code, ""), _question_link(g.code, level)) for g in top],
        failing=result.failing(target) if target else [],
    )


def question_url(evaluation: Evaluation, code: str, level: str) -> str:
    """Return the LKE page's address that shows a question of a level, scrolled to its row."""
    url = reverse("evaluations:detail", args=[evaluation.pk])
    return f"{url}?question={code}&level={level}#q-{code.replace('.', '-')}"


def _question_link(code: str, level: str) -> str:
    """Return the query string and anchor that open the area holding a question at its row."""
    return f"?question={code}&level={level}#q-{code.replace('.', '-')}"


def _next_predicate(result, rules):
    ranked = []
    for rule in rules:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
    if result.verdict is None:
        return ranked[0] if ranked else None
    index = ranked.index(result.verdict)
    return ranked[index + 1] if index + 1 < len(ranked) else None
