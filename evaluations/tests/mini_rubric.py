"""A small rubric with the regulation's shape, for scoring tests whose arithmetic fits a comment.

Pengungkit 60 = Pemenuhan 30 (area 1: 10, area 2: 20) + Reform 30 (area 1: 10, area 2: 20), each
area one sub-area holding one percent question; Hasil 40 as in the 2021 LKE: IPAK 17.5 and
capaian 5 (B.I, 22.5), IPKP 17.5 (B.II). So every threshold can be hit to the hundredth.
"""

from fractions import Fraction

from evaluations.rubric import scoring
from evaluations.rubric.scoring import CriterionSpec

GRADE = {"A": Fraction(1), "B": Fraction(3, 4), "C": Fraction(1, 2), "D": Fraction(1, 4), "E": 0}


def _percent(code, parent):
    return [
        CriterionSpec(code, "question", parent, 1, None, "percent",
                      scoring.parse_formula(f"ratio({code}.1,{code}.2)")),
        CriterionSpec(f"{code}.1", "input", code, 1, None, "number"),
        CriterionSpec(f"{code}.2", "input", code, 2, None, "number"),
    ]  # fmt: skip


def mini_spec() -> scoring.RubricSpec:
    rows = [
        CriterionSpec("A", "component", None, 1, Fraction(60)),
        CriterionSpec("B", "component", None, 2, Fraction(40)),
    ]
    for half, order in (("A.I", 1), ("A.II", 2)):
        rows.append(CriterionSpec(half, "subcomponent", "A", order, Fraction(30)))
        for area, weight in (("1", 10), ("2", 20)):
            rows.append(CriterionSpec(f"{half}.{area}", "area", half, int(area), Fraction(weight)))
            rows.append(CriterionSpec(f"{half}.{area}.i", "sub_area", f"{half}.{area}", 1,
                                      Fraction(weight)))  # fmt: skip
            rows += _percent(f"{half}.{area}.i.a", f"{half}.{area}.i")
    survey = scoring.parse_formula("survey(max=4)")
    rows += [
        CriterionSpec("B.I", "subcomponent", "B", 1, Fraction("22.5")),
        CriterionSpec("B.I.a", "question", "B.I", 1, Fraction("17.5"), "survey", survey),
        CriterionSpec("B.I.b", "question", "B.I", 2, Fraction(5), "grade", options=GRADE),
        CriterionSpec("B.II", "subcomponent", "B", 2, Fraction("17.5")),
        CriterionSpec("B.II.a", "question", "B.II", 1, Fraction("17.5"), "survey", survey),
    ]
    return scoring.RubricSpec.build("mini", rows)


def mini_breakdown(*, area1, area2, ipak="4", grade="A", ipkp="4", excel_compat=False):
    """Score the mini rubric with the given area points (split evenly over both halves)."""
    inputs = {}
    for area, weight, points in (("1", 10, area1), ("2", 20, area2)):
        value = Fraction(points) / 2 / weight  # each half holds half the area's points
        for half in ("A.I", "A.II"):
            code = f"{half}.{area}.i.a"
            inputs[f"{code}.1"], inputs[f"{code}.2"] = value.numerator, value.denominator
    answers = {"B.I.a": ipak, "B.I.b": grade, "B.II.a": ipkp}
    return scoring.score(mini_spec(), answers, inputs, excel_compat=excel_compat)
