"""Walk every URL the resolver knows for every kind of visitor and check the status."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards.models import (
    Announcement,
    NationalStage,
    Objection,
    ObjectionAttachment,
    ProposalWindow,
    Submission,
    SubmissionItem,
)
from awards.tests.factories import AwardFactory
from evaluations.models import BulkExport, Evaluation
from evaluations.services import evaluation_create
from evaluations.tests.factories import in_status
from units.models import Role
from units.tests.factories import (
    MembershipFactory,
    PencananganFactory,
    UnitFactory,
    UserFactory,
)

from .permission_matrix import ACTORS, LOGIN, MATRIX, no_args


def all_url_names(patterns=None, namespace=""):
    """Return every named URL of the project, with its namespace."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row_in_the_matrix():
    # The admin site has its own test; every other page must say who may open it.
    names = {name for name in all_url_names() if not name.startswith("admin:")}
    missing = names - {row[0] for row in MATRIX}
    assert missing == set(), f"add these URLs to permission_matrix.MATRIX: {sorted(missing)}"


@pytest.fixture
def world(agency, unit, other_unit, foreign_agency, foreign_unit, rubric, settings, tmp_path):
    """Objects of `agency`; later features add their own objects here."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations import services

    from .upload_samples import PDF_BYTES

    settings.MEDIA_ROOT = tmp_path  # evidence files never land in the project folder
    evaluation = services.evaluation_create(unit=unit, year=2025)
    evidence = services.evidence_add_file(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        by=None,
    )
    # A proposal of 2024 whose window has closed: one proposed unit passed the administrative
    # selection (on the national track), the other failed it and its agency objected.
    window = ProposalWindow.objects.create(year=2024, closes_on=datetime.date(2024, 5, 31))
    submission = Submission.objects.create(agency=agency, year=2024)
    selected = datetime.date(2024, 6, 20)
    proposed = in_status(
        evaluation_create(unit=other_unit, year=2024), Evaluation.Status.ADMIN_SELECTION
    )
    item = SubmissionItem.objects.create(
        submission=submission, evaluation=proposed, proposed_predicate="WBK", tpi_total=80
    )
    stage = NationalStage.objects.create(
        item=item, stage="admin_selection", date=selected, outcome="passed"
    )
    failed = in_status(evaluation_create(unit=unit, year=2024), Evaluation.Status.NOT_AWARDED)
    objected_item = SubmissionItem.objects.create(
        submission=submission,
        evaluation=failed,
        proposed_predicate="WBK",
        tpi_total=78,
        result="not_awarded",
    )
    objection = Objection.objects.create(
        stage=NationalStage.objects.create(
            item=objected_item, stage="admin_selection", date=selected, outcome="failed"
        ),
        reason="SPTJM sudah ditandatangani",
    )
    attachment = ObjectionAttachment.objects.create(
        objection=objection,
        file=evidence.file.name,
        original_filename="sptjm.pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        content_type="application/pdf",
    )
    return {
        "agency": agency,
        "unit": unit,
        "other_unit": other_unit,
        "submission": submission,
        "item": item,
        "stage": stage,
        "objected_item": objected_item,
        "objection": objection,
        "attachment": attachment,
        "window": window,
        "announcement": Announcement.objects.create(
            year=2024,
            decree_number="SK-1/MENPANRB/2024",
            decree_date=datetime.date(2024, 12, 5),
            publish_on=datetime.date(2024, 12, 9),
        ),
        "award": AwardFactory(unit=unit, year=2023),
        "pencanangan": PencananganFactory(agency=agency),
        "evaluation": evaluation,
        "other_evaluation": services.evaluation_create(unit=other_unit, year=2025),
        "evidence": evidence,
        "revision": evidence.revisions.get(),
        "export": BulkExport.objects.create(
            agency=agency,
            year=2025,
            requested_by=MembershipFactory(agency=agency, role=Role.AGENCY_ADMIN).user,
            language="id",
            status=BulkExport.Status.DONE,
            file=default_storage.save("bulk-exports/1/LKE-LHE.zip", ContentFile(b"PK")),
        ),
    }


@pytest.fixture
def actors(agency, unit, foreign_agency, foreign_unit):
    users = {"anonymous": AnonymousUser()}
    users["national_admin"] = UserFactory(is_staff=True)
    MembershipFactory(user=users["national_admin"], agency=None, role=Role.NATIONAL_ADMIN)
    users["national_evaluator"] = UserFactory()
    MembershipFactory(user=users["national_evaluator"], agency=None, role=Role.NATIONAL_EVALUATOR)
    for prefix, home, home_unit in (("", agency, unit), ("foreign_", foreign_agency, foreign_unit)):
        for role in (Role.AGENCY_ADMIN, Role.EVALUATOR, Role.UNIT_OPERATOR, Role.VIEWER):
            user = UserFactory(is_staff=role == Role.AGENCY_ADMIN)
            scope_unit = home_unit if role == Role.UNIT_OPERATOR else None
            MembershipFactory(user=user, agency=home, unit=scope_unit, role=role)
            users[f"{prefix}{role}"] = user
    UnitFactory(agency=foreign_agency)  # so that foreign scopes are never empty by accident
    return users


ROWS = [
    pytest.param(name, build, method, expected, id=f"{name}#{index}")
    for index, (name, build, method, expected) in enumerate(MATRIX)
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, build_args, method, expected", ROWS)
def test_each_actor_gets_the_expected_status(
    client, world, actors, name, build_args, method, expected
):
    url = reverse(name, args=build_args(world))
    results = {}
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(actors[actor])
        response = getattr(client, method)(url)
        status = response.status_code
        if status == 302 and response.url.startswith(reverse("login")):
            status = LOGIN
        results[actor] = status
    assert results == {actor: expected[actor] for actor in ACTORS}


# Forms outside the matrix's POST rows: signing in and out and changing one's password.
ACCOUNT_POSTS = [("login", no_args), ("logout", no_args), ("password_change", no_args)]
POST_ROWS = [
    pytest.param(name, build, expected, id=f"{name}#{index}")
    for index, (name, build, method, expected) in enumerate(MATRIX)
    if method == "post"
] + [
    pytest.param(name, build, dict.fromkeys(ACTORS, 200), id=name) for name, build in ACCOUNT_POSTS
]


def all_views(patterns=None):
    """Yield (route, view) for every URL pattern of the project, admin included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_views(pattern.url_patterns)
        else:
            yield str(pattern.pattern), pattern.callback


def test_no_view_is_exempt_from_csrf():
    exempt = sorted(route for route, view in all_views() if getattr(view, "csrf_exempt", False))
    assert exempt == []


@pytest.mark.django_db
@pytest.mark.parametrize("name, build_args, expected", POST_ROWS)
def test_every_post_without_a_csrf_token_is_refused_with_an_indonesian_page(
    world, actors, name, build_args, expected
):
    """Each actor who would get past the access checks, and anonymous visitors, get a 403."""
    url = reverse(name, args=build_args(world))
    client = Client(enforce_csrf_checks=True)
    admitted = [a for a in ACTORS if expected[a] not in (LOGIN, 403, 404, 405)] + ["anonymous"]
    for actor in dict.fromkeys(admitted):
        client.logout()
        if actor != "anonymous":
            client.force_login(actors[actor])
        response = client.post(url, {"note": "x"})
        assert response.status_code == 403, actor
        assert "Formulir tidak dapat diterima" in response.content.decode(), actor
