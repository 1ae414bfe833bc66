"""Walk every Django admin URL for anonymous, non-staff, agency and national administrators.

Agency administrators reach the admins scoped by `AgencyScopedAdmin`, and in them only their
own agency's rows (another agency's row answers "does not exist": a redirect to the admin
index). KemenPANRB's records (`NationalOnlyAdmin`) they read for their own agency at most, and
never add, change or delete. Everyone else is sent to the admin login.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from zi_portal.admin_scoping import AgencyScopedMixin, NationalOnlyMixin, ScopedFieldsMixin

from .admin_world import AGENCY_OWNED, build_world, own_and_foreign
from .test_permission_matrix import all_url_names

ACTIONS = ["changelist", "add", "change", "history", "delete"]
OBJECT_ACTIONS = {"change", "history", "delete"}

# Site-level admin pages: expected status for (anonymous, viewer, agency_admin, national_admin).
ADMIN_LOGIN = "admin-login"


def NO_ARGS(world):
    return []


SITE_URLS = {
    "admin:index": (NO_ARGS, (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)),
    "admin:login": (NO_ARGS, (200, 200, 302, 302)),
    # Logging out is a POST; a GET is refused, or sent away when nobody is signed in.
    "admin:logout": (NO_ARGS, (302, 302, 405, 405)),
    "admin:password_change": (NO_ARGS, (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)),
    "admin:password_change_done": (NO_ARGS, (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)),
    "admin:jsi18n": (NO_ARGS, (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)),
    "admin:app_list": (lambda w: ["units"], (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)),
    # Without its query parameters the autocomplete refuses everybody signed in.
    "admin:autocomplete": (NO_ARGS, (ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
    # Setting another person's password is for KemenPANRB only.
    "admin:auth_user_password_change": (
        lambda w: [w["membership"].user_id],
        (ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
    ),
    # One stored revision of a proposal, proposed unit, stage or award.
    **{
        f"admin:{label}_simple_history": (
            lambda w, key=key: [w[key].pk, w[key].history.first().history_id],
            (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
        )
        for label, key in [
            ("awards_submission", "submission"),
            ("awards_submissionitem", "item"),
            ("awards_nationalstage", "stage"),
            ("awards_award", "award"),
        ]
    },
    # One stored revision of a pencanangan (django-simple-history's admin view).
    "admin:units_pencanangan_simple_history": (
        lambda w: [w["pencanangan"].pk, w["pencanangan"].history.first().history_id],
        (ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ),
}
# Reached only through links the admin builds itself; checked by Django's own tests.
NOT_WALKED = {"admin:view_on_site"}


@pytest.fixture
def world(rubric, agency, unit, foreign_agency, foreign_unit, agency_admin, outsider):
    return build_world(
        agency=agency,
        unit=unit,
        foreign_agency=foreign_agency,
        foreign_unit=foreign_unit,
        agency_admin=agency_admin,
        outsider=outsider,
    )


# What an agency administrator gets on their own agency's rows, per kind of admin.
ALL_REFUSED = dict.fromkeys(ACTIONS, 403)
AGENCY_ADMIN_OWN = {
    # KemenPANRB's records of the agency: listed and read, never added, changed or deleted.
    "national_readable": {
        "changelist": 200,
        "add": 403,
        "change": 200,
        "history": 200,
        "delete": 403,
    },
    "national_hidden": ALL_REFUSED,
    # Django's own admins (accounts, login attempts) follow model permissions, which agency
    # administrators do not hold.
    "django": ALL_REFUSED,
}
PROJECT_APPS = {"units", "evaluations", "awards"}


def admin_kind(model_admin):
    if isinstance(model_admin, NationalOnlyMixin):
        return "national_readable" if model_admin.agency_path else "national_hidden"
    if isinstance(model_admin, AgencyScopedMixin):
        return "agency"
    return "django"


def _status(client, url):
    response = client.get(url)
    if response.status_code == 302 and response.url.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return response.status_code


def _model_url_names():
    names = set()
    for model in admin.site._registry:
        for action in ACTIONS:
            names.add(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")
    return names


def test_every_admin_url_is_walked():
    admin_names = {n for n in all_url_names() if n.startswith("admin:")}
    assert admin_names - _model_url_names() - set(SITE_URLS) - NOT_WALKED == set()


def test_every_project_admin_asks_access_py():
    """Each admin (and inline) of the project is agency-scoped or national-only: none falls
    back on Django's model permissions, and each scopes its relation fields."""
    unscoped = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if admin_kind(model_admin) == "django":
            unscoped.append(model._meta.label)
        for inline in model_admin.inlines:
            if not issubclass(inline, ScopedFieldsMixin):
                unscoped.append(f"{model._meta.label} › {inline.__name__}")
    assert unscoped == []


