"""Pages of a list kept under the tokens of the data they show (stamps.py), rows and all."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils import translation
from django.utils.safestring import SafeString

from . import row_cache, stamps


@dataclass(frozen=True)
class CachedPage:
    """One page of a list as kept: its rows' values, their HTML and the list's count."""

    count: int
    number: int
    rows: list
    html: SafeString  # rendered by the row template

    def page(self, per_page: int) -> Page:
        """Return a Page of the rows' values for the pagination template (no COUNT query)."""
        return Page(self.rows, self.number, counted_paginator(self.count, per_page))


def counted_paginator(count: int, per_page: int) -> Paginator:
    """Return a Paginator for a list already counted, whose page rows are read apart."""
    paginator = Paginator([], per_page)
    paginator.count = count  # no COUNT query
    return paginator


def given_filters(filterset, params) -> tuple:
    """Return the filters as given in `params` (a QueryDict, as request.GET), for a cache key."""
    return tuple(
        (name, tuple(params.getlist(name))) for name in filterset.filters if name in params
    )


def cached_page(
    tokens: tuple, parts: tuple, read, *, template: str, name: str, values
) -> CachedPage:
    """Return the page `read()` gives, rendered row by row with `template`, kept under `tokens`.

    `tokens` are those of the data the page shows; `parts` name what else decides its rows
    (scope, filters, page); `values(row)` is everything the template shows of a row (row_cache).
    """

    def compute():
        page = read()
        html = row_cache.render_rows(template, page, name=name, values=values)
        rows = [values(row) for row in page]
        return CachedPage(page.paginator.count, page.number, rows, html)

    return stamps.cached((template, tokens, *parts, translation.get_language()), compute)
