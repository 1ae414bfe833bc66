"""The public list of awarded units: anonymous, published data only, constant queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from awards import selectors
from tests import clock
from units.tests.factories import AgencyFactory, UnitFactory

from .factories import AwardFactory

URL = reverse("awards:public_list")
CSV = reverse("awards:public_csv")


@pytest.fixture
def awards(unit, other_unit, foreign_unit):
    return {
        "wbk": AwardFactory(unit=unit, year=2024, predicate="WBK", decree_number="SK-WBK-2024"),
        "wbbm": AwardFactory(
            unit=other_unit, year=2025, predicate="WBBM", decree_number="SK-WBBM-2025"
        ),
        "revoked": AwardFactory(
            unit=foreign_unit,
            year=2023,
            predicate="WBK",
            decree_number="SK-REVOKED",
            revoked_on=datetime.date(2024, 6, 1),
            revocation_reason="Rahasia internal",
        ),
        "hidden": AwardFactory(
            unit=UnitFactory(name="Unit Belum Diumumkan"),
            year=2025,
            decree_number="SK-HIDDEN",
            is_published=False,
        ),
    }


def test_the_public_list_opens_without_login_and_shows_published_awards(client, awards):
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "SK-WBK-2024" in body and "SK-WBBM-2025" in body and "SK-REVOKED" in body


def test_the_public_list_never_shows_unpublished_awards_or_internal_details(client, awards):
    body = client.get(URL).content.decode()
    assert "SK-HIDDEN" not in body and "Unit Belum Diumumkan" not in body
    # The revocation is marked, its internal reason is not published.
    assert "Rahasia internal" not in body
    assert "dicabut" in body


def test_an_award_is_public_once_its_announcement_is_published_and_its_day_has_come(
    client, rubric, agency, unit, agency_admin, national_admin
):
    from awards import services

    from .proposal_helpers import announcement, proposed_item, record_result

    item = record_result(proposed_item(agency, unit, agency_admin), national_admin)
    # The ceremony is tomorrow (the tests run on 15 April 2026).
    decree = announcement(
        publish_on=datetime.date(2026, 4, 16), decree_date=datetime.date(2026, 4, 10)
    )
    services.award_create_from_item(item=item, announcement=decree, by=national_admin)

    def shown(day=None):
        return [row.decree_number for row in selectors.public_awards(day)]

    assert "SK-10/MENPANRB/2025" not in client.get(URL).content.decode()  # not published
    services.announcement_publish(announcement=decree, by=national_admin)
    assert shown() == []  # published, but its day has not come
    assert "SK-10/MENPANRB/2025" not in client.get(URL).content.decode()
    assert shown(datetime.date(2026, 4, 16)) == ["SK-10/MENPANRB/2025"]
    with time_machine.travel(clock.NOW + datetime.timedelta(days=1)):  # the day itself
        assert "SK-10/MENPANRB/2025" in client.get(URL).content.decode()


def test_counts_follow_the_filters(client, awards):
    listing = client.get(URL).context["listing"]
    assert listing.counts == {"total": 3, "wbk": 2, "wbbm": 1, "revoked": 1}
    listing = client.get(URL, {"predicate": "WBK", "year": 2024}).context["listing"]
    assert listing.counts["total"] == 1
    assert [row["decree_number"] for row in listing.page] == ["SK-WBK-2024"]


def test_filters_by_province_and_agency(client, awards, agency, foreign_agency):
    by_province = client.get(URL, {"province": "DI Yogyakarta"}).context["listing"]
    assert {row["decree_number"] for row in by_province.page} == {"SK-WBK-2024", "SK-WBBM-2025"}
    by_agency = client.get(URL, {"agency": foreign_agency.pk}).context["listing"]
    assert [row["decree_number"] for row in by_agency.page] == ["SK-REVOKED"]


def test_the_csv_download_holds_published_awards_only(client, awards):
    response = client.get(CSV, {"predicate": "WBK"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "SK-WBK-2024" in text and "SK-REVOKED" in text and "2024-06-01" in text
    assert "SK-WBBM-2025" not in text and "SK-HIDDEN" not in text
    assert "Rahasia internal" not in text


def test_the_public_list_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries):
    total = 0
    for batch in (3, 60):
        agency = AgencyFactory()
        for unit in UnitFactory.create_batch(batch, agency=agency):
            AwardFactory(unit=unit, year=2025)
        total += batch
        # counts (also the pages'), page rows, agencies with a published award
        with django_assert_num_queries(3):
            response = client.get(URL, {"page": 2})
        assert response.status_code == 200
        assert response.context["listing"].page.paginator.count == total
        assert len(response.context["listing"].page) == {3: 3, 63: 13}[total]  # last page


def test_the_agency_filter_offers_agencies_with_a_published_award(client, db):
    shown, hidden = AgencyFactory(), AgencyFactory()
    AwardFactory(unit=UnitFactory(agency=shown), year=2025)
    AwardFactory(unit=UnitFactory(agency=hidden), year=2025, is_published=False)
    choices = client.get(URL).context["listing"].filter.form.fields["agency"].choices
    assert list(choices) == [("", "---------"), (shown.pk, shown.name)]


def test_the_pages_count_only_the_awards_the_filters_keep(client, db):
    ours, theirs = AgencyFactory(), AgencyFactory()
    for unit in UnitFactory.create_batch(3, agency=ours):
        AwardFactory(unit=unit, year=2025)
    AwardFactory(unit=UnitFactory(agency=theirs), year=2025)
    listing = client.get(URL, {"agency": ours.pk}).context["listing"]
    assert listing.page.paginator.count == listing.counts["total"] == 3
    assert {row["unit__agency__name"] for row in listing.page} == {ours.name}


def _rename(instance, name):
    instance.name = name
    instance.save()


def _revoke(award):
    award.revoked_on = datetime.date(2025, 9, 1)
    award.revocation_reason = "Temuan pemeriksaan"
    award.save()


def test_every_change_to_what_the_list_shows_is_seen_at_once(client, awards):
    wbk = awards["wbk"]

    def body():
        return client.get(URL).content.decode()

    assert "SK-WBK-2024" in body()
    _rename(wbk.unit, "Kantor Berganti Nama")
    assert "Kantor Berganti Nama" in body()
    _rename(wbk.unit.agency, "Instansi Berganti Nama")
    assert "Instansi Berganti Nama" in body()
    _revoke(wbk)
    assert client.get(URL).context["listing"].counts["revoked"] == 2
    AwardFactory(unit=awards["hidden"].unit, year=2024, decree_number="SK-BARU")
    assert "SK-BARU" in body()
    awards["wbbm"].delete()
    assert "SK-WBBM-2025" not in body()


def test_the_agency_filter_follows_a_new_award_at_once(client, db):
    first, later = AgencyFactory(), AgencyFactory()
    AwardFactory(unit=UnitFactory(agency=first), year=2025)

    def offered():
        choices = client.get(URL).context["listing"].filter.form.fields["agency"].choices
        return {value for value, _label in choices if value}

    assert offered() == {first.pk}
    AwardFactory(unit=UnitFactory(agency=later), year=2025)
    assert offered() == {first.pk, later.pk}
