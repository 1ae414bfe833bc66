"""Home and agency pages kept under the directory's token: never stale, never someone else's."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.urls import reverse

from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory
from zi_portal import directory_cache

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def agency_page(agency):
    return reverse("units:agency_detail", args=[agency.pk])


def unit_names(response):
    return {row.name for row in response.context["units"]}


def test_a_page_cached_for_an_administrator_is_not_shown_to_a_unit_operator(
    client, agency_admin, unit_operator, agency, unit, other_unit
):
    for user in (agency_admin, unit_operator):  # the administrator fills the cache first
        client.force_login(user)
        home, page = client.get(HOME), client.get(agency_page(agency))
        expected = {unit.name, other_unit.name} if user == agency_admin else {unit.name}
        assert unit_names(home) == unit_names(page) == expected
    assert page.context.get("members") is None  # an operator does not see who holds which role
    assert "admin.sleman" not in page.content.decode()


def test_an_agency_page_cached_for_its_members_is_still_404_to_others(
    client, agency_admin, outsider, agency
):
    client.force_login(agency_admin)
    assert client.get(agency_page(agency)).status_code == 200
    client.force_login(outsider)
    assert client.get(agency_page(agency)).status_code == 404
    assert agency.name not in client.get(HOME).content.decode()


def test_an_unknown_agency_is_404(client, national_admin):
    client.force_login(national_admin)
    assert client.get(reverse("units:agency_detail", args=[987654])).status_code == 404


def test_a_new_membership_shows_its_agency_at_once(client, viewer, committed):
    client.force_login(viewer)
    other = AgencyFactory(name="Pemerintah Kota Magelang")
    assert other.name not in client.get(HOME).content.decode()
    committed(lambda: MembershipFactory(user=viewer, agency=other, role=Role.VIEWER))
    assert other.name in client.get(HOME).content.decode()
    assert client.get(agency_page(other)).status_code == 200


def test_a_renamed_member_and_a_new_unit_show_at_once(
    client, agency_admin, agency, viewer, committed
):
    client.force_login(agency_admin)
    assert "Bupati Sleman" not in client.get(agency_page(agency)).content.decode()
    viewer.first_name, viewer.last_name = "Bupati", "Sleman"
    committed(viewer.save)
    committed(lambda: UnitFactory(agency=agency, name="Kantor Baru Sleman"))
    page = client.get(agency_page(agency)).content.decode()
    assert "Bupati Sleman" in page and "Kantor Baru Sleman" in page


def test_a_removed_membership_takes_its_row_away_at_once(client, agency_admin, agency, committed):
    member = MembershipFactory(
        user=UserFactory(first_name="Mantan", last_name="Pegawai"), agency=agency
    )
    client.force_login(agency_admin)
    assert "Mantan Pegawai" in client.get(agency_page(agency)).content.decode()
    committed(member.delete)
    assert "Mantan Pegawai" not in client.get(agency_page(agency)).content.decode()


def test_english_and_indonesian_pages_are_kept_apart(client, agency_admin, agency, unit):
    client.force_login(agency_admin)
    assert "aktif" in client.get(agency_page(agency)).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    assert ">active<" in client.get(agency_page(agency)).content.decode()


def test_signing_in_keeps_the_token(committed, evaluator):
    committed(directory_cache.STAMP.changed)
    before = directory_cache.STAMP.token()
    committed(lambda: update_last_login(None, evaluator))
    assert directory_cache.STAMP.token() == before != ""
    committed(lambda: get_user_model().objects.get(pk=evaluator.pk).save())
    assert directory_cache.STAMP.token() != before
