"""Agency and unit pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from awards import selectors as award_selectors
from zi_portal import access

from . import selectors


@login_required
def agency_detail(request, pk):
    agency = access.get_agency_or_404(request.user, pk)
    context = {
        "agency": agency,
        "units": selectors.agency_units(
            user=request.user, agency=agency, page_number=request.GET.get("page")
        ),
        "members": selectors.agency_members(user=request.user, agency=agency),
        "can_change": access.can_change_agency(request.user, agency),
    }
    return render(request, "units/agency_detail.html", context)


@login_required
def unit_detail(request, pk):
    unit = access.get_unit_or_404(request.user, pk)
    # The whole journey: pencanangan, evaluations, proposals, awards (fixed query count).
    timeline = award_selectors.unit_timeline(unit=unit)
    context = {
        "timeline": timeline,
        "unit": unit,
        "can_change": access.can_change_unit(request.user, unit),
    }
    return render(request, "units/unit_detail.html", context)
