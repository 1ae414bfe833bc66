"""LKE pages: the worksheet itself, answer saving and workflow steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zi_portal import access

from . import lke_page, selectors, services, workflow
from .answer_form import answer_input_from_post
from .models import Level


def _page(request, evaluation, *, row_states=None, focus_level=None):
    return lke_page.lke_page(
        user=request.user,
        evaluation=evaluation,
        focus_level=focus_level or request.GET.get("level"),
        filter=request.GET.get("filter", "")
        if request.GET.get("filter") in lke_page.FILTERS
        else "",
        row_states=row_states,
        evidence_counts=selectors.evidence_counts(evaluation=evaluation),
    )


@login_required
def evaluation_detail(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    page = _page(request, evaluation)
    return render(
        request,
        "evaluations/lke.html",
        {"page": page, "evaluation": evaluation, "filters": lke_page.FILTERS},
    )


@login_required
@require_POST
def answer_save(request, pk, code, level):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    if level not in Level.values:
        raise Http404
    if not access.can_edit_level(request.user, evaluation, level):
        raise PermissionDenied
    submitted, typed = answer_input_from_post(request.POST, code=code, level=level)
    state = lke_page.RowState(typed=typed)
    status = 200
    try:
        services.answers_save(
            evaluation=evaluation, level=level, answers=[submitted], by=request.user
        )
    except services.AnswerConflict as exc:
        state.conflict, status = exc.answer, 409
        state.errors.append(exc.message)
    except services.LevelLocked as exc:
        state.errors.append(exc.message)
        status = 409
    except ValidationError as exc:
        state.errors.extend(exc.messages)
        status = 422
    else:
        state = lke_page.RowState(saved=True)

    if not request.htmx and status == 200:
        messages.success(request, _("Saved: %(code)s.") % {"code": code})
        anchor = "#q-" + code.replace(".", "-")
        return redirect(reverse("evaluations:detail", args=[evaluation.pk]) + anchor)

    evaluation.refresh_from_db()
    page = _page(request, evaluation, row_states={(code, level): state}, focus_level=level)
    row = page.row(code)
    if row is None:
        raise Http404
    context = {"page": page, "evaluation": evaluation, "row": row, "filters": lke_page.FILTERS}
    if request.htmx:
        # htmx swaps only successful responses; the row itself carries the error or conflict.
        return render(request, "evaluations/partials/_answer_saved.html", context)
    return render(request, "evaluations/lke.html", context, status=status)


@login_required
@require_POST
def evaluation_transition(request, pk, name):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    if not access.unit_roles(request.user, evaluation.unit) & transition.roles:
        raise PermissionDenied
    try:
        workflow.evaluation_transition(
            evaluation=evaluation, name=name, by=request.user, note=request.POST.get("note", "")
        )
    except workflow.TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        if exc.missing:
            messages.warning(
                request,
                _("Still unanswered: %(codes)s") % {"codes": ", ".join(exc.missing[:30])},
            )
    else:
        messages.success(
            request,
            _("Status changed: %(action)s.") % {"action": transition.label},
        )
    return redirect("evaluations:detail", pk=evaluation.pk)
