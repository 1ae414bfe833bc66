from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZiPortalConfig(AppConfig):
    name = "zi_portal"
    verbose_name = _("ZI Portal")
