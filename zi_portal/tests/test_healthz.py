from django.urls import reverse

from .db_faults import unreachable_database


def test_healthz_reports_ok_with_a_working_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, django_db_blocker):
    with unreachable_database(django_db_blocker):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
