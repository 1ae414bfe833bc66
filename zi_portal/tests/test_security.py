"""Security headers, deployment checks and login throttling."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse


def test_manage_check_deploy_reports_nothing_with_production_settings():
    # A production process: none of the test run's own switches (browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment must never do).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zi.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_hold_no_inline_script_that_the_policy_would_block(client, viewer, unit):
    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert "<script>" not in page
    assert "onclick=" not in page and "onchange=" not in page


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_tls(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures_with_a_clear_message(client, viewer):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": viewer.username, "password": "salah"})
        assert response.status_code == 200
    response = client.post(url, {"username": viewer.username, "password": "salah"})
    assert response.status_code == 429
    # Even the right password is refused while the lock holds.
    response = client.post(url, {"username": viewer.username, "password": "rahasia-uji-123"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_gets_an_indonesian_message(client, viewer):
    response = client.post(reverse("login"), {"username": viewer.username, "password": "salah"})
    assert "Masukkan nama pengguna" in response.content.decode()


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
