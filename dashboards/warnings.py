"""Early warnings from stored scores: pure functions over plain values, no database.

The threshold rules are checked on the totals stored per evaluation level (`total`, `areas`,
`parts`) so that a dashboard never rescores an LKE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from evaluations import scoring

# Issue 8: a unit "within 5 points" of the next predicate's total needs a push.
NEAR_POINTS = Fraction(5)
STALE_DAYS = 30


def to_fraction(value) -> Fraction | None:
    """Return a stored number (Decimal, float from JSON, int) as an exact Fraction."""
    if value is None:
        return None
    if isinstance(value, float):
        # repr gives the shortest decimal that round-trips, i.e. the value scoring stored.
        return Fraction(repr(value))
    return Fraction(Decimal(value)) if not isinstance(value, Fraction) else value


@dataclass(frozen=True)
class RuleCheck:
    """One threshold rule checked on stored scores; `value` None means the part is not stored."""

    predicate: str
    rule: str  # the rule's name, with ":<area key>" for area rules
    label: str
    value: Fraction | None
    threshold: Fraction | None
    passed: bool

    @property
    def shortfall(self) -> Fraction | None:
        if self.passed or self.value is None or self.threshold is None:
            return None
        return self.threshold - self.value


def next_predicate(verdict: str, ranked: list[str]) -> str | None:
    """Return the predicate above `verdict` in rank order (WBK, then WBBM), or None at the top."""
    if not verdict:
        return ranked[0] if ranked else None
    index = ranked.index(verdict) if verdict in ranked else len(ranked)
    return ranked[index + 1] if index + 1 < len(ranked) else None


def rule_label(rule: scoring.ThresholdRule, language: str) -> str:
    english = language.startswith("en") and rule.label_en
    return (rule.label_en if english else rule.label_id) or rule.name


def check_rules(
    *,
    rules: Iterable[scoring.ThresholdRule],
    predicate: str,
    total,
    parts: Mapping[str, float],
    areas: Mapping[str, Mapping[str, float]],
    held: set[str],
    area_labels: Mapping[str, str],
    language: str = "id",
) -> list[RuleCheck]:
    """Check every rule of one predicate on stored scores, as `scoring.predicate` does."""
    checks = []
    for rule in rules:
        if rule.predicate != predicate:
            continue
        label = rule_label(rule, language)
        if rule.kind == scoring.RULE_SCORE:
            value = to_fraction(total if not rule.target else parts.get(rule.target))
            passed = value is not None and value >= rule.minimum
            checks.append(RuleCheck(predicate, rule.name, label, value, rule.minimum, passed))
        elif rule.kind == scoring.RULE_AREA_SHARE:
            # PermenPANRB 90/2021: each area's Pemenuhan and Reform together, against its weight.
            for key, area in areas.items():
                value = to_fraction(area.get("total"))
                threshold = rule.minimum * to_fraction(area.get("weight"))
                name = area_labels.get(key, key)
                checks.append(
                    RuleCheck(
                        predicate,
                        f"{rule.name}:{key}",
                        f"{label} · {name}",
                        value,
                        threshold,
                        value is not None and value >= threshold,
                    )
                )
        elif rule.kind == scoring.RULE_PRIOR_PREDICATE:
            passed = rule.target in held
            checks.append(RuleCheck(predicate, rule.name, label, None, None, passed))
    return checks


def near_threshold(
    *, rules: Iterable[scoring.ThresholdRule], predicate: str, total
) -> RuleCheck | None:
    """Return the total-score check when the total is below the predicate's and within 5 points."""
    total = to_fraction(total)
    for rule in rules:
        is_total = rule.kind == scoring.RULE_SCORE and not rule.target
        if rule.predicate == predicate and is_total and total < rule.minimum <= total + NEAR_POINTS:
            return RuleCheck(predicate, rule.name, "", total, rule.minimum, False)
    return None


def single_failure(checks: list[RuleCheck]) -> RuleCheck | None:
    """Return the one failing rule when exactly one fails and every stored part was known."""
    if any(c.value is None and c.threshold is not None for c in checks):
        return None  # parts not stored yet (scored before they were kept): cannot tell
    failing = [c for c in checks if not c.passed]
    return failing[0] if len(failing) == 1 else None
