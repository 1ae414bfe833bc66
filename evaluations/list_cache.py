"""The evaluation list's pages, kept until an evaluation, its stored totals or its rubric change.

A page of the list is chosen by sorting the scope's evaluations by year, agency and unit name
(an agency's 650 of a year, every one joined to its unit) and counted: ~4 ms of PostgreSQL and
ORM time on every view. It is kept (zi_portal/cached_pages.py) under the tokens of STAMPS for the
agencies the user may see, which every committed change to one of their evaluations or stored
totals replaces (signals.py), and of the directory (unit and agency names), plus the filters, the
page and the language. A change in one agency leaves the other agencies' pages in the cache;
national pages follow every change.
"""

from django.db import transaction

from zi_portal.stamps import StampFamily

from .models import Evaluation

STAMPS = StampFamily("evaluations")


def changed_for_evaluation_on_commit(evaluation_id: int) -> None:
    """Replace the tokens of the evaluation's agency once the current transaction commits."""

    def replace():
        agency_ids = Evaluation.objects.filter(pk=evaluation_id).values_list("agency_id", flat=True)
        STAMPS.changed(agency_ids)  # none left when the evaluation went: every agency's pages

    transaction.on_commit(replace)
