"""Figures computed ahead by the jobs: served when kept, marked stale by the changes that move them.

Without a broker (the tests, `make run`) a task runs where it is asked, at once, so the jobs are
called as the worker would call them. The broker-mode tests send their jobs through kombu's
in-memory transport and take them back off the queue.
"""

import pytest
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.urls import reverse

from dashboards import store, tasks
from dashboards.filters import Choice
from evaluations import services, workflow
from evaluations.models import Evaluation
from tests import clock
from units import services as unit_services
from units.tests.factories import AgencyFactory
from zi_portal.celery import app

from . import dataset

pytestmark = pytest.mark.django_db

YEAR = clock.TODAY.year


@pytest.fixture
def units(rubric, agency, foreign_agency):
    return dataset.build(agency=agency, foreign_agency=foreign_agency, year=YEAR)


def figure(response, name):
    """Return the text of one pipeline figure (e.g. "units") of a dashboard page."""
    html = str(response.context["figures"])
    start = html.index(f'id="figure-{name}">') + len(f'id="figure-{name}">')
    return html[start : html.index("</div>", start)].strip()


@pytest.fixture
def national(client, national_admin):
    def get(**params):
        client.force_login(national_admin)
        return client.get(reverse("dashboards:national"), {"year": YEAR, **params})

    return get


