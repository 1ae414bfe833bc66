"""Who sees which agencies and units on the home, agency and unit pages."""

import pytest
from django.urls import reverse

from units.models import Role
from units.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(unit, other_unit, foreign_unit):
    return {"unit": unit, "other_unit": other_unit, "foreign_unit": foreign_unit}


def _home_unit_names(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {u.name for u in response.context["units"]}


@pytest.mark.parametrize("role", ["agency_admin", "evaluator", "viewer"])
def test_agency_wide_roles_see_every_unit_of_their_agency_only(request, client, world, role):
    client.force_login(request.getfixturevalue(role))
    assert _home_unit_names(client) == {world["unit"].name, world["other_unit"].name}


def test_unit_operator_sees_only_their_own_unit(client, world, unit_operator):
    client.force_login(unit_operator)
    assert _home_unit_names(client) == {world["unit"].name}


def test_national_admin_sees_every_unit(client, world, national_admin):
    client.force_login(national_admin)
    assert _home_unit_names(client) == {u.name for u in world.values()}


def test_home_lists_only_the_users_agencies(client, world, viewer, agency):
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert [a.name for a in response.context["agencies"]] == [agency.name]
    assert world["foreign_unit"].agency.name not in response.content.decode()


def test_user_without_membership_sees_nothing_and_is_told_why(client, world):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert list(response.context["units"]) == []
    assert "Anda belum memiliki peran" in response.content.decode()


def test_member_of_two_agencies_sees_both(client, world, viewer, foreign_agency):
    MembershipFactory(user=viewer, agency=foreign_agency, role=Role.VIEWER)
    client.force_login(viewer)
    assert _home_unit_names(client) == {u.name for u in world.values()}


@pytest.mark.parametrize(
    "role", ["agency_admin", "evaluator", "unit_operator", "viewer", "national_admin"]
)
def test_every_role_can_open_its_own_unit_page(request, client, unit, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("awards:unit_detail", args=[unit.pk]))
    assert response.status_code == 200
    assert unit.name in response.content.decode()


@pytest.mark.parametrize("role", ["agency_admin", "evaluator", "unit_operator", "viewer"])
def test_unit_of_another_agency_is_not_found(request, client, foreign_unit, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("awards:unit_detail", args=[foreign_unit.pk]))
    assert response.status_code == 404
    assert foreign_unit.name not in response.content.decode()


@pytest.mark.parametrize("role", ["agency_admin", "evaluator", "unit_operator", "viewer"])
def test_agency_of_someone_else_is_not_found(request, client, foreign_agency, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("units:agency_detail", args=[foreign_agency.pk]))
    assert response.status_code == 404


def test_unit_operator_cannot_open_a_sibling_unit(client, unit_operator, other_unit):
    client.force_login(unit_operator)
    response = client.get(reverse("awards:unit_detail", args=[other_unit.pk]))
    assert response.status_code == 404


def test_agency_page_lists_only_visible_units(client, unit_operator, agency, unit, other_unit):
    client.force_login(unit_operator)
    response = client.get(reverse("units:agency_detail", args=[agency.pk]))
    assert response.status_code == 200
    assert [u.name for u in response.context["units"]] == [unit.name]


def test_agency_page_shows_people_only_to_its_administrators(
    client, agency, agency_admin, viewer, unit
):
    url = reverse("units:agency_detail", args=[agency.pk])
    client.force_login(viewer)
    assert "member-table" not in client.get(url).content.decode()
    client.force_login(agency_admin)
    page = client.get(url).content.decode()
    assert "member-table" in page
    assert viewer.username in page or viewer.get_full_name() in page


@pytest.mark.parametrize(
    "url_name, needs_pk",
    [("home", False), ("units:agency_detail", True), ("awards:unit_detail", True)],
)
def test_anonymous_users_are_sent_to_login(client, unit, url_name, needs_pk):
    url = reverse(url_name, args=[unit.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_navbar_offers_administration_only_to_staff_admins(client, agency_admin, viewer, unit):
    client.force_login(viewer)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(agency_admin)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_inactive_user_sees_nothing(client, viewer, unit):
    viewer.is_active = False
    viewer.save()
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.status_code == 302
