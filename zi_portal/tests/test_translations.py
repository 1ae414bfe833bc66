"""Bahasa Indonesia is complete and the default; English is one switch away."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _po_entries(path):
    """Yield (msgid, msgstrs, flags) per entry of a .po file; enough of the format for a check."""
    entry = {"msgid": None, "msgstr": [], "flags": set()}
    field = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry["msgid"] is not None:
                yield entry["msgid"], entry["msgstr"], entry["flags"]
            entry, field = {"msgid": None, "msgstr": [], "flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            continue  # obsolete entries do not count
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            entry["msgid"], field = line[6:].strip('"'), "msgid"
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
        elif line.startswith("msgstr"):
            entry["msgstr"].append(line.split(" ", 1)[1].strip('"'))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgid":
                entry["msgid"] += line.strip('"')
            elif field == "msgstr":
                entry["msgstr"][-1] += line.strip('"')


def test_indonesian_catalogue_has_no_untranslated_or_fuzzy_message():
    problems = []
    for msgid, msgstrs, flags in _po_entries(CATALOGUE):
        if msgid == "":
            continue  # the header
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid}")
        elif not msgstrs or not all(msgstrs):
            problems.append(f"untranslated: {msgid}")
    assert problems == []


def test_catalogue_parser_notices_a_missing_translation(tmp_path):
    broken = tmp_path / "django.po"
    broken.write_text('msgid ""\nmsgstr "header"\n\nmsgid "Home"\nmsgstr ""\n', encoding="utf-8")
    assert [(m, s) for m, s, _ in _po_entries(broken)] == [("", ["header"]), ("Home", [""])]


@pytest.mark.django_db
def test_pages_are_indonesian_by_default(client, viewer, unit):
    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in page
    assert "Selamat datang" in page
    assert "Unit kerja" in page


@pytest.mark.django_db
def test_pages_are_english_after_switching(client, viewer, unit):
    client.force_login(viewer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Welcome" in page
    assert "Selamat datang" not in page


@pytest.mark.django_db
def test_login_page_is_indonesian(client):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk" in page
    assert "Sandi" in page
    assert "Nama pengguna" in page


@pytest.mark.django_db
def test_browser_language_does_not_override_the_indonesian_default(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in page
