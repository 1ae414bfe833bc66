"""A real S3-compatible server for the tests: moto's server mode, in a process of its own.

It speaks the S3 protocol over HTTP on 127.0.0.1, so the portal's storage goes through
django-storages, boto3 and the network exactly as with MinIO or a cloud's object store.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import IO

import boto3
from botocore.config import Config

from tests.processes import free_port, stop
from zi_portal.storage_config import s3_storage

ACCESS_KEY = "uji-akses"
SECRET_KEY = "uji-rahasia"
REGION = "us-east-1"
START_SECONDS = 30


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen
    log: IO[bytes]

    @classmethod
    def start(cls) -> S3Server:
        """Start a server on a free port and wait until it answers; try another port if the
        chosen one was taken meanwhile."""
        for _attempt in range(3):
            port = free_port()
            # A file, not a pipe: the server logs every request, and a full pipe would stall it.
            log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            server = cls(endpoint=f"http://127.0.0.1:{port}", process=process, log=log)
            if server._wait():
                return server
            errors = server.errors()
            server.stop()
        raise RuntimeError(f"moto's S3 server did not start: {errors}")

    def _wait(self) -> bool:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                self.client().list_buckets()
            except Exception:  # not listening yet
                time.sleep(0.1)
            else:
                return True
        return False

    def errors(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        stop(self.process)
        self.log.close()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def new_bucket(self) -> str:
        name = f"zi-uji-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def storage_config(self, bucket: str) -> dict:
        """Return settings.STORAGES["default"] for `bucket`, built as settings.py builds it."""
        return s3_storage(
            bucket=bucket,
            endpoint_url=self.endpoint,
            region=REGION,
            credentials=(ACCESS_KEY, SECRET_KEY),
        )
