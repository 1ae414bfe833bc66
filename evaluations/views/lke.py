"""LKE pages: the worksheet itself, answer saving and workflow steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import lke_cache, lke_page, selectors, services, workflow
from evaluations.answer_form import answer_input_from_post
from evaluations.models import Level
from zi_portal import access


def _params(request) -> dict:
    """Return the view's choices from the query string, unknown values dropped."""
    return {
        "focus_level": request.GET.get("level", ""),
        "filter": request.GET.get("filter", "")
        if request.GET.get("filter") in lke_page.FILTERS
        else "",
        "area": request.GET.get("area", ""),
        "question": request.GET.get("question", ""),
    }


def _page(
    request,
    evaluation,
    *,
    row_states=None,
    focus_level=None,
    question="",
    held=None,
):
    params = _params(request)
    return lke_page.lke_page(
        user=request.user,
        evaluation=evaluation,
        focus_level=focus_level or params["focus_level"],
        filter=params["filter"],
        area=params["area"],
        question=question or params["question"],
        row_states=row_states,
        evidence_counts=selectors.evidence_counts(evaluation=evaluation),
        held=held,
    )


def _header_context(request, evaluation) -> dict:
    return {
        "evaluation": evaluation,
        "filters": lke_page.FILTERS,
        "editable_levels": access.editable_levels(request.user, evaluation),
        "transitions": workflow.available_transitions(request.user, evaluation),
    }


@login_required
def evaluation_detail(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    context = _header_context(request, evaluation)
    held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    key = lke_cache.body_key(
        evaluation=evaluation,
        held=held,
        editable=context["editable_levels"],
        reviewer=access.can_review(request.user, evaluation),
        params=_params(request),
    )

    def render_body(csrf_token):
        page = _page(request, evaluation, held=held)
        return render_to_string(
            "evaluations/partials/_lke_body.html",
            {**context, "page": page, "csrf_token": csrf_token},
            request=request,
        )

    context["body"] = lke_cache.cached_body(request, key, render_body)
    return render(request, "evaluations/lke.html", context)


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
    status, saved = 200, None
    try:
        # Reads the evaluation again under its row lock: current status and content version.
        saved = services.answers_save(
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
        return redirect(lke_page.question_url(evaluation, code, level))

    if request.htmx:
        # The row and the sidebar only; the save's own score is shown, not computed again.
        fragment = lke_page.answer_fragment(
            user=request.user,
            evaluation=evaluation,
            code=code,
            level=level,
            row_state=state,
            saved=saved,
        )
        if fragment is None:
            raise Http404
        # htmx swaps only successful responses; the row itself carries the error or conflict.
        return render(
            request,
            "evaluations/partials/_answer_saved.html",
            {"row": fragment.row, "sidebar": fragment.sidebar},
        )
    page = _page(
        request, evaluation, row_states={(code, level): state}, focus_level=level, question=code
    )
    if page.row(code) is None:
        raise Http404
    context = {**_header_context(request, evaluation), "page": page}
    return render(request, "evaluations/lke.html", context, status=status)


@login_required
@require_POST
def evaluation_transition(request, pk, name):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    transition = workflow.LKE_TRANSITIONS.get(name)
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
