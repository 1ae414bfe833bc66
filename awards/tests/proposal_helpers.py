"""Shared set-up for the proposal and award tests."""

import datetime

from awards import services
from awards.models import NationalResult, Submission
from evaluations.tests.factories import tpi_final
from units.tests.factories import PencananganFactory

from .factories import AwardFactory

PROPOSAL_DAY = datetime.date(2025, 4, 1)  # inside the 2025 proposal window


def cover(agency, on=datetime.date(2020, 1, 15)):
    """Record a pencanangan covering the whole agency (proposing needs one)."""
    return PencananganFactory(agency=agency, date=on)


def held(unit, predicate, year, *, revoked_on=None):
    """An award the unit holds (or held, when revoked)."""
    return AwardFactory(
        unit=unit,
        predicate=predicate,
        year=year,
        revoked_on=revoked_on,
        revocation_reason="Kasus korupsi" if revoked_on else "",
    )


def proposed_item(agency, unit, by, *, today=PROPOSAL_DAY):
    """The unit's TPI-final 2025 LKE, proposed for WBK by an agency covered by a pencanangan."""
    cover(agency)
    return services.submission_item_add(
        submission=Submission.objects.create(agency=agency, year=2025),
        evaluation=tpi_final(unit, 2025),
        predicate="WBK",
        by=by,
        today=today,
    )


def record_result(item, by, result=NationalResult.WBK, *, today=PROPOSAL_DAY):
    """Record the national result of a proposed item (a WBK pass by default)."""
    services.national_stage_record(
        item=item, stage="result", date=today, outcome="passed", result=result, by=by
    )
    item.refresh_from_db()
    return item
