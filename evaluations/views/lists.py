"""Lists of evaluations: the filtered list, starting LKEs in bulk, and one evaluation's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from evaluations import selectors, services
from evaluations.filters import EvaluationFilter, HistoryFilter
from evaluations.forms import EvaluationStartForm
from zi_portal import access

LIST_PAGE_SIZE = 25


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
def evaluation_list(request):
    user = request.user
    filterset = EvaluationFilter(
        request.GET or None, queryset=selectors.evaluation_list(user=user), user=user
    )
    page = selectors.evaluation_list_page(
        evaluations=filterset.qs, page_number=request.GET.get("page"), per_page=LIST_PAGE_SIZE
    )
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without_page(request),
        "can_start": access.can_start_any_evaluations(user),
    }
    return render(request, "evaluations/evaluation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_start(request):
    if not access.can_start_any_evaluations(request.user):
        raise PermissionDenied
    units = access.start_units_for(request.user).select_related("agency")
    agency = request.GET.get("agency", "")
    if agency.isdigit() and len(agency) < 19:  # beyond that no id exists, and none fits a column
        units = units.filter(agency_id=agency)
    units = units.order_by("agency__name", "name")
    form = EvaluationStartForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            result = services.evaluations_start(
                units=form.cleaned_data["units"], year=year, by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if result.created:
                count = len(result.created)
                messages.success(
                    request,
                    ngettext(
                        "Started %(count)d evaluation for %(year)d.",
                        "Started %(count)d evaluations for %(year)d.",
                        count,
                    )
                    % {"count": count, "year": year},
                )
            if result.skipped:
                messages.warning(
                    request,
                    _("Skipped, already started for %(year)d: %(units)s.")
                    % {"year": year, "units": ", ".join(u.name for u in result.skipped)},
                )
            return redirect(f"{reverse('evaluations:list')}?year={year}")
    return render(request, "evaluations/evaluation_start.html", {"form": form})


@login_required
@require_GET
def evaluation_history(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    sources = selectors.history_sources(evaluation=evaluation)
    filterset = HistoryFilter(
        request.GET or None,
        queryset=sources["answer"],
        people=selectors.history_people(evaluation=evaluation),
    )
    if filterset.is_bound and filterset.is_valid():
        sources = {name: filterset.filter_queryset(qs) for name, qs in sources.items()}
    page = selectors.evaluation_history(
        evaluation=evaluation, sources=sources, page_number=request.GET.get("page")
    )
    context = {
        "evaluation": evaluation,
        "filter": filterset,
        "page": page,
        "query": _query_without_page(request),
    }
    return render(request, "evaluations/evaluation_history.html", context)
