"""The rules between predicates: what a unit holds, and when its award history bars a proposal.

Pure functions over award rows (anything with predicate, year and revoked_on), so that one
unit's page and the candidate list of a whole agency apply the same rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.models import Predicate


def held_since(awards: Iterable, *, year: int) -> dict[str, int]:
    """Return each predicate a unit held before `year`, with the first year it held it.

    `awards` are the unit's awards. A revoked award no longer counts; a WBBM holder also counts
    as holding WBK. The keys are the predicates held, as scoring's prior-predicate rule reads them.
    """
    held: dict[str, int] = {}
    for award in sorted(awards, key=lambda a: a.year):
        if award.revoked_on is None and award.year < year:
            held.setdefault(award.predicate, award.year)
    if Predicate.WBBM in held:
        held.setdefault(Predicate.WBK, held[Predicate.WBBM])
    return held


def years_between(earlier: datetime.date, later: datetime.date) -> int:
    """Return the whole years from one date to another (anniversaries passed)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def history_refusals(
    *, predicate: str, year: int, awards, rubric, today: datetime.date
) -> list[str]:
    """Return why the unit's award history forbids proposing it for `predicate` in `year`.

    `rubric` is the evaluation's rubric version, which holds the regulation's numbers.
    """
    awards = list(awards)
    refusals = []
    cooldown = rubric.revocation_cooldown_years
    for award in awards:
        if award.revoked_on and years_between(award.revoked_on, today) < cooldown:
            refusals.append(
                _(
                    "The unit's %(predicate)s predicate was revoked on %(date)s: it cannot be "
                    "proposed again within %(years)s years of the revocation."
                )
                % {
                    "predicate": award.predicate,
                    "date": date_format(award.revoked_on, "DATE_FORMAT"),
                    "years": cooldown,
                }
            )
            break
    held = held_since(awards, year=year)
    if Predicate.WBBM in held:
        refusals.append(
            _("The unit already holds WBBM, the highest predicate: it is not proposed again.")
        )
    elif predicate == Predicate.WBBM:
        minimum = rubric.wbbm_min_years_wbk
        if Predicate.WBK not in held:
            refusals.append(_("WBBM can only be proposed for a unit that holds WBK."))
        elif year - held[Predicate.WBK] < minimum:
            refusals.append(
                _(
                    "WBBM needs WBK held for at least %(minimum)s years; the unit has held it "
                    "since %(since)s."
                )
                % {"minimum": minimum, "since": held[Predicate.WBK]}
            )
    return refusals
