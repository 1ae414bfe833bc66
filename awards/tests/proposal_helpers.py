"""Shared set-up for the proposal and award tests."""

import datetime

from awards import services
from awards.models import Announcement, NationalResult, Submission
from evaluations import workflow
from evaluations.tests.factories import tpi_final
from units.tests.factories import PencananganFactory

from .factories import AwardFactory

PROPOSAL_DAY = datetime.date(2025, 4, 1)  # inside the 2025 proposal window
STAGE_DAY = datetime.date(2025, 7, 1)  # when KemenPANRB records the stages in these tests


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


def pass_stages(item, by, *, through="panel", on=STAGE_DAY):
    """Record every stage up to `through` as passed, in order (as KemenPANRB does)."""
    for stage in workflow.NATIONAL_STAGES[: workflow.NATIONAL_STAGES.index(through) + 1]:
        services.national_stage_record(
            item=item, stage=stage, date=on, outcome="passed", by=by, today=on
        )
    item.refresh_from_db()
    return item


def record_result(item, by, result=NationalResult.WBK, *, on=STAGE_DAY):
    """Pass every stage, then record the national result (a WBK by default)."""
    pass_stages(item, by, on=on)
    services.national_stage_record(
        item=item, stage="result", date=on, outcome="", result=result, by=by, today=on
    )
    item.refresh_from_db()
    return item


def announcement(year=2025, number="SK-10/MENPANRB/2025", *, by=None, **dates):
    """An unpublished announcement of the Minister's decree for `year`."""
    return Announcement.objects.create(
        year=year,
        decree_number=number,
        decree_date=dates.get("decree_date", datetime.date(year, 12, 5)),
        publish_on=dates.get("publish_on", datetime.date(year, 12, 9)),
        created_by=by,
    )
