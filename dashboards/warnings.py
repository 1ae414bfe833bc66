"""Early warnings from stored scores: pure functions over plain values, no database.

The threshold rules are checked on the totals stored per evaluation level (`total`, `areas`,
`parts`) so that a dashboard never rescores an LKE.

Whether a rule passes decides a warning, so it is decided as exactly as scoring decides it: the
stored number, read as the decimal it prints as, against the rubric's exact threshold (`Line`).
What is only shown (a value, a threshold, a shortfall, a share) stays a plain number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy

from evaluations.models import Evaluation, Predicate
from evaluations.rubric import scoring

# A unit "within 5 points" of the next predicate's total needs a push.
NEAR_POINTS = Fraction(5)
STALE_DAYS = 30

Status = Evaluation.Status
# Still being built and scored by the agency: these can go stale before the deadline.
OPEN_STATUSES = frozenset({Status.DRAFT, Status.SELF_SUBMITTED, Status.TPI_REVIEW})

WARNING_KINDS = {
    "near_threshold": gettext_lazy("Within 5 points of a threshold"),
    "one_rule": gettext_lazy("Fails exactly one rule"),
    "stale": gettext_lazy("No change in 30 days"),
    "not_covered": gettext_lazy("Not covered by a pencanangan"),
    "evidence_missing": gettext_lazy("Evidence missing on answered questions"),
}


# A float comparison decides whenever the value lies further than this (relative) from the line:
# far beyond a float's rounding error (~1e-16), far below a score's smallest step.
GUARD = 1e-9


def to_fraction(value) -> Fraction | None:
    """Return a stored number (Decimal, float from JSON, int) as an exact Fraction."""
    if value is None:
        return None
    if isinstance(value, float):
        # repr gives the shortest decimal that round-trips, i.e. the value scoring stored.
        return Fraction(repr(value))
    return Fraction(Decimal(value)) if not isinstance(value, Fraction) else value


@dataclass(frozen=True, slots=True)
class Line:
    """An exact threshold, and its float for the quick comparison of stored numbers with it.

    `met_by` answers as `to_fraction(value) >= exact` does. A national dashboard checks ~400,000
    stored numbers; converting each to a Fraction took ~1.8 s. A stored float or Decimal is within
    one rounding step (~1e-16 relative) of the decimal it stands for, and `approx` within one of
    `exact`, so when the float comparison clears the line by more than GUARD it cannot disagree
    with the exact one; only a value within GUARD of the line is converted and compared exactly.
    """

    exact: Fraction
    approx: float
    margin: float

    @staticmethod
    def of(exact: Fraction) -> Line:
        approx = float(exact)
        return Line(exact, approx, GUARD * max(1.0, abs(approx)))

    def met_by(self, value) -> bool:
        number = float(value)
        if number > self.approx + self.margin:
            return True
        if number < self.approx - self.margin:
            return False
        return to_fraction(value) >= self.exact


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One threshold rule checked on stored scores; `value` None means the part is not stored.

    `value` is the stored number (Decimal or float) and `threshold` the rule's, as a float: both
    are only shown, with two decimals; `passed` was decided exactly (Line.met_by).
    """

    predicate: str
    rule: str  # the rule's name, with ":<area key>" for area rules
    label: str
    value: Decimal | float | None
    threshold: float | None
    passed: bool

    @property
    def shortfall(self) -> float | None:
        if self.passed or self.value is None or self.threshold is None:
            return None
        return self.threshold - float(self.value)


@dataclass(slots=True)  # not frozen: a national page makes 50,000, and frozen ones cost twice
class Warning:
    """One early warning on one unit; `check` holds the rule, value, threshold and shortfall."""

    kind: str
    unit_id: int
    unit_name: str
    agency_id: int
    agency_name: str
    check: RuleCheck | None = None
    count: int | None = None  # days without change, or answered questions without evidence


def next_predicate(verdict: str, ranked: list[str]) -> str | None:
    """Return the predicate above `verdict` in rank order (WBK, then WBBM), or None at the top."""
    if not verdict:
        return ranked[0] if ranked else None
    index = ranked.index(verdict) if verdict in ranked else len(ranked)
    return ranked[index + 1] if index + 1 < len(ranked) else None


def rule_label(rule: scoring.ThresholdRule, language: str) -> str:
    english = language.startswith("en") and rule.label_en
    return (rule.label_en if english else rule.label_id) or rule.name


