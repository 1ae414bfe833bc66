"""Demo LKEs: realistic answers at self and TPI level across a few years and statuses."""

import random

from django.db import transaction

from evaluations import selectors, services
from evaluations.models import Evaluation, Level
from evaluations.rubric import scoring
from evaluations.services import AnswerInput
from units.models import Unit

# Status of each demo year's evaluation, by how far along the unit is.
YEAR_STATUSES = {
    2024: Evaluation.Status.TPI_FINAL,
    2025: Evaluation.Status.TPI_REVIEW,
    2026: Evaluation.Status.DRAFT,
}


def demo_answers(spec: scoring.RubricSpec, rng: random.Random, strength: float, share=1.0):
    """Return answers for a unit of a given strength (0–1); `share` of questions answered."""
    found = []
    for question in spec.questions:
        if rng.random() > share:
            continue
        good = rng.random() < strength
        if question.options:
            letters = sorted(question.options, key=question.options.get, reverse=True)
            index = 0 if good else rng.randrange(len(letters))
            found.append(AnswerInput(question.code, letter=letters[index]))
        elif question.answer_type == scoring.SURVEY:
            index = 3.2 + 0.8 * strength * rng.random() if good else 2.5 + rng.random()
            found.append(AnswerInput(question.code, number=f"{min(index, 4):.2f}"))
        elif question.formula.function == "ratio":
            numerator, denominator = question.formula.args
            inputs = {code: rng.randint(5, 40) for code in denominator}
            total = sum(inputs.values())
            inputs[numerator[0]] = total if good else rng.randint(0, total)
            found.append(AnswerInput(question.code, inputs=inputs))
        else:
            previous = rng.randint(0, 12)
            current = rng.randint(0, previous) if good else rng.randint(0, 15)
            codes = question.formula.codes
            found.append(AnswerInput(question.code, inputs={codes[0]: previous, codes[1]: current}))
    return found


@transaction.atomic
def seed_evaluations(*, units, seed: int = 2026) -> int:
    """Create (or leave) the demo evaluations of the given units; return how many were made."""
    rubric = selectors.rubric_active()
    if rubric is None:
        return 0
    spec = selectors.rubric_spec(rubric=rubric)
    rng = random.Random(seed)
    created = 0
    for unit in units:
        strength = rng.uniform(0.55, 0.98)
        for year, status in YEAR_STATUSES.items():
            if Evaluation.objects.filter(unit=unit, year=year).exists():
                continue
            evaluation = services.evaluation_create(unit=unit, year=year, rubric=rubric)
            share = 0.6 if status == Evaluation.Status.DRAFT else 1.0
            services.answers_save(
                evaluation=evaluation,
                level=Level.SELF,
                answers=demo_answers(spec, rng, min(1.0, strength + 0.05), share),
            )
            if status != Evaluation.Status.DRAFT:
                _set_status(evaluation, Evaluation.Status.TPI_REVIEW)
                services.answers_save(
                    evaluation=evaluation,
                    level=Level.TPI,
                    answers=demo_answers(spec, rng, strength),
                )
            _set_status(evaluation, status)
            created += 1
    return created


def _set_status(evaluation, status):
    # Demo history is written directly: there is no person behind these steps to log.
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.status = status


def demo_units():
    return Unit.objects.filter(agency__code__in=["KAB-SLEMAN", "KOTA-SURABAYA", "PROV-JABAR"])
