"""The downloads that take a worker seconds each are limited per person."""

import pytest
from django.urls import reverse

from evaluations import services


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


@pytest.mark.parametrize("name", ["evaluations:workbook_download", "evaluations:lhe_pdf"])
def test_a_person_asking_too_often_gets_429_in_indonesian(
    client, settings, evaluation, evaluator, viewer, name
):
    settings.EXPENSIVE_DOWNLOADS_RATE = "2/m"
    url = reverse(name, args=[evaluation.pk])
    client.force_login(evaluator)
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert "Terlalu banyak permintaan" in client.get(url).content.decode()
    # Counted per person: someone else still gets theirs.
    client.force_login(viewer)
    assert client.get(url).status_code == 200
