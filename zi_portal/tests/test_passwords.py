"""Passwords: long enough, and none from the bundled lists of common and breached ones."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .. import settings as portal_settings


@pytest.mark.parametrize(
    "password",
    [
        "Sl3man-wbk",  # 10 characters
        "qwertyuiop12",  # a breached password of 12 characters
        "bismillah123",  # common in Indonesia
        "Jakarta12345",  # the list ignores case
    ],
)
def test_short_common_and_breached_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("kopi-tubruk-di-sleman-pagi")


def test_the_bundled_list_is_larger_than_djangos_own():
    import gzip

    from django.contrib.auth.password_validation import CommonPasswordValidator

    path = portal_settings.AUTH_PASSWORD_VALIDATORS[2]["OPTIONS"]["password_list_path"]
    with gzip.open(path, "rt") as bundled:
        ours = set(bundled.read().splitlines())
    djangos = CommonPasswordValidator().passwords
    assert djangos < ours and len(ours) >= 2 * len(djangos)


def test_changing_to_a_short_password_is_refused_with_an_indonesian_message(client, viewer):
    client.force_login(viewer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "Sl3man-wbk",
            "new_password2": "Sl3man-wbk",
        },
    )
    assert response.status_code == 200
    assert "setidaknya 12 karakter" in response.content.decode()
