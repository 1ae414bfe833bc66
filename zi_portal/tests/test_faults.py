"""Faults: with the database unreachable, pages answer a friendly Indonesian error, no traceback.

The database is made unreachable for real (the default connection points where nothing listens),
the way `/healthz` is tested, and DEBUG is off as in production.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation

from .db_faults import unreachable_database

FRIENDLY_ID = "Portal tidak dapat menyelesaikan permintaan Anda."
# What a leaked technical error would show: none of it may reach the person.
TECHNICAL = ["Traceback", "OperationalError", "sqlite", "psycopg", "connection", "port 1"]


@pytest.fixture
def visitor():
    """A client that, like a real browser, receives the error page instead of the exception."""
    return Client(raise_request_exception=False)


def assert_friendly_error(response, *, title="Terjadi kesalahan", text=FRIENDLY_ID, lang="id"):
    assert not settings.DEBUG
    assert response.status_code == 500
    assert [t.name for t in response.templates] == ["500.html", "_standalone.html"]
    page = response.content.decode()
    assert f"<title>{title} · " in page
    assert text in page
    assert f'<html lang="{lang}">' in page
    leaked = [word for word in TECHNICAL if word.lower() in page.lower()]
    assert leaked == []


@pytest.mark.parametrize(
    "url_name", ["home", "evaluations:list", "dashboards:index", "units:pencanangan_list"]
)
def test_signed_in_pages_show_the_friendly_error_when_the_database_is_unreachable(
    visitor, viewer, django_db_blocker, url_name
):
    visitor.force_login(viewer)  # a real session, which can no longer be read
    with unreachable_database(django_db_blocker):
        response = visitor.get(reverse(url_name))
    assert_friendly_error(response)


def test_signing_in_shows_the_friendly_error_when_the_database_is_unreachable(
    visitor, viewer, django_db_blocker
):
    with unreachable_database(django_db_blocker):
        response = visitor.post(
            reverse("login"), {"username": viewer.username, "password": "rahasia-uji-123"}
        )
    assert_friendly_error(response)


def test_the_public_list_shows_the_friendly_error_when_the_database_is_unreachable(
    visitor, db, django_db_blocker
):
    with unreachable_database(django_db_blocker):
        response = visitor.get(reverse("awards:public_list"))
    assert_friendly_error(response)


def test_the_error_page_follows_the_chosen_language(visitor, viewer, django_db_blocker):
    visitor.force_login(viewer)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with unreachable_database(django_db_blocker):
        response = visitor.get(reverse("home"))
    assert_friendly_error(
        response,
        title="Something went wrong",
        text="The portal could not finish your request.",
        lang="en",
    )


class _Untouchable:
    """Stands in for request.user and request.session: reading either fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the error page read {name!r}: it must not need the database")


def test_the_error_handler_reads_neither_session_nor_user_nor_the_database(
    rf, db, django_assert_num_queries
):
    request = rf.get("/")
    request.user = request.session = _Untouchable()
    handler = get_resolver().resolve_error_handler(500)
    with translation.override("id"), django_assert_num_queries(0):
        response = handler(request)
    assert response.status_code == 500
    assert FRIENDLY_ID in response.content.decode()
