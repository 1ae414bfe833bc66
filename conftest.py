"""Ready users for each role, so that each test states only its own behaviour.

`agency` holds two units (`unit`, `other_unit`); `foreign_agency` is someone else's, with
`foreign_unit`. Role fixtures are users with a membership in `agency`.
"""

import pytest
import time_machine

from tests import clock
from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UnitFactory, UserFactory

PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep every uploaded file of a test in its own temporary folder, never in the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def cold_cache():
    """Start every test with an empty cache: keys name rows by id, which each test reuses."""
    from django.core.cache import cache

    from evaluations.rubric import snapshot as rubric_snapshot

    cache.clear()
    rubric_snapshot.forget_all()


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """Run every test at tests.clock.NOW. Browser tests keep the real clock: the browser's own
    cookies and timers follow it, and they compute their dates from it on both sides."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(clock.NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords with a fast hasher; test_settings proves argon2 in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Give every test the portal's default language, whatever the test before it activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def agency(db):
    return AgencyFactory(
        name="Pemerintah Kabupaten Sleman", code="KAB-SLEMAN", province="DI Yogyakarta"
    )


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, name="Dinas Kependudukan Sleman", code="SLEMAN-DUKCAPIL")


@pytest.fixture
def other_unit(agency):
    return UnitFactory(agency=agency, name="RSUD Sleman", code="SLEMAN-RSUD")


@pytest.fixture
def foreign_agency(db):
    return AgencyFactory(name="Pemerintah Kota Semarang", code="KOTA-SEMARANG", kind="kota")


@pytest.fixture
def foreign_unit(foreign_agency):
    return UnitFactory(agency=foreign_agency, name="Kecamatan Semarang Tengah", code="SMG-TENGAH")


def _member(role, agency=None, unit=None, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, agency=agency, unit=unit, role=role)
    return user


@pytest.fixture
def national_admin(db):
    # KemenPANRB staff are superusers: Django's own admins (users) open to them.
    return _member(Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True, username="nasional")


@pytest.fixture
def national_evaluator(db):
    # A member of the national team (TPN): a membership without an agency, not staff.
    return _member(Role.NATIONAL_EVALUATOR, username="tpn.nasional")


@pytest.fixture
def agency_admin(agency):
    return _member(Role.AGENCY_ADMIN, agency=agency, is_staff=True, username="admin.sleman")


@pytest.fixture
def evaluator(agency):
    return _member(Role.EVALUATOR, agency=agency, username="evaluator.sleman")


@pytest.fixture
def unit_operator(agency, unit):
    return _member(Role.UNIT_OPERATOR, agency=agency, unit=unit, username="operator.dukcapil")


@pytest.fixture
def viewer(agency):
    return _member(Role.VIEWER, agency=agency, username="bupati.sleman")


@pytest.fixture
def outsider(foreign_agency):
    """An agency administrator of another agency."""
    return _member(
        Role.AGENCY_ADMIN, agency=foreign_agency, is_staff=True, username="admin.semarang"
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped rubric once into the test database, as `make run` does."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_rubric", verbosity=0)


@pytest.fixture
def rubric(db):
    """Return the shipped 2021 rubric version, reloading it after a test flushed the tables."""
    from evaluations import services
    from evaluations.models import RubricVersion
    from evaluations.rubric import files as rubric_files

    found = RubricVersion.objects.filter(code=rubric_files.DEFAULT_VERSION).first()
    return found or services.rubric_load(folder=rubric_files.version_folder())


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free port of 127.0.0.1, one per test process (xdist worker)."""
    from tests.s3_server import S3Server

    server = S3Server.start()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """Put the default storage (and so every upload) in a fresh bucket of the S3 server.

    Returns the server's boto3 client and the bucket, to look at the objects from outside.
    """
    from types import SimpleNamespace

    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_config(bucket)}
    client = s3_server.client()

    def keys(prefix=""):
        listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(key):
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    return SimpleNamespace(client=client, bucket=bucket, keys=keys, read=read)


@pytest.fixture(params=["disk", "s3"])
def any_storage(request):
    """Run the test twice: uploads on the local disk, then in a bucket of the S3 server."""
    if request.param == "s3":
        return request.getfixturevalue("s3")
    return None
