"""Every page issues the same number of queries with little or much data.

Home, the unit page and the pencanangan list have their own tests beside their features; these
cover the agency page, the LKE page and the pencanangan page with a crowd of other rows around them.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation, Level
from evaluations.rubric import snapshot as rubric_snapshot
from evaluations.tests.factories import full_answers, in_status
from units.models import Role
from units.tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# session, user, memberships, agency, units (count + page); administrators also see the members
# (count + page).
AGENCY_QUERIES = {"agency_admin": 8, "national_admin": 8, "viewer": 6}
# session, user, memberships, evaluation, the predicates held (part of the body's key); then, with
# nothing cached: evidence counts, criteria, options, thresholds and the answers.
LKE_QUERIES = 10


def cold():
    """Empty every cache, as after a restart."""
    cache.clear()
    rubric_snapshot.forget_all()


def _crowd(agency, units, evaluations=0):
    """Add units (and fully answered evaluations of some of them) and members to the agency."""
    made = UnitFactory.create_batch(units, agency=agency)
    for unit in made[:evaluations]:
        evaluation = services.evaluation_create(unit=unit, year=2024)
        services.answers_save(
            evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation)
        )
        in_status(evaluation, Evaluation.Status.TPI_REVIEW)
        services.answers_save(
            evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation)
        )
    for _ in range(3):
        MembershipFactory(user=UserFactory(), agency=agency, role=Role.VIEWER)


@pytest.mark.parametrize("role", ["agency_admin", "viewer", "national_admin"])
def test_agency_page_queries_do_not_grow_with_units_or_members(
    request, client, agency, django_assert_num_queries, role
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("units:agency_detail", args=[agency.pk])
    for units in (3, 150):
        _crowd(agency, units)
        cache.clear()
        with django_assert_num_queries(AGENCY_QUERIES[role]):
            response = client.get(url)
        assert response.status_code == 200


def test_agency_page_shows_members_a_page_at_a_time(client, agency, agency_admin):
    for _ in range(60):
        MembershipFactory(user=UserFactory(), agency=agency, role=Role.VIEWER)
    client.force_login(agency_admin)
    url = reverse("units:agency_detail", args=[agency.pk])
    first = client.get(url).context["members"]
    second = client.get(url, {"members_page": 2}).context["members"]
    assert (first.paginator.count, len(first), len(second)) == (61, 50, 11)
    assert "members_page=2" in client.get(url).content.decode()


def test_lke_page_queries_do_not_grow_with_other_evaluations(
    rubric, client, agency, unit, evaluator, django_assert_num_queries
):
    evaluation = services.evaluation_create(unit=unit, year=2025)
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=full_answers(evaluation))
    in_status(evaluation, Evaluation.Status.TPI_REVIEW)
    services.answers_save(evaluation=evaluation, level=Level.TPI, answers=full_answers(evaluation))
    client.force_login(evaluator)
    url = reverse("evaluations:detail", args=[evaluation.pk])
    for evaluations in (0, 4):
        _crowd(agency, 30, evaluations=evaluations)
        cold()
        with django_assert_num_queries(LKE_QUERIES):
            assert client.get(url).status_code == 200


# session, user, memberships, pencanangan, its units, its history
PENCANANGAN_QUERIES = 6


def test_pencanangan_page_queries_do_not_grow_with_the_units_it_covers(
    client, agency, agency_admin, django_assert_num_queries
):
    from units.tests.factories import PencananganFactory

    pencanangan = PencananganFactory(agency=agency, covers_whole_agency=False)
    client.force_login(agency_admin)
    url = reverse("units:pencanangan_detail", args=[pencanangan.pk])
    for count in (2, 120):
        pencanangan.units.set(UnitFactory.create_batch(count, agency=agency))
        cache.clear()
        with django_assert_num_queries(PENCANANGAN_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["detail"].units) >= count
