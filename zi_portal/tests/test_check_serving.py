import pytest
from django.core.management import CommandError, call_command


def test_serving_refuses_several_workers_on_a_per_process_cache(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    with pytest.raises(CommandError, match="CACHE_URL"):
        call_command("check_serving")


def test_serving_accepts_one_worker_on_a_per_process_cache(settings, monkeypatch, capsys):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    call_command("check_serving")
    assert "1 worker" in capsys.readouterr().out


def test_serving_accepts_several_workers_on_redis(settings, monkeypatch, capsys):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    call_command("check_serving")
    assert "4 worker" in capsys.readouterr().out
