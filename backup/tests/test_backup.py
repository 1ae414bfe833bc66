"""`make backup` / `make restore` round-trip a dataset on the database in use.

CI runs this on PostgreSQL (pg_dump / pg_restore); without DATABASE_URL it runs on the SQLite
file. Counts, stored scores and scores recomputed from the restored answers must all come back,
and so must the uploaded files, on the local disk and in an S3 bucket alike.
"""

import shutil
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from awards.models import Award
from awards.tests.factories import AwardFactory
from evaluations import selectors, services, workflow
from evaluations.models import (
    Answer,
    Evaluation,
    EvaluationScore,
    Evidence,
    EvidenceRevision,
    Level,
    StatusChange,
)
from evaluations.rubric import scoring
from evaluations.services import AnswerInput
from evaluations.tests.factories import full_answers
from units.models import Agency, Membership, Unit
from units.tests.factories import AgencyFactory, UnitFactory
from zi_portal.tests.upload_samples import PDF_BYTES
from zi_portal.uploads import private_storage


def _scores():
    """Return the stored totals and a fresh score from the answers, per evaluation and level."""
    stored = {
        (s.evaluation.unit.code, s.evaluation.year, s.level): (
            s.total,
            s.pengungkit,
            s.hasil,
            s.verdict,
            s.answered,
            s.complete,
        )
        for s in EvaluationScore.objects.select_related("evaluation__unit")
    }
    fresh = {}
    for evaluation in Evaluation.objects.select_related("unit", "rubric"):
        spec = selectors.rubric_spec(rubric=evaluation.rubric)
        for level in Level.values:
            answers, inputs = selectors.evaluation_scoring_input(evaluation=evaluation, level=level)
            total = scoring.score(spec, answers, inputs).total
            fresh[(evaluation.unit.code, evaluation.year, level)] = services.to_decimal(total)
    return stored, fresh


def _snapshot():
    stored, fresh = _scores()
    return {
        "agencies": sorted(Agency.objects.values_list("code", flat=True)),
        "units": sorted(Unit.objects.values_list("code", "name", "agency__code")),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
        "evaluations": sorted(Evaluation.objects.values_list("unit__code", "year", "status")),
        "answers": Answer.objects.count(),
        "answer_history": Answer.history.count(),
        "status_changes": StatusChange.objects.count(),
        "evidence": sorted(Evidence.objects.values_list("original_filename", "sha256")),
        "revisions": EvidenceRevision.objects.count(),
        "awards": sorted(Award.objects.values_list("unit__code", "year", "predicate")),
        "stored_scores": stored,
        "fresh_scores": fresh,
    }


@pytest.fixture
def dataset(rubric, unit, other_unit, unit_operator, viewer):
    """Two scored evaluations (one submitted), evidence with a file, a status log, an award."""
    UnitFactory.create_batch(3, agency=unit.agency)
    submitted = services.evaluation_create(unit=unit, year=2025)
    services.answers_save(
        evaluation=submitted, level=Level.SELF, answers=full_answers(submitted), by=unit_operator
    )
    evidence = services.evidence_add_file(
        evaluation=submitted,
        question_code="A.I.1.i.a",
        upload=SimpleUploadedFile("sk-tim.pdf", PDF_BYTES),
        by=unit_operator,
    )
    workflow.evaluation_transition(evaluation=submitted, name="submit_self", by=unit_operator)
    partial = services.evaluation_create(unit=other_unit, year=2025)
    services.answers_save(
        evaluation=partial,
        level=Level.SELF,
        answers=[AnswerInput("A.I.1.i.a", letter="Ya"), AnswerInput("A.I.1.i.b", letter="B")],
    )
    AwardFactory(unit=unit, year=2023)
    return {"submitted": submitted, "partial": partial, "evidence": evidence}


