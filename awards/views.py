"""Pages of the national track: the agency's proposal to KemenPANRB (pengusulan), the national
stages and objections KemenPANRB records, the national evaluators' work, the proposal windows,
the Minister's announcements and awards, the public list of awarded units (no login).

Irreversible steps (a result, an award, a publication, a revocation) have a confirmation page: a
GET shows what will happen, a POST carrying `confirm=yes` does it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations.models import Evaluation
from units import selectors as unit_selectors
from zi_portal import access, csv_export, uploads

from . import selectors, services
from .forms import (
    AnnouncementAddForm,
    AnnouncementForm,
    AwardCreateForm,
    FindingsForm,
    ItemAddForm,
    LetterForm,
    ObjectionDecisionForm,
    ObjectionForm,
    ResultForm,
    RevokeForm,
    StageForm,
    StageWithdrawForm,
    SubmissionOpenForm,
    TpnTotalsForm,
    WindowForm,
)
from .models import NationalResult, ProposalWindow

CONFIRM = "yes"


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == CONFIRM


def _require_national(user):
    if not access.can_decide_national(user):
        raise PermissionDenied


def _confirmation(request, *, title, consequences, form, action, button, cancel, status=200):
    """The page before an irreversible step: what will happen, the form, and a confirm button."""
    if form.is_bound and not _confirmed(request) and form.is_valid():
        form.add_error(None, _("Confirm the step with the button below."))
    context = {
        "title": title,
        "consequences": consequences,
        "form": form,
        "action": action,
        "button": button,
        "cancel": cancel,
        "confirm": CONFIRM,
    }
    return render(request, "awards/confirm.html", context, status=status)


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


# --- Proposal pages (pengusulan) ----------------------------------------------------------------


def _submission_page(request, submission, *, add_form=None, letter_form=None, status=200):
    can_manage = access.can_propose(request.user, submission.agency_id)
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
        "agencies": access.proposing_agencies_for(request.user).order_by("name"),
        "open_form": SubmissionOpenForm(),
    }
    return render(request, "awards/submission_list.html", context)


@login_required
@require_POST
def submission_open(request, agency_pk):
    agency = access.get_agency_or_404(request.user, agency_pk)
    if not access.can_propose(request.user, agency.pk):
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


# --- A proposed unit on the national track ------------------------------------------------------


def _item_page(request, item, *, status=200, **bound):
    user = request.user
    detail = selectors.item_detail(item=item)
    agency_ids = access.submission_agency_ids(user)
    next_stage = detail["next_stage"]
    context = {
        "item": item,
        **detail,
        # The agency's own people (and KemenPANRB's administrators) follow the whole record;
        # a national evaluator reads what the evaluation needs.
        "of_the_agency": agency_ids is None or item.submission.agency_id in agency_ids,
        "can_decide": access.can_decide_national(user),
        "can_score": access.can_score_tpn(user),
        "can_object": access.can_file_objection(user, item.submission.agency_id),
        "tpn_open": item.evaluation.status in services.FINDINGS_STAGE,
        "stage_form": bound.get("stage_form")
        or StageForm(
            initial={
                "stage": next_stage if next_stage != "result" else None,
                "date": timezone.localdate(),
                "outcome": "passed",
            }
        ),
        "withdraw_form": bound.get("withdraw_form") or StageWithdrawForm(),
        "findings_form": bound.get("findings_form")
        or FindingsForm(
            initial={
                "findings": next(
                    (
                        s.findings
                        for s in detail["stages"]
                        if s.stage == detail["findings_stage"] and not s.is_withdrawn
                    ),
                    "",
                )
            }
        ),
        "tpn_form": bound.get("tpn_form")
        or TpnTotalsForm(initial={"pengungkit": item.tpn_pengungkit, "hasil": item.tpn_hasil}),
        "objection_form": bound.get("objection_form") or ObjectionForm(),
        "decision_form": bound.get("decision_form") or ObjectionDecisionForm(),
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
    item = access.get_submission_item_or_404(request.user, pk)
    _require_national(request.user)
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
def stage_withdraw(request, pk):
    stage = access.get_national_stage_or_404(request.user, pk)
    _require_national(request.user)
    form = StageWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.national_stage_withdraw(
                stage=stage, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("“%(stage)s” was withdrawn; it stays in the history.")
                % {"stage": stage.get_stage_display()},
            )
            return redirect(stage.item)
    return _item_page(request, stage.item, withdraw_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def result_record(request, pk):
    """The final result (penetapan): confirmed on its own page, it ends the national track."""
    item = access.get_submission_item_or_404(request.user, pk)
    _require_national(request.user)
    if request.method == "POST":
        form = ResultForm(request.POST)
        if form.is_valid() and _confirmed(request):
            try:
                services.national_stage_record(
                    item=item, stage="result", outcome="", by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The national result was recorded."))
                return redirect(item)
        status = 400
    else:
        form = ResultForm(initial={"date": timezone.localdate(), **request.GET.dict()})
        status = 200
    unit = item.evaluation.unit.name
    consequences = [
        _(
            "The national result of %(unit)s (proposed for %(predicate)s) is set: WBK or WBBM "
            "marks its %(year)s evaluation as awarded, “not awarded” ends its national track."
        )
        % {"unit": unit, "predicate": item.proposed_predicate, "year": item.submission.year},
        _("The agency sees the result on its proposal at once."),
        _(
            "A WBK or WBBM result can then be given its award in one of the Minister's "
            "announcements; once the award exists the result can no longer be withdrawn."
        ),
    ]
    return _confirmation(
        request,
        title=_("Record the national result of %(unit)s") % {"unit": unit},
        consequences=consequences,
        form=form,
        action=reverse("awards:result_record", args=[item.pk]),
        button=_("Record the result"),
        cancel=item.get_absolute_url(),
        status=status,
    )


@login_required
@require_POST
def stage_findings(request, pk):
    item = access.get_submission_item_or_404(request.user, pk)
    if not access.can_score_tpn(request.user):
        raise PermissionDenied
    form = FindingsForm(request.POST)
    if form.is_valid():
        try:
            services.stage_findings_save(
                item=item, findings=form.cleaned_data["findings"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The findings were saved."))
            return redirect(item)
    return _item_page(request, item, findings_form=form, status=400)


@login_required
@require_POST
def submission_item_tpn(request, pk):
    item = access.get_submission_item_or_404(request.user, pk)
    if not access.can_score_tpn(request.user):
        raise PermissionDenied
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


# --- Objections (sanggah) ------------------------------------------------------------------------


@login_required
@require_POST
def objection_file(request, pk):
    item = access.get_submission_item_or_404(request.user, pk)
    if not access.can_file_objection(request.user, item.submission.agency_id):
        raise PermissionDenied
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.objection_file(
                item=item,
                reason=form.cleaned_data["reason"],
                files=form.cleaned_data["files"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The objection was sent to KemenPANRB."))
            return redirect(item)
    return _item_page(request, item, objection_form=form, status=400)


@login_required
@require_POST
def objection_decide(request, pk):
    objection = access.get_objection_or_404(request.user, pk)
    _require_national(request.user)
    item = objection.stage.item
    form = ObjectionDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.objection_decide(
                objection=objection,
                accept=accept,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The objection was accepted: the unit goes on to the desk evaluation.")
                if accept
                else _("The objection was rejected."),
            )
            return redirect(item)
    return _item_page(
        request,
        access.get_submission_item_or_404(request.user, item.pk),
        decision_form=form,
        status=400,
    )


@login_required
@require_GET
def objection_attachment(request, pk):
    attachment = access.get_objection_attachment_or_404(request.user, pk)
    return uploads.serve_private_file(attachment.file, filename=attachment.original_filename)


# --- KemenPANRB's pages: the national track, proposal windows, announcements --------------------


@login_required
@require_GET
def national_track(request):
    """The proposed units KemenPANRB works on, of every agency."""
    if not access.can_follow_national_track(request.user):
        raise PermissionDenied
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    statuses = [(s, Evaluation.Status(s).label) for s in access.national_track_statuses()]
    if access.is_national_admin(request.user):
        statuses += [
            (s, Evaluation.Status(s).label)
            for s in ("awarded_wbk", "awarded_wbbm", "not_awarded", "revoked")
        ]
    if status not in dict(statuses):
        status = ""
    page = selectors.national_track(
        user=request.user,
        year=int(year) if year.isdigit() and 2010 <= int(year) <= 2100 else None,
        status=status,
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "statuses": statuses,
        "year": year,
        "status": status,
        "query": query.urlencode(),
    }
    return render(request, "awards/national_track.html", context)


def _window_list_page(request, *, form=None, status=200):
    context = {"windows": selectors.windows(), "form": form or WindowForm()}
    return render(request, "awards/window_list.html", context, status=status)


@login_required
@require_GET
def window_list(request):
    _require_national(request.user)
    return _window_list_page(request)


@login_required
@require_POST
def window_create(request):
    _require_national(request.user)
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            window = services.window_save(window=None, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("The proposal window for %(year)s was saved.") % {"year": window.year}
            )
            return redirect("awards:window_list")
    return _window_list_page(request, form=form, status=400)


def _add_errors(form, exc: ValidationError):
    """Put a service's refusal next to its field when it names one of the form's fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def window_update(request, pk):
    _require_national(request.user)
    window = get_object_or_404(ProposalWindow, pk=pk)
    status = 200
    if request.method == "POST":
        form = WindowForm(request.POST, with_year=False)
        if form.is_valid():
            try:
                services.window_save(
                    window=window, year=window.year, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The proposal window for %(year)s was saved.") % {"year": window.year},
                )
                return redirect("awards:window_list")
        status = 400
    else:
        form = WindowForm(
            with_year=False,
            initial={
                "opens_on": window.opens_on,
                "closes_on": window.closes_on,
                "objection_days": window.objection_days,
            },
        )
    return render(
        request, "awards/window_form.html", {"window": window, "form": form}, status=status
    )


