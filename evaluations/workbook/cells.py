"""Read one workbook cell: text and links as units type them; numbers through evaluations.numbers,
the one reading the answer form uses too."""

from __future__ import annotations

import re

from evaluations.numbers import InvalidValue, text

NOT_FILLED = "blm diisi"  # the official workbook's own "not filled in" text

# Every problem with a cell, a number's included: one error the reader reports with its row.
CellError = InvalidValue


def note(value) -> str:
    """Return a note cell's text as typed: spaces and line breaks are part of a note."""
    if isinstance(value, str):
        return value if value.strip() else ""
    return text(value)


def lines(value) -> list[str]:
    return [line.strip() for line in text(value).splitlines() if line.strip()]


def is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def is_blank(value) -> bool:
    """True for an empty cell, and for the workbook's own "Blm Diisi" (not filled in)."""
    found = text(value)
    return not found or found.lower() == NOT_FILLED


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def link_lines(value) -> list[str]:
    """Return the links of a cell: one a line, and several on one line when only links stand there.

    A line that holds something else than links stays whole, so that it is reported as one
    value that is not a web link.
    """
    found = []
    for line in lines(value):
        parts = [p for p in re.split(r"[\s;,]+", line) if p]
        if len(parts) > 1 and all(_URL.fullmatch(p) for p in parts):
            found.extend(parts)
        else:
            found.append(line)
    return found
