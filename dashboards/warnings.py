"""Early warnings from stored scores: pure functions over plain values, no database.

The threshold rules are checked on the totals stored per evaluation level (`total`, `areas`,
`parts`) so that a dashboard never rescores an LKE.
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
OPEN_STATUSES = [Status.DRAFT, Status.SELF_SUBMITTED, Status.TPI_REVIEW]

WARNING_KINDS = {
    "near_threshold": gettext_lazy("Within 5 points of a threshold"),
    "one_rule": gettext_lazy("Fails exactly one rule"),
    "stale": gettext_lazy("No change in 30 days"),
    "not_covered": gettext_lazy("Not covered by a pencanangan"),
    "evidence_missing": gettext_lazy("Evidence missing on answered questions"),
}


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


@dataclass(frozen=True)
class Warning:
    """One early warning on one unit; `check` holds the rule, value, threshold and shortfall."""

    kind: str
    unit_id: int
    unit_name: str
    agency_id: int
    agency_name: str
    check: RuleCheck | None = None
    count: int | None = None  # days without change, or answered questions without evidence

    @property
    def kind_label(self) -> str:
        return str(WARNING_KINDS[self.kind])


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


def unit_warnings(
    row: Mapping,
    scores: Mapping | None,
    rules: list[scoring.ThresholdRule],
    *,
    area_labels: Mapping[str, str],
    deadline: date,
    now: datetime,
    language: str,
) -> list[Warning]:
    """Return the early warnings of one unit row (selectors.unit_rows) and its effective scores."""
    found = []
    base = {
        "unit_id": row["pk"],
        "unit_name": row["name"],
        "agency_id": row["agency_id"],
        "agency_name": row["agency__name"],
    }
    if scores is not None and rules:
        target = next_predicate(scores["verdict"], _ranked_predicates(rules))
        if target:
            near = near_threshold(rules=rules, predicate=target, total=scores["total"])
            if near is not None:
                total_rule = next(r for r in rules if r.predicate == target and r.name == near.rule)
                near = RuleCheck(
                    near.predicate,
                    near.rule,
                    rule_label(total_rule, language),
                    near.value,
                    near.threshold,
                    False,
                )
                found.append(Warning("near_threshold", check=near, **base))
            held = {p for p in Predicate.values if row[f"holds_{p}"]}
            checks = check_rules(
                rules=rules,
                predicate=target,
                total=scores["total"],
                parts=scores["parts"] or {},
                areas=scores["areas"] or {},
                held=held,
                area_labels=area_labels,
                language=language,
            )
            single = single_failure(checks)
            if single is not None:
                found.append(Warning("one_rule", check=single, **base))
    if row["ev__status"] in OPEN_STATUSES and now.date() <= deadline:
        changes = [row["ev__updated_at"], row["tpi__updated_at"], row["own__updated_at"]]
        last = max(c for c in changes if c is not None)
        if now - last > timedelta(days=STALE_DAYS):
            found.append(Warning("stale", count=(now - last).days, **base))
    if row.get("covered") is False:
        found.append(Warning("not_covered", **base))
    if row.get("evidence_missing"):
        found.append(Warning("evidence_missing", count=row["evidence_missing"], **base))
    return found


def _ranked_predicates(rules) -> list[str]:
    ranked = []
    for rule in rules:
        if rule.predicate not in ranked:
            ranked.append(rule.predicate)
    return ranked
