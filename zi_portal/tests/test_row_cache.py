"""Cached table rows: reused only for the very values they show, in the viewer's language."""

import datetime
import pickle
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from awards.tests.factories import AwardFactory
from evaluations.models import EvaluationScore, Level
from evaluations.tests.factories import EvaluationFactory
from units.tests.factories import UnitFactory
from zi_portal import row_cache

pytestmark = pytest.mark.django_db

ROW = "awards/_public_row.html"


def _row(**changes):
    row = {
        "pk": 1,
        "year": 2025,
        "predicate": "WBK",
        "decree_number": "SK-1/2025",
        "decree_date": None,
        "revoked_on": None,
        "unit__name": "Kantor Pelayanan Pajak Pratama Sleman",
        "unit__agency__name": "Kementerian Keuangan",
        "unit__agency__province": "",
    }
    return {**row, **changes}


def test_rows_render_as_the_template_would_and_come_back_from_the_cache():
    rows = [_row(), _row(pk=2, predicate="WBBM")]
    first = row_cache.render_rows(ROW, rows)
    assert first.count("<tr") == 2
    assert "Kantor Pelayanan Pajak Pratama Sleman" in first and "WBBM" in first
    # Mark what this process keeps: identical rows must now be answered from it, not rendered.
    assert len(row_cache._local) == 2
    for key in list(row_cache._local):
        row_cache._local[key] = "<tr>kept in the process</tr>"
    assert row_cache.render_rows(ROW, rows) == "<tr>kept in the process</tr>" * 2


def test_another_process_takes_the_rows_from_the_shared_cache():
    rows = [_row(), _row(pk=2, predicate="WBBM")]
    row_cache.render_rows(ROW, rows)
    stored = caches[row_cache.CACHE_ALIAS]._cache  # locmem: key -> pickled HTML
    assert len(stored) == 2
    for key in list(stored):
        stored[key] = pickle.dumps("<tr>from the cache</tr>", pickle.HIGHEST_PROTOCOL)
    row_cache._local.clear()  # what a worker that never rendered these rows holds
    assert row_cache.render_rows(ROW, rows) == "<tr>from the cache</tr>" * 2


def test_the_rows_kept_in_the_process_are_bounded(monkeypatch):
    monkeypatch.setattr(row_cache, "LOCAL_MAX_ROWS", 3)
    for pk in range(1, 8):
        assert f"SK-{pk}/2025" in row_cache.render_rows(
            ROW, [_row(pk=pk, decree_number=f"SK-{pk}/2025")]
        )
        assert len(row_cache._local) <= 3


def test_a_changed_value_is_a_new_row_never_the_old_html():
    before = row_cache.render_rows(ROW, [_row()])
    after = row_cache.render_rows(ROW, [_row(decree_number="SK-99/2025")])
    assert "SK-99/2025" in after and "SK-1/2025" not in after
    assert "SK-1/2025" in before


def test_rows_follow_the_language(client):
    from django.utils import translation

    revoked = _row(revoked_on=datetime.date(2026, 3, 1))
    with translation.override("id"):
        indonesian = row_cache.render_rows(ROW, [revoked])
    with translation.override("en"):
        english = row_cache.render_rows(ROW, [revoked])
    assert "dicabut" in indonesian.lower()
    assert "revoked" in english.lower() and english != indonesian


def test_the_evaluation_list_shows_a_changed_total_at_once(
    client, viewer, agency, rubric, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(unit=UnitFactory(agency=agency, name="Dinas Uji"), year=2025)
    stored = EvaluationScore.objects.create(
        evaluation=evaluation,
        level=Level.TPI,
        total=Decimal("71.25"),
        answered=10,
        question_count=113,
    )
    client.force_login(viewer)
    url = reverse("evaluations:list")
    assert "71,25" in client.get(url).content.decode()  # Indonesian decimals
    stored.total = Decimal("80.50")
    evaluation.unit.name = "Dinas Uji Baru"
    with django_capture_on_commit_callbacks(execute=True):  # as the commit would
        stored.save()
        evaluation.unit.save()
    page = client.get(url).content.decode()
    assert "80,50" in page and "71,25" not in page
    assert "Dinas Uji Baru" in page


def test_home_and_agency_page_show_a_renamed_unit_at_once(
    client, viewer, agency, django_capture_on_commit_callbacks
):
    unit = UnitFactory(agency=agency, name="Kantor Lama")
    client.force_login(viewer)
    pages = [reverse("home"), reverse("units:agency_detail", args=[agency.pk])]
    for url in pages:
        assert "Kantor Lama" in client.get(url).content.decode()
    unit.name = "Kantor Baru"
    with django_capture_on_commit_callbacks(execute=True):  # as the commit would
        unit.save()
    for url in pages:
        page = client.get(url).content.decode()
        assert "Kantor Baru" in page and "Kantor Lama" not in page


def test_the_public_list_shows_a_corrected_decree_at_once(
    client, django_capture_on_commit_callbacks
):
    award = AwardFactory(year=2025, decree_number="SK-1/2025")
    url = reverse("awards:public_list")
    assert "SK-1/2025" in client.get(url).content.decode()
    award.decree_number = "SK-2/2025"
    with django_capture_on_commit_callbacks(execute=True):  # as the commit would
        award.save()
    page = client.get(url).content.decode()
    assert "SK-2/2025" in page and "SK-1/2025" not in page
