import factory

from evaluations.models import Criterion, Evaluation, Evidence, RubricVersion
from units.tests.factories import UnitFactory


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation on the active rubric (tests load the shipped 2021 rubric)."""

    class Meta:
        model = Evaluation

    unit = factory.SubFactory(UnitFactory)
    year = factory.Sequence(lambda n: 2021 + n % 50)
    rubric = factory.LazyFunction(lambda: RubricVersion.objects.get(is_active=True))


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A link evidence item (file evidence goes through services.evidence_add_file)."""

    class Meta:
        model = Evidence

    evaluation = factory.SubFactory(EvaluationFactory)
    question = factory.LazyAttribute(
        lambda o: Criterion.objects.get(rubric=o.evaluation.rubric, code="A.I.1.i.a")
    )
    kind = Evidence.Kind.LINK
    url = factory.Sequence(lambda n: f"https://contoh.go.id/bukti/{n}")
    description = "Bukti"
