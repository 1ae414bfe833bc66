"""`manage.py check_serving`: refuse a production start whose settings would split state
between worker processes (run by `make serve` before gunicorn starts)."""

import os

from django.core.management.base import BaseCommand, CommandError

from zi_portal.caches import per_process_cache


class Command(BaseCommand):
    help = "Refuse to serve with more than one worker on a per-process cache."

    def handle(self, *args, **options):
        workers = int(os.environ.get("WEB_CONCURRENCY") or 3)  # make serve's default
        if workers > 1 and per_process_cache():
            # Each worker would count login failures and rate limits on its own, keep its own
            # figures and serve a session's cached copy that another worker has since changed.
            raise CommandError(
                f"WEB_CONCURRENCY is {workers} but the cache is per process; set CACHE_URL to "
                "a shared cache (e.g. rediscache://127.0.0.1:6379/1) or WEB_CONCURRENCY=1."
            )
        self.stdout.write(f"Serving with {workers} worker(s) on a shared cache.")
