import pytest
from django.core.cache import cache
from django.urls import reverse

from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# session, user, memberships, agencies (count + page), units (count + page)
HOME_QUERIES = 7


@pytest.mark.parametrize("role", ["viewer", "national_admin"])
def test_home_issues_the_same_number_of_queries_for_5_or_500_units(
    request, client, agency, django_assert_num_queries, role
):
    client.force_login(request.getfixturevalue(role))
    for total in (5, 500):
        UnitFactory.create_batch(total - agency.units.count(), agency=agency)
        cache.clear()
        with django_assert_num_queries(HOME_QUERIES):
            response = client.get(reverse("home"))
        assert response.status_code == 200
        assert response.context["units"].paginator.count == total
