"""The Celery application: background jobs (figures ahead of time, PDFs, bulk exports, rescoring).

With CELERY_BROKER_URL unset (`make run`, most tests) every task runs in the process that asks
for it, at once; with a broker (Redis) a worker started by `make worker` runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")

app = Celery("zi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
