from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboard")

    def ready(self):
        from celery.signals import beat_init

        from units.signals import figures_moved

        from . import checks, tasks  # noqa: F401 (checks registers itself)

        # The services below this app say when figures move; the figures kept here follow.
        figures_moved.connect(tasks.figures_moved, dispatch_uid="dashboards.figures_moved")
        beat_init.connect(tasks.figures_at_start, dispatch_uid="dashboards.figures_at_start")
