"""A forgotten password is reset through a link by e-mail that expires and works once."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests import clock

NEW_PASSWORD = "gudeg-manggar-tiap-minggu-7"

pytestmark = pytest.mark.django_db


def _ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(mailoutbox) -> str:
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "kata sandi baru" in message.subject
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _choose(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)
    return client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_the_link_sets_a_new_password_once(client, viewer, mailoutbox):
    viewer.email = "bupati@slemankab.go.id"
    viewer.save()
    assert _ask(client, viewer.email).status_code == 302
    link = _link(mailoutbox)

    response = _choose(client, link)
    assert response.status_code == 302, response.context["form"].errors
    signed_in = client.post(
        reverse("login"), {"username": viewer.username, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    client.post(reverse("logout"))
    # Used once: the token was made from the password it replaced.
    page = client.get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in page


def test_the_link_expires_after_an_hour(client, viewer, mailoutbox):
    viewer.email = "bupati@slemankab.go.id"
    viewer.save()
    with time_machine.travel(clock.NOW, tick=False):
        _ask(client, viewer.email)
    link = _link(mailoutbox)
    with time_machine.travel(clock.NOW + datetime.timedelta(minutes=61), tick=False):
        page = client.get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in page


def test_an_unknown_address_gets_the_same_answer_and_no_message(client, mailoutbox):
    response = _ask(client, "tidak.ada@example.go.id")
    assert response.status_code == 302
    assert mailoutbox == []


def test_the_sign_in_page_offers_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
