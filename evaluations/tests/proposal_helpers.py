"""Shared set-up for the proposal and award tests."""

import datetime

from awards.tests.factories import AwardFactory
from units.tests.factories import PencananganFactory


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
