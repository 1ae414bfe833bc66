"""The national dashboard: the agency figures across agencies, plus national breakdowns."""

import csv
import io

import pytest
from django.urls import reverse

from awards.models import Award
from evaluations.models import Evaluation
from tests import clock
from units.models import Agency, Unit

from . import dataset

pytestmark = pytest.mark.django_db

YEAR = clock.TODAY.year + 1


@pytest.fixture
def units(rubric, agency, foreign_agency):
    return dataset.build(agency=agency, foreign_agency=foreign_agency, year=YEAR)


@pytest.fixture
def national(client, national_admin, units):
    def get(**params):
        client.force_login(national_admin)
        return client.get(reverse("dashboards:national"), {"year": YEAR, **params})

    return get


def test_national_dashboard_covers_every_agency(national):
    data = national().context["data"]
    assert data.unit_count == Unit.objects.count() == 7
    assert "Foreign" in [h["unit"] for h in data.heatmap]


def test_counts_per_province_and_agency_kind_match_the_units(national, agency, foreign_agency):
    data = national().context["data"]
    for key, group in (("by_province", "province"), ("by_kind", "kind")):
        expected = {}
        for unit in Unit.objects.select_related("agency"):
            row = expected.setdefault(getattr(unit.agency, group), {"units": 0, "evaluated": 0})
            row["units"] += 1
            row["evaluated"] += Evaluation.objects.filter(unit=unit, year=YEAR).count()
        found = {
            k: {"units": v["units"], "evaluated": v["evaluated"]}
            for k, v in data.national[key].items()
        }
        assert found == expected


def test_proposals_per_year_stand_against_awards_and_the_national_reference(national):
    data = national().context["data"]
    proposals = {p["year"]: p for p in data.national["proposals"]}
    proposed_statuses = Evaluation.objects.filter(
        year=YEAR,
        status__in=[
            "proposed",
            "admin_selection",
            "desk_evaluation",
            "field_evaluation",
            "panel",
            "awarded_wbk",
            "awarded_wbbm",
            "not_awarded",
            "revoked",
        ],
    ).count()
    assert proposals[YEAR]["proposed"] == proposed_statuses == 1
    assert proposals[YEAR]["evaluated"] == Evaluation.objects.filter(year=YEAR).count()
    for year, row in proposals.items():
        assert row["awarded"] == Award.objects.filter(year=year).count()
    assert proposals[2020]["reference_proposed"] == 3691
    assert proposals[2020]["reference_awarded"] == 763


def test_agencies_are_ranked_by_units_near_a_threshold(national, agency, foreign_agency):
    data = national().context["data"]
    # Alpha (72) in the own agency, the foreign unit's self-assessment (74): both below 75.
    assert data.national["near_agencies"] == [(agency.name, 1), (foreign_agency.name, 1)]


def test_national_tables_download_as_csv(national, foreign_agency):
    response = national(format="csv", table="kinds")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Jenis instansi", "Unit kerja", "Dinilai", "Diusulkan", "Meraih predikat"]
    # The own regency holds six units, five evaluated, one proposed; the foreign city one.
    assert sorted(rows[1:]) == sorted(
        [
            [str(Agency.Kind.REGENCY.label), "6", "5", "1", "0"],
            [str(Agency.Kind.CITY.label), "1", "1", "0", "0"],
        ]
    )


@pytest.mark.parametrize("role", ["agency_admin", "evaluator", "unit_operator", "viewer"])
def test_national_dashboard_is_forbidden_to_other_roles(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("dashboards:national")).status_code == 403
