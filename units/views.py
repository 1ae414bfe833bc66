"""Agency, unit and pencanangan pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zi_portal import access, uploads

from . import selectors, services
from .forms import PencananganForm


@login_required
def agency_detail(request, pk):
    user = request.user
    agency = access.get_agency_or_404(user, pk)
    can_change = access.can_change_agency(user, agency)
    context = {
        "agency": agency,
        "units": selectors.agency_units(
            user=user, agency=agency, page_number=request.GET.get("page")
        ),
        "can_change": can_change,
    }
    if can_change:  # only those who administer the agency see who holds which role in it
        context["members"] = selectors.agency_members(
            agency=agency, page_number=request.GET.get("members_page")
        )
    return render(request, "units/agency_detail.html", context)


@login_required
@require_GET
def pencanangan_list(request, agency_pk=None):
    agency = access.get_agency_or_404(request.user, agency_pk) if agency_pk else None
    context = {
        "agency": agency,
        "records": selectors.pencanangan_list_for(
            user=request.user, agency=agency, page_number=request.GET.get("page")
        ),
        "can_create": agency is not None and access.can_manage_pencanangan(request.user, agency),
        "create_for": [] if agency else access.agencies_managing_pencanangan(request.user),
    }
    return render(request, "units/pencanangan_list.html", context)


@login_required
@require_GET
def pencanangan_detail(request, pk):
    pencanangan = access.get_pencanangan_or_404(request.user, pk)
    context = {
        "detail": selectors.pencanangan_detail(pencanangan=pencanangan),
        "pencanangan": pencanangan,
        "can_change": access.can_manage_pencanangan(request.user, pencanangan.agency),
    }
    return render(request, "units/pencanangan_detail.html", context)


def _bound(request):
    """Return the form's data and files: bound on POST, unbound on GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _save_or_show_errors(form, save):
    """Run a service; put its ValidationError next to the fields. Return the result or None."""
    try:
        return save(**form.service_arguments())
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def pencanangan_create(request, agency_pk):
    agency = access.get_agency_or_404(request.user, agency_pk, for_change=True)
    form = PencananganForm(*_bound(request), agency=agency)
    if request.method == "POST" and form.is_valid():
        pencanangan = _save_or_show_errors(
            form,
            lambda **kwargs: services.pencanangan_create(agency=agency, by=request.user, **kwargs),
        )
        if pencanangan:
            messages.success(request, _("The pencanangan was recorded."))
            return redirect(pencanangan)
    return render(request, "units/pencanangan_form.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def pencanangan_update(request, pk):
    pencanangan = access.get_pencanangan_or_404(request.user, pk, for_change=True)
    form = PencananganForm(*_bound(request), instance=pencanangan, agency=pencanangan.agency)
    if request.method == "POST" and form.is_valid():
        saved = _save_or_show_errors(
            form,
            lambda **kwargs: services.pencanangan_update(
                pencanangan=pencanangan, by=request.user, **kwargs
            ),
        )
        if saved:
            messages.success(request, _("The pencanangan was saved."))
            return redirect(saved)
    context = {"form": form, "agency": pencanangan.agency, "pencanangan": pencanangan}
    return render(request, "units/pencanangan_form.html", context)


@login_required
@require_GET
def pencanangan_charter(request, pk):
    pencanangan = access.get_pencanangan_or_404(request.user, pk)
    return uploads.serve_private_file(
        pencanangan.charter, as_attachment=request.GET.get("tampilkan") != "1"
    )
