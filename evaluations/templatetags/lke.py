"""Formatting of scores: two decimals in the active language (stored and compared unrounded)."""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def points(value):
    """Show a score (Fraction, Decimal or float) with two decimals and the language's separator.

    The LKE page formats thousands of numbers; Django's `floatformat` goes through Decimal and the
    full localisation machinery each time, which made it a tenth of the page's cost.
    """
    if value is None or value == "":
        return "—"
    text = f"{float(value):.2f}"
    if text == "-0.00":
        text = "0.00"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def bar_width(value):
    """Clamp a percentage to 0–100 for a progress bar's width."""
    return f"{max(0.0, min(100.0, float(value))):.2f}"
