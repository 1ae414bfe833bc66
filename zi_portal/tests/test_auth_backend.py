"""A session's user is loaded with their memberships in one query, and still checked as before."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from units.models import Role
from zi_portal import access
from zi_portal.auth_backends import PortalBackend

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_memberships_in_one_query(
    evaluator, agency, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = PortalBackend().get_user(str(evaluator.pk))
        roles = access.roles_in_agency(user, agency.pk)  # no further query
    assert user == evaluator and roles == {Role.EVALUATOR}
    assert all(m.user is user for m in access.memberships_of(user))


def test_a_user_without_any_role_is_loaded_too(db, django_assert_num_queries):
    user = get_user_model().objects.create_user("tanpa.peran", password="x")
    with django_assert_num_queries(2):  # no membership found, then the plain lookup
        loaded = PortalBackend().get_user(user.pk)
    assert loaded == user and access.memberships_of(loaded) == []


def test_inactive_and_deleted_users_are_not_loaded(evaluator):
    pk = evaluator.pk
    evaluator.is_active = False
    evaluator.save()
    assert PortalBackend().get_user(pk) is None
    evaluator.delete()
    assert PortalBackend().get_user(pk) is None


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, evaluator):
    client.force_login(evaluator)
    assert client.get(reverse("home")).status_code == 200
    evaluator.is_active = False
    evaluator.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
