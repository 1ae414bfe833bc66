"""Bulk exports of an agency's year (every LKE workbook and LHE in one zip): ask, follow, fetch."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from evaluations.models import BulkExport
from evaluations.workbook import bulk
from zi_portal import access, uploads

LISTED = 20  # the person's latest exports of the agency; older ones are deleted within days


class BulkExportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


@login_required
@require_http_methods(["GET", "POST"])
def bulk_exports(request, agency_pk):
    agency = access.get_agency_or_404(request.user, agency_pk, for_change=True)
    years = bulk.export_years(user=request.user, agency=agency)
    form = BulkExportForm(request.POST or None, years=years)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _export, created = bulk.bulk_export_request(
                    agency=agency, year=form.cleaned_data["year"], by=request.user
                )
            except ValidationError as exc:
                form.add_error("year", exc)
            else:
                if created:
                    messages.success(
                        request,
                        _(
                            "The export is being prepared. This page shows when it is ready "
                            "to download."
                        ),
                    )
                else:
                    messages.info(request, _("This export is already being prepared."))
                return redirect("evaluations:bulk_exports", agency_pk=agency.pk)
        status = 400
    exports = list(
        access.bulk_exports_for(request.user)
        .filter(agency=agency)
        .select_related("agency")
        .order_by("-created_at", "-pk")[:LISTED]
    )
    context = {
        "agency": agency,
        "form": form,
        "years": years,
        "exports": exports,
        "keep_days": settings.BULK_EXPORT_KEEP_DAYS,
        # The list refreshes itself (htmx) while an export is on its way.
        "pending": any(
            e.status in (BulkExport.Status.QUEUED, BulkExport.Status.RUNNING) for e in exports
        ),
    }
    if request.htmx:
        return render(request, "evaluations/partials/_bulk_exports.html", context)
    return render(request, "evaluations/bulk_exports.html", context, status=status)


@login_required
@require_GET
def bulk_export_download(request, pk):
    export = access.get_bulk_export_or_404(request.user, pk)
    if export.status != BulkExport.Status.DONE:
        raise Http404
    return uploads.serve_private_file(export.file, filename=export.download_name)
