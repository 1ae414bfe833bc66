"""LKE workbook import (upload → preview → confirm) and export, and the printable LHE."""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from evaluations.models import Level
from evaluations.services import LevelLocked
from evaluations.workbook import lhe
from evaluations.workbook import services as services_workbook
from evaluations.workbook.problems import WorkbookInvalid
from evaluations.workbook.writer import export_filename, workbook_export
from zi_portal import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SESSION_KEY = "workbook_imports"
# Uploads waiting for their confirmation live here; purge_workbook_uploads clears old ones.
UPLOAD_FOLDER = "workbook-imports"


class WorkbookUploadForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"))
    file = forms.FileField(
        label=gettext_lazy("LKE workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Level.choices)
        self.fields["level"].choices = [(level, labels[level]) for level in levels]


def _import_levels(user, evaluation) -> list[str]:
    levels = [lv for lv in Level.values if access.can_edit_level(user, evaluation, lv)]
    if not levels:
        raise PermissionDenied
    return levels


def _stash(request, evaluation, level, content: bytes) -> str:
    """Keep an uploaded workbook until it is confirmed: private storage, per user, by token."""
    token = secrets.token_urlsafe(16)
    name = default_storage.save(
        f"{UPLOAD_FOLDER}/{request.user.pk}/{token}.xlsx", ContentFile(content)
    )
    stash = request.session.get(_SESSION_KEY, {})
    stash[token] = {"evaluation": evaluation.pk, "level": level, "name": name}
    request.session[_SESSION_KEY] = stash
    return token


@login_required
def workbook_upload(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    levels = _import_levels(request.user, evaluation)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, levels=levels)
    if request.method == "POST" and form.is_valid():
        level, upload = form.cleaned_data["level"], form.cleaned_data["file"]
        try:
            result = services_workbook.workbook_preview(
                unit=evaluation.unit,
                year=evaluation.year,
                level=level,
                file=upload,
                by=request.user,
            )
        except WorkbookInvalid as exc:
            for message in exc.messages:
                form.add_error("file", message)
        except LevelLocked as exc:
            form.add_error("level", exc.message)
        else:
            upload.seek(0)
            token = _stash(request, evaluation, level, upload.read(settings.WORKBOOK_MAX_BYTES))
            return render(
                request,
                "evaluations/workbook_preview.html",
                {"evaluation": evaluation, "result": result, "token": token},
            )
    return render(
        request, "evaluations/workbook_upload.html", {"evaluation": evaluation, "form": form}
    )


def _unstash(request, evaluation) -> dict | None:
    """Take the upload named by the form's token out of the session; None if it is not there."""
    stash = request.session.get(_SESSION_KEY, {})
    entry = stash.pop(request.POST.get("token", ""), None)
    request.session[_SESSION_KEY] = stash
    if entry is None or entry["evaluation"] != evaluation.pk:
        return None
    return entry


@login_required
@require_POST
def workbook_import_cancel(request, pk):
    """Drop an upload that was previewed and not wanted (purge_workbook_uploads takes the rest)."""
    evaluation = access.get_evaluation_or_404(request.user, pk)
    entry = _unstash(request, evaluation)
    if entry is not None:
        default_storage.delete(entry["name"])
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
@require_POST
def workbook_import_confirm(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    _import_levels(request.user, evaluation)
    entry = _unstash(request, evaluation)
    if entry is None:
        messages.error(request, _("This upload has expired. Upload the workbook again."))
        return redirect("evaluations:workbook_upload", pk=evaluation.pk)
    level = entry["level"]
    if not access.can_edit_level(request.user, evaluation, level):
        raise PermissionDenied
    try:
        with default_storage.open(entry["name"], "rb") as handle:
            result = services_workbook.workbook_import(
                unit=evaluation.unit, year=evaluation.year, level=level, file=handle,
                by=request.user,
            )  # fmt: skip
    except (WorkbookInvalid, LevelLocked) as exc:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": exc})
        return redirect("evaluations:workbook_upload", pk=evaluation.pk)
    finally:
        default_storage.delete(entry["name"])
    summary = _("Workbook imported: %(summary)s") % {"summary": result.summary}
    messages.success(request, summary)
    return redirect(reverse("evaluations:detail", args=[evaluation.pk]) + f"?level={level}")


@login_required
@ratelimit(key="user", rate="zi_portal.views.expensive_downloads_rate", block=True)
def workbook_download(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    content = workbook_export(
        evaluation=evaluation, internal_notes=access.can_review(request.user, evaluation)
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(evaluation)}"'
    return response


def _lhe_context(request, evaluation):
    report = lhe.lhe_report(
        evaluation=evaluation, internal_notes=access.can_review(request.user, evaluation)
    )
    return {"evaluation": evaluation, "report": report}


@login_required
def lhe_page(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    return render(request, "evaluations/lhe.html", _lhe_context(request, evaluation))


@login_required
@ratelimit(key="user", rate="zi_portal.views.expensive_downloads_rate", block=True)
def lhe_pdf(request, pk):
    evaluation = access.get_evaluation_or_404(request.user, pk)
    pdf = lhe.lhe_pdf(
        evaluation=evaluation, internal_notes=access.can_review(request.user, evaluation)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{lhe.pdf_filename(evaluation)}"'
    return response
