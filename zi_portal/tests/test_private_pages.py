"""Nothing a signed-in person was shown stays in the browser's cache after they sign out."""

import pytest
from django.urls import reverse

from evaluations import services


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def _signed_in_pages(evaluation, agency):
    return [
        reverse("home"),
        reverse("evaluations:detail", args=[evaluation.pk]),
        reverse("evaluations:workbook_download", args=[evaluation.pk]),
        reverse("evaluations:lhe", args=[evaluation.pk]),
        reverse("dashboards:agency", args=[agency.pk]),
        reverse("units:agency_detail", args=[agency.pk]),
    ]


def test_every_signed_in_page_and_download_is_marked_no_store(
    client, evaluator, evaluation, agency
):
    client.force_login(evaluator)
    for url in _signed_in_pages(evaluation, agency):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_public_pages_stay_cacheable_for_visitors(client, db):
    response = client.get(reverse("awards:public_list"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
