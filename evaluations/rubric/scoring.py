"""Score an LKE (PermenPANRB 90/2021): pure functions over plain data, no Django.

The rubric (weights, options, formulas) and the thresholds come in as data, so this module knows
no number of its own; it only knows the regulation's structural rules: how a sub-area, an area and
the total are computed, and how each answer type turns into a value between 0 and 1.

Numbers are exact rationals (`fractions.Fraction`), not floats: option values such as 0.67, survey
indices such as 3.59 and weights such as 17.5 are decimals that a float cannot hold exactly, and a
threshold must be decided exactly at its boundary (74.99 fails, 75.00 passes; an IPAK index of
3.59 gives 15.7062…, 3.60 gives exactly 15.75). Fractions need no epsilon and are fast enough: a
full evaluation scores well under a millisecond. Callers convert to float or Decimal only for
display and storage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

COMPONENT = "component"
SUBCOMPONENT = "subcomponent"
AREA = "area"
SUB_AREA = "sub_area"
QUESTION = "question"
INPUT = "input"
KINDS = (COMPONENT, SUBCOMPONENT, AREA, SUB_AREA, QUESTION, INPUT)

OPTION_TYPES = frozenset({"yes_no", "abc", "abcd", "abcde", "grade"})
COMPUTED_TYPES = frozenset({"percent", "decrease"})
SURVEY = "survey"
QUESTION_TYPES = OPTION_TYPES | COMPUTED_TYPES | {SURVEY}
INPUT_TYPES = frozenset({"number"})

ANSWERED = "answered"
UNANSWERED = "unanswered"
NOT_COMPUTABLE = "not_computable"
INCOMPLETE = "incomplete"

# What a cell of the official workbook shows when it holds no number (Excel-compatible mode).
# AVERAGE and SUM skip the two texts; the two errors spread to every total above them.
EXCEL_DASH = "-"  # the formula's answer for a type it does not know
EXCEL_BLANK = "Blm Diisi"  # not filled in
EXCEL_DIV0 = "#DIV/0!"
EXCEL_VALUE = "#VALUE!"  # arithmetic on a text
EXCEL_ERRORS = frozenset({EXCEL_DIV0, EXCEL_VALUE})

RULE_SCORE = "score"
RULE_AREA_SHARE = "area_share"
RULE_PRIOR_PREDICATE = "prior_predicate"
RULE_KINDS = (RULE_SCORE, RULE_AREA_SHARE, RULE_PRIOR_PREDICATE)

ZERO = Fraction(0)
ONE = Fraction(1)

Number = int | float | Decimal | Fraction | str


# No answer or input of an LKE comes near these; a number beyond them is refused before any
# arithmetic, because an exact Fraction of 3E+2999999 is a three-million-digit integer.
MAX_DIGITS = 40
MAX_EXPONENT = 40


def to_fraction(value: Number) -> Fraction:
    """Return `value` as an exact Fraction; a float is read as the decimal it prints as.

    Raise ValueError for text that is no number, for NaN and infinities, and for a number with
    more than MAX_DIGITS digits or an exponent beyond MAX_EXPONENT (checked on its digits and
    exponent, without computing with it).
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("A boolean is not a number.")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise ValueError(f"{value} is too large.")
        return Fraction(value)
    if isinstance(value, float):
        # repr() is the shortest decimal that round-trips: 3.6 stays 3.6, not 3.60000000000000008.
        value = repr(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_DIGITS + 10:
            raise ValueError(f"{value[:20]!r}… is not a number.")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number.") from None
    if isinstance(value, Decimal):
        check_size(value)
        return Fraction(value)
    raise TypeError(f"{value!r} is not a number.")


def check_size(value: Decimal) -> None:
    """Raise ValueError unless `value` is finite with few enough digits and a small exponent.

    Reads only the digits and the exponent: safe on any Decimal, however large.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a number.")
    _sign, digits, exponent = value.as_tuple()
    if len(digits) > MAX_DIGITS or not -MAX_EXPONENT <= exponent <= MAX_EXPONENT:
        raise ValueError(f"{value} is too large or too precise.")


# --- Formulas ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][\w.]*)|(?P<num>\d+(?:\.\d+)?)|(?P<punct>[(),=]))")
# None: one argument or more. only, skip and requires are the official workbook's own formulas,
# used in Excel-compatible mode: only(question) on a sub-area, skip() and requires(inputs…) on a
# question (see RubricSpec.build).
_FORMULA_ARITY = {
    "ratio": 2,
    "decrease": 2,
    "survey": 0,
    "only": 1,
    "skip": 0,
    "requires": None,
}
EXCEL_FUNCTIONS = frozenset({"only", "skip", "requires"})


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula: a function applied to arguments that are each a sum of input codes."""

    function: str
    args: tuple[tuple[str, ...], ...] = ()
    params: Mapping[str, Fraction] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for arg in self.args for code in arg)


