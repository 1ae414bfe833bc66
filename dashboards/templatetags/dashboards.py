from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def dashboard_cell(value):
    """Show a dashboard number with two decimals, like every score; nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | float):
        return floatformat(value, 2)
    return value
