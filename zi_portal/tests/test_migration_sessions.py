"""Migration zi_portal 0004 carries live sessions back to Django's own table: nobody is signed out
by the upgrade."""

import datetime

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone

from zi_portal.tests import migrations

BEFORE = [("zi_portal", "0003_datastamp"), ("sessions", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_live_sessions_are_carried_back_and_expired_ones_left_behind():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    PortalSession = old.get_model("zi_portal", "PortalSession")
    user = old.get_model("auth", "User").objects.create(username="lama")
    now = timezone.now()
    encode = SessionStore().encode
    PortalSession.objects.create(
        session_key="a" * 32,
        session_data=encode({"_auth_user_id": str(user.pk), "tahun": 2025}),
        expire_date=now + datetime.timedelta(hours=1),
        user_id=user.pk,
    )
    PortalSession.objects.create(
        session_key="c" * 32,
        session_data=encode({"_auth_user_id": str(user.pk)}),
        expire_date=now - datetime.timedelta(hours=1),
        user_id=user.pk,
    )

    new = migrations.migrate(latest)

    carried = new.get_model("sessions", "Session").objects.order_by("session_key")
    assert [s.session_key[0] for s in carried] == ["a"]
    assert SessionStore(session_key="a" * 32).load() == {
        "_auth_user_id": str(user.pk),
        "tahun": 2025,
    }
