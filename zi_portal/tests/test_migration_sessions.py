"""Migration zi_portal 0002 carries live sessions over: nobody is signed out by the upgrade."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.utils import timezone

from zi_portal.tests import migrations

BEFORE = [("zi_portal", "0001_initial"), ("sessions", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_live_sessions_keep_their_user_and_expired_ones_are_left_behind():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    Session = old.get_model("sessions", "Session")
    user = old.get_model("auth", "User").objects.create(username="lama")
    now = timezone.now()
    encode = DjangoStore().encode
    Session.objects.create(
        session_key="a" * 32,
        session_data=encode({"_auth_user_id": str(user.pk), "tahun": 2025}),
        expire_date=now + datetime.timedelta(hours=1),
    )
    Session.objects.create(
        session_key="b" * 32, session_data=encode({}), expire_date=now + datetime.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="c" * 32,
        session_data=encode({"_auth_user_id": str(user.pk)}),
        expire_date=now - datetime.timedelta(hours=1),
    )

    new = migrations.migrate(latest)

    copied = new.get_model("zi_portal", "PortalSession").objects.order_by("session_key")
    assert [(s.session_key[0], s.user_id) for s in copied] == [("a", user.pk), ("b", None)]
    assert DjangoStore().decode(copied[0].session_data)["tahun"] == 2025