def parse_formula(text: str) -> Formula:
    """Parse `ratio(a, sum(b, c))`, `decrease(prev, cur)`, `survey(max=4)` or `only(code)`."""
    tokens = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"Cannot read formula {text!r} at position {pos}.")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    tokens += [("end", ""), ("end", "")]  # two, so that a one-token lookahead never overruns
    index = 0

    def take(kind, value=None):
        nonlocal index
        token_kind, token_value = tokens[index]
        if token_kind != kind or (value is not None and token_value != value):
            raise ValueError(f"Cannot read formula {text!r}: unexpected {token_value or 'end'!r}.")
        index += 1
        return token_value

    def call():
        name = take("name")
        take("punct", "(")
        items = []
        while tokens[index] != ("punct", ")"):
            if tokens[index][0] == "end":
                raise ValueError(f"Cannot read formula {text!r}: a parenthesis is not closed.")
            items.append(item())
            if tokens[index] == ("punct", ","):
                take("punct", ",")
        take("punct", ")")
        return name, items

    def item():
        if tokens[index + 1] == ("punct", "("):
            name, items = call()
            if name != "sum" or not all(isinstance(i, str) for i in items):
                raise ValueError(f"Cannot read formula {text!r}: only sum(...) may be nested.")
            return tuple(items)
        if tokens[index + 1] == ("punct", "="):
            key = take("name")
            take("punct", "=")
            return (key, Fraction(take("num")))
        return take("name")

    name, items = call()
    take("end")
    if name not in _FORMULA_ARITY:
        raise ValueError(f"Unknown formula function {name!r} in {text!r}.")
    args = tuple((i,) if isinstance(i, str) else i for i in items if not _is_param(i))
    params = dict(i for i in items if _is_param(i))
    arity = _FORMULA_ARITY[name]
    if (arity is None and not args) or (arity is not None and len(args) != arity):
        raise ValueError(f"{name}() takes {arity or 'one or more'} argument(s) in {text!r}.")
    if name == "survey" and not params.get("max"):
        raise ValueError(f"survey() needs a positive max=… in {text!r}.")
    return Formula(name, args, params)


def _is_param(item) -> bool:
    return isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Fraction)


# --- The rubric -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One node of the rubric tree, as plain data."""

    code: str
    kind: str
    parent: str | None
    order: int
    weight: Fraction | None = None
    answer_type: str = ""
    formula: Formula | None = None
    label_id: str = ""
    label_en: str = ""
    # Letter → value, in display order (A before B …).
    options: Mapping[str, Fraction] = field(default_factory=dict)
    # The official workbook's own formula where it departs from the regulation (Excel mode only).
    excel_formula: Formula | None = None


@dataclass(frozen=True, slots=True)
class _Node:
    """How one scored node is computed: the plan `score` follows."""

    code: str
    weight: Fraction
    average: bool  # True: weight × mean of its questions; False: sum of its children
    children: tuple[str, ...]
    excel_only: str | None  # Excel mode: weight × value of this one question


