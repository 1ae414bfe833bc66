from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZiPortalConfig(AppConfig):
    name = "zi_portal"
    verbose_name = _("ZI Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="zi_portal.session_started")
