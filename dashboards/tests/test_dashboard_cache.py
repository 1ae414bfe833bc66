"""The dashboards keep their rendered figures a few minutes: per page, scope, filters, language."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from awards.models import ProposalWindow
from dashboards import views
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def figure(response, name):
    """Return the text of one pipeline figure (e.g. "units") of a dashboard page."""
    html = str(response.context["figures"])
    start = html.index(f'id="figure-{name}">') + len(f'id="figure-{name}">')
    return html[start : html.index("</div>", start)].strip()


def test_figures_are_kept_until_they_expire_and_say_when_they_were_computed(
    client, agency, unit, other_unit, agency_admin
):
    client.force_login(agency_admin)
    url = reverse("dashboards:agency", args=[agency.pk])
    first = client.get(url)
    assert figure(first, "units") == "2"
    assert timezone.localtime(first.context["as_of"]).strftime("%H:%M") in first.content.decode()
    assert "dihitung ulang paling sering setiap 1 menit" in first.content.decode()

    UnitFactory(agency=agency)
    assert figure(client.get(url), "units") == "2"  # still the kept figures
    later = timezone.now() + timedelta(seconds=views.AGENCY_CACHE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert figure(client.get(url), "units") == "3"


def test_a_unit_operator_never_gets_the_figures_kept_for_the_whole_agency(
    client, agency, unit, other_unit, agency_admin, unit_operator
):
    url = reverse("dashboards:agency", args=[agency.pk])
    client.force_login(agency_admin)
    assert figure(client.get(url), "units") == "2"
    client.force_login(unit_operator)
    assert figure(client.get(url), "units") == "1"


def test_each_filter_and_language_has_its_own_figures(client, agency, unit, national_admin):
    this_year = timezone.localdate().year
    url = reverse("dashboards:national")
    client.force_login(national_admin)
    assert f"Tahapan {this_year}" in str(client.get(url).context["figures"])
    last_year = client.get(url, {"year": this_year - 1})
    assert f"Tahapan {this_year - 1}" in str(last_year.context["figures"])
    client.cookies["django_language"] = "en"
    english = client.get(url, {"year": this_year - 1})
    assert f"Pipeline {this_year - 1}" in str(english.context["figures"])
    assert f"Pipeline {this_year - 1}" not in str(last_year.context["figures"])


def test_a_passed_deadline_shows_the_window_closed_not_negative_days(client, agency, viewer):
    year = timezone.localdate().year
    closes = timezone.localdate() - timedelta(days=3)
    ProposalWindow.objects.create(year=year, opens_on=closes - timedelta(days=30), closes_on=closes)
    client.force_login(viewer)
    response = client.get(reverse("dashboards:agency", args=[agency.pk]), {"year": year})
    assert response.context["data"].days_to_deadline == -3
    assert figure(response, "deadline") == "Ditutup"
    assert "-3" not in str(response.context["figures"]).split('id="figure-deadline"')[1][:80]


def test_the_deadline_day_itself_still_counts_down(client, agency, viewer):
    year = timezone.localdate().year
    today = timezone.localdate()
    ProposalWindow.objects.create(year=year, opens_on=today - timedelta(days=30), closes_on=today)
    client.force_login(viewer)
    response = client.get(reverse("dashboards:agency", args=[agency.pk]), {"year": year})
    assert figure(response, "deadline") == "0"


def test_a_query_string_naming_the_same_choice_finds_the_same_figures(client, agency, unit, viewer):
    year = timezone.localdate().year
    url = reverse("dashboards:agency", args=[agency.pk])
    client.force_login(viewer)
    first = client.get(f"{url}?year={year}&service_kind=umum")
    assert "data" in first.context
    for query in (
        f"year={year}&service_kind=umum&x=random",
        f"service_kind=umum&year={year}",
        f"year={year}&year={year}&service_kind=umum&service_kind=umum",
        f"x=1&service_kind=umum&y=2&year={year}&format=",
    ):
        again = client.get(f"{url}?{query}")
        assert "data" not in again.context, query  # nothing recomputed
        assert again.context["figures"] == first.context["figures"]


def test_the_csv_links_carry_the_choice_not_the_query_string_of_whoever_computed_it(
    client, agency, unit, viewer
):
    year = timezone.localdate().year
    client.force_login(viewer)
    html = str(
        client.get(
            reverse("dashboards:agency", args=[agency.pk]), {"year": year, "x": "1"}
        ).context["figures"]
    )
    assert f'href="?year={year}&amp;format=csv&amp;table=ranking"' in html
    assert "x=1" not in html


@pytest.mark.parametrize("year", ["abc", "1900", "99999999999999999999", "2025.5"])
def test_a_year_the_dashboard_does_not_offer_gets_a_clear_message_not_an_error(
    client, agency, viewer, national_admin, year
):
    last = timezone.localdate().year + 1
    for user, url in (
        (viewer, reverse("dashboards:agency", args=[agency.pk])),
        (national_admin, reverse("dashboards:national")),
    ):
        client.force_login(user)
        for params in ({"year": year}, {"year": year, "format": "csv", "table": "ranking"}):
            response = client.get(url, params)
            assert response.status_code == 400
            assert response["Content-Type"].startswith("text/html")
            html = response.content.decode()
            assert f"Pilih tahun dari 2017 sampai {last}." in html
            assert "Angka ini tidak dapat ditampilkan" in html
            assert "data" not in response.context


def test_an_unknown_kind_of_unit_gets_a_clear_message(client, agency, viewer):
    client.force_login(viewer)
    response = client.get(
        reverse("dashboards:agency", args=[agency.pk]), {"service_kind": "<script>"}
    )
    assert response.status_code == 400
    assert "Pilih jenis unit dari daftar." in response.content.decode()
    assert "<script>" not in response.content.decode()
