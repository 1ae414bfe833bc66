"""Reads behind the project-level pages, one function per page."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from units.models import Unit

from . import access

PAGE_SIZE = 25


def home_agencies(*, user, page_number=1) -> Page:
    """Return one page of the agencies the user may see, with their active-unit counts."""
    # A correlated count instead of JOIN + GROUP BY: with 20,000 units the grouped join counted
    # every agency's units before keeping one page; the subquery runs for the 25 rows shown.
    active_units = (
        Unit.objects.filter(agency=OuterRef("pk"), is_active=True)
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agencies = (
        access.agencies_for(user)
        .annotate(unit_count=Coalesce(Subquery(active_units, output_field=IntegerField()), 0))
        .order_by("name")
    )
    return Paginator(agencies, PAGE_SIZE).get_page(page_number)


def home_units(*, user, query: str = "", page_number=1) -> Page:
    """Return one page of the units the user may see, optionally filtered by name or code."""
    units = access.units_for(user).select_related("agency").order_by("agency__name", "name")
    # PostgreSQL text cannot hold NUL, and no name contains one: drop it rather than fail.
    query = query.replace("\x00", "")
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return Paginator(units, PAGE_SIZE).get_page(page_number)
