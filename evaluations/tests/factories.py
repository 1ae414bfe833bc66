import factory

from evaluations.models import Evaluation, RubricVersion
from units.tests.factories import UnitFactory


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation on the active rubric (tests load the shipped 2021 rubric)."""

    class Meta:
        model = Evaluation

    unit = factory.SubFactory(UnitFactory)
    year = factory.Sequence(lambda n: 2021 + n % 50)
    rubric = factory.LazyFunction(lambda: RubricVersion.objects.get(is_active=True))