@pytest.fixture
def broker(monkeypatch):
    """Run as with a broker and a worker: jobs go to the queue; return a reader of the queue."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def queued() -> list[tuple[str, tuple]]:
        found = []
        with app.connection_for_read() as connection:
            queue = connection.SimpleQueue(app.conf.task_default_queue)
            while queue.qsize():
                message = queue.get(timeout=1)
                found.append((message.headers["task"], tuple(message.decode()[0])))
                message.ack()
            queue.close()
        return found

    queued()  # nothing left over from another test
    yield queued
    queued()


def test_the_national_page_serves_the_figures_a_job_computed(national, units):
    on_view = national()
    assert "data" in on_view.context  # computed by the page
    cache.clear()

    tasks.compute_figures(store.NATIONAL, YEAR)
    ahead = national()
    assert "data" not in ahead.context  # nothing computed by the page
    assert ahead.context["ahead"]
    assert ahead.context["figures"] == on_view.context["figures"]
    assert "dihitung ulang di latar belakang setelah ada perubahan" in ahead.content.decode()
    assert "paling lambat setiap 10 menit" in ahead.content.decode()


def test_a_job_computes_the_figures_of_every_language(client, national, units):
    tasks.compute_figures(store.NATIONAL, YEAR)
    client.cookies["django_language"] = "en"
    english = national()
    assert "data" not in english.context
    assert f"Pipeline {YEAR}" in str(english.context["figures"])
    assert f"Tahapan {YEAR}" not in str(english.context["figures"])


def test_agency_wide_figures_computed_ahead_are_never_shown_to_a_unit_operator(
    client, agency, units, viewer, unit_operator, unit
):
    tasks.compute_figures(store.agency_scope(agency.pk), YEAR)
    url = reverse("dashboards:agency", args=[agency.pk])
    client.force_login(viewer)
    agency_wide = client.get(url)
    assert "data" not in agency_wide.context
    assert figure(agency_wide, "units") == str(agency.units.count())
    client.force_login(unit_operator)
    own = client.get(url)
    assert "data" in own.context
    assert figure(own, "units") == "1"


def test_a_kind_of_unit_is_computed_on_view_beside_the_figures_computed_ahead(
    client, agency, units, viewer
):
    tasks.compute_figures(store.agency_scope(agency.pk), YEAR)
    client.force_login(viewer)
    url = reverse("dashboards:agency", args=[agency.pk])
    response = client.get(url, {"service_kind": "kesehatan"})
    assert "data" in response.context
    assert figure(response, "units") == "1"


def test_without_a_broker_a_change_drops_the_kept_figures_and_the_next_view_counts_it(
    national, units, django_capture_on_commit_callbacks
):
    tasks.compute_figures(store.NATIONAL, YEAR)
    assert figure(national(), "evaluations") == "6"
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_create(unit=units["Epsilon"], year=YEAR)
    # Dropped, not recomputed inside the change: the page computes them.
    assert cache.get(store.key(store.NATIONAL, Choice(year=YEAR), "id")) is None
    after = national()
    assert "data" in after.context
    assert figure(after, "evaluations") == "7"


def test_a_change_is_counted_only_once_it_commits(
    national, units, django_capture_on_commit_callbacks
):
    tasks.compute_figures(store.NATIONAL, YEAR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.evaluation_create(unit=units["Epsilon"], year=YEAR)
    assert len(callbacks) == 1
    assert "data" not in national().context  # still the kept figures: nothing committed yet


def test_an_award_drops_the_figures_of_every_year(
    national, agency, units, django_capture_on_commit_callbacks
):
    for year in (YEAR - 1, YEAR):
        tasks.compute_figures(store.NATIONAL, year)
        tasks.compute_figures(store.agency_scope(agency.pk), year)
    with django_capture_on_commit_callbacks(execute=True):
        # What awarding or revoking does after recording it: the unit's later verdicts.
        services.unit_verdicts_rescore(unit_id=units["Alpha"].pk, after_year=YEAR - 1)
    for year in (YEAR - 1, YEAR):
        for scope in (store.NATIONAL, store.agency_scope(agency.pk)):
            assert cache.get(store.key(scope, Choice(year=year), "id")) is None


def test_moving_a_unit_drops_the_figures_of_both_agencies(
    agency, units, django_capture_on_commit_callbacks
):
    other = AgencyFactory()
    tasks.compute_figures(store.agency_scope(agency.pk), YEAR)
    tasks.compute_figures(store.agency_scope(other.pk), YEAR)
    tasks.compute_figures(store.agency_scope(units["Foreign"].agency_id), YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        unit_services.unit_move(unit=units["Zeta"], agency=other)
    for agency_id in (agency.pk, other.pk):
        assert cache.get(store.key(store.agency_scope(agency_id), Choice(YEAR), "id")) is None
    foreign = store.key(store.agency_scope(units["Foreign"].agency_id), Choice(YEAR), "id")
    assert cache.get(foreign) is not None  # an agency the move leaves alone keeps its figures


def test_with_a_broker_saves_queue_one_recompute_and_the_kept_figures_stay_meanwhile(
    national, agency, units, evaluator, broker, django_capture_on_commit_callbacks
):
    tasks.compute_figures(store.NATIONAL, YEAR)
    beta = Evaluation.objects.get(unit=units["Beta"], year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.evaluation_move(evaluation=beta, name="finalize", by=evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_create(unit=units["Epsilon"], year=YEAR)

    scopes = [store.NATIONAL, store.agency_scope(agency.pk)]
    assert broker() == [("dashboards.compute_figures", (scope, YEAR)) for scope in scopes]
    kept = national()
    assert "data" not in kept.context
    assert figure(kept, "evaluations") == "6"
    assert "Perubahan sesudahnya sedang dihitung." in kept.content.decode()

    # The worker runs the job it was sent: the figures count both changes.
    tasks.compute_figures(store.NATIONAL, YEAR)
    fresh = national()
    assert "data" not in fresh.context
    assert figure(fresh, "evaluations") == "7"
    assert "sedang dihitung" not in fresh.content.decode()


def test_with_a_broker_a_change_during_a_recompute_queues_another(
    agency, units, evaluator, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_create(unit=units["Epsilon"], year=YEAR)
    assert len(broker()) == 2
    tasks.compute_figures(store.NATIONAL, YEAR)  # starts by clearing the mark
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_create(unit=units["Alpha"], year=YEAR + 1)
        workflow.evaluation_move(
            evaluation=Evaluation.objects.get(unit=units["Delta"], year=YEAR),
            name="start_review",
            by=evaluator,
        )
    assert broker() == [
        ("dashboards.compute_figures", (store.NATIONAL, YEAR + 1)),
        ("dashboards.compute_figures", (store.agency_scope(agency.pk), YEAR + 1)),
        ("dashboards.compute_figures", (store.NATIONAL, YEAR)),
    ]


def test_every_scheduled_job_is_a_task_the_worker_knows():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_the_scheduled_jobs_compute_national_figures_of_years_with_data_and_this_years(
    national, agency, foreign_agency, units
):
    tasks.refresh_national()
    for year in (YEAR - 1, YEAR):
        assert "data" not in national(year=year).context
    assert cache.get(store.key(store.NATIONAL, Choice(YEAR - 5), "id")) is None  # no data
    tasks.refresh_agencies()
    for pk in (agency.pk, foreign_agency.pk):
        assert cache.get(store.key(store.agency_scope(pk), Choice(YEAR), "en")) is not None


def test_the_schedule_computes_the_national_figures_as_it_starts(national, units):
    from celery.signals import beat_init

    beat_init.send(sender=None)
    assert "data" not in national().context  # served from the figures computed at the start


def test_a_worker_with_a_per_process_cache_is_warned_about(settings):
    from dashboards.checks import shared_cache_for_jobs

    assert shared_cache_for_jobs in checks.registry.registry.get_checks()
    assert shared_cache_for_jobs() == []  # no broker: the jobs run in the page's process
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert [m.id for m in shared_cache_for_jobs()] == ["dashboards.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert shared_cache_for_jobs() == []


def test_a_change_is_kept_when_the_cache_cannot_be_reached_to_mark_figures(
    settings, units, broker, django_capture_on_commit_callbacks, caplog
):
    # A Redis nobody listens on: marking the figures fails after the change has committed.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = services.evaluation_create(unit=units["Epsilon"], year=YEAR)
    assert Evaluation.objects.filter(pk=created.pk).exists()
    assert "Error calling" in caplog.text  # logged, not raised
