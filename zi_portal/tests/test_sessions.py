"""A session is read with its user and their memberships in one query, and checked as before."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from units.models import Membership, Role
from units.tests.factories import MembershipFactory, UnitFactory
from zi_portal import access
from zi_portal.middleware import PortalAuthenticationMiddleware
from zi_portal.models import PortalSession
from zi_portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _request_for(client):
    """A request carrying the client's session cookie, through the session and auth layers."""
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    PortalAuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def test_session_user_and_memberships_are_one_query(client, unit_operator, unit):
    MembershipFactory(user=unit_operator, agency=unit.agency, role=Role.VIEWER)
    client.force_login(unit_operator)
    request = _request_for(client)
    with CaptureQueriesContext(connection) as queries:
        user = request.user
        memberships = access.memberships_of(user)
        shown = [(m.role, m.agency.name, m.unit.name if m.unit else None) for m in memberships]
    assert len(queries) == 1
    assert user.pk == unit_operator.pk and user.is_authenticated
    assert sorted(shown) == [
        (Role.UNIT_OPERATOR, unit.agency.name, unit.name),
        (Role.VIEWER, unit.agency.name, None),
    ]
    # One user object, as memberships_of(user) would give (request.user wraps it lazily).
    assert all(m.user is user._wrapped for m in memberships)


def test_what_the_session_reads_equals_what_the_orm_reads(client, unit_operator):
    """Every field, converted as the ORM converts it (SQLite's booleans and datetimes too)."""
    client.force_login(unit_operator)
    user = _request_for(client).user
    expected = get_user_model().objects.get(pk=unit_operator.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert [getattr(user, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert user.is_active is True and timezone.is_aware(user.last_login)
    loaded = access.memberships_of(user)
    orm = list(access.memberships_query().filter(user=expected))
    for model, pairs in (
        (Membership, zip(loaded, orm, strict=True)),
        (type(orm[0].agency), ((m.agency, o.agency) for m, o in zip(loaded, orm, strict=True))),
        (type(orm[0].unit), ((m.unit, o.unit) for m, o in zip(loaded, orm, strict=True))),
    ):
        names = [f.attname for f in model._meta.concrete_fields]
        for mine, theirs in pairs:
            assert [getattr(mine, n) for n in names] == [getattr(theirs, n) for n in names]
            assert mine._state.adding is False and mine._state.db == "default"


def test_memberships_come_in_the_order_of_their_agency_names(client, evaluator, foreign_agency):
    MembershipFactory(user=evaluator, agency=foreign_agency, role=Role.VIEWER)
    client.force_login(evaluator)
    names = [m.agency.name for m in access.memberships_of(_request_for(client).user)]
    assert names == sorted(names) and len(names) == 2


def test_a_user_without_any_role_is_read_with_the_session_too(client):
    user = get_user_model().objects.create_user("tanpa.peran", password="x")
    client.force_login(user)
    request = _request_for(client)
    with CaptureQueriesContext(connection) as queries:
        assert request.user.pk == user.pk
        assert access.memberships_of(request.user) == []
    assert len(queries) == 1


def test_the_session_names_its_user_after_login_and_none_after_logout(client, evaluator):
    client.post(reverse("login"), {"username": evaluator.username, "password": "rahasia-uji-123"})
    key = client.cookies["sessionid"].value
    assert PortalSession.objects.get(session_key=key).user_id == evaluator.pk
    client.post(reverse("logout"))
    assert not PortalSession.objects.filter(user=evaluator).exists()


def test_an_expired_session_is_anonymous(client, evaluator):
    client.force_login(evaluator)
    key = client.cookies["sessionid"].value
    PortalSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert isinstance(_request_for(client).user, AnonymousUser)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_signs_other_sessions_out(client, evaluator):
    """Django's session hash check still runs on a user read with the session."""
    client.force_login(evaluator)
    evaluator.set_password("kata-sandi-baru-2026")
    evaluator.save()
    assert isinstance(_request_for(client).user, AnonymousUser)


def test_deleting_a_user_ends_their_sessions(client, evaluator):
    client.force_login(evaluator)
    evaluator.delete()
    assert not PortalSession.objects.exists()
    assert isinstance(_request_for(client).user, AnonymousUser)


def test_a_membership_added_since_the_last_request_is_seen(client, agency, viewer):
    client.force_login(viewer)
    assert client.get(reverse("home")).status_code == 200
    other = UnitFactory(agency=agency)
    Membership.objects.filter(user=viewer).delete()
    MembershipFactory(user=viewer, agency=agency, unit=other, role=Role.UNIT_OPERATOR)
    roles = access.roles_of(_request_for(client).user)
    assert roles == {Role.UNIT_OPERATOR}
