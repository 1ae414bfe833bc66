"""Requests that used to end in a server error get a 4xx with a message in Indonesian."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from evaluations import services
from evaluations.models import Answer

CODE = "A.I.1.i.a"


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def _save(client, evaluation, *, letter="Ya", version="0", code=CODE):
    url = reverse("evaluations:answer_save", args=[evaluation.pk, code, "self"])
    return client.post(url, {"option": letter, "version": version}, HTTP_HX_REQUEST="true")


def test_a_stale_version_of_an_unanswered_question_is_a_conflict_not_an_error(
    client, evaluation, unit_operator
):
    client.force_login(unit_operator)
    response = _save(client, evaluation, version="3")
    assert response.status_code in (200, 409)
    assert "sudah diubah orang lain" in response.content.decode()
    assert not Answer.objects.filter(evaluation=evaluation).exists()


def test_a_conflict_with_an_answer_whose_author_was_deleted_names_someone_else(
    client, evaluation, unit_operator, unit
):
    from conftest import _member
    from units.models import Role

    author = _member(Role.UNIT_OPERATOR, agency=unit.agency, unit=unit, username="mantan")
    services.answers_save(
        evaluation=evaluation,
        level="self",
        answers=[services.AnswerInput(CODE, letter="Tidak")],
        by=author,
    )
    get_user_model().objects.filter(pk=author.pk).delete()
    assert Answer.objects.get(evaluation=evaluation).updated_by is None

    client.force_login(unit_operator)
    response = _save(client, evaluation, version="0")

    assert response.status_code in (200, 409)
    assert "orang lain" in response.content.decode()
    assert Answer.objects.get(evaluation=evaluation).option.letter == "Tidak"


@pytest.mark.parametrize("code", ["A%00B", "A.I%001", "%00"])
def test_a_nul_byte_in_a_question_code_is_not_found(client, evaluation, unit_operator, code):
    client.force_login(unit_operator)
    for url in (
        f"/evaluasi/{evaluation.pk}/jawaban/{code}/self/",
        f"/evaluasi/{evaluation.pk}/bukti/{code}/",
    ):
        assert client.post(url, {"option": "Ya"}).status_code == 404
        assert client.get(url).status_code == 404
