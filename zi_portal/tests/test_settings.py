"""Production settings refuse to start unsafely."""

import os
import subprocess
import sys

from django.conf import settings


def _settings_in_subprocess(code=None, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zi_portal.settings'; " + (
        code
        or "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS > 0)"
    )

    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_portal_refuses_to_start_without_a_real_secret_key_when_debug_is_off():
    result = _settings_in_subprocess(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_portal_refuses_a_short_secret_key_when_debug_is_off():
    result = _settings_in_subprocess(DEBUG="0", SECRET_KEY="too-short")
    assert result.returncode != 0


def test_production_settings_use_secure_cookies_and_hsts():
    result = _settings_in_subprocess(DEBUG="0", SECRET_KEY="x" * 64, ALLOWED_HOSTS="zi.example.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_development_settings_start_without_a_secret_key():
    result = _settings_in_subprocess(DEBUG="1")
    assert result.returncode == 0, result.stderr


def _cache_options(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "RELEASE")}
    environment.update(env)
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='zi_portal.settings'; "
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['KEY_PREFIX'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_one_cache_whose_keys_carry_the_release():
    backend, prefix = _cache_options(RELEASE="2026.12.1")
    assert backend.endswith("LocMemCache") and prefix == "zi:2026.12.1"
    backend, prefix = _cache_options(CACHE_URL="rediscache://127.0.0.1:6379/1", RELEASE="abc")
    assert backend.endswith("RedisCache") and prefix == "zi:abc"


def test_without_a_release_set_the_keys_carry_the_deployed_commit():
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    ).stdout.strip()
    _backend, prefix = _cache_options()
    assert prefix == f"zi:{commit or 'dev'}"


def test_production_hashes_passwords_with_argon2():
    result = _settings_in_subprocess(
        DEBUG="0",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="zi.example.id",
        code="django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(make_password('kata-sandi-panjang-sekali'))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("argon2$")


def test_production_cookies_carry_the_host_prefix():
    result = _settings_in_subprocess(
        DEBUG="0",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="zi.example.id",
        code="from django.conf import settings; "
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"]


def test_the_admin_lives_under_the_configured_path():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zi_portal.settings'; "
        "django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    )
    environment = {**os.environ, "DEBUG": "1", "ADMIN_URL": "kelola-zi-7f3a"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "/kelola-zi-7f3a/"
