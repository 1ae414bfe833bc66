"""Request middleware of the portal."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DataError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class PortalLocaleMiddleware(LocaleMiddleware):
    """Serve Bahasa Indonesia unless the person chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, which on most office
    computers in Indonesia says English; the portal's users expect Indonesian first.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy headers to every response.

    Scripts come only from our own static files (no inline script anywhere in the templates).
    Styles allow inline attributes because progress bars and the Django admin set widths and
    colours in `style="..."`; that cannot run code.
    """

    CONTENT_SECURITY_POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response


class SignedInNoStoreMiddleware:
    """Forbid storing any response given to a signed-in person (Cache-Control: no-store).

    Otherwise the browser keeps LKEs, dashboards and downloads, and shows them again after the
    person signed out, to whoever uses the computer next. A signed-in browser sends its session
    cookie; going by the cookie rather than the user reads nothing more from the database (not
    even when the database is what failed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            add_never_cache_headers(response)
        return response


SIGNED_IN_AT = "zi_signed_in_at"
LAST_SEEN = "zi_last_seen"
# Writing the session on every request would cost a database write each time; a minute's
# precision is plenty for a 30-minute idle limit.
LAST_SEEN_RESOLUTION = 60


def session_started(sender, request, user, **kwargs):
    """Note when a session starts (user_logged_in), so that its first page writes nothing."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Sign a person out after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE
    after signing in, whatever they did since (each save of a session moves its own expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity."))
        elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
        elif now - last_seen >= LAST_SEEN_RESOLUTION or SIGNED_IN_AT not in session:
            session[LAST_SEEN] = now
            session.setdefault(SIGNED_IN_AT, now)


class UnusableInputMiddleware:
    """Answer input the database cannot even look up with a 400, not a server error.

    Django's choice fields look a submitted id up as it came: an id of 400 digits overflows the
    integer column (OverflowError on SQLite, out of range on PostgreSQL), and PostgreSQL refuses a
    text with a NUL byte. Nothing was written: the statement failed before any change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError):
            return render(request, "400.html", status=400)
        return None
