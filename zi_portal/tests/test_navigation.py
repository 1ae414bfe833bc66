"""The navbar links every page to the portal's sections, as far as the person may go."""

import re

import pytest
from django.urls import reverse, set_script_prefix

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
pytestmark = pytest.mark.django_db


def _nav_links(client) -> set[str]:
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    return set(re.findall(r'(?:href|action)="([^"]+)"', nav))


def test_a_national_admin_has_every_section_in_the_navbar(client, national_admin):
    national_admin.is_staff = True
    national_admin.save()
    client.force_login(national_admin)
    links = _nav_links(client)
    assert {reverse(name) for name in NAV_URL_NAMES} <= links
    assert {"/", "/evaluasi/", "/admin/", "/akun/keluar/"} <= links


def test_a_unit_operator_is_not_offered_proposals_or_administration(client, unit_operator):
    client.force_login(unit_operator)
    links = _nav_links(client)
    assert reverse("evaluations:list") in links
    assert reverse("awards:submission_list") not in links
    assert reverse("admin:index") not in links


def test_an_anonymous_visitor_gets_the_public_links(client):
    html = client.get(reverse("awards:public_list")).content.decode()
    assert f'href="{reverse("awards:public_list")}"' in html
    assert f'action="{reverse("set_language")}"' in html


def test_links_follow_the_script_prefix_the_portal_is_served_under(client, unit_operator):
    client.force_login(unit_operator)
    assert "/evaluasi/" in _nav_links(client)
    # What Django's WSGI handler does for a portal mounted under /zi (SCRIPT_NAME).
    set_script_prefix("/zi/")
    try:
        links = _nav_links(client)
    finally:
        set_script_prefix("/")
    assert "/zi/evaluasi/" in links and "/evaluasi/" not in links
