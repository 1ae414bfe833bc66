"""`make backup` / `make restore` round-trip a dataset on the database in use."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from units.models import Agency, Membership, Unit
from units.tests.factories import AgencyFactory, UnitFactory


def _snapshot():
    return {
        "agencies": sorted(Agency.objects.values_list("code", flat=True)),
        "units": sorted(Unit.objects.values_list("code", "name", "agency__code")),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_rows_and_files(tmp_path, settings, viewer, unit):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "private").mkdir(parents=True)
    (settings.MEDIA_ROOT / "private" / "piagam.pdf").write_bytes(b"%PDF-1.4 piagam")
    UnitFactory.create_batch(3, agency=unit.agency)
    before = _snapshot()

    call_command("backup_data", str(tmp_path / "backup"))

    Unit.objects.filter(code=unit.code).update(name="Diubah setelah cadangan")
    Membership.objects.all().delete()
    AgencyFactory(code="BARU-SETELAH-CADANGAN")
    (settings.MEDIA_ROOT / "private" / "piagam.pdf").unlink()
    assert _snapshot() != before

    call_command("restore_data", str(tmp_path / "backup"), yes=True)

    assert _snapshot() == before
    assert (settings.MEDIA_ROOT / "private" / "piagam.pdf").read_bytes() == b"%PDF-1.4 piagam"


def test_restore_refuses_a_folder_without_a_backup(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No database backup"):
        call_command("restore_data", str(tmp_path), yes=True)
