from django.db import connections
from django.urls import reverse


def test_healthz_reports_ok_with_a_working_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, django_db_blocker):
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-directory/zi-portal.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    # A second connection object with bad settings, so the real test database is left alone.
    broken = type(original)(unreachable, "default")
    connections["default"] = broken
    try:
        with django_db_blocker.unblock():
            response = client.get(reverse("healthz"))
    finally:
        broken.close()
        connections["default"] = original
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
