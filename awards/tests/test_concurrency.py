"""Two national administrators at once, on real parallel PostgreSQL connections: each award is
created once, and an announcement is published once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards import services
from awards.models import Announcement, Award
from evaluations.tests.factories import tpi_final
from evaluations.tests.test_concurrency import run_together
from units.models import Role
from units.tests.factories import MembershipFactory, UserFactory

from .proposal_helpers import PROPOSAL_DAY, announcement, proposed_item, record_result

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs on it)"
    ),
]


@pytest.fixture
def two_admins(national_admin):
    other = UserFactory(username="nasional.dua", is_staff=True, is_superuser=True)
    MembershipFactory(user=other, agency=None, role=Role.NATIONAL_ADMIN)
    return national_admin, other


@pytest.fixture
def results(rubric, agency, unit, other_unit, agency_admin, national_admin):
    """Two WBK results of 2025, without their awards yet."""
    first = record_result(proposed_item(agency, unit, agency_admin), national_admin)
    second = services.submission_item_add(
        submission=first.submission,
        evaluation=tpi_final(other_unit, 2025),
        predicate="WBK",
        by=agency_admin,
        today=PROPOSAL_DAY,
    )
    return [first, record_result(second, national_admin)]


def test_two_award_creations_for_one_item_make_one_award(results, two_admins):
    decree = announcement()

    def create(by):
        return lambda: services.award_create_from_item(item=results[0], announcement=decree, by=by)

    outcome = run_together(*(create(by) for by in two_admins))
    assert all(isinstance(r, tuple) for r in outcome), outcome
    assert sorted(created for _award, created in outcome) == [False, True]
    assert outcome[0][0].pk == outcome[1][0].pk
    assert Award.objects.count() == 1


def test_two_admins_adding_and_publishing_one_announcement_make_each_award_once(
    results, two_admins
):
    decree = announcement()

    def add_then_publish(by):
        def run():
            try:
                created, _existing = services.announcement_add_awards(
                    announcement=decree, items=list(reversed(results)), by=by
                )
            except ValidationError:
                # The other one published the announcement first: nothing more to add to it.
                return 0, 0
            _announcement, published = services.announcement_publish(announcement=decree, by=by)
            return len(created), published

        return run

    outcome = run_together(*(add_then_publish(by) for by in two_admins))
    assert all(isinstance(r, tuple) for r in outcome), outcome
    # Between them, two awards created and two published, whichever got there first.
    assert [sum(counts) for counts in zip(*outcome, strict=True)] == [2, 2]
    assert Award.objects.count() == 2
    assert set(Award.objects.values_list("is_published", "announcement")) == {(True, decree.pk)}
    # Each award was created once and published once: two history rows, no more.
    assert [award.history.count() for award in Award.objects.all()] == [2, 2]
    assert Announcement.objects.get().history.filter(published_at__isnull=False).count() == 1


def test_two_admins_publishing_at_once_publish_once(results, two_admins):
    decree = announcement()
    services.announcement_add_awards(announcement=decree, items=results, by=two_admins[0])

    def publish(by):
        return lambda: services.announcement_publish(announcement=decree, by=by)[1]

    outcome = run_together(*(publish(by) for by in two_admins))
    assert sorted(outcome) == [0, 2], outcome
    assert [award.history.count() for award in Award.objects.all()] == [2, 2]
