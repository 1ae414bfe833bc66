"""Failed sign-ins lock out the attacker, not the person they pretend to be."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from zi_portal.client_ip import client_ip

LOGIN = reverse("login")
PROXY = "10.0.0.2"

pytestmark = pytest.mark.django_db


def _try(client, username, password="salah-sekali", *, address, via_proxy=False):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address} if via_proxy else {}
    if not via_proxy:
        meta["REMOTE_ADDR"] = address
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


class _Request:
    def __init__(self, **meta):
        self.META = meta


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    spoofed = _Request(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(spoofed) == "203.0.113.9"
    proxied = _Request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_ip(proxied) == "203.0.113.7"  # what the client wrote itself is not believed
    garbled = _Request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="bukan-alamat")
    assert client_ip(garbled) == PROXY


def test_behind_the_proxy_an_attacker_cannot_lock_someone_elses_account(client, settings, viewer):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _try(client, viewer.username, address="198.51.100.66", via_proxy=True)
    assert _try(client, viewer.username, address="198.51.100.66", via_proxy=True).status_code == 429
    response = _try(client, viewer.username, PASSWORD, address="203.0.113.5", via_proxy=True)
    assert response.status_code == 302  # the real person, from their own address, gets in


def test_one_address_spraying_passwords_over_many_accounts_is_locked_out(client, settings, viewer):
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        _try(client, f"pegawai{n}", address="198.51.100.7")
    response = _try(client, viewer.username, PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert _try(client, viewer.username, PASSWORD, address="198.51.100.8").status_code == 302


def test_an_account_tried_from_many_addresses_is_locked_and_says_how_to_unlock(
    client, settings, viewer
):
    limit = settings.AXES_FAILURE_LIMIT
    addresses = settings.LOGIN_USERNAME_MIN_ADDRESSES + 1
    assert addresses * limit >= settings.LOGIN_USERNAME_FAILURE_LIMIT
    for n in range(addresses):
        for _ in range(limit):
            _try(client, viewer.username, address=f"198.51.100.{n + 10}")
    response = _try(client, viewer.username, PASSWORD, address="203.0.113.77")
    assert response.status_code == 429
    assert "admin nasional KemenPANRB" in response.content.decode()


def test_failures_from_a_few_addresses_do_not_lock_the_account(client, settings, viewer):
    for n in range(settings.LOGIN_USERNAME_MIN_ADDRESSES - 1):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try(client, viewer.username, address=f"198.51.100.{n + 10}")
    assert _try(client, viewer.username, PASSWORD, address="203.0.113.77").status_code == 302


def test_a_username_of_300_characters_is_refused_without_an_error(client, viewer):
    response = _try(client, "x" * 300, address="198.51.100.9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
