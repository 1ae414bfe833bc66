import pytest
from django.urls import reverse

from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# session with user and memberships, the directory's token, agencies (count + page), units
# (count + page); then, until the directory changes, the first two
HOME_QUERIES = 6
HOME_CACHED_QUERIES = 2


@pytest.mark.parametrize("role", ["viewer", "national_admin"])
def test_home_issues_the_same_number_of_queries_for_5_or_500_units(
    request, client, agency, django_assert_num_queries, django_capture_on_commit_callbacks, role
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    created = 0
    for total in (5, 500):
        with django_capture_on_commit_callbacks(execute=True):  # as the commit would
            UnitFactory.create_batch(total - created, agency=agency)
        created = total
        for expected in (HOME_QUERIES, HOME_CACHED_QUERIES):
            with django_assert_num_queries(expected):
                response = client.get(reverse("home"))
            assert response.status_code == 200
            assert response.context["units"].paginator.count == total
