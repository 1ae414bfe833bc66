"""System check: figures computed ahead by a worker must land in a cache the pages read."""

from django.conf import settings
from django.core import checks

from zi_portal.caches import per_process_cache


@checks.register()
def shared_cache_for_jobs(app_configs=None, **kwargs):
    if settings.CELERY_TASK_ALWAYS_EAGER or not per_process_cache():
        return []
    return [
        checks.Warning(
            "A broker runs the jobs in a worker, but the cache is per process: the dashboard "
            "figures the worker computes ahead never reach the pages.",
            hint="Set CACHE_URL to the Redis the web processes share (rediscache://...).",
            id="dashboards.W001",
        )
    ]
