"""Proposal pages (pengusulan): thin views over access.py, submissions.py and its selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zi_portal import access

from . import submission_selectors, submissions
from .models import Evaluation
from .submission_forms import (
    ItemAddForm,
    LetterForm,
    StageForm,
    SubmissionOpenForm,
    TpnTotalsForm,
)


def _candidate_queryset(submission):
    return Evaluation.objects.filter(
        unit__agency_id=submission.agency_id,
        year=submission.year,
        status=Evaluation.Status.TPI_FINAL,
    ).select_related("unit")


def _detail(request, submission, *, add_form=None, letter_form=None, status=200):
    can_manage = access.can_manage_submissions(request.user, submission.agency_id)
    context = {
        "submission": submission,
        "window": submission_selectors.window_info(submission=submission),
        "items": submission_selectors.submission_items(submission=submission),
        "candidates": submission_selectors.candidates(submission=submission) if can_manage else [],
        "can_manage": can_manage,
        "add_form": add_form or ItemAddForm(evaluations=_candidate_queryset(submission)),
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
    return render(request, "evaluations/submission_detail.html", context, status=status)


@login_required
@require_GET
def submission_list(request):
    context = {
        "submissions": submission_selectors.submission_list(
            user=request.user, page_number=request.GET.get("page")
        ),
        "agencies": access.admin_agencies_for(request.user).order_by("name"),
        "open_form": SubmissionOpenForm(),
    }
    return render(request, "evaluations/submission_list.html", context)


@login_required
@require_POST
def submission_open(request, agency_pk):
    agency = access.get_agency_or_404(request.user, agency_pk)
    if not access.can_manage_submissions(request.user, agency.pk):
        raise PermissionDenied
    form = SubmissionOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2010 and 2100."))
        return redirect("evaluations:submission_list")
    submission, _created = submissions.submission_open(
        agency=agency, year=form.cleaned_data["year"], by=request.user
    )
    return redirect(submission)


@login_required
@require_GET
def submission_detail(request, pk):
    submission = access.get_submission_or_404(request.user, pk)
    return _detail(request, submission)


@login_required
@require_POST
def submission_item_add(request, pk):
    submission = access.get_submission_or_404(request.user, pk, for_change=True)
    form = ItemAddForm(request.POST, evaluations=_candidate_queryset(submission))
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = submissions.submission_item_add(
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
    return _detail(request, submission, add_form=form, status=400)


@login_required
@require_POST
def submission_item_remove(request, pk):
    item = access.get_submission_item_or_404(request.user, pk, for_change=True)
    try:
        submissions.submission_item_remove(item=item, by=request.user)
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
        return _detail(request, submission, letter_form=form, status=400)
    submissions.submission_update_letter(
        submission=submission, by=request.user, **form.cleaned_data
    )
    messages.success(request, _("The cover letter details were saved."))
    return redirect(submission)


@login_required
@require_POST
def submission_submit(request, pk):
    submission = access.get_submission_or_404(request.user, pk, for_change=True)
    try:
        submissions.submission_submit(submission=submission, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The submission is marked as sent to KemenPANRB."))
    return redirect(submission)


def _printable(request, pk, template):
    submission = access.get_submission_or_404(request.user, pk)
    context = {
        "submission": submission,
        "items": submission_selectors.submission_items(submission=submission),
    }
    return render(request, template, context)


@login_required
@require_GET
def submission_cover_letter(request, pk):
    return _printable(request, pk, "evaluations/print/cover_letter.html")


@login_required
@require_GET
def submission_sptjm(request, pk):
    return _printable(request, pk, "evaluations/print/sptjm.html")


def _item_page(request, item, *, stage_form=None, tpn_form=None, award_form=None, status=200):
    from awards.views import award_create_form

    context = {
        "item": item,
        **submission_selectors.item_detail(item=item),
        "can_manage": access.can_manage_submissions(request.user, item.submission.agency_id),
        "stage_form": stage_form or StageForm(),
        "tpn_form": tpn_form
        or TpnTotalsForm(initial={"pengungkit": item.tpn_pengungkit, "hasil": item.tpn_hasil}),
        "award_form": award_form or award_create_form(),
    }
    return render(request, "evaluations/submission_item.html", context, status=status)


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
            submissions.national_stage_record(item=item, by=request.user, **form.cleaned_data)
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
            submissions.submission_item_set_tpn_totals(
                item=item, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The TPN totals were saved."))
            return redirect(item)
    return _item_page(request, item, tpn_form=form, status=400)
