import factory

from evaluations import selectors
from evaluations.models import Criterion, Evaluation, Evidence, RubricVersion
from evaluations.rubric import scoring
from evaluations.services import AnswerInput
from units.tests.factories import UnitFactory


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation on the active rubric (tests load the shipped 2021 rubric)."""

    class Meta:
        model = Evaluation

    unit = factory.SubFactory(UnitFactory)
    year = factory.Sequence(lambda n: 2021 + n % 50)
    rubric = factory.LazyFunction(lambda: RubricVersion.objects.get(is_active=True))


def in_status(evaluation: Evaluation, status: str) -> Evaluation:
    """Put an evaluation in a workflow status directly, as the workflow would have left it."""
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    return evaluation


def full_answers(evaluation: Evaluation) -> list[AnswerInput]:
    """Return AnswerInputs that give every question of the evaluation's rubric full marks."""
    spec = selectors.rubric_spec(rubric=evaluation.rubric)
    found = []
    for question in spec.questions:
        if question.options:
            letter = max(question.options, key=question.options.get)
            found.append(AnswerInput(question.code, letter=letter))
        elif question.answer_type == scoring.SURVEY:
            found.append(AnswerInput(question.code, number="4"))
        elif question.formula.function == "ratio":
            numerator, denominator = question.formula.args
            inputs = dict.fromkeys(denominator, 1)
            inputs[numerator[0]] = len(denominator)
            found.append(AnswerInput(question.code, inputs=inputs))
        else:
            found.append(
                AnswerInput(question.code, inputs=dict.fromkeys(question.formula.codes, 0))
            )
    return found


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


def tpi_final(unit, year: int, *, answers=None, drop=()) -> Evaluation:
    """Return a unit's evaluation with final TPI scores: full marks unless told otherwise.

    `answers` replace full marks for the questions they name; `drop` leaves questions out.
    """
    from evaluations import services

    evaluation = in_status(
        services.evaluation_create(unit=unit, year=year), Evaluation.Status.TPI_REVIEW
    )
    chosen = {a.question: a for a in full_answers(evaluation) if a.question not in drop}
    for answer in answers or []:
        chosen[answer.question] = answer
    services.answers_save(evaluation=evaluation, level="tpi", answers=list(chosen.values()))
    return in_status(evaluation, Evaluation.Status.TPI_FINAL)


def below_wbk(unit, year: int) -> Evaluation:
    """A tpi_final evaluation whose IPAK survey (index 3) misses the WBK line (total 95.625)."""
    return tpi_final(unit, year, answers=[AnswerInput("B.I.a", number="3")])
