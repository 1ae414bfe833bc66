"""Reads behind the agency and unit pages."""

from django.core.paginator import Page, Paginator

from zi_portal import access

from .models import Agency, Membership

PAGE_SIZE = 50


def agency_units(*, user, agency: Agency, page_number=1) -> Page:
    """Return one page of the agency's units that the user may see."""
    units = access.units_for(user).filter(agency=agency).order_by("name")
    return Paginator(units, PAGE_SIZE).get_page(page_number)


def agency_members(*, user, agency: Agency) -> list[Membership]:
    """Return who holds which role in the agency, for those who administer it."""
    if not access.can_change_agency(user, agency):
        return []
    return list(
        agency.memberships.select_related("user", "unit").order_by("role", "user__username")
    )
