"""Servers that tests start as processes of their own (Redis, a Celery worker, moto, gunicorn)."""

import socket
import subprocess


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now (the caller retries if it is
    taken before its server binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """Ask a process to stop, and kill it if it has not within `seconds`."""
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