def test_every_agency_scoped_admin_has_objects_to_test_with():
    scoped = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, AgencyScopedMixin) and model_admin.agency_path
    }
    assert scoped - set(AGENCY_OWNED) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SITE_URLS))
def test_site_admin_pages(client, world, viewer, agency_admin, national_admin, name):
    build_args, expected = SITE_URLS[name]
    url = reverse(name, args=build_args(world))
    results = []
    for user in (None, viewer, agency_admin, national_admin):
        client.logout()
        if user:
            client.force_login(user)
        results.append(_status(client, url))
    assert tuple(results) == expected


@pytest.mark.django_db
def test_agency_admin_cannot_read_another_agencys_pencanangan_revision(client, world, agency_admin):
    pencanangan = world["foreign_pencanangan"]
    url = reverse(
        "admin:units_pencanangan_simple_history",
        args=[pencanangan.pk, pencanangan.history.first().history_id],
    )
    client.force_login(agency_admin)
    response = client.get(url, follow=True)
    assert response.status_code in (403, 404) or response.redirect_chain
    assert pencanangan.place not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_model_admin_pages(client, world, viewer, agency_admin, national_admin, model):
    model_admin = admin.site._registry[model]
    kind = admin_kind(model_admin)
    own, foreign = own_and_foreign(world, model)
    if own is None:
        own = foreign = model._default_manager.order_by("pk").first()
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    for action in ACTIONS:
        for which, obj in (("own", own), ("foreign", foreign)):
            if action in OBJECT_ACTIONS and obj is None:
                continue
            if action not in OBJECT_ACTIONS and which == "foreign":
                continue
            url = reverse(f"{prefix}_{action}", args=[obj.pk] if action in OBJECT_ACTIONS else [])
            for user, label in ((None, "anonymous"), (viewer, "viewer")):
                client.logout()
                if user:
                    client.force_login(user)
                assert _status(client, url) == ADMIN_LOGIN, (url, label)

            client.force_login(national_admin)
            national = _status(client, url)
            # National administrators may do anything the admin itself allows.
            assert national in (200, 403), (url, "national_admin", national)

            client.force_login(agency_admin)
            status = _status(client, url)
            if kind == "agency" and which == "own":
                assert status in (200, 403), (url, "agency_admin", status)
            elif which == "foreign" and obj is not own:
                # Outside the agency the row "does not exist" (a redirect to the admin index),
                # or the action is refused outright; either way nothing of it is shown.
                assert status in (302, 403), (url, "agency_admin", status)
                assert str(obj) not in client.get(url, follow=True).content.decode()
            elif which == "own":
                expected = AGENCY_ADMIN_OWN[kind][action]
                assert status == expected, (url, "agency_admin", status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m, a in admin.site._registry.items() if admin_kind(a) == "national_readable"],
    ids=lambda m: m._meta.label,
)
def test_agency_admin_reads_national_records_without_a_form(client, world, agency_admin, model):
    own, _foreign = own_and_foreign(world, model)
    client.force_login(agency_admin)
    response = client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[own.pk])
    )
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["adminform"].form.fields == {}
    assert 'name="_save"' not in response.content.decode()
