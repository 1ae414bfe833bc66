"""The early warnings decide each threshold rule as scoring does, exactly at the threshold too.

The dashboards compare stored numbers (a Decimal total, floats in JSON) by float where a value is
clearly away from its threshold; scoring compares exact Fractions. These tests hold the two to
the same answers, with scoring.predicate itself as the reference, on values at, one rounding
step from and far from every threshold of the shipped rubric.
"""

import math
import random
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from dashboards.warnings import Line, RuleSet, to_fraction
from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring

RULES = rubric_files.threshold_rules(
    rubric_files.read_rubric(rubric_files.version_folder("2021")).thresholds
)
WEIGHTS = {"1": 8.0, "2": 7.0, "3": 10.0, "4": 10.0, "5": 15.0, "6": 10.0}
TARGETS = ("A", "B.I", "B.I.a", "B.I.b", "B.II.a")


def near(threshold: Fraction, rng: random.Random):
    """Return a stored float at, beside or away from `threshold`."""
    exact = float(threshold)
    return rng.choice(
        [
            exact,  # the float that prints as the threshold: meets it exactly
            math.nextafter(exact, 0),  # one rounding step below: fails
            math.nextafter(exact, math.inf),
            exact - 1e-10,
            exact + 1e-10,
            exact * rng.uniform(0.9, 1.1),
            rng.uniform(0, 2 * exact + 1),
        ]
    )


def case(rng: random.Random) -> dict:
    """Return stored scores with each value near one of the thresholds it meets."""
    minimum = {(r.predicate, r.name): r.minimum for r in RULES}
    predicate = rng.choice(["WBK", "WBBM"])
    line = Decimal(int(minimum[(predicate, "total")]))
    step = Decimal("0.0000000001")  # the stored total's last decimal place
    total = rng.choice(
        [
            line,  # exactly at: meets
            line - step,
            line + step,
            line - 5,  # exactly 5 below: near
            line - 5 - step,
            Decimal(str(round(rng.uniform(50, 100), 10))),
        ]
    )
    by_target = {r.target: r.minimum for r in RULES if r.predicate == predicate and r.target}
    parts = {target: near(by_target[target], rng) for target in TARGETS}
    share = minimum[(predicate, "area_share")]
    areas = {}
    for key, weight in WEIGHTS.items():
        area_total = near(share * to_fraction(weight), rng)
        if rng.random() < 0.2:
            area_total = share * weight  # the float product, a rounding step off the line
        areas[key] = {"total": area_total, "weight": weight, "share": area_total / weight}
    return {"total": total, "parts": parts, "areas": areas, "held": rng.choice([set(), {"WBK"}])}


def scoring_result(stored: dict) -> scoring.PredicateResult:
    """Score the stored numbers with scoring.predicate, reading each as the decimal it prints as."""
    breakdown = SimpleNamespace(
        total=to_fraction(stored["total"]),
        scores={target: to_fraction(value) for target, value in stored["parts"].items()},
        areas={
            key: SimpleNamespace(total=to_fraction(a["total"]), weight=to_fraction(a["weight"]))
            for key, a in stored["areas"].items()
        },
        complete=True,
        computable=True,
    )
    return scoring.predicate(breakdown, RULES, stored["held"])


@pytest.mark.parametrize("seed", range(40))
def test_the_one_failing_rule_is_the_one_scoring_fails(seed):
    rng = random.Random(seed)
    rule_set = RuleSet(RULES, area_labels={})
    for _ in range(250):
        stored = case(rng)
        result = scoring_result(stored)
        for predicate in ("WBK", "WBBM"):
            failing = result.failing(predicate)
            expected = failing[0].name if len(failing) == 1 else None
            found = rule_set.single_failure(
                predicate=predicate,
                total=stored["total"],
                parts=stored["parts"],
                areas=stored["areas"],
                held=stored["held"],
            )
            assert (found.rule if found else None) == expected, stored


@pytest.mark.parametrize("seed", range(10))
def test_near_a_threshold_means_below_it_by_at_most_5_points(seed):
    rng = random.Random(seed)
    rule_set = RuleSet(RULES, area_labels={})
    for _ in range(500):
        total = case(rng)["total"]
        for predicate, line in (("WBK", Fraction(75)), ("WBBM", Fraction(85))):
            exact = Fraction(total)
            expected = exact < line <= exact + 5
            assert (rule_set.near_threshold(predicate=predicate, total=total) is not None) == (
                expected
            ), (predicate, total)


@pytest.mark.parametrize(
    ("value", "threshold", "meets"),
    [
        (75.0, Fraction(75), True),
        (Decimal("75.0000000000"), Fraction(75), True),
        (Decimal("74.9999999999"), Fraction(75), False),
        (math.nextafter(75.0, 0), Fraction(75), False),
        (15.75, Fraction("15.75"), True),
        (math.nextafter(15.75, 0), Fraction("15.75"), False),
        # An area at 60% of a weight of 6: the float product is one step below 3.6.
        (0.6 * 6, Fraction("0.6") * 6, False),  # 3.5999999999999996
        (3.6, Fraction("0.6") * 6, True),
        (0.1 * 6, Fraction("0.6"), True),  # 0.6000000000000001
        (0.1 + 0.2, Fraction("0.3"), True),  # 0.30000000000000004
        (0.3, Fraction("0.3"), True),
        (1 / 3, Fraction(1, 3), False),  # 0.3333333333333333 < 1/3
        (0.0, Fraction(0), True),
        (-1e-300, Fraction(0), False),
        (1e300, Fraction(75), True),
    ],
)
def test_a_stored_number_meets_a_threshold_exactly_as_a_fraction_would(value, threshold, meets):
    assert Line.of(threshold).met_by(value) is meets
    assert (to_fraction(value) >= threshold) is meets


def test_a_part_not_stored_leaves_the_one_rule_warning_undecided():
    rule_set = RuleSet(RULES, area_labels={})
    areas = {key: {"total": weight, "weight": weight} for key, weight in WEIGHTS.items()}
    parts = {"A": 45.0, "B.I": 20.0, "B.I.a": 10.0, "B.I.b": 4.0, "B.II.a": 16.0}

    def single(parts):
        found = rule_set.single_failure(
            predicate="WBK", total=Decimal(80), parts=parts, areas=areas, held=set()
        )
        return found and (found.rule, found.value, found.threshold, found.shortfall)

    assert single(parts) == ("ipak", 10.0, 15.75, 5.75)
    del parts["B.I.a"]
    assert single(parts) is None