def _read(storage, name):
    with storage.open(name, "rb") as handle:
        return handle.read()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_rows_scores_and_files(tmp_path, any_storage, dataset):
    # Runs with the uploads on the local disk, then in an S3 bucket.
    default_storage.save("private/piagam.pdf", ContentFile(b"%PDF-1.4 piagam"))
    evidence_name = dataset["evidence"].file.name
    if any_storage is not None:  # the S3 run: the files really are in the bucket
        assert any_storage.keys() == sorted(["private/piagam.pdf", f"private/{evidence_name}"])
    before = _snapshot()
    stored, fresh = before["stored_scores"], before["fresh_scores"]
    # The dataset is worth comparing: real totals, and stored ones equal to a fresh score.
    assert stored[("SLEMAN-DUKCAPIL", 2025, "self")][0] == 100
    assert 0 < stored[("SLEMAN-RSUD", 2025, "self")][0] < 100
    assert {key: value[0] for key, value in stored.items()} == {key: fresh[key] for key in stored}

    call_command("backup_data", str(tmp_path / "backup"))
    dump = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert (tmp_path / "backup" / dump).stat().st_size > 0
    # The files are plain files in the backup, named as in the storage.
    copied = tmp_path / "backup" / "files" / "private"
    assert (copied / "piagam.pdf").read_bytes() == b"%PDF-1.4 piagam"
    assert (copied / evidence_name).read_bytes() == PDF_BYTES

    # Damage after the backup: changed answers and totals, lost rows and files, a stray agency.
    services.answers_save(
        evaluation=dataset["partial"],
        level=Level.SELF,
        answers=[AnswerInput("A.I.1.i.b", letter="A"), AnswerInput("A.I.1.ii.a", letter="Ya")],
    )
    Evaluation.objects.filter(pk=dataset["submitted"].pk).update(status="draft")
    EvaluationScore.objects.filter(evaluation=dataset["submitted"]).delete()
    StatusChange.objects.all().delete()
    Unit.objects.filter(code="SLEMAN-DUKCAPIL").update(name="Diubah setelah cadangan")
    Membership.objects.all().delete()
    AgencyFactory(code="BARU-SETELAH-CADANGAN")
    default_storage.delete("private/piagam.pdf")
    private_storage().delete(evidence_name)
    private_storage().save(evidence_name, ContentFile(b"rusak"))
    default_storage.save("private/setelah-cadangan.pdf", ContentFile(b"%PDF-1.4 baru"))
    assert _snapshot() != before

    call_command("restore_data", str(tmp_path / "backup"), yes=True)

    after = _snapshot()
    assert after == before
    assert {key: value[0] for key, value in after["stored_scores"].items()} == {
        key: after["fresh_scores"][key] for key in after["stored_scores"]
    }
    assert _read(default_storage, "private/piagam.pdf") == b"%PDF-1.4 piagam"
    assert _read(private_storage(), evidence_name) == PDF_BYTES
    # A file the restored database does not know is gone.
    assert not default_storage.exists("private/setelah-cadangan.pdf")


@pytest.mark.django_db(transaction=True)
def test_a_backup_written_before_object_storage_restores_its_files_into_the_bucket(
    tmp_path, s3, agency
):
    """Backups of the first version held MEDIA_ROOT as media.tar.gz."""
    call_command("backup_data", str(tmp_path / "backup"))
    shutil.rmtree(tmp_path / "backup" / "files")
    old = tmp_path / "old-media"
    (old / "private" / "evidence" / "1").mkdir(parents=True)
    (old / "private" / "evidence" / "1" / "sk.pdf").write_bytes(PDF_BYTES)
    with tarfile.open(tmp_path / "backup" / "media.tar.gz", "w:gz") as archive:
        archive.add(old, arcname="media")

    call_command("restore_data", str(tmp_path / "backup"), yes=True)

    assert s3.keys() == ["private/evidence/1/sk.pdf"]
    assert s3.read("private/evidence/1/sk.pdf") == PDF_BYTES
    assert Agency.objects.filter(code=agency.code).exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_the_disk_restores_into_a_bucket(tmp_path, request, agency):
    """How a running portal moves its files to object storage: back up, switch, restore."""
    default_storage.save("private/pencanangan/1/piagam.pdf", ContentFile(PDF_BYTES))
    call_command("backup_data", str(tmp_path / "backup"))

    s3 = request.getfixturevalue("s3")
    assert s3.keys() == []
    call_command("restore_data", str(tmp_path / "backup"), yes=True)

    assert s3.keys() == ["private/pencanangan/1/piagam.pdf"]
    assert _read(default_storage, "private/pencanangan/1/piagam.pdf") == PDF_BYTES


def test_restore_refuses_a_folder_without_a_backup(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No database backup"):
        call_command("restore_data", str(tmp_path), yes=True)
