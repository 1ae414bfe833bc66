"""Fixtures that run background jobs the production way: through Redis to a real Celery worker.

`redis_url`: TEST_REDIS_URL when set (CI starts Redis), otherwise a `redis-server` of its own on
a free port, stopped after the session. `celery_worker`: a `celery worker` subprocess on a queue
of its own (so that pytest-xdist's processes never take each other's jobs), connected to this
test's database, which is why it needs `transactional_db` and PostgreSQL: the test's rows must be
committed for another process to read them, and an in-memory SQLite database has no other side.

    def test_something(celery_worker):
        result = celery_worker.send(tasks.some_job, 42)
        celery_worker.wait(lambda: Thing.objects.filter(done=True).exists())

`unreachable_broker`: jobs are sent (not run in-process) to a broker that does not answer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from tests.processes import free_port, stop

WAIT_SECONDS = 60


def _wait_for_redis(url: str, seconds: float = 10) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return True
        except redis.ConnectionError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def redis_url():
    """Return the URL of a Redis that answers: TEST_REDIS_URL, or one started for the session."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        if not _wait_for_redis(given, seconds=5):
            pytest.fail(f"TEST_REDIS_URL={given} does not answer.")
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("No Redis: TEST_REDIS_URL is unset and there is no redis-server to start.")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        if not _wait_for_redis(url):
            pytest.fail(f"redis-server did not answer on port {port}.")
        yield url
    finally:
        stop(server)


def _database_url() -> str:
    """Return a DATABASE_URL naming the database this test runs on (pytest-django's copy)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


class Worker:
    """A running `celery worker` subprocess and the queue only it consumes."""

    def __init__(self, *, process: subprocess.Popen, queue: str, broker: str, log: Path):
        self.process, self.queue, self.broker, self.log = process, queue, broker, log

    def send(self, task, *args):
        """Send `task(*args)` through the broker to this worker; return its AsyncResult."""
        from zi_portal.celery import app

        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False  # the tests' own setting runs jobs in-process
        try:
            with app.connection_for_write(self.broker) as channel:
                return task.apply_async(args=args, queue=self.queue, connection=channel)
        finally:
            app.conf.task_always_eager = eager

    def wait(self, condition, seconds: float = WAIT_SECONDS):
        """Poll `condition()` until it returns something true; fail with the worker's log if it
        does not within `seconds`, or as soon as the worker exits."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited ({self.process.returncode}):\n{self.output()}")
            time.sleep(0.25)
        pytest.fail(f"Nothing after {seconds} s. The worker's log:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


@pytest.fixture
def celery_worker(transactional_db, redis_url, settings, tmp_path):
    """Start a real worker on this test's database and a queue of its own; always stop it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "A worker in another process needs the test database on a server (PostgreSQL); "
            "set DATABASE_URL=postgres://... to run this test."
        )
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files the job stores, where the test looks
        "DEBUG": "1",  # development settings: no production SECRET_KEY needed
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "zi_portal", "worker",
                "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield Worker(process=process, queue=queue, broker=redis_url, log=log)
    finally:
        stop(process, 15)
        client = redis.Redis.from_url(redis_url)
        # The queue and kombu's bindings for it, whose names carry the queue's unique name.
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)


@pytest.fixture
def unreachable_broker():
    """Send jobs to a broker that does not answer (Redis on a port nothing listens on)."""
    from zi_portal.celery import app

    port = free_port()
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}

    def forget_connections():
        # Celery keeps the connection and producer pools it made for the first message sent.
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{port}/0")
    yield
    app.conf.update(saved)
    forget_connections()
