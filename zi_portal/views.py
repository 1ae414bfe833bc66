"""Project-level pages: home, health check and error pages."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import access, selectors

logger = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    context = {
        "agencies": selectors.home_agencies(
            user=user, page_number=request.GET.get("agencies_page")
        ),
        "units": selectors.home_units(user=user, query=query, page_number=request.GET.get("page")),
        "query": query,
        "is_national_admin": access.is_national_admin(user),
    }
    return render(request, "zi_portal/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Answer load balancers and monitors: is the portal up and can it reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check could not reach the database")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def expensive_downloads_rate(group, request) -> str:
    """The rate of the downloads that take a worker seconds (settings, so that tests set it)."""
    return settings.EXPENSIVE_DOWNLOADS_RATE


def too_many_requests(request, exception):
    """Answer a request over its rate (django-ratelimit) with 429 and a message."""
    return render(request, "429.html", status=429)
