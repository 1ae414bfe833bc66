"""Walk every Django admin URL for anonymous, non-staff, agency and national administrators.

Agency administrators reach only the admins scoped by `AgencyScopedAdmin`, and in them only
their own agency's rows (another agency's row answers "does not exist": a redirect to the
admin index). Everyone else is sent to the admin login.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from awards.models import NationalStage, Submission, SubmissionItem
from awards.tests.factories import AwardFactory
from evaluations import services
from evaluations.models import Level
from evaluations.tests.factories import in_status
from units.models import Membership
from units.tests.factories import PencananganFactory
from zi_portal.admin_scoping import AgencyScopedMixin

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


def admin_objects(world):
    """Return, per scoped model, an object of the agency and one of another agency."""
    return {
        "units.agency": (world["agency"], world["foreign_agency"]),
        "units.unit": (world["unit"], world["foreign_unit"]),
        "units.membership": (world["membership"], world["foreign_membership"]),
        "evaluations.evaluation": (world["evaluation"], world["foreign_evaluation"]),
        "evaluations.answer": (world["answer"], world["foreign_answer"]),
        "units.pencanangan": (world["pencanangan"], world["foreign_pencanangan"]),
        "awards.submission": (world["submission"], world["foreign_submission"]),
        "awards.submissionitem": (world["item"], world["foreign_item"]),
        "awards.nationalstage": (world["stage"], world["foreign_stage"]),
        "awards.award": (world["award"], world["foreign_award"]),
    }


def _proposal(agency, unit, year=2024):
    """A submission with one proposed unit, one national stage and the award it led to."""
    evaluation = in_status(services.evaluation_create(unit=unit, year=year), "awarded_wbk")
    submission = Submission.objects.create(agency=agency, year=year)
    item = SubmissionItem.objects.create(
        submission=submission, evaluation=evaluation, proposed_predicate="WBK", tpi_total=80
    )
    stage = NationalStage.objects.create(item=item, stage="panel", date=datetime.date(2024, 9, 1))
    award = AwardFactory(unit=unit, year=year, evaluation=evaluation, submission_item=item)
    return {"submission": submission, "item": item, "stage": stage, "award": award}


@pytest.fixture
def world(rubric, agency, unit, foreign_agency, foreign_unit, agency_admin, outsider):
    evaluation = in_status(services.evaluation_create(unit=unit, year=2025), "draft")
    foreign_evaluation = services.evaluation_create(unit=foreign_unit, year=2025)
    answers = [services.AnswerInput("A.I.1.i.a", letter="Ya")]
    services.answers_save(evaluation=evaluation, level=Level.SELF, answers=answers)
    services.answers_save(evaluation=foreign_evaluation, level=Level.SELF, answers=answers)
    own = _proposal(agency, unit)
    foreign = {f"foreign_{k}": v for k, v in _proposal(foreign_agency, foreign_unit).items()}
    return {
        **own,
        **foreign,
        "agency": agency,
        "unit": unit,
        "foreign_agency": foreign_agency,
        "foreign_unit": foreign_unit,
        "membership": Membership.objects.get(user=agency_admin),
        "foreign_membership": Membership.objects.get(user=outsider),
        "evaluation": evaluation,
        "foreign_evaluation": foreign_evaluation,
        "answer": evaluation.answers.get(),
        "foreign_answer": foreign_evaluation.answers.get(),
        "pencanangan": PencananganFactory(agency=agency),
        "foreign_pencanangan": PencananganFactory(agency=foreign_agency),
    }


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


def test_every_agency_scoped_admin_has_objects_to_test_with(world):
    scoped = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, AgencyScopedMixin)
    }
    assert scoped - set(admin_objects(world)) == set()


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
    scoped = isinstance(model_admin, AgencyScopedMixin)
    own, foreign = admin_objects(world).get(model._meta.label_lower, (None, None))
    if own is None:
        own = foreign = model._default_manager.first()
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
            if not scoped:
                assert status == 403, (url, "agency_admin", status)
            elif which == "foreign":
                # Outside the agency the row "does not exist" (a redirect to the admin index),
                # or the action is refused outright; either way nothing of it is shown.
                assert status in (302, 403), (url, "agency_admin", status)
                assert str(obj) not in client.get(url, follow=True).content.decode()
            else:
                assert status in (200, 403), (url, "agency_admin", status)
