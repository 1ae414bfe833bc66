"""The evaluation list's kept pages: never stale, never someone else's, kept per agency."""

import pytest
from django.urls import reverse

from evaluations import list_cache, services
from evaluations.models import Evaluation, Level
from zi_portal import stamps

from .factories import EvaluationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("evaluations:list")


@pytest.fixture
def own(rubric, unit, committed):
    return committed(lambda: services.evaluation_create(unit=unit, year=2025))


def codes(client, **params):
    return [row.unit_code for row in client.get(LIST, params).context["page"]]


def test_a_page_kept_for_one_agency_is_never_shown_to_another(
    client, viewer, outsider, own, foreign_unit, committed
):
    foreign = committed(lambda: EvaluationFactory(unit=foreign_unit, year=2025))
    client.force_login(viewer)
    assert codes(client) == [own.unit.code]
    client.force_login(outsider)
    assert codes(client) == [foreign.unit.code]


def test_a_unit_operator_does_not_get_the_agency_wide_page(
    client, viewer, unit_operator, own, other_unit, committed
):
    committed(lambda: EvaluationFactory(unit=other_unit, year=2025))
    client.force_login(viewer)
    assert len(codes(client)) == 2
    client.force_login(unit_operator)
    assert codes(client) == [own.unit.code]


def test_saved_answers_new_status_and_new_evaluations_show_at_once(
    client, viewer, own, other_unit, committed
):
    client.force_login(viewer)
    assert client.get(LIST).context["page"][0].self_answered == 0
    committed(
        lambda: services.answers_save(
            evaluation=own, level=Level.SELF, answers=[services.AnswerInput("A.I.1.i.a", "Ya")]
        )
    )
    assert client.get(LIST).context["page"][0].self_answered == 1
    own.status = Evaluation.Status.SELF_SUBMITTED
    committed(own.save)
    assert client.get(LIST).context["page"][0].status == Evaluation.Status.SELF_SUBMITTED
    added = committed(lambda: EvaluationFactory(unit=other_unit, year=2025))
    assert added.unit.code in codes(client)
    committed(added.delete)
    assert codes(client) == [own.unit.code]


def test_a_renamed_unit_shows_at_once(client, viewer, own, committed):
    client.force_login(viewer)
    assert "Kantor Baru" not in client.get(LIST).content.decode()
    own.unit.name = "Kantor Baru"
    committed(own.unit.save)
    assert "Kantor Baru" in client.get(LIST).content.decode()


def test_filters_and_pages_are_kept_apart(client, viewer, own):
    client.force_login(viewer)
    assert codes(client) == [own.unit.code]
    assert codes(client, year=2024) == []
    assert codes(client, status="draft") == [own.unit.code]


def test_a_change_in_one_agency_keeps_the_pages_of_others(
    own, foreign_agency, foreign_unit, committed
):
    mine = list_cache.STAMPS.names([own.agency_id])
    national = list_cache.STAMPS.names(None)
    committed(lambda: list_cache.STAMPS.changed([own.agency_id]))
    before_mine, before_national = stamps.tokens(mine), stamps.tokens(national)
    committed(lambda: EvaluationFactory(unit=foreign_unit, year=2025))
    assert stamps.tokens(mine) == before_mine
    assert stamps.tokens(national) != before_national
