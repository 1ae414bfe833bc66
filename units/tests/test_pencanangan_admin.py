"""Pencanangan in Django admin: scoped by agency, saved through the services, history kept."""

import pytest
from django.urls import reverse

from units.models import Pencanangan
from units.tests.factories import PencananganFactory, pdf_upload

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00" + b"\x00" * 100


def _admin_data(agency, **overrides):
    data = {
        "agency": agency.pk,
        "date": "2024-02-20",
        "place": "Pendopo Parasamya",
        "signed_by_name": "Kustini Sri Purnomo",
        "signed_by_position": "Bupati Sleman",
        "witness_kpk": "on",
        "covers_whole_agency": "on",
        "links": "",
        "charter": pdf_upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_agency_admin_sees_only_their_agencys_pencanangan(client, agency_admin, agency, outsider):
    own = PencananganFactory(agency=agency)
    PencananganFactory(agency=outsider.memberships.get().agency)
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_pencanangan_changelist"))
    assert list(response.context["cl"].queryset) == [own]


def test_agency_admin_adds_a_pencanangan_in_admin(client, agency_admin, agency, unit):
    client.force_login(agency_admin)
    data = _admin_data(agency, covers_whole_agency=None, units=[unit.pk])
    response = client.post(reverse("admin:units_pencanangan_add"), data)
    assert response.status_code == 302
    pencanangan = Pencanangan.objects.get()
    assert list(pencanangan.units.all()) == [unit]
    assert pencanangan.created_by == agency_admin
    assert pencanangan.history.filter(history_user=agency_admin).exists()


def test_admin_refuses_a_renamed_program_as_charter(client, agency_admin, agency, media_root):
    client.force_login(agency_admin)
    data = _admin_data(agency, charter=pdf_upload(content=EXE))
    response = client.post(reverse("admin:units_pencanangan_add"), data)
    assert response.status_code == 200
    assert "program" in response.content.decode()
    assert not Pencanangan.objects.exists()
    assert not (media_root / "private").exists()


def test_admin_refuses_units_of_another_agency(client, national_admin, agency, foreign_unit):
    client.force_login(national_admin)
    data = _admin_data(agency, covers_whole_agency=None, units=[foreign_unit.pk])
    response = client.post(reverse("admin:units_pencanangan_add"), data)
    assert response.status_code == 200
    assert not Pencanangan.objects.exists()


def test_admin_offers_only_the_agencys_units(client, agency_admin, unit, foreign_unit):
    client.force_login(agency_admin)
    form = client.get(reverse("admin:units_pencanangan_add")).context["adminform"].form
    assert set(form.fields["units"].queryset) == {unit}


def test_admin_change_form_links_the_charter_through_the_checked_view(client, agency_admin, agency):
    pencanangan = PencananganFactory(agency=agency)
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_pencanangan_change", args=[pencanangan.pk]))
    assert response.status_code == 200
    assert reverse("units:pencanangan_charter", args=[pencanangan.pk]) in response.content.decode()


def test_admin_edit_keeps_the_charter_and_records_history(client, agency_admin, agency):
    pencanangan = PencananganFactory(agency=agency)
    client.force_login(agency_admin)
    data = _admin_data(agency, place="Aula Baru", charter=None)
    del data["agency"]  # read-only once recorded
    response = client.post(reverse("admin:units_pencanangan_change", args=[pencanangan.pk]), data)
    assert response.status_code == 302
    pencanangan.refresh_from_db()
    assert pencanangan.place == "Aula Baru"
    assert pencanangan.charter
    assert pencanangan.history.first().history_user == agency_admin


def test_admin_history_of_another_agency_is_not_shown(client, agency_admin, foreign_agency):
    foreign = PencananganFactory(agency=foreign_agency, place="Balai Kota Semarang")
    client.force_login(agency_admin)
    response = client.get(reverse("admin:units_pencanangan_history", args=[foreign.pk]))
    assert response.status_code in (403, 404)
    assert "Balai Kota Semarang" not in response.content.decode()


def test_national_admin_reads_the_history_in_admin(client, national_admin, agency):
    pencanangan = PencananganFactory(agency=agency)
    client.force_login(national_admin)
    response = client.get(reverse("admin:units_pencanangan_history", args=[pencanangan.pk]))
    assert response.status_code == 200
