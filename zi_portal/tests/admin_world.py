"""Objects of one agency and of another, for the tests that walk the Django admin.

Every model with an admin has an object of `agency` ("own") and one of `foreign_agency`
("foreign"); a form POSTed with the foreign one's id must be refused.
"""

import datetime

from awards.models import NationalStage, ProposalWindow, Submission, SubmissionItem
from awards.tests.factories import AwardFactory
from evaluations import services
from evaluations.models import Level
from evaluations.tests.factories import in_status
from units.models import Membership
from units.tests.factories import PencananganFactory


def _proposal(agency, unit, year=2024):
    """A submission with one proposed unit and one national stage, and the unit's award."""
    evaluation = in_status(services.evaluation_create(unit=unit, year=year), "awarded_wbk")
    submission = Submission.objects.create(agency=agency, year=year)
    item = SubmissionItem.objects.create(
        submission=submission,
        evaluation=evaluation,
        proposed_predicate="WBK",
        tpi_total=80,
    )
    stage = NationalStage.objects.create(item=item, stage="panel", date=datetime.date(2024, 9, 1))
    # An award from before the portal kept proposals: no item, whose result it would repeat (a
    # foreign key on PostgreSQL); the item stays without a result for the result tests.
    award = AwardFactory(unit=unit, year=year, evaluation=evaluation)
    return {"submission": submission, "item": item, "stage": stage, "award": award}


def build_world(*, agency, unit, foreign_agency, foreign_unit, agency_admin, outsider):
    """Return own and foreign objects by name (`evaluation`, `foreign_evaluation`, …)."""
    evaluation = in_status(services.evaluation_create(unit=unit, year=2025), "draft")
    foreign_evaluation = services.evaluation_create(unit=foreign_unit, year=2025)
    answers = [services.AnswerInput("A.I.1.i.a", letter="Ya")]
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=answers)
    services.answers_save(evaluation=foreign_evaluation, level=Level.SELF, answers=answers)
    own = _proposal(agency, unit)
    foreign = {f"foreign_{k}": v for k, v in _proposal(foreign_agency, foreign_unit).items()}
    return {
        **own,
        **foreign,
        "agency": agency,
        "unit": unit,
        "foreign_agency": foreign_agency,
        "foreign_unit": foreign_unit,
        "membership": Membership.objects.get(user=agency_admin),
        "foreign_membership": Membership.objects.get(user=outsider),
        "user": agency_admin,
        "foreign_user": outsider,
        "evaluation": evaluation,
        "foreign_evaluation": foreign_evaluation,
        "answer": evaluation.answers.get(),
        "foreign_answer": foreign_evaluation.answers.get(),
        "score": evaluation.scores.first(),
        "foreign_score": foreign_evaluation.scores.first(),
        "pencanangan": PencananganFactory(agency=agency),
        "foreign_pencanangan": PencananganFactory(agency=foreign_agency),
        "window": ProposalWindow.objects.create(year=2024, closes_on=datetime.date(2024, 5, 31)),
    }


# Per model with agency-owned rows: the world's key of its own and foreign objects.
AGENCY_OWNED = {
    "units.agency": "agency",
    "units.unit": "unit",
    "units.membership": "membership",
    "units.pencanangan": "pencanangan",
    "auth.user": "user",
    "evaluations.evaluation": "evaluation",
    "evaluations.answer": "answer",
    "evaluations.evaluationscore": "score",
    "awards.submission": "submission",
    "awards.submissionitem": "item",
    "awards.nationalstage": "stage",
    "awards.award": "award",
}


def own_and_foreign(world, model):
    """Return (own, foreign) objects of `model`, or (None, None) when it has no agency."""
    key = AGENCY_OWNED.get(model._meta.label_lower)
    if key is None:
        return None, None
    return world[key], world[f"foreign_{key}"]
