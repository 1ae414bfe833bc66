"""The home page and the agency page, kept until agencies, units, memberships or users change.

Both show pages of agencies, units and members, each read with a count: four or five queries
(~4 ms at national scale, counting 20,000 units among them) on the two pages everyone opens first.
They are kept (cached_pages.py) under STAMP's token, which every committed save or delete of an
agency, unit, membership or user replaces (signals.py), and under what decides the rows (who may
see what, the page, the search, the language). A signed-in view then costs the token's query.
"""

from __future__ import annotations

from units.models import Agency

from .stamps import Stamp

STAMP = Stamp("directory")


def agency(token: str, pk: int) -> Agency | None:
    """Return the agency (None when there is none); who may see it is the caller's check."""
    return STAMP.get_or_set(token, ("agency", pk), lambda: Agency.objects.filter(pk=pk).first())
