"""Formatting of scores: two decimals in the active language (stored and compared unrounded)."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def points(value):
    """Show a score (Fraction, Decimal or float) with two decimals."""
    if value is None or value == "":
        return "—"
    return floatformat(float(value), 2)


@register.filter
def bar_width(value):
    """Clamp a percentage to 0–100 for a progress bar's width."""
    return f"{max(0.0, min(100.0, float(value))):.2f}"
