"""Evidence (bukti dukung) of one question: the panel, adding, replacing, removing, downloading.

The panel works as a full page without JavaScript and as an htmx fragment of the LKE page: the
same partial template serves both.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations import selectors, services, workflow
from evaluations.forms import EvidenceFileForm, EvidenceLinkForm, EvidenceReplaceForm
from evaluations.models import Evidence
from zi_portal import access, uploads

PARTIAL = "evaluations/partials/_evidence_panel.html"


def _panel_url(evaluation, question) -> str:
    return reverse("evaluations:evidence", args=[evaluation.pk, question.code])


def _render_panel(
    request,
    evaluation,
    question,
    *,
    file_form=None,
    link_form=None,
    errors=None,
    refusal=None,
):
    items = selectors.evidence_panel(evaluation=evaluation, question=question)
    for item in items:
        item.replace_errors = (errors or {}).get(item.pk, [])
    may_manage = access.can_manage_evidence(request.user, evaluation)
    # The workflow freezes evidence like the answers it supports: no controls while locked.
    lock_reason = workflow.evidence_lock_reason(evaluation, request.user) if may_manage else None
    context = {
        "evaluation": evaluation,
        "question": question,
        "items": items,
        "can_manage": may_manage and lock_reason is None,
        "lock_reason": lock_reason,
        "refusal": refusal,
        "file_form": file_form or EvidenceFileForm(),
        "link_form": link_form or EvidenceLinkForm(),
        "replace_form": EvidenceReplaceForm(),
        "panel_url": _panel_url(evaluation, question),
    }
    template = PARTIAL if request.htmx else "evaluations/evidence.html"
    # htmx swaps only successful responses, so it gets the refusal inside a 200 panel (as the
    # answer rows do); a plain form post is told 409 Conflict.
    status = 409 if refusal and not request.htmx else 200
    return render(request, template, context, status=status)


def _refuse(request, evaluation, question, reason):
    """Answer a change the workflow refuses: the panel with the reason, nothing changed."""
    return _render_panel(request, evaluation, question, refusal=reason)


def _done(request, evaluation, question, message):
    """Answer a successful change: the fresh fragment for htmx, a redirect otherwise."""
    messages.success(request, message)
    if request.htmx:
        return _render_panel(request, evaluation, question)
    return redirect(_panel_url(evaluation, question))


def _question_or_404(evaluation, code):
    question = selectors.evaluation_question(evaluation=evaluation, code=code)
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET", "POST"])
def evidence_panel(request, pk, code):
    evaluation = access.get_evaluation_for_evidence_or_404(
        request.user, pk, for_change=request.method == "POST"
    )
    question = _question_or_404(evaluation, code)
    if request.method != "POST":
        return _render_panel(request, evaluation, question)
    reason = workflow.evidence_lock_reason(evaluation, request.user)
    if reason:
        return _refuse(request, evaluation, question, reason)

    if request.POST.get("kind") == "link":
        form = EvidenceLinkForm(request.POST)
        forms = {"link_form": form}
        field = "url"
    else:
        form = EvidenceFileForm(request.POST, request.FILES)
        forms = {"file_form": form}
        field = "file"
    if form.is_valid():
        try:
            if field == "url":
                services.evidence_add_link(
                    evaluation=evaluation,
                    question_code=question.code,
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            else:
                services.evidence_add_file(
                    evaluation=evaluation,
                    question_code=question.code,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
        except services.LevelLocked as exc:
            # The status changed between the check above and the row lock.
            return _refuse(request, evaluation, question, exc.message)
        except ValidationError as exc:
            form.add_error(field, exc.messages)
        else:
            return _done(request, evaluation, question, _("Evidence added."))
    return _render_panel(request, evaluation, question, **forms)


@login_required
@require_POST
def evidence_replace(request, pk):
    evidence = access.get_evidence_or_404(request.user, pk, for_change=True)
    evaluation, question = evidence.evaluation, evidence.question
    reason = workflow.evidence_lock_reason(evaluation, request.user)
    if reason:
        return _refuse(request, evaluation, question, reason)
    form = EvidenceReplaceForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            services.evidence_replace(
                evidence=evidence, upload=form.cleaned_data["file"], by=request.user
            )
        except services.LevelLocked as exc:
            return _refuse(request, evaluation, question, exc.message)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return _done(request, evaluation, question, _("A new version of the file is in place."))
    else:
        errors = form.errors.get("file", [])
    return _render_panel(request, evaluation, question, errors={evidence.pk: errors})


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence = access.get_evidence_or_404(request.user, pk, for_change=True)
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except services.LevelLocked as exc:
        return _refuse(request, evidence.evaluation, evidence.question, exc.message)
    return _done(request, evidence.evaluation, evidence.question, _("Evidence removed."))


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = access.get_evidence_or_404(request.user, pk)
    if evidence.kind != Evidence.Kind.FILE:
        raise Http404
    return uploads.serve_private_file(
        evidence.file, as_attachment=not _inline(evidence), filename=evidence.original_filename
    )


@login_required
@require_GET
def evidence_revision_download(request, pk):
    revision = access.get_evidence_revision_or_404(request.user, pk)
    return uploads.serve_private_file(
        revision.file, as_attachment=not _inline(revision), filename=revision.original_filename
    )


def _inline(stored) -> bool:
    # PDFs and pictures open in the browser; documents download.
    return stored.content_type in {k.content_type for k in (uploads.PDF, *uploads.IMAGES)}
