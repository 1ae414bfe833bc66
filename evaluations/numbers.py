"""Numbers as people type them, in the answer form or a workbook cell, and their bounds.

Numbers come as spreadsheet numbers or as text. Text is read the Indonesian way ("1.234,5" is
one thousand two hundred thirty-four and a half; "3,6" is three point six), and every number is
checked against its bounds before anything costly is done with it: a value such as 3E+2999999
is refused by its exponent, never expanded.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# A count (the "Jumlah" rows, the form's numbers) is a whole number below this.
COUNT_LIMIT = 10**9
SURVEY_PLACES = 2  # as the form's step (0.01) and the official survey reports give them
FRACTION_PLACES = 4  # what Answer.number stores


class InvalidValue(Exception):
    """A typed value is not acceptable; `message` says why, translated."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def text(value) -> str:
    """Return a value as trimmed text (12.0 → "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Indonesian: dots group thousands, a comma marks the decimals ("1.234.567,89", "3,6").
_INDONESIAN_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_INDONESIAN_DECIMAL = re.compile(r"[+-]?\d+,\d+")
# Commas grouping thousands with a decimal point ("1,234.5"), as an English Excel writes it, or
# in two groups or more ("1,234,567"): one comma alone is the Indonesian decimal mark.
_ENGLISH_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:(?:,\d{3})+\.\d+|(?:,\d{3}){2,})")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def number(value, *, percent_format: bool = False) -> tuple[Decimal, bool]:
    """Return a cell's number and whether it is a percentage; raise InvalidValue if it is none.

    A percentage is text ending in "%" ("90%" → 90, True) or a number the cell formats as a
    percentage (0.9 shown as 90% → 0.9, True): callers decide what a percentage may mean.
    A cell's format does not apply to text.
    """
    if isinstance(value, bool):
        raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)})
    if isinstance(value, int):
        return Decimal(value), percent_format
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)})
        return value, percent_format
    if isinstance(value, float):
        found = Decimal(repr(value))  # the shortest decimal that is this float: 2.86, not 2.8599…
        if not found.is_finite():
            raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)})
        return found, percent_format
    if not isinstance(value, str):
        raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)})
    typed = _SPACES.sub("", value)
    percent = typed.endswith("%")
    typed = typed.removesuffix("%")
    if _INDONESIAN_GROUPED.fullmatch(typed):
        typed = typed.replace(".", "").replace(",", ".")
    elif _INDONESIAN_DECIMAL.fullmatch(typed):
        typed = typed.replace(",", ".")
    elif _ENGLISH_GROUPED.fullmatch(typed):
        typed = typed.replace(",", "")
    elif not _PLAIN.fullmatch(typed):
        raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)})
    try:
        found = Decimal(typed)
    except InvalidOperation:
        raise InvalidValue(_("“%(value)s” is not a number.") % {"value": text(value)}) from None
    return found, percent


def _show(value: Decimal) -> str:
    """Return a number for a message, without expanding a huge exponent."""
    if abs(value.adjusted()) > 15:
        return f"{value:.3E}"
    return f"{value.normalize():f}"


def count(value) -> Decimal:
    """Return a "Jumlah" cell's count: a whole number from 0 up to (not including) 10^9.

    How the cell is formatted does not matter (12 shown as 1200% is still 12); "12%" typed as
    text is no count.
    """
    found, percent = number(value)
    if percent:
        raise InvalidValue(_("A count is a whole number, not a percentage."))
    if found < 0:
        raise InvalidValue(_("A count cannot be negative."))
    # adjusted() is the exponent of the leading digit: cheap even for 3E+2999999.
    if found.adjusted() >= 9:
        raise InvalidValue(
            _("%(value)s is too large: a count is below 1,000,000,000.") % {"value": _show(found)}
        )
    if found != found.to_integral_value():
        raise InvalidValue(_("%(value)s is not a whole number.") % {"value": _show(found)})
    return found.quantize(Decimal(1))


def survey(value, maximum: Decimal, *, percent_format: bool = False) -> Decimal:
    """Return a survey index: 0 to `maximum`, at most two decimals, never a percentage."""
    found, percent = number(value, percent_format=percent_format)
    if percent:
        raise InvalidValue(
            _("A survey index is a number from 0 to %(max)s, not a percentage.")
            % {"max": _show(maximum)}
        )
    if not 0 <= found <= maximum:
        raise InvalidValue(
            _("%(value)s is outside 0–%(max)s.") % {"value": _show(found), "max": _show(maximum)}
        )
    if found != found.quantize(Decimal(1).scaleb(-SURVEY_PLACES)):
        raise InvalidValue(
            _("%(value)s has more than %(places)s decimals.")
            % {"value": _show(found), "places": SURVEY_PLACES}
        )
    return _plain(found)


def fraction(value, *, percent_format: bool = False) -> Decimal:
    """Return a value between 0 and 1, typed as such or as a percentage ("75%" → 0.75)."""
    found, percent = number(value, percent_format=percent_format)
    if percent and isinstance(value, str):
        # Typed as text "75%"; a number formatted as a percentage already holds 0.75.
        if not 0 <= found <= 100:
            raise InvalidValue(_("%(value)s%% is outside 0–100%%.") % {"value": _show(found)})
        found = found / 100
    elif not 0 <= found <= 1:
        raise InvalidValue(
            _("%(value)s is outside 0–1 (or 0–100%% typed with “%%”).") % {"value": _show(found)}
        )
    if found != found.quantize(Decimal(1).scaleb(-FRACTION_PLACES)):
        raise InvalidValue(
            _("%(value)s has more than %(places)s decimals.")
            % {"value": _show(found), "places": FRACTION_PLACES}
        )
    return _plain(found)


def _plain(value: Decimal) -> Decimal:
    """Return a bounded number without trailing zeros (12.0 → 12, 3.60 → 3.6)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