@dataclass(frozen=True)
class RubricSpec:
    """A rubric version as plain data, with the computation plan derived from its tree."""

    code: str
    criteria: Mapping[str, CriterionSpec]  # every node, in display (tree) order
    children: Mapping[str, tuple[str, ...]]
    roots: tuple[str, ...]
    questions: tuple[CriterionSpec, ...]
    nodes: tuple[_Node, ...]  # children before parents
    # Points one unit of a question's value adds to the total under the regulation's rule.
    coefficients: Mapping[str, Fraction]
    pengungkit: str
    hasil: str
    halves: tuple[str, str]  # Pemenuhan, Reform
    area_pairs: Mapping[str, tuple[str, str]]  # area number → (Pemenuhan area, Reform area)

    @classmethod
    def build(cls, code: str, criteria: Iterable[CriterionSpec]) -> RubricSpec:
        """Check the tree's structure and derive the computation plan; raise ValueError if bad."""
        by_code: dict[str, CriterionSpec] = {}
        for criterion in criteria:
            if criterion.code in by_code:
                raise ValueError(f"Criterion {criterion.code} appears twice.")
            by_code[criterion.code] = criterion
        children: dict[str, list[CriterionSpec]] = {c: [] for c in by_code}
        roots = []
        for criterion in by_code.values():
            if criterion.parent is None:
                roots.append(criterion)
            elif criterion.parent not in by_code:
                raise ValueError(f"{criterion.code}: unknown parent {criterion.parent}.")
            else:
                children[criterion.parent].append(criterion)
        for kids in children.values():
            kids.sort(key=lambda c: (c.order, c.code))
        roots.sort(key=lambda c: (c.order, c.code))

        ordered: dict[str, CriterionSpec] = {}
        post_order: list[CriterionSpec] = []

        def walk(criterion, depth):
            if depth > len(by_code):
                raise ValueError(f"{criterion.code}: the tree has a cycle.")
            ordered[criterion.code] = criterion
            for child in children[criterion.code]:
                walk(child, depth + 1)
            post_order.append(criterion)

        for root in roots:
            walk(root, 0)
        if len(ordered) != len(by_code):
            raise ValueError("Some criteria are not reachable from a component (a cycle).")

        nodes = []
        coefficients: dict[str, Fraction] = {}
        for criterion in post_order:
            if criterion.kind == QUESTION:
                _check_question_excel_formula(criterion, children[criterion.code])
            if criterion.kind in (QUESTION, INPUT):
                continue
            kids = children[criterion.code]
            if criterion.weight is None:
                raise ValueError(f"{criterion.code}: a {criterion.kind} needs a weight.")
            scored = [k for k in kids if k.kind != INPUT]
            if not scored:
                raise ValueError(f"{criterion.code}: has nothing to score.")
            unweighted = [k for k in scored if k.kind == QUESTION and k.weight is None]
            if unweighted and len(unweighted) != len(scored):
                raise ValueError(f"{criterion.code}: mixes weighted and unweighted children.")
            average = bool(unweighted)
            if average:
                for k in scored:
                    coefficients[k.code] = criterion.weight / len(scored)
            else:
                for k in scored:
                    if k.kind == QUESTION:
                        coefficients[k.code] = k.weight
            excel_only = None
            if criterion.excel_formula is not None:
                if criterion.excel_formula.function != "only":
                    raise ValueError(f"{criterion.code}: the Excel formula must be only(code).")
                excel_only = criterion.excel_formula.args[0][0]
                if by_code.get(excel_only) is None or by_code[excel_only].kind != QUESTION:
                    raise ValueError(f"{criterion.code}: {excel_only} is not a question.")
            nodes.append(
                _Node(
                    criterion.code,
                    criterion.weight,
                    average,
                    tuple(k.code for k in scored),
                    excel_only,
                )
            )

        # PermenPANRB 90/2021: two components, Pengungkit then Hasil; Pengungkit has two halves,
        # Pemenuhan then Reform, each over the same areas (paired by their number).
        if len(roots) != 2:
            raise ValueError("The rubric needs two components: Pengungkit and Hasil.")
        halves = children[roots[0].code]
        if len(halves) != 2 or any(h.kind != SUBCOMPONENT for h in halves):
            raise ValueError(f"{roots[0].code} needs two halves: Pemenuhan and Reform.")
        pemenuhan_areas = {_last(a.code): a.code for a in children[halves[0].code]}
        reform_areas = {_last(a.code): a.code for a in children[halves[1].code]}
        if pemenuhan_areas.keys() != reform_areas.keys():
            raise ValueError("Pemenuhan and Reform must cover the same areas.")
        area_pairs = {key: (pemenuhan_areas[key], reform_areas[key]) for key in pemenuhan_areas}

        questions = tuple(c for c in ordered.values() if c.kind == QUESTION)
        return cls(
            code=code,
            criteria=ordered,
            children={c: tuple(k.code for k in kids) for c, kids in children.items()},
            roots=tuple(r.code for r in roots),
            questions=questions,
            nodes=tuple(nodes),
            coefficients=coefficients,
            pengungkit=roots[0].code,
            hasil=roots[1].code,
            halves=(halves[0].code, halves[1].code),
            area_pairs=area_pairs,
        )


