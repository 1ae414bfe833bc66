"""The dashboards keep their rendered figures a few minutes: per page, scope, filters, language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import ProposalWindow
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def figure(response, name):
    """Return the text of one pipeline figure (e.g. "units") of a dashboard page."""
    html = str(response.context["figures"])
    start = html.index(f'id="figure-{name}">') + len(f'id="figure-{name}">')
    return html[start : html.index("</div>", start)].strip()


def test_figures_are_kept_until_they_expire_and_say_when_they_were_computed(
    client, agency, unit, other_unit, agency_admin, monkeypatch
):
    from dashboards import views

    client.force_login(agency_admin)
    url = reverse("dashboards:agency", args=[agency.pk])
    first = client.get(url)
    assert figure(first, "units") == "2"
    assert timezone.localtime(first.context["as_of"]).strftime("%H:%M") in first.content.decode()
    assert "dihitung ulang paling sering setiap 1 menit" in first.content.decode()

    UnitFactory(agency=agency)
    assert figure(client.get(url), "units") == "2"  # still the kept figures
    monkeypatch.setattr(views, "AGENCY_CACHE_SECONDS", 0)  # Django's cache: 0 s = do not keep
    client.get(url, {"year": timezone.localdate().year})  # another key, stored for 0 s
    assert figure(client.get(url, {"year": timezone.localdate().year}), "units") == "3"


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
