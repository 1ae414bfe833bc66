"""A previewed workbook upload is deleted on confirm, on cancel, and a day later in any case."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from evaluations import services
from evaluations.views.workbook import UPLOAD_FOLDER

from .workbook_factory import fixture_bytes


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def _kept():
    if not default_storage.exists(UPLOAD_FOLDER):
        return []
    folders, _files = default_storage.listdir(UPLOAD_FOLDER)
    return [
        f for folder in folders for f in default_storage.listdir(f"{UPLOAD_FOLDER}/{folder}")[1]
    ]


def _preview(client, evaluation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lke.xlsx", fixture_bytes())
    url = reverse("evaluations:workbook_upload", args=[evaluation.pk])
    response = client.post(url, {"level": "self", "file": upload})
    assert response.status_code == 200 and "token" in response.context
    return response.context["token"]


def test_cancelling_a_preview_deletes_the_upload(client, evaluation, unit_operator):
    client.force_login(unit_operator)
    token = _preview(client, evaluation)
    assert len(_kept()) == 1
    url = reverse("evaluations:workbook_import_cancel", args=[evaluation.pk])
    assert client.post(url, {"token": token}).status_code == 302
    assert _kept() == []
    assert not evaluation.answers.exists()


def test_uploads_left_for_more_than_a_day_are_purged(settings):
    old = default_storage.save(f"{UPLOAD_FOLDER}/1/lama.xlsx", ContentFile(b"x"))
    fresh = default_storage.save(f"{UPLOAD_FOLDER}/2/baru.xlsx", ContentFile(b"x"))
    a_day_ago = (datetime.datetime.now() - datetime.timedelta(hours=25)).timestamp()
    os.utime(default_storage.path(old), (a_day_ago, a_day_ago))

    out = io.StringIO()
    call_command("purge_workbook_uploads", stdout=out)

    assert not default_storage.exists(old)
    assert default_storage.exists(fresh)
    assert "1 workbook upload(s) deleted" in out.getvalue()
