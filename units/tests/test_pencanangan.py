"""Pencanangan: who records and edits it, who sees its charter, and which units it covers."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from units import selectors, services
from units.models import Pencanangan
from units.tests.factories import (
    MINIMAL_PDF,
    MembershipFactory,
    PencananganFactory,
    UnitFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _private_files(media_root):
    private = media_root / "private"
    return sorted(p for p in private.rglob("*") if p.is_file()) if private.exists() else []


def _form_data(**overrides):
    data = {
        "date": "2024-02-20",
        "place": "Pendopo Parasamya, Sleman",
        "signed_by_name": "Kustini Sri Purnomo",
        "signed_by_position": "Bupati Sleman",
        "witness_kemenpanrb": "on",
        "witness_kpk": "on",
        "witness_others": "Kejaksaan Negeri Sleman",
        "covers_whole_agency": "on",
        "links": "https://slemankab.go.id/berita/pencanangan-zi",
        "charter": pdf_upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- create -------------------------------------------------------------------------------


def test_agency_admin_records_a_pencanangan_for_the_whole_agency(
    client, agency_admin, agency, media_root
):
    client.force_login(agency_admin)
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), _form_data())
    pencanangan = Pencanangan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("units:pencanangan_detail", args=[pencanangan.pk])
    assert pencanangan.agency == agency
    assert pencanangan.covers_whole_agency
    assert pencanangan.witness_labels == ["KemenPANRB", "KPK", "Kejaksaan Negeri Sleman"]
    assert pencanangan.created_by == agency_admin
    assert pencanangan.charter_sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert [p.read_bytes() for p in _private_files(media_root)] == [MINIMAL_PDF]


def test_agency_admin_records_a_pencanangan_for_chosen_units(
    client, agency_admin, agency, unit, other_unit
):
    client.force_login(agency_admin)
    data = _form_data(covers_whole_agency=None, units=[unit.pk])
    client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    pencanangan = Pencanangan.objects.get()
    assert not pencanangan.covers_whole_agency
    assert list(pencanangan.units.all()) == [unit]


def test_national_admin_records_a_pencanangan_for_any_agency(client, national_admin, agency):
    client.force_login(national_admin)
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), _form_data())
    assert response.status_code == 302
    assert Pencanangan.objects.get().agency == agency


@pytest.mark.parametrize("role", ["evaluator", "viewer", "unit_operator"])
def test_other_roles_of_the_agency_may_not_record_a_pencanangan(request, client, agency, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("units:pencanangan_create", args=[agency.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data()).status_code == 403
    assert not Pencanangan.objects.exists()


def test_admin_of_another_agency_does_not_find_the_create_page(client, outsider, agency):
    client.force_login(outsider)
    url = reverse("units:pencanangan_create", args=[agency.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form_data()).status_code == 404
    assert not Pencanangan.objects.exists()


def test_create_page_offers_only_the_agencys_own_units(
    client, agency_admin, agency, unit, other_unit, foreign_unit
):
    client.force_login(agency_admin)
    form = client.get(reverse("units:pencanangan_create", args=[agency.pk])).context["form"]
    assert set(form.fields["units"].queryset) == {unit, other_unit}


def test_a_unit_of_another_agency_cannot_be_covered(client, agency_admin, agency, foreign_unit):
    client.force_login(agency_admin)
    data = _form_data(covers_whole_agency=None, units=[foreign_unit.pk])
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("units")
    assert not Pencanangan.objects.exists()


def test_service_refuses_a_unit_of_another_agency(agency, agency_admin, foreign_unit, media_root):
    with pytest.raises(ValidationError) as exc:
        services.pencanangan_create(
            agency=agency,
            by=agency_admin,
            charter=pdf_upload(),
            units=[foreign_unit],
            date=datetime.date(2024, 1, 1),
            place="Sleman",
            signed_by_name="Bupati",
            signed_by_position="Bupati",
            covers_whole_agency=False,
        )
    assert "units" in exc.value.message_dict
    assert not Pencanangan.objects.exists()
    assert _private_files(media_root) == []


def test_chosen_units_need_at_least_one_unit(client, agency_admin, agency, unit):
    client.force_login(agency_admin)
    data = _form_data(covers_whole_agency=None)
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    assert "Pilih unit" in " ".join(response.context["form"].errors["units"])
    assert not Pencanangan.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("piagam.pdf", EXE, "program"),
        ("piagam.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "tidak diterima"),
        ("piagam.pdf", b"%PDF-1.4\n" + b"0" * 5000, "terlalu besar"),
        ("../../etc/passwd.docx", MINIMAL_PDF, "berakhiran"),
    ],
    ids=["renamed-exe", "image", "too-large", "wrong-extension"],
)
def test_bad_charter_is_refused_with_a_message_and_stores_nothing(
    client, agency_admin, agency, media_root, settings, name, content, message
):
    settings.UPLOAD_MAX_BYTES = 4096
    client.force_login(agency_admin)
    data = _form_data(charter=pdf_upload(name=name, content=content))
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["charter"])
    assert message in errors
    assert not Pencanangan.objects.exists()
    assert _private_files(media_root) == []


def test_form_with_errors_keeps_what_was_typed_and_explains_in_indonesian(
    client, agency_admin, agency
):
    client.force_login(agency_admin)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = _form_data(date=future, links="bukan alamat web")
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in page
    assert "bukan alamat web" in page  # the message quotes it and the field keeps it
    assert 'value="Pendopo Parasamya, Sleman"' in page
    assert 'value="Kejaksaan Negeri Sleman"' in page
    assert f'value="{future}"' in page
    assert not Pencanangan.objects.exists()


def test_missing_fields_are_named_next_to_the_field(client, agency_admin, agency):
    client.force_login(agency_admin)
    data = _form_data(place="", charter=None)
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    form = response.context["form"]
    assert "Bidang ini tidak boleh kosong." in form.errors["place"]
    assert "charter" in form.errors


# --- edit and history ---------------------------------------------------------------------


@pytest.fixture
def pencanangan(agency):
    return PencananganFactory(agency=agency)


def test_agency_admin_edits_a_pencanangan_and_history_records_who(
    client, agency_admin, pencanangan, unit
):
    client.force_login(agency_admin)
    data = _form_data(place="Aula Kantor Bupati", covers_whole_agency=None, units=[unit.pk])
    del data["charter"]
    response = client.post(reverse("units:pencanangan_update", args=[pencanangan.pk]), data)
    assert response.status_code == 302
    pencanangan.refresh_from_db()
    assert pencanangan.place == "Aula Kantor Bupati"
    assert list(pencanangan.units.all()) == [unit]
    assert pencanangan.updated_by == agency_admin
    latest = pencanangan.history.order_by("-history_date", "-pk").first()
    assert latest.history_type == "~"
    assert latest.history_user == agency_admin
    assert latest.place == "Aula Kantor Bupati"
    assert [u.unit_id for u in latest.units.all()] == [unit.pk]
    assert latest.prev_record.place == "Pendopo Kabupaten"


def test_edit_writes_exactly_one_history_row(client, agency_admin, pencanangan, unit):
    client.force_login(agency_admin)
    before = pencanangan.history.count()
    data = _form_data(covers_whole_agency=None, units=[unit.pk])
    del data["charter"]
    client.post(reverse("units:pencanangan_update", args=[pencanangan.pk]), data)
    assert pencanangan.history.count() == before + 1


def test_edit_without_a_new_file_keeps_the_charter(client, agency_admin, pencanangan):
    client.force_login(agency_admin)
    old_name = pencanangan.charter.name
    data = _form_data()
    del data["charter"]
    client.post(reverse("units:pencanangan_update", args=[pencanangan.pk]), data)
    pencanangan.refresh_from_db()
    assert pencanangan.charter.name == old_name


def test_new_charter_replaces_the_current_one_and_the_old_file_is_kept(
    client, agency_admin, pencanangan, media_root
):
    client.force_login(agency_admin)
    new_pdf = MINIMAL_PDF.replace(b"612 792", b"595 842")
    data = _form_data(charter=pdf_upload(name="piagam-revisi.pdf", content=new_pdf))
    client.post(reverse("units:pencanangan_update", args=[pencanangan.pk]), data)
    pencanangan.refresh_from_db()
    assert pencanangan.charter.name.endswith("/piagam-revisi.pdf")
    assert pencanangan.charter_sha256 == hashlib.sha256(new_pdf).hexdigest()
    assert len(_private_files(media_root)) == 2  # history still points to the first one


def test_bad_new_charter_changes_nothing(client, agency_admin, pencanangan, media_root):
    client.force_login(agency_admin)
    files_before = _private_files(media_root)
    data = _form_data(place="Diubah", charter=pdf_upload(content=EXE))
    response = client.post(reverse("units:pencanangan_update", args=[pencanangan.pk]), data)
    assert response.status_code == 200
    pencanangan.refresh_from_db()
    assert pencanangan.place == "Pendopo Kabupaten"
    assert _private_files(media_root) == files_before


@pytest.mark.parametrize("role", ["evaluator", "viewer", "unit_operator"])
def test_other_roles_may_not_edit(request, client, pencanangan, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("units:pencanangan_update", args=[pencanangan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(place="Diubah")).status_code == 403
    pencanangan.refresh_from_db()
    assert pencanangan.place == "Pendopo Kabupaten"


def test_admin_of_another_agency_does_not_find_the_edit_page(client, outsider, pencanangan):
    client.force_login(outsider)
    url = reverse("units:pencanangan_update", args=[pencanangan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form_data(place="Diubah")).status_code == 404


# --- reading: list, detail, charter --------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["agency_admin", "evaluator", "viewer", "unit_operator", "national_admin"]
)
def test_every_role_of_the_agency_reads_the_pencanangan(request, client, pencanangan, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("units:pencanangan_detail", args=[pencanangan.pk]))
    assert response.status_code == 200
    assert pencanangan.place in response.content.decode()


def test_edit_button_is_shown_only_to_those_who_may_edit(client, pencanangan, agency_admin, viewer):
    url = reverse("units:pencanangan_detail", args=[pencanangan.pk])
    edit_url = reverse("units:pencanangan_update", args=[pencanangan.pk])
    client.force_login(viewer)
    assert edit_url not in client.get(url).content.decode()
    client.force_login(agency_admin)
    assert edit_url in client.get(url).content.decode()


def test_pencanangan_of_another_agency_is_not_found(client, outsider, pencanangan):
    client.force_login(outsider)
    response = client.get(reverse("units:pencanangan_detail", args=[pencanangan.pk]))
    assert response.status_code == 404
    assert pencanangan.place not in response.content.decode()


def test_charter_is_downloaded_by_its_own_agency(client, viewer, pencanangan):
    client.force_login(viewer)
    response = client.get(reverse("units:pencanangan_charter", args=[pencanangan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="piagam.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_charter_can_be_opened_inline(client, viewer, pencanangan):
    client.force_login(viewer)
    url = reverse("units:pencanangan_charter", args=[pencanangan.pk]) + "?tampilkan=1"
    assert client.get(url)["Content-Disposition"].startswith("inline;")


def test_charter_of_another_agency_is_not_found(client, outsider, pencanangan):
    client.force_login(outsider)
    response = client.get(reverse("units:pencanangan_charter", args=[pencanangan.pk]))
    assert response.status_code == 404
    assert MINIMAL_PDF not in response.content


@pytest.mark.parametrize(
    "url_name", ["pencanangan_detail", "pencanangan_update", "pencanangan_charter"]
)
def test_anonymous_visitors_are_sent_to_login(client, pencanangan, url_name):
    response = client.get(reverse(f"units:{url_name}", args=[pencanangan.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_login_from_lists_and_create(client, agency):
    for url in (
        reverse("units:pencanangan_list"),
        reverse("units:agency_pencanangan_list", args=[agency.pk]),
        reverse("units:pencanangan_create", args=[agency.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_missing_charter_file_gives_404_not_an_error(client, viewer, pencanangan):
    pencanangan.charter.storage.delete(pencanangan.charter.name)
    client.force_login(viewer)
    response = client.get(reverse("units:pencanangan_charter", args=[pencanangan.pk]))
    assert response.status_code == 404


def test_list_shows_only_the_users_agencies(client, viewer, pencanangan, foreign_agency):
    foreign = PencananganFactory(agency=foreign_agency, place="Balai Kota Semarang")
    client.force_login(viewer)
    response = client.get(reverse("units:pencanangan_list"))
    assert list(response.context["records"]) == [pencanangan]
    assert foreign.place not in response.content.decode()


def test_member_of_two_agencies_lists_both(client, viewer, pencanangan, foreign_agency):
    foreign = PencananganFactory(agency=foreign_agency)
    MembershipFactory(user=viewer, agency=foreign_agency, role="viewer")
    client.force_login(viewer)
    response = client.get(reverse("units:pencanangan_list"))
    assert set(response.context["records"]) == {pencanangan, foreign}


def test_agency_list_of_another_agency_is_not_found(client, outsider, agency):
    client.force_login(outsider)
    response = client.get(reverse("units:agency_pencanangan_list", args=[agency.pk]))
    assert response.status_code == 404


def test_agency_list_offers_the_create_button_only_to_its_admins(
    client, agency, agency_admin, evaluator
):
    url = reverse("units:agency_pencanangan_list", args=[agency.pk])
    create_url = reverse("units:pencanangan_create", args=[agency.pk])
    client.force_login(evaluator)
    assert create_url not in client.get(url).content.decode()
    client.force_login(agency_admin)
    assert create_url in client.get(url).content.decode()


def test_overall_list_offers_create_for_the_agencies_the_user_administers(
    client, agency, agency_admin, viewer
):
    create_url = reverse("units:pencanangan_create", args=[agency.pk])
    client.force_login(viewer)
    assert create_url not in client.get(reverse("units:pencanangan_list")).content.decode()
    client.force_login(agency_admin)
    assert create_url in client.get(reverse("units:pencanangan_list")).content.decode()


def test_navbar_links_to_the_pencanangan_list(client, viewer, unit):
    client.force_login(viewer)
    assert reverse("units:pencanangan_list") in client.get(reverse("home")).content.decode()


# list: session, user, memberships, count, rows (the covered-unit count is an annotation)
LIST_QUERIES = 5


@pytest.mark.parametrize("with_agency", [False, True])
def test_list_query_count_does_not_grow_with_records(
    client, agency_admin, agency, unit, django_assert_num_queries, with_agency
):
    client.force_login(agency_admin)
    url = (
        reverse("units:agency_pencanangan_list", args=[agency.pk])
        if with_agency
        else reverse("units:pencanangan_list")
    )
    created = 0
    for total in (2, 20):
        for _ in range(total - created):
            PencananganFactory(agency=agency, covers_whole_agency=False, units=[unit])
        created = total
        cache.clear()
        with django_assert_num_queries(LIST_QUERIES + (1 if with_agency else 0)):
            response = client.get(url)
        assert response.context["records"].paginator.count == total


# --- coverage -----------------------------------------------------------------------------


def test_unit_page_shows_coverage_by_a_whole_agency_pencanangan(client, viewer, unit, agency):
    pencanangan = PencananganFactory(agency=agency, date=datetime.date(2023, 3, 1))
    client.force_login(viewer)
    page = client.get(reverse("awards:unit_detail", args=[unit.pk])).content.decode()
    assert "1 Maret 2023" in page
    assert pencanangan.get_absolute_url() in page


def test_unit_page_shows_coverage_only_for_chosen_units(client, viewer, unit, other_unit, agency):
    pencanangan = PencananganFactory(agency=agency, covers_whole_agency=False, units=[unit])
    client.force_login(viewer)
    covered = client.get(reverse("awards:unit_detail", args=[unit.pk]))
    uncovered = client.get(reverse("awards:unit_detail", args=[other_unit.pk]))
    assert covered.context["coverage"].pencanangan == pencanangan
    assert uncovered.context["coverage"] is None
    assert "belum" in uncovered.content.decode().split('id="unit-coverage"')[1][:400]


def test_unit_page_says_when_no_pencanangan_covers_the_unit(client, viewer, unit, foreign_agency):
    PencananganFactory(agency=foreign_agency)  # another agency's commitment covers nothing here
    client.force_login(viewer)
    response = client.get(reverse("awards:unit_detail", args=[unit.pk]))
    assert response.context["coverage"] is None


def test_coverage_starts_at_the_earliest_covering_pencanangan(unit, agency):
    PencananganFactory(agency=agency, date=datetime.date(2024, 5, 1))
    PencananganFactory(
        agency=agency, date=datetime.date(2022, 1, 10), covers_whole_agency=False, units=[unit]
    )
    assert selectors.unit_coverage(unit).since == datetime.date(2022, 1, 10)


def test_unit_is_not_covered_before_the_signing_date_and_says_why(unit, agency):
    PencananganFactory(agency=agency, date=datetime.date(2024, 5, 1))
    check = selectors.unit_is_covered(unit, on_date=datetime.date(2024, 4, 30))
    assert not check
    assert "1 Mei 2024" in check.reason
    assert selectors.unit_is_covered(unit, on_date=datetime.date(2024, 5, 1))


def test_uncovered_unit_check_gives_an_indonesian_reason(unit):
    check = selectors.unit_is_covered(unit)
    assert not check.covered
    assert unit.name in check.reason
    assert "Belum ada pencanangan" in check.reason


# unit page: session, user, memberships, unit with agency, coverage, and the timeline's
# evaluations, proposals, awards and pencanangan (awards.selectors.unit_timeline)
UNIT_PAGE_QUERIES = 9


def test_unit_page_query_count_is_constant(client, viewer, unit, agency, django_assert_num_queries):
    client.force_login(viewer)
    url = reverse("awards:unit_detail", args=[unit.pk])
    cache.clear()
    with django_assert_num_queries(UNIT_PAGE_QUERIES):
        client.get(url)
    for _ in range(10):
        PencananganFactory(agency=agency, covers_whole_agency=False, units=[unit])
    PencananganFactory(agency=agency)
    cache.clear()
    with django_assert_num_queries(UNIT_PAGE_QUERIES):
        client.get(url)


def test_docx_charter_built_in_the_test_is_refused_as_not_pdf(client, agency_admin, agency):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    client.force_login(agency_admin)
    data = _form_data(charter=pdf_upload(name="piagam.docx", content=buffer.getvalue()))
    response = client.post(reverse("units:pencanangan_create", args=[agency.pk]), data)
    assert "PDF" in " ".join(response.context["form"].errors["charter"])
    assert not Pencanangan.objects.exists()


def test_unit_factory_units_belong_to_their_agency(agency):
    assert UnitFactory(agency=agency).agency == agency
