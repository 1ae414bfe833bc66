"""A person who forgot their password gets a link by e-mail, chooses a new one and signs in."""

import re

import pytest
from playwright.sync_api import expect

from units.models import Role
from units.tests.factories import AgencyFactory, MembershipFactory, UserFactory

NEW_PASSWORD = "gudeg-manggar-tiap-minggu-7"


@pytest.fixture
def person(transactional_db):
    user = UserFactory(username="bupati", email="bupati@slemankab.go.id")
    MembershipFactory(user=user, agency=AgencyFactory(), role=Role.VIEWER)
    return user


def test_a_forgotten_password_is_reset_through_the_emailed_link(page, live_url, person, mailoutbox):
    page.goto(live_url("/akun/masuk/"))
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Email").fill(person.email)
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.locator("#reset-sent")).to_contain_text("berlaku sekali")

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.get_by_label("Sandi baru").first.fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi sandi baru").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.locator("#reset-complete")).to_be_visible()

    page.goto(live_url("/akun/masuk/"))
    page.get_by_label("Nama pengguna").fill("bupati")
    page.get_by_label("Sandi").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()

    # The same link a second time: it worked once.
    page.goto(link)
    expect(page.locator("#reset-invalid")).to_be_visible()
