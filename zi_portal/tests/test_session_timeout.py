"""Sessions end after 30 minutes without a request, after 8 hours in all, and with the account."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests import clock

HOME = reverse("home")


def _signed_in(client, user):
    client.force_login(user)
    assert client.get(HOME).status_code == 200


def _at(minutes):
    return time_machine.travel(clock.NOW + datetime.timedelta(minutes=minutes), tick=False)


@pytest.mark.django_db
def test_a_person_idle_for_more_than_30_minutes_is_signed_out_with_a_message(client, viewer):
    with _at(0):
        _signed_in(client, viewer)
    with _at(29):
        assert client.get(HOME).status_code == 200
    with _at(29 + 31):
        response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "tidak ada aktivitas" in response.content.decode()


@pytest.mark.django_db
def test_a_busy_session_still_ends_after_8_hours(client, viewer):
    with _at(0):
        _signed_in(client, viewer)
    for minutes in range(20, 8 * 60, 20):
        with _at(minutes):
            assert client.get(HOME).status_code == 200
    with _at(8 * 60 + 5):
        response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Sesi Anda telah berakhir" in response.content.decode()


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_session(client, viewer):
    _signed_in(client, viewer)
    viewer.is_active = False
    viewer.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
