"""The home page and the agency page, kept until agencies, units, memberships or users change.

Both show pages of agencies, units and members, each read with a count: four or five queries
(~4 ms at national scale, counting 20,000 units among them) on the two pages everyone opens first.
They are kept under STAMP's token, which every committed save or delete of an agency, unit,
membership or user replaces (signals.py), and under what decides the rows (who may see what, the
page, the search, the language). A signed-in view then costs the token's query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils import translation
from django.utils.safestring import SafeString

from units.models import Agency

from . import row_cache
from .stamps import Stamp

STAMP = Stamp("directory")


def agency(token: str, pk: int) -> Agency | None:
    """Return the agency (None when there is none); who may see it is the caller's check."""
    return STAMP.get_or_set(token, ("agency", pk), lambda: Agency.objects.filter(pk=pk).first())


@dataclass(frozen=True)
class CachedPage:
    """One page of a list as kept: its rows' values, their HTML and the list's count."""

    count: int
    number: int
    rows: list
    html: SafeString  # rendered by the row template

    def page(self, per_page: int) -> Page:
        """Return a Page of the rows' values for the pagination template (no COUNT query)."""
        paginator = Paginator([], per_page)
        paginator.count = self.count
        return Page(self.rows, self.number, paginator)


def cached_page(token: str, parts: tuple, read, *, template: str, name: str, values) -> CachedPage:
    """Return the page `read()` gives, rendered row by row with `template`, kept under `token`.

    `parts` names what decides the rows besides the stamped data (scope, page, search);
    `values(row)` is everything the template shows of a row (row_cache).
    """

    def compute():
        page = read()
        html = row_cache.render_rows(template, page, name=name, values=values)
        rows = [values(row) for row in page]
        return CachedPage(page.paginator.count, page.number, rows, html)

    return STAMP.get_or_set(token, (template, *parts, translation.get_language()), compute)