def _announcement_list_page(request, *, form=None, status=200):
    context = {
        "announcements": selectors.announcements(),
        "form": form or AnnouncementForm(initial={"year": timezone.localdate().year}),
        "today": timezone.localdate(),
    }
    return render(request, "awards/announcement_list.html", context, status=status)


@login_required
@require_GET
def announcement_list(request):
    _require_national(request.user)
    return _announcement_list_page(request)


@login_required
@require_POST
def announcement_create(request):
    _require_national(request.user)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            announcement = services.announcement_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The announcement was prepared (not published)."))
            return redirect(announcement)
    return _announcement_list_page(request, form=form, status=400)


def _announcement_page(request, announcement, *, form=None, status=200):
    context = {
        "announcement": announcement,
        **selectors.announcement_detail(announcement=announcement),
        "form": form
        or AnnouncementForm(
            with_year=False,
            initial={
                "decree_number": announcement.decree_number,
                "decree_date": announcement.decree_date,
                "publish_on": announcement.publish_on,
            },
        ),
        "today": timezone.localdate(),
    }
    return render(request, "awards/announcement_detail.html", context, status=status)


@login_required
@require_GET
def announcement_detail(request, pk):
    return _announcement_page(request, access.get_announcement_or_404(request.user, pk))


@login_required
@require_POST
def announcement_update(request, pk):
    announcement = access.get_announcement_or_404(request.user, pk)
    form = AnnouncementForm(request.POST, with_year=False)
    if form.is_valid():
        try:
            services.announcement_update(
                announcement=announcement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The announcement was saved."))
            return redirect(announcement)
    return _announcement_page(request, announcement, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_add_awards(request, pk):
    """Create, in the announcement, the awards of the year's WBK and WBBM results (confirmed)."""
    announcement = access.get_announcement_or_404(request.user, pk)
    results = selectors.results_without_award(year=announcement.year)
    status = 200
    if request.method == "POST":
        form = AnnouncementAddForm(request.POST, results=results)
        if form.is_valid() and _confirmed(request):
            try:
                created, existing = services.announcement_add_awards(
                    announcement=announcement, items=form.cleaned_data["items"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d award was created, unpublished.",
                        "%(count)d awards were created, unpublished.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect(announcement)
        status = 400
    else:
        form = AnnouncementAddForm(
            results=results, initial={"items": [item.pk for item in results]}
        )
    consequences = [
        _(
            "An award is created for each unit ticked, with its national result as predicate and "
            "the decree %(decree)s of %(date)s."
        )
        % {
            "decree": announcement.decree_number,
            "date": date_format(announcement.decree_date, "DATE_FORMAT"),
        },
        _(
            "The awards stay unpublished until the announcement is published; the results they "
            "come from can no longer be withdrawn."
        ),
    ]
    return _confirmation(
        request,
        title=_("Add awards to the announcement %(decree)s")
        % {"decree": announcement.decree_number},
        consequences=consequences,
        form=form,
        action=reverse("awards:announcement_add_awards", args=[announcement.pk]),
        button=_("Create the awards"),
        cancel=announcement.get_absolute_url(),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_publish(request, pk):
    announcement = access.get_announcement_or_404(request.user, pk)
    status = 200
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _confirmed(request):
            try:
                announcement, published = services.announcement_publish(
                    announcement=announcement, by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if published:
                    messages.success(
                        request,
                        ngettext(
                            "The announcement was published: %(count)d award is public from "
                            "%(date)s.",
                            "The announcement was published: %(count)d awards are public from "
                            "%(date)s.",
                            published,
                        )
                        % {
                            "count": published,
                            "date": date_format(announcement.publish_on, "DATE_FORMAT"),
                        },
                    )
                else:
                    messages.info(request, _("This announcement was already published."))
                return redirect(announcement)
        status = 400
    count = announcement.awards.count()
    when = date_format(announcement.publish_on, "DATE_FORMAT")
    consequences = [
        ngettext(
            "%(count)d award of this announcement appears on the public list from %(date)s%(now)s.",
            "%(count)d awards of this announcement appear on the public list from %(date)s%(now)s.",
            count,
        )
        % {
            "count": count,
            "date": when,
            "now": _(" (that is, at once)")
            if announcement.publish_on <= timezone.localdate()
            else "",
        },
        _("The decree number and the dates of the announcement can no longer be changed."),
        _("A published predicate is withdrawn only by revoking it, with a decree."),
    ]
    return _confirmation(
        request,
        title=_("Publish the announcement %(decree)s") % {"decree": announcement.decree_number},
        consequences=consequences,
        form=form,
        action=reverse("awards:announcement_publish", args=[announcement.pk]),
        button=_("Publish"),
        cancel=announcement.get_absolute_url(),
        status=status,
    )


# --- Awards -------------------------------------------------------------------------------------


@login_required
@require_GET
def award_detail(request, pk):
    award = access.get_award_or_404(request.user, pk)
    context = {
        "award": award,
        "history": selectors.award_history(award=award),
        "can_decide": access.can_decide_national(request.user),
    }
    return render(request, "awards/award_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_create_from_item(request, item_pk):
    item = access.get_submission_item_or_404(request.user, item_pk)
    _require_national(request.user)
    announcements = selectors.open_announcements(year=item.submission.year)
    status = 200
    if request.method == "POST":
        form = AwardCreateForm(request.POST, announcements=announcements)
        if form.is_valid() and _confirmed(request):
            try:
                award, created = services.award_create_from_item(
                    item=item, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created:
                    messages.success(request, _("The award was created, unpublished."))
                else:
                    messages.info(request, _("This result already has its award."))
                return redirect(award)
        status = 400
    else:
        form = AwardCreateForm(announcements=announcements)
    result = NationalResult(item.result).label if item.result else "—"
    consequences = [
        _(
            "An award %(result)s %(year)s is created for %(unit)s, with the decree of the "
            "announcement chosen."
        )
        % {"result": result, "year": item.submission.year, "unit": item.evaluation.unit.name},
        _(
            "It stays unpublished until the announcement is published; the result can no longer "
            "be withdrawn."
        ),
    ]
    if not announcements.exists():
        consequences.append(
            _("There is no unpublished announcement of %(year)s yet: prepare one first.")
            % {"year": item.submission.year}
        )
    return _confirmation(
        request,
        title=_("Create the award of %(unit)s") % {"unit": item.evaluation.unit.name},
        consequences=consequences,
        form=form,
        action=reverse("awards:create_from_item", args=[item.pk]),
        button=_("Create the award"),
        cancel=item.get_absolute_url(),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_revoke(request, pk):
    award = access.get_award_or_404(request.user, pk, for_change=True)
    status = 200
    if request.method == "POST":
        form = RevokeForm(request.POST)
        if form.is_valid() and _confirmed(request):
            try:
                services.award_revoke(award=award, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The predicate was revoked."))
                return redirect(award)
        status = 400
    else:
        form = RevokeForm()
    years = award.evaluation.rubric.revocation_cooldown_years if award.evaluation_id else None
    consequences = [
        _(
            "The %(predicate)s %(year)s predicate of %(unit)s is marked revoked from the date "
            "given; the public list shows it as revoked."
        )
        % {"predicate": award.predicate, "year": award.year, "unit": award.unit.name},
        _("The evaluation it came from becomes “Revoked”."),
        _("It cannot be undone."),
    ]
    if years:
        consequences.insert(
            2,
            _("The unit cannot be proposed again for %(years)s years.") % {"years": years},
        )
    return _confirmation(
        request,
        title=_("Revoke the predicate of %(unit)s") % {"unit": award.unit.name},
        consequences=consequences,
        form=form,
        action=reverse("awards:revoke", args=[award.pk]),
        button=_("Revoke"),
        cancel=award.get_absolute_url(),
        status=status,
    )


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
