"""Template context every page needs: what the navbar may show this user, and where it links."""

import functools

from django.urls import get_script_prefix, reverse

from units.models import Role

from . import access

# The links of base.html. Reversed once per process (and script prefix) rather than by a
# {% url %} tag on every page: eleven tags were ~0.5 ms of each page's time.
NAV_URL_NAMES = (
    "home",
    "dashboards:index",
    "units:pencanangan_list",
    "evaluations:list",
    "awards:submission_list",
    "admin:index",
    "awards:public_list",
    "set_language",
    "password_change",
    "logout",
)


@functools.lru_cache(maxsize=8)
def _nav_urls(script_prefix: str) -> dict[str, str]:
    # reverse() reads the script prefix itself; it is the key so that each prefix gets its own.
    return {name.replace(":", "_"): reverse(name) for name in NAV_URL_NAMES}


def navigation(request):
    urls = _nav_urls(get_script_prefix())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "nav_urls": urls}
    roles = access.roles_of(user)
    return {
        "nav_urls": urls,
        "nav": {
            "roles": roles,
            "is_national_admin": Role.NATIONAL_ADMIN in roles,
            # Submissions concern whole agencies: not shown to people working for one unit.
            "show_submissions": access.submission_agency_ids(user) != set(),
            "can_admin": user.is_staff and bool(roles & {Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN}),
        },
    }
