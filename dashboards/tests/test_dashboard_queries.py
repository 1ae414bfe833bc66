"""The dashboards issue the same number of queries for 5 or 500 units."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations.models import Evaluation, EvaluationScore, Level, RubricVersion
from tests import clock
from units.models import Unit

from . import dataset

pytestmark = pytest.mark.django_db

YEAR = clock.TODAY.year
# session, user, memberships, agency, predicates, unit rows, thresholds, area labels, trend,
# proposal window
AGENCY_QUERIES = 10
# session, user, memberships, predicates, unit rows, thresholds, area labels, trend,
# provinces × kinds, proposals per year, proposal window
NATIONAL_QUERIES = 11


def grow(agency, total):
    """Add units with an evaluation and TPI and self scores until the agency has `total`."""
    rubric = RubricVersion.objects.get(is_active=True)
    start = Unit.objects.filter(agency=agency).count()
    units = Unit.objects.bulk_create(
        Unit(agency=agency, name=f"Unit {n:05d}", code=f"U-{agency.pk}-{n:05d}")
        for n in range(start, total)
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(
            unit=u, agency=u.agency, year=YEAR, rubric=rubric, status=Evaluation.Status.TPI_REVIEW
        )
        for u in units
    )
    EvaluationScore.objects.bulk_create(
        dataset.score(e, level, total=60 + n % 30, verdict="WBK" if n % 30 > 15 else "")
        for n, e in enumerate(evaluations)
        for level in (Level.TPI, Level.SELF)
    )


def test_agency_dashboard_query_count_does_not_grow_with_units(
    client, rubric, agency, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    url = reverse("dashboards:agency", args=[agency.pk])
    for total in (5, 500):
        grow(agency, total)
        cache.clear()
        with django_assert_num_queries(AGENCY_QUERIES):
            response = client.get(url)
        assert response.context["data"].unit_count == total
        cached = client.get(url)
        assert cached.context["figures"] == response.context["figures"]
        assert "data" not in cached.context  # nothing was recomputed


def test_national_dashboard_query_count_does_not_grow_with_units(
    client, rubric, agency, national_admin, django_assert_num_queries
):
    client.force_login(national_admin)
    url = reverse("dashboards:national")
    for total in (5, 500):
        grow(agency, total)
        cache.clear()
        with django_assert_num_queries(NATIONAL_QUERIES):
            response = client.get(url)
        assert response.context["data"].unit_count == total
        cached = client.get(url)
        assert cached.context["figures"] == response.context["figures"]
        assert "data" not in cached.context  # nothing was recomputed


@pytest.mark.django_db
def test_deadline_comes_from_the_proposal_window_or_31_may():
    from datetime import date

    from awards.models import ProposalWindow
    from dashboards.selectors import proposal_deadline

    assert proposal_deadline(year=2031) == date(2031, 5, 31)
    ProposalWindow.objects.create(year=2031, opens_on=date(2031, 1, 2), closes_on=date(2031, 6, 15))
    assert proposal_deadline(year=2031) == date(2031, 6, 15)
