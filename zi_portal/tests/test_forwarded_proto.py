"""gunicorn believes X-Forwarded-Proto only from the proxies it is told of (make serve)."""

import http.client
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.processes import free_port, stop


def _status_behind(allowed: str, tmp_path) -> int:
    """Serve production settings under gunicorn; GET /healthz claiming HTTPS from 127.0.0.1."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DATABASE_URL"}},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zi_portal.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}", "--forwarded-allow-ips", allowed],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                return connection.getresponse().status
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        stop(server)


@pytest.mark.parametrize(
    "allowed, expected",
    [
        ("127.0.0.1", 200),  # the proxy: its word that the client used HTTPS is taken
        ("127.0.0.2", 301),  # anyone else: plain HTTP, redirected to HTTPS
    ],
)
def test_the_scheme_header_counts_only_from_an_allowed_proxy(tmp_path, allowed, expected):
    assert _status_behind(allowed, tmp_path) == expected
