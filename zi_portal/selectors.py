"""Reads behind the project-level pages, one function per page."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from . import access

PAGE_SIZE = 25


def home_agencies(*, user, page_number=1) -> Page:
    """Return one page of the agencies the user may see, with their active-unit counts."""
    agencies = (
        access.agencies_for(user)
        .annotate(unit_count=Count("units", filter=Q(units__is_active=True)))
        .order_by("name")
    )
    return Paginator(agencies, PAGE_SIZE).get_page(page_number)


def home_units(*, user, query: str = "", page_number=1) -> Page:
    """Return one page of the units the user may see, optionally filtered by name or code."""
    units = access.units_for(user).select_related("agency").order_by("agency__name", "name")
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return Paginator(units, PAGE_SIZE).get_page(page_number)
