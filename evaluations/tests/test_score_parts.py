"""The stored score parts: what dashboards need to check each threshold rule without rescoring."""

import pytest

from evaluations import services
from evaluations.models import Evaluation, EvaluationScore, Level
from evaluations.tests.factories import full_answers, in_status

pytestmark = pytest.mark.django_db


def test_rescoring_stores_the_score_of_every_component_subcomponent_and_hasil_line(rubric, unit):
    evaluation = in_status(
        services.evaluation_create(unit=unit, year=2025), Evaluation.Status.TPI_REVIEW
    )
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation))
    parts = EvaluationScore.objects.get(evaluation=evaluation, level=Level.TPI).parts
    assert parts["A"] == 60
    assert parts["A.I"] == 30
    assert parts["A.II"] == 30
    assert parts["B"] == 40
    assert parts["B.I"] == 22.5
    assert parts["B.I.a"] == 17.5
    assert parts["B.I.b"] == 5
    assert parts["B.II.a"] == 17.5
    # Sub-areas and areas stay out: `areas` holds the areas already.
    assert "A.I.1" not in parts
