"""Django admin: national administrators manage everything, agency administrators their own."""

import pytest
from django.urls import reverse

from units.models import Agency, Membership, Role, Unit

pytestmark = pytest.mark.django_db


def _inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_national_admin_adds_an_agency_with_units_inline(client, national_admin):
    client.force_login(national_admin)
    data = {
        "name": "Pemerintah Kota Bogor",
        "code": "KOTA-BOGOR",
        "kind": "kota",
        "province": "Jawa Barat",
        **_inline_management("units", total=2),
        "units-0-name": "Dinas Kependudukan dan Pencatatan Sipil Kota Bogor",
        "units-0-code": "BOGOR-DUKCAPIL",
        "units-0-service_kind": "kependudukan",
        "units-0-is_active": "on",
        "units-1-name": "RSUD Kota Bogor",
        "units-1-code": "BOGOR-RSUD",
        "units-1-service_kind": "kesehatan",
        "units-1-is_active": "on",
        **_inline_management("memberships"),
    }
    response = client.post(reverse("admin:units_agency_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    agency = Agency.objects.get(code="KOTA-BOGOR")
    assert sorted(agency.units.values_list("code", flat=True)) == ["BOGOR-DUKCAPIL", "BOGOR-RSUD"]


def test_admin_refuses_a_city_without_province_with_a_clear_message(client, national_admin):
    client.force_login(national_admin)
    data = {
        "name": "Pemerintah Kota Tanpa Provinsi",
        "code": "KOTA-X",
        "kind": "kota",
        "province": "",
        **_inline_management("units"),
        **_inline_management("memberships"),
    }
    response = client.post(reverse("admin:units_agency_add"), data)
    assert response.status_code == 200
    assert "wajib menyebutkan provinsinya" in response.content.decode()
    assert not Agency.objects.filter(code="KOTA-X").exists()


def test_agency_admin_sees_only_their_agency_in_admin(client, agency_admin, agency, foreign_agency):
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_agency_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [agency]


def test_agency_admin_cannot_open_another_agency_in_admin(client, agency_admin, foreign_agency):
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_agency_change", args=[foreign_agency.pk]))
    # Admin answers "does not exist" for rows outside the queryset and sends the user away.
    assert response.status_code == 302
    assert foreign_agency.name not in client.get(response.url).content.decode()


def test_agency_admin_cannot_open_or_change_a_foreign_unit(client, agency_admin, foreign_unit):
    client.force_login(agency_admin)
    url = reverse("admin:units_unit_change", args=[foreign_unit.pk])
    assert client.get(url).status_code == 302
    client.post(
        url, {"name": "Diubah", "code": foreign_unit.code, "agency": foreign_unit.agency_id}
    )
    foreign_unit.refresh_from_db()
    assert foreign_unit.name != "Diubah"


def test_agency_admin_cannot_move_a_unit_into_another_agency(
    client, agency_admin, unit, foreign_agency
):
    client.force_login(agency_admin)
    response = client.post(
        reverse("admin:units_unit_change", args=[unit.pk]),
        {
            "name": unit.name,
            "code": unit.code,
            "agency": foreign_agency.pk,
            "service_kind": "umum",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    unit.refresh_from_db()
    assert unit.agency_id != foreign_agency.pk


def test_agency_admin_adds_a_unit_to_their_agency(client, agency_admin, agency):
    client.force_login(agency_admin)
    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "name": "Puskesmas Depok I",
            "code": "SLEMAN-PKM-DEPOK1",
            "agency": agency.pk,
            "service_kind": "kesehatan",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="SLEMAN-PKM-DEPOK1").agency == agency


def test_agency_admin_cannot_add_agencies_or_grant_national_admin(client, agency_admin, agency):
    client.force_login(agency_admin)
    assert client.get(reverse("admin:units_agency_add")).status_code == 403
    form = client.get(reverse("admin:units_membership_add")).context["adminform"].form
    assert Role.NATIONAL_ADMIN not in dict(form.fields["role"].choices)


def test_agency_admin_sees_only_their_memberships(client, agency_admin, outsider):
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_membership_changelist"))
    assert set(response.context["cl"].queryset) == set(
        Membership.objects.filter(agency=agency_admin.memberships.get().agency)
    )


@pytest.mark.parametrize("role", ["viewer", "evaluator", "unit_operator"])
def test_non_admin_roles_cannot_use_admin(request, client, role):
    user = request.getfixturevalue(role)
    user.is_staff = True  # even if someone ticked "staff" by mistake
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:units_unit_changelist"))
    assert response.status_code == 403