class RuleSet:
    """One rubric's threshold rules, prepared once to check the stored scores of many units.

    Labels, lines and the rank of the predicates are worked out here, once per rubric, instead
    of once per unit and rule (20,000 units × 15 rules on the national page).
    """

    def __init__(
        self,
        rules: Iterable[scoring.ThresholdRule],
        *,
        area_labels: Mapping[str, str],
        language: str = "id",
    ):
        self.rules = list(rules)
        self.ranked = _ranked_predicates(self.rules)
        self.area_labels = area_labels
        # Per predicate, its rules in order: (rule, label, line of a score rule, area lines).
        self._of: dict[str, list[tuple]] = {}
        self._totals: dict[str, list[tuple]] = {}
        for rule in self.rules:
            label = rule_label(rule, language)
            line = Line.of(rule.minimum) if rule.kind == scoring.RULE_SCORE else None
            self._of.setdefault(rule.predicate, []).append((rule, label, line, {}))
            if rule.kind == scoring.RULE_SCORE and not rule.target:
                near = Line.of(rule.minimum - NEAR_POINTS)
                self._totals.setdefault(rule.predicate, []).append((rule, label, line, near))

    def next_predicate(self, verdict: str) -> str | None:
        return next_predicate(verdict, self.ranked)

    def near_threshold(self, *, predicate: str, total) -> RuleCheck | None:
        """Return the total-score check when the total is below the predicate's, within 5 points."""
        for rule, label, line, near in self._totals.get(predicate, ()):
            # total < minimum <= total + 5, decided exactly.
            if not line.met_by(total) and near.met_by(total):
                return RuleCheck(predicate, rule.name, label, total, line.approx, False)
        return None

    def single_failure(
        self,
        *,
        predicate: str,
        total,
        parts: Mapping[str, float],
        areas: Mapping[str, Mapping[str, float]],
        held: set[str],
    ) -> RuleCheck | None:
        """Return the one rule of `predicate` the stored scores fail, if exactly one fails.

        Each rule is checked as `scoring.predicate` checks it. None when two or more fail (the
        check stops at the second), and when a part a rule needs is not stored (scored before
        the parts were kept): then nobody can tell.
        """
        failing = None
        for rule, label, line, area_lines in self._of.get(predicate, ()):
            if rule.kind == scoring.RULE_SCORE:
                value = total if not rule.target else parts.get(rule.target)
                if value is None:
                    return None
                if line.met_by(value):
                    continue
                if failing is not None:
                    return None
                failing = RuleCheck(predicate, rule.name, label, value, line.approx, False)
            elif rule.kind == scoring.RULE_AREA_SHARE:
                # PermenPANRB 90/2021: each area's Pemenuhan and Reform together, against its
                # weight.
                for key, area in areas.items():
                    value = area.get("total")
                    if value is None:
                        return None
                    weight = area["weight"]
                    found = area_lines.get((key, weight))
                    if found is None:
                        found = area_lines[key, weight] = self._area_line(rule, label, key, weight)
                    name, area_label, area_line = found
                    if area_line.met_by(value):
                        continue
                    if failing is not None:
                        return None
                    failing = RuleCheck(predicate, name, area_label, value, area_line.approx, False)
            elif rule.kind == scoring.RULE_PRIOR_PREDICATE and rule.target not in held:
                if failing is not None:
                    return None
                failing = RuleCheck(predicate, rule.name, label, None, None, False)
        return failing

    def _area_line(self, rule, label: str, key: str, weight: float) -> tuple[str, str, Line]:
        """Return an area rule's name, label and line for one area: its share of `weight`."""
        name = self.area_labels.get(key, key)
        line = Line.of(rule.minimum * to_fraction(weight))
        return f"{rule.name}:{key}", f"{label} · {name}", line


# Read once: Predicate.values builds its list on every access.
HOLDS = tuple((predicate, f"holds_{predicate}") for predicate in Predicate.values)


def unit_warnings(
    row: Mapping,
    scores: Mapping | None,
    rules: RuleSet,
    *,
    deadline: date,
    now: datetime,
) -> list[Warning]:
    """Return the early warnings of one unit row (selectors.unit_rows) and its effective scores.

    `scores` holds "total", "areas", "parts" and "verdict" (the row itself, selectors.unit_rows),
    or is None when neither level was scored.
    """
    found = []
    unit = (row["pk"], row["name"], row["agency_id"], row["agency__name"])
    if scores is not None and rules.rules:
        target = rules.next_predicate(scores["verdict"])
        if target:
            near = rules.near_threshold(predicate=target, total=scores["total"])
            if near is not None:
                found.append(Warning("near_threshold", *unit, check=near))
            single = rules.single_failure(
                predicate=target,
                total=scores["total"],
                parts=scores["parts"] or {},
                areas=scores["areas"] or {},
                held={predicate for predicate, key in HOLDS if row[key]},
            )
            if single is not None:
                found.append(Warning("one_rule", *unit, check=single))
    if row["ev__status"] in OPEN_STATUSES and now.date() <= deadline:
        last = row["last_change"]
        if now - last > timedelta(days=STALE_DAYS):
            found.append(Warning("stale", *unit, count=(now - last).days))
    if row["covered"] is False:
        found.append(Warning("not_covered", *unit))
    if row["evidence_missing"]:
        found.append(Warning("evidence_missing", *unit, count=row["evidence_missing"]))
    return found


def _ranked_predicates(rules) -> list[str]:
    ranked = []
    for rule in rules:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
    return ranked
