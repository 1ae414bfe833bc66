"""Pages of the national track: the proposal to KemenPANRB (pengusulan) and its national stages,
the public list of awarded units (no login), an award's page and revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from units import selectors as unit_selectors
from zi_portal import access, csv_export

from . import selectors, services
from .forms import (
    AwardCreateForm,
    ItemAddForm,
    LetterForm,
    RevokeForm,
    StageForm,
    SubmissionOpenForm,
    TpnTotalsForm,
)


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


@require_GET
def public_csv(request):
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

    rows = (
        [
            row["year"],
            row["predicate"],
            row["unit__name"],
            row["unit__agency__name"],
            row["unit__agency__province"],
            row["decree_number"],
            row["decree_date"],
            row["revoked_on"],
        ]
        for row in selectors.public_award_rows(params=request.GET)
    )
    return csv_export.csv_response("penghargaan-zi.csv", header, rows)


def _award_page(request, award, *, revoke_form=None, status=200):
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
    return _award_page(request, access.get_award_or_404(request.user, pk))


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
    return _award_page(request, award, revoke_form=form, status=400)


@login_required
@require_POST
def award_create_from_item(request, item_pk):
    item = access.get_submission_item_or_404(request.user, item_pk, for_change=True)
    form = AwardCreateForm(request.POST)
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


# --- Proposal pages (pengusulan) ----------------------------------------------------------------


def _submission_page(request, submission, *, add_form=None, letter_form=None, status=200):
    can_manage = access.can_manage_submissions(request.user, submission.agency_id)
    context = {
        "submission": submission,
        "window": selectors.window_info(submission=submission),
        "items": selectors.submission_items(submission=submission),
        "candidates": selectors.candidates(submission=submission) if can_manage else [],
        "can_manage": can_manage,
        "add_form": add_form
        or ItemAddForm(evaluations=selectors.candidate_evaluations(submission=submission)),
        "letter_form": letter_form
        or LetterForm(
            initial={
                "cover_letter_number": submission.cover_letter_number,
                "cover_letter_date": submission.cover_letter_date,
                "signer_name": submission.signer_name,
                "signer_position": submission.signer_position,
            }
        ),
    }
    return render(request, "awards/submission_detail.html", context, status=status)


@login_required
@require_GET
def submission_list(request):
    context = {
        "submissions": selectors.submission_list(
            user=request.user, page_number=request.GET.get("page")
        ),
        "agencies": access.admin_agencies_for(request.user).order_by("name"),
        "open_form": SubmissionOpenForm(),
    }
    return render(request, "awards/submission_list.html", context)


@login_required
@require_POST
def submission_open(request, agency_pk):
    agency = access.get_agency_or_404(request.user, agency_pk)
    if not access.can_manage_submissions(request.user, agency.pk):
        raise PermissionDenied
    form = SubmissionOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2010 and 2100."))
        return redirect("awards:submission_list")
    submission, _created = services.submission_open(
        agency=agency, year=form.cleaned_data["year"], by=request.user
    )
    return redirect(submission)


@login_required
@require_GET
def submission_detail(request, pk):
    submission = access.get_submission_or_404(request.user, pk)
    return _submission_page(request, submission)


@login_required
@require_POST
def submission_item_add(request, pk):
    submission = access.get_submission_or_404(request.user, pk, for_change=True)
    form = ItemAddForm(
        request.POST, evaluations=selectors.candidate_evaluations(submission=submission)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.submission_item_add(
                submission=submission,
                evaluation=data["evaluation"],
                predicate=data["predicate"],
                afirmasi=data["afirmasi"],
                afirmasi_reason=data["afirmasi_reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(unit)s was proposed for %(predicate)s.")
                % {"unit": item.evaluation.unit.name, "predicate": item.proposed_predicate},
            )
            return redirect(submission)
    return _submission_page(request, submission, add_form=form, status=400)


@login_required
@require_POST
def submission_item_remove(request, pk):
    item = access.get_submission_item_or_404(request.user, pk, for_change=True)
    try:
        services.submission_item_remove(item=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(unit)s was withdrawn.") % {"unit": item.evaluation.unit.name}
        )
    return redirect(item.submission)


@login_required
@require_POST
def submission_letter(request, pk):
    submission = access.get_submission_or_404(request.user, pk, for_change=True)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _submission_page(request, submission, letter_form=form, status=400)
    services.submission_update_letter(submission=submission, by=request.user, **form.cleaned_data)
    messages.success(request, _("The cover letter details were saved."))
    return redirect(submission)


@login_required
@require_POST
def submission_submit(request, pk):
    submission = access.get_submission_or_404(request.user, pk, for_change=True)
    try:
        services.submission_submit(submission=submission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The submission is marked as sent to KemenPANRB."))
    return redirect(submission)


def _printable(request, pk, template):
    submission = access.get_submission_or_404(request.user, pk)
    context = {
        "submission": submission,
        "items": selectors.submission_items(submission=submission),
    }
    return render(request, template, context)


@login_required
@require_GET
def submission_cover_letter(request, pk):
    return _printable(request, pk, "awards/print/cover_letter.html")


@login_required
@require_GET
def submission_sptjm(request, pk):
    return _printable(request, pk, "awards/print/sptjm.html")


def _item_page(request, item, *, stage_form=None, tpn_form=None, award_form=None, status=200):
    context = {
        "item": item,
        **selectors.item_detail(item=item),
        "can_manage": access.can_manage_submissions(request.user, item.submission.agency_id),
        "stage_form": stage_form or StageForm(),
        "tpn_form": tpn_form
        or TpnTotalsForm(initial={"pengungkit": item.tpn_pengungkit, "hasil": item.tpn_hasil}),
        "award_form": award_form or AwardCreateForm(),
    }
    return render(request, "awards/submission_item.html", context, status=status)


@login_required
@require_GET
def submission_item_detail(request, pk):
    item = access.get_submission_item_or_404(request.user, pk)
    return _item_page(request, item)


@login_required
@require_POST
def national_stage_record(request, pk):
    item = access.get_submission_item_or_404(request.user, pk, for_change=True)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.national_stage_record(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The national stage was recorded."))
            return redirect(item)
    return _item_page(request, item, stage_form=form, status=400)


@login_required
@require_POST
def submission_item_tpn(request, pk):
    item = access.get_submission_item_or_404(request.user, pk, for_change=True)
    form = TpnTotalsForm(request.POST)
    if form.is_valid():
        try:
            services.submission_item_set_tpn_totals(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The TPN totals were saved."))
            return redirect(item)
    return _item_page(request, item, tpn_form=form, status=400)


@login_required
def unit_detail(request, pk):
    """The unit's whole journey: pencanangan, evaluations, proposals and awards."""
    unit = access.get_unit_or_404(request.user, pk)
    # The whole journey: pencanangan, evaluations, proposals, awards (fixed query count).
    timeline = selectors.unit_timeline(unit=unit)
    context = {
        "timeline": timeline,
        "unit": unit,
        "can_change": access.can_change_unit(request.user, unit),
        "coverage": unit_selectors.unit_coverage(unit),
    }
    return render(request, "awards/unit_detail.html", context)
