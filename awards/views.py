"""Award pages: the public list of awarded units (no login), an award's page and revocation."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.submission_forms import AwardCreateForm, RevokeForm
from zi_portal import access

from . import selectors, services


def award_create_form(data=None):
    return AwardCreateForm(data)


@require_GET
def public_list(request):
    """Open to everyone: published awards only, and only their public fields."""
    listing = selectors.public_award_list(params=request.GET, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "listing": listing,
        "query": query.urlencode(),
    }
    return render(request, "awards/public_list.html", context)


class _Echo:
    def write(self, value):
        return value


@require_GET
def public_csv(request):
    writer = csv.writer(_Echo())
    header = [
        _("Year"),
        _("Predicate"),
        _("Unit"),
        _("Agency"),
        _("Province"),
        _("Decree (SK) number"),
        _("Decree date"),
        _("Revoked on"),
    ]

    def rows():
        yield writer.writerow(header)
        for row in selectors.public_award_rows(params=request.GET):
            yield writer.writerow(
                [
                    row["year"],
                    row["predicate"],
                    row["unit__name"],
                    row["unit__agency__name"],
                    row["unit__agency__province"],
                    row["decree_number"],
                    row["decree_date"].isoformat(),
                    row["revoked_on"].isoformat() if row["revoked_on"] else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="penghargaan-zi.csv"'
    return response


def _detail(request, award, *, revoke_form=None, status=200):
    context = {
        "award": award,
        "history": selectors.award_history(award=award),
        "can_manage": access.can_manage_submissions(request.user, award.unit.agency_id),
        "revoke_form": revoke_form or RevokeForm(),
    }
    return render(request, "awards/award_detail.html", context, status=status)


@login_required
@require_GET
def award_detail(request, pk):
    return _detail(request, access.get_award_or_404(request.user, pk))


@login_required
@require_POST
def award_revoke(request, pk):
    award = access.get_award_or_404(request.user, pk, for_change=True)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.award_revoke(award=award, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The predicate was revoked."))
            return redirect(award)
    return _detail(request, award, revoke_form=form, status=400)


@login_required
@require_POST
def award_create_from_item(request, item_pk):
    from evaluations.views_submissions import _item_page

    item = access.get_submission_item_or_404(request.user, item_pk, for_change=True)
    form = award_create_form(request.POST)
    if form.is_valid():
        try:
            award, created = services.award_create_from_item(
                item=item, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("The award was created."))
            else:
                messages.info(request, _("This result already has its award."))
            return redirect(award)
    return _item_page(request, item, award_form=form, status=400)