def _last(code: str) -> str:
    return code.rsplit(".", 1)[-1]


def _check_question_excel_formula(question: CriterionSpec, kids: list[CriterionSpec]) -> None:
    """A question's Excel formula is skip() (the workbook's cell shows "-") or, on a computed
    question, requires(...) naming the input rows the workbook checks for blanks."""
    formula = question.excel_formula
    if formula is None:
        return
    if formula.function == "skip":
        return
    if formula.function != "requires" or question.answer_type not in COMPUTED_TYPES:
        raise ValueError(
            f"{question.code}: a question's Excel formula is skip() or, for a computed "
            "question, requires(inputs)."
        )
    inputs = {k.code for k in kids if k.kind == INPUT}
    unknown = [code for code in formula.codes if code not in inputs]
    if unknown:
        raise ValueError(f"{question.code}: {', '.join(unknown)} is not an input of it.")


# --- Scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """A question's value (0–1), or None when it is unanswered or not computable.

    `state` says whether the LKE answers the question, the same in both modes. In
    Excel-compatible mode `value` is what the official workbook counts, and `excel` what its cell
    shows instead of a number: EXCEL_DASH or EXCEL_BLANK (texts, which AVERAGE skips) or an
    error (EXCEL_DIV0, EXCEL_VALUE), which spreads to every total above it.
    """

    code: str
    value: Fraction | None
    state: str
    excel: str = ""


@dataclass(frozen=True, slots=True)
class AreaResult:
    """One area: its Pemenuhan and Reform scores and the two together.

    A score is None only in Excel-compatible mode, where the workbook shows an error for it.
    """

    key: str
    pemenuhan_code: str
    reform_code: str
    pemenuhan: Fraction | None
    reform: Fraction | None
    weight: Fraction

    @property
    def total(self) -> Fraction | None:
        if self.pemenuhan is None or self.reform is None:
            return None
        return self.pemenuhan + self.reform

    @property
    def share(self) -> Fraction | None:
        total = self.total
        return None if total is None else total / self.weight


@dataclass(frozen=True)
class Breakdown:
    """Everything `score` computed, unrounded.

    Under the regulation's rule every score is a number. In Excel-compatible mode a score is None
    where the official workbook shows an error (#DIV/0!, #VALUE!): not computable, never a number.
    """

    rubric: RubricSpec
    excel_compat: bool
    questions: Mapping[str, QuestionResult]
    # Score of every sub-area, area, subcomponent, component and weighted question.
    scores: Mapping[str, Fraction | None]
    total: Fraction | None
    areas: Mapping[str, AreaResult]
    unanswered: tuple[str, ...]
    not_computable: tuple[str, ...]

    @property
    def pengungkit(self) -> Fraction | None:
        return self.scores[self.rubric.pengungkit]

    @property
    def hasil(self) -> Fraction | None:
        return self.scores[self.rubric.hasil]

    @property
    def pemenuhan(self) -> Fraction | None:
        return self.scores[self.rubric.halves[0]]

    @property
    def reform(self) -> Fraction | None:
        return self.scores[self.rubric.halves[1]]

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def answered(self) -> int:
        return self.question_count - len(self.unanswered) - len(self.not_computable)

    @property
    def complete(self) -> bool:
        """Every question answered (a percent that cannot be computed, by an evaluator).

        The same in both modes: it is a property of the answers, not of the arithmetic.
        """
        return not self.unanswered and not self.not_computable

    @property
    def computable(self) -> bool:
        """False only in Excel-compatible mode, when the workbook's total is an error."""
        return self.total is not None

    def scores_of(self, kind: str) -> dict[str, Fraction | None]:
        """Return the scores of every criterion of one kind, in tree order."""
        criteria = self.rubric.criteria
        return {code: s for code, s in self.scores.items() if criteria[code].kind == kind}

    def as_dict(self) -> dict:
        """Return the breakdown as JSON-ready data (floats, unrounded; null: not computable)."""
        return {
            "total": _float(self.total),
            "pengungkit": _float(self.pengungkit),
            "pemenuhan": _float(self.pemenuhan),
            "reform": _float(self.reform),
            "hasil": _float(self.hasil),
            "areas": {
                key: {
                    "pemenuhan": _float(a.pemenuhan),
                    "reform": _float(a.reform),
                    "total": _float(a.total),
                }
                for key, a in self.areas.items()
            },
            "sub_areas": {code: _float(s) for code, s in self.scores_of(SUB_AREA).items()},
            "complete": self.complete,
            "unanswered": list(self.unanswered),
            "not_computable": list(self.not_computable),
        }


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def score(
    rubric: RubricSpec,
    answers: Mapping[str, Number],
    inputs: Mapping[str, Number],
    *,
    excel_compat: bool = False,
) -> Breakdown:
    """Score one level of an evaluation.

    `answers` maps a question code to its letter (option questions), its index (surveys) or, for
    a percent question whose inputs cannot give a value (a denominator of 0), the value an
    evaluator gave it (0–1). `inputs` maps an input code to its number. Raise ValueError for a
    bad answer.

    The regulation counts an unanswered question as 0. With `excel_compat` the official
    workbook's own formulas are reproduced instead (`_excel_value`, `_excel_node`): its AVERAGE
    skips the texts "-" and "Blm Diisi", an error (#DIV/0!, #VALUE!) spreads to every total above
    it, and nodes and questions with an Excel formula follow it (the rubric's excel_formulas.csv).
    """
    results: dict[str, QuestionResult] = {}
    unanswered = []
    not_computable = []
    for question in rubric.questions:
        value, state = _question_value(question, answers.get(question.code), inputs)
        shown = ""
        if excel_compat:
            value, shown = _excel_value(question, value, state, inputs)
        results[question.code] = QuestionResult(question.code, value, state, shown)
        if state == UNANSWERED:
            unanswered.append(question.code)
        elif state == NOT_COMPUTABLE:
            not_computable.append(question.code)

    scores: dict[str, Fraction | None] = {}
    criteria = rubric.criteria
    for node in rubric.nodes:
        if excel_compat:
            scores[node.code] = _excel_node(node, criteria, results, scores)
        elif node.average:
            answered = [results[c].value for c in node.children if results[c].value is not None]
            scores[node.code] = node.weight * sum(answered, ZERO) / len(node.children)
        else:
            subtotal = ZERO
            for child in node.children:
                if criteria[child].kind == QUESTION:
                    # A question with its own weight (the hasil lines): value × weight.
                    scores[child] = criteria[child].weight * (results[child].value or ZERO)
                subtotal += scores[child]
            scores[node.code] = subtotal

    ordered_scores = {code: scores[code] for code in criteria if code in scores}
    areas = {
        key: AreaResult(
            key,
            p,
            r,
            scores[p],
            scores[r],
            criteria[p].weight + criteria[r].weight,
        )
        for key, (p, r) in rubric.area_pairs.items()
    }
    roots = [scores[root] for root in rubric.roots]
    return Breakdown(
        rubric=rubric,
        excel_compat=excel_compat,
        questions=results,
        scores=ordered_scores,
        total=None if None in roots else sum(roots, ZERO),
        areas=areas,
        unanswered=tuple(unanswered),
        not_computable=tuple(not_computable),
    )


def question_result(
    rubric: RubricSpec, code: str, answer: Number | None, inputs: Mapping[str, Number]
) -> QuestionResult:
    """Score one question alone, exactly as `score` scores it under the regulation's rule.

    A question's value depends only on its own answer and inputs, so a page that shows one
    question need not score the whole level. Raise ValueError for a bad answer.
    """
    value, state = _question_value(rubric.criteria[code], answer, inputs)
    return QuestionResult(code, value, state)


def inputs_state(question: CriterionSpec, inputs: Mapping[str, Number]) -> str:
    """Return what a computed question's inputs give: ANSWERED (a value), UNANSWERED (a number
    is missing) or NOT_COMPUTABLE (a denominator of 0: only then does an evaluator give it a
    value of their own). Raise ValueError for a bad input."""
    value = _computed_value(question, inputs)
    if value is None:
        return UNANSWERED
    return NOT_COMPUTABLE if value is NOT_COMPUTABLE else ANSWERED


def _blank(raw) -> bool:
    return raw is None or raw == ""


def _question_value(
    question: CriterionSpec, answer: Number | None, inputs: Mapping[str, Number]
) -> tuple[Fraction | None, str]:
    answer_type = question.answer_type
    if answer_type in OPTION_TYPES:
        if _blank(answer):
            return None, UNANSWERED
        try:
            return question.options[answer], ANSWERED
        except (KeyError, TypeError):
            letters = ", ".join(question.options)
            raise ValueError(
                f"{question.code}: {answer!r} is not an option; choose one of {letters}."
            ) from None
    if answer_type == SURVEY:
        if _blank(answer):
            return None, UNANSWERED
        index = to_fraction(answer)
        maximum = question.formula.params["max"]
        if not ZERO <= index <= maximum:
            raise ValueError(
                f"{question.code}: a survey index must be between 0 and {maximum}; got {answer}."
            )
        return index / maximum, ANSWERED
    # percent / decrease: computed from the inputs named in the formula.
    value = _computed_value(question, inputs)
    if value is None:
        # A number is missing: an evaluator's own value does not stand in for it.
        return None, UNANSWERED
    if value is not NOT_COMPUTABLE:
        return value, ANSWERED
    if not _blank(answer):
        manual = to_fraction(answer)
        if not ZERO <= manual <= ONE:
            raise ValueError(f"{question.code}: a value must be between 0 and 1; got {answer}.")
        return manual, ANSWERED
    return None, NOT_COMPUTABLE


def _computed_value(question: CriterionSpec, inputs: Mapping[str, Number]):
    """Return the value, None when an input is missing, or NOT_COMPUTABLE."""
    sums = []
    for arg in question.formula.args:
        total = ZERO
        for code in arg:
            raw = inputs.get(code)
            if _blank(raw):
                return None
            total += _count(code, raw)
        sums.append(total)
    if question.formula.function == "ratio":
        numerator, denominator = sums
        if denominator == 0:
            return NOT_COMPUTABLE
        # PermenPANRB 90/2021: a percentage counts at most 100%.
        return min(ONE, numerator / denominator)
    previous, current = sums
    if previous == 0:
        # Nothing to decrease from: full marks if it stayed at 0, none if it rose.
        return ONE if current == 0 else ZERO
    return max(ZERO, (previous - current) / previous)


def _count(code: str, raw: Number) -> Fraction:
    number = to_fraction(raw)
    if number < 0:
        raise ValueError(f"{code}: a count cannot be negative; got {raw}.")
    return number


# --- The official workbook's own formulas (Excel-compatible mode) ------------------------------


def _excel_value(
    question: CriterionSpec, value: Fraction | None, state: str, inputs: Mapping[str, Number]
) -> tuple[Fraction | None, str]:
    """Return what the official workbook counts for a question and what its cell shows instead
    of a number ("" when it shows one)."""
    formula = question.excel_formula
    if formula is not None and formula.function == "skip":
        # The workbook types A.I.1.i.a "Ya" instead of "Ya/Tidak": its formula knows no such
        # type and gives "-", whatever the answer.
        value, shown = None, EXCEL_DASH
    elif question.answer_type in COMPUTED_TYPES:
        value, shown = _excel_computed(question, inputs)
    elif state == UNANSWERED:
        value, shown = None, EXCEL_BLANK
    else:
        shown = ""
    if shown and shown not in EXCEL_ERRORS and question.weight is not None:
        # A weighted (hasil) line multiplies its cell by the weight: a text times a number.
        shown = EXCEL_VALUE
    return value, shown


def _excel_computed(
    question: CriterionSpec, inputs: Mapping[str, Number]
) -> tuple[Fraction | None, str]:
    """The workbook's formula of a percent or decrease question.

    It checks some rows for blanks first: the ones its requires(...) names, else the ones it
    computes with. An evaluator's own value has no place in it.
    """
    formula = question.formula
    excel = question.excel_formula
    if excel is not None and excel.function == "requires":
        checked = excel.args
    else:
        checked = tuple((code,) for code in formula.codes)
    # IF(OR(row = "", ...), "Blm Diisi", ...)
    if any(len(arg) == 1 and _blank(inputs.get(arg[0])) for arg in checked):
        return None, EXCEL_BLANK
    # A checked total row is itself a formula that reads "Blm Diisi" while one of its rows is
    # blank (LHKPN); dividing by that text is #VALUE!.
    if any(len(arg) > 1 and any(_blank(inputs.get(c)) for c in arg) for arg in checked):
        return None, EXCEL_VALUE
    # Excel counts any other blank cell as 0.
    sums = [
        sum((ZERO if _blank(inputs.get(c)) else _count(c, inputs[c]) for c in arg), ZERO)
        for arg in formula.args
    ]
    if formula.function == "ratio":
        numerator, denominator = sums
        if denominator == 0:
            return None, EXCEL_DIV0
        return min(ONE, numerator / denominator), ""
    previous, current = sums
    if previous == 0:
        # IF(AND(previous = 0, current = 0), 1, (previous - current) / previous)
        return (ONE, "") if current == 0 else (None, EXCEL_DIV0)
    return max(ZERO, (previous - current) / previous), ""


def _excel_node(
    node: _Node,
    criteria: Mapping[str, CriterionSpec],
    results: Mapping[str, QuestionResult],
    scores: dict[str, Fraction | None],
) -> Fraction | None:
    """Return a node's score as the workbook computes it; None where its cell is an error."""
    if node.excel_only is not None:
        # The workbook's own cell formula. Shipped for A.II.5.iii (wealth reporting, weight 2):
        # the workbook takes value(LHKPN question) × 2 and leaves LHKASN out, where the
        # regulation sums LHKPN (weight 1) and LHKASN (weight 1). We read its formula that way
        # because that is the only reading that reproduces the workbook's figures. Its cell
        # averages the LHKPN part's own AVERAGE, an error when the question is a text.
        value = results[node.excel_only].value
        return None if value is None else node.weight * value
    if node.average:
        kids = [results[code] for code in node.children]
        if any(kid.excel in EXCEL_ERRORS for kid in kids):
            return None
        counted = [kid.value for kid in kids if kid.value is not None]
        # AVERAGE skips texts; over nothing but texts it is #DIV/0!.
        return node.weight * sum(counted, ZERO) / len(counted) if counted else None
    subtotal: Fraction | None = ZERO
    for child in node.children:
        if criteria[child].kind == QUESTION:
            value = results[child].value
            scores[child] = None if value is None else criteria[child].weight * value
        # SUM skips texts but not errors; every child here is a number or an error.
        if subtotal is not None:
            subtotal = None if scores[child] is None else subtotal + scores[child]
    return subtotal


# --- Predicate --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThresholdRule:
    """One rule a predicate needs: a criterion's score, every area's share, or a prior award.

    `target` is a criterion code for a score rule (empty: the total) and a predicate code for a
    prior-predicate rule; `minimum` is points for a score rule, a share (0–1) for an area rule.
    """

    predicate: str
    name: str
    kind: str
    target: str = ""
    minimum: Fraction | None = None
    label_id: str = ""
    label_en: str = ""


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule checked against a breakdown; value, threshold and shortfall are in points."""

    predicate: str
    name: str
    value: Fraction | str | None
    threshold: Fraction | str | None
    passed: bool
    shortfall: Fraction | None
    label_id: str = ""
    label_en: str = ""

    def as_dict(self) -> dict:
        return {
            "name": f"{self.predicate}:{self.name}",
            "value": _json_number(self.value),
            "threshold": _json_number(self.threshold),
            "passed": self.passed,
            "shortfall": _json_number(self.shortfall),
        }


def _json_number(value):
    return float(value) if isinstance(value, Fraction) else value


@dataclass(frozen=True)
class PredicateResult:
    """The highest predicate met (None when none) and every rule checked.

    `withheld` says why no predicate is given whatever the rules say: INCOMPLETE (a question is
    unanswered, in both modes) or NOT_COMPUTABLE (Excel-compatible mode: the workbook's total is
    an error).
    """

    verdict: str | None
    rules: tuple[RuleResult, ...]
    withheld: str | None = None

    @property
    def incomplete(self) -> bool:
        return self.withheld == INCOMPLETE

    def failing(self, predicate: str | None = None) -> list[RuleResult]:
        """Return the rules that failed, for one predicate or all."""
        return [r for r in self.rules if not r.passed and predicate in (None, r.predicate)]

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "withheld": self.withheld,
            "rules": [r.as_dict() for r in self.rules],
        }


def predicate(
    breakdown: Breakdown, thresholds: Iterable[ThresholdRule], history: Iterable[str] = ()
) -> PredicateResult:
    """Check every threshold and return the highest predicate all of whose rules pass.

    Predicates rank in the order they first appear in `thresholds` (WBK before WBBM).
    `history` holds the predicates the unit already holds: WBBM needs a WBK (a prior-predicate
    rule), and it is passed in rather than looked up so that this stays pure. An incomplete LKE
    gets no predicate, in either mode: its rules are still checked, to show what is missing.
    """
    held = set(history)
    results: list[RuleResult] = []
    ranked: list[str] = []
    for rule in thresholds:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
        if rule.kind == RULE_SCORE:
            value = breakdown.scores[rule.target] if rule.target else breakdown.total
            results.append(_compare(rule, rule.name, value, rule.minimum))
        elif rule.kind == RULE_AREA_SHARE:
            # PermenPANRB 90/2021: each area's Pemenuhan and Reform together, against its weight.
            for key, area in breakdown.areas.items():
                name = f"{rule.name}:{key}"
                results.append(_compare(rule, name, area.total, rule.minimum * area.weight))
        elif rule.kind == RULE_PRIOR_PREDICATE:
            passed = rule.target in held
            results.append(
                RuleResult(
                    rule.predicate,
                    rule.name,
                    rule.target if passed else None,
                    rule.target,
                    passed,
                    None,
                    rule.label_id,
                    rule.label_en,
                )
            )
        else:
            raise ValueError(f"Unknown rule kind {rule.kind!r}.")
    verdict = None
    withheld = None
    if not breakdown.complete:
        withheld = INCOMPLETE
    elif not breakdown.computable:
        withheld = NOT_COMPUTABLE
    else:
        for code in ranked:
            if all(r.passed for r in results if r.predicate == code):
                verdict = code
    return PredicateResult(verdict, tuple(results), withheld)


def _compare(
    rule: ThresholdRule, name: str, value: Fraction | None, threshold: Fraction
) -> RuleResult:
    # None: the workbook's cell is an error (Excel-compatible mode); it meets no threshold.
    passed = value is not None and value >= threshold
    shortfall = None if value is None else ZERO if passed else threshold - value
    return RuleResult(
        rule.predicate, name, value, threshold, passed, shortfall, rule.label_id, rule.label_en
    )


# --- What to improve first --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gain:
    """A question, its next better answer and the points that answer adds to the total."""

    code: str
    value: Fraction  # current value (0 when unanswered)
    next_letter: str | None  # None for computed and survey questions: the gain is up to full
    next_value: Fraction
    points: Fraction


def gains(breakdown: Breakdown, *, limit: int | None = None) -> list[Gain]:
    """Return the questions whose next better answer adds the most points, best first.

    Points follow the regulation's rule (unanswered = 0), also for an Excel-mode breakdown.
    """
    rubric = breakdown.rubric
    found = []
    for position, question in enumerate(rubric.questions):
        current = breakdown.questions[question.code].value or ZERO
        coefficient = rubric.coefficients[question.code]
        if question.answer_type in OPTION_TYPES:
            better = [(v, letter) for letter, v in question.options.items() if v > current]
            if not better:
                continue
            next_value, next_letter = min(better)
        else:
            if current >= ONE:
                continue
            next_value, next_letter = ONE, None
        points = (next_value - current) * coefficient
        if points > 0:
            found.append(
                (-points, position, Gain(question.code, current, next_letter, next_value, points))
            )
    found.sort(key=lambda item: (item[0], item[1]))
    result = [gain for _, _, gain in found]
    return result[:limit] if limit is not None else result
