"""Failed sign-ins: who gets locked out, and for how long (django-axes' database handler).

Three limits, each over the cool-off period:
- one address trying one account: AXES_FAILURE_LIMIT (axes' own rule);
- one address trying many accounts (password spraying): LOGIN_IP_FAILURE_LIMIT;
- one account tried from many addresses: LOGIN_USERNAME_FAILURE_LIMIT failures from at least
  LOGIN_USERNAME_MIN_ADDRESSES addresses. Locking an account on failures alone would let anyone
  lock anyone out, so it takes a spread of addresses that one person rarely has.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

USERNAME_MAX_LENGTH = 255  # axes' column


def username(request, credentials=None) -> str | None:
    """Return the username tried, cut to what axes stores (AXES_USERNAME_CALLABLE)."""
    source = credentials if credentials is not None else request.POST
    value = source.get(settings.AXES_USERNAME_FORM_FIELD) if source is not None else None
    return value[:USERNAME_MAX_LENGTH].replace("\x00", "") if value else value


class PortalAxesHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        recent = AccessAttempt.objects.all()
        cool_off = get_cool_off(request)
        if cool_off is not None:
            recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
        address = get_client_ip_address(request)
        if address:
            tried = recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))
            if (tried["n"] or 0) >= settings.LOGIN_IP_FAILURE_LIMIT:
                return True
        name = get_client_username(request, credentials)
        if name:
            spread = recent.filter(username=name).aggregate(
                n=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True)
            )
            if (spread["n"] or 0) >= settings.LOGIN_USERNAME_FAILURE_LIMIT and (
                spread["addresses"] >= settings.LOGIN_USERNAME_MIN_ADDRESSES
            ):
                return True
        return False
