"""Evidence follows the workflow locks of the answers it supports: frozen means nothing changes.

The unit changes evidence while it fills its self-assessment (draft), the TPI while it scores
(self_submitted, tpi_review), the agency administrator at the national stages; a refused change
stores no row, no history, no revision and no file.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from evaluations import services, workflow
from evaluations.models import Evaluation, Evidence, EvidenceRevision
from evaluations.services import LevelLocked
from zi_portal.tests.upload_samples import PDF_BYTES, PNG_BYTES

from .factories import in_status

S = Evaluation.Status
QUESTION = "A.I.1.i.a"
UNIT_LOCKED = (
    "Penilaian mandiri sudah dikirim: unit hanya dapat mengubah bukti dukungnya setelah TPI "
    "mengembalikannya."
)


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


@pytest.fixture
def evidence(evaluation, unit_operator):
    """A PDF the unit uploaded while drafting."""
    return services.evidence_add_file(
        evaluation=evaluation,
        question_code=QUESTION,
        upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
        description="SK Tim ZI",
        by=unit_operator,
    )


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def snapshot(evaluation, media):
    """Everything an evidence change could touch: rows, history, revisions and files on disk."""
    return {
        "evidence": list(
            Evidence.objects.filter(evaluation=evaluation)
            .order_by("pk")
            .values_list("pk", "kind", "file", "url", "sha256", "is_removed", "uploaded_by")
        ),
        "history": Evidence.history.filter(evaluation_id=evaluation.pk).count(),
        "revisions": list(
            EvidenceRevision.objects.filter(evidence__evaluation=evaluation).values_list(
                "pk", "number", "file"
            )
        ),
        "files": stored_files(media),
    }


# --- The rule, per role and status ------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status, open_",
    [
        ("unit_operator", S.DRAFT, True),
        ("unit_operator", S.SELF_SUBMITTED, False),
        ("unit_operator", S.TPI_REVIEW, False),
        ("unit_operator", S.TPI_FINAL, False),
        ("unit_operator", S.PROPOSED, False),
        ("evaluator", S.DRAFT, False),
        ("evaluator", S.SELF_SUBMITTED, True),
        ("evaluator", S.TPI_REVIEW, True),
        ("evaluator", S.TPI_FINAL, False),
        ("agency_admin", S.TPI_REVIEW, False),
        ("agency_admin", S.TPI_FINAL, True),
        ("agency_admin", S.DESK_EVALUATION, True),
        ("agency_admin", S.AWARDED_WBK, False),
        ("national_admin", S.PANEL, True),
        ("national_admin", S.NOT_AWARDED, False),
    ],
)
def test_evidence_opens_exactly_when_the_actors_level_is_open(
    request, evaluation, role, status, open_
):
    user = request.getfixturevalue(role)
    in_status(evaluation, status)
    add = {"evaluation": evaluation, "question_code": QUESTION, "url": "https://a.go.id/sk"}
    if open_:
        services.evidence_add_link(**add, by=user)
        assert Evidence.objects.filter(evaluation=evaluation).count() == 1
    else:
        with pytest.raises(LevelLocked):
            services.evidence_add_link(**add, by=user)
        assert not Evidence.objects.filter(evaluation=evaluation).exists()


def test_each_level_has_its_own_reason(evaluation, unit_operator, evaluator, agency_admin):
    in_status(evaluation, S.AWARDED_WBK)
    assert workflow.evidence_lock_reason(evaluation, unit_operator) == UNIT_LOCKED
    assert workflow.evidence_lock_reason(evaluation, evaluator) == (
        "TPI hanya dapat mengubah bukti dukung selama meninjau penilaian mandiri, sampai "
        "nilainya final."
    )
    assert workflow.evidence_lock_reason(evaluation, agency_admin) == (
        "Bukti dukung untuk evaluasi nasional hanya dapat diubah sejak nilai TPI final sampai "
        "hasil nasional ditetapkan."
    )


# --- Every service refuses at tpi_final and changes nothing -----------------------------------


def test_adding_a_file_to_a_locked_evaluation_stores_nothing(
    evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    with pytest.raises(LevelLocked) as refused:
        services.evidence_add_file(
            evaluation=evaluation,
            question_code=QUESTION,
            upload=SimpleUploadedFile("baru.pdf", PDF_BYTES + b"% baru"),
            by=unit_operator,
        )
    assert refused.value.message == UNIT_LOCKED
    assert snapshot(evaluation, media_root) == before


def test_adding_a_link_to_a_locked_evaluation_stores_nothing(
    evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    with pytest.raises(LevelLocked):
        services.evidence_add_link(
            evaluation=evaluation,
            question_code=QUESTION,
            url="https://sleman.go.id/sop.pdf",
            by=unit_operator,
        )
    assert snapshot(evaluation, media_root) == before


def test_replacing_a_file_of_a_locked_evaluation_keeps_the_current_one(
    evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    with pytest.raises(LevelLocked):
        services.evidence_replace(
            evidence=evidence, upload=SimpleUploadedFile("foto.png", PNG_BYTES), by=unit_operator
        )
    assert snapshot(evaluation, media_root) == before
    evidence.refresh_from_db()
    assert evidence.file.read() == PDF_BYTES


def test_removing_evidence_of_a_locked_evaluation_keeps_it(
    evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    with pytest.raises(LevelLocked):
        services.evidence_remove(evidence=evidence, by=unit_operator)
    assert snapshot(evaluation, media_root) == before


def test_the_service_checks_the_stored_status_not_the_callers_copy(
    evaluation, unit_operator, media_root
):
    # The caller loaded the evaluation as a draft; it was submitted since.
    stale = Evaluation.objects.get(pk=evaluation.pk)
    in_status(evaluation, S.SELF_SUBMITTED)
    with pytest.raises(LevelLocked):
        services.evidence_add_file(
            evaluation=stale,
            question_code=QUESTION,
            upload=SimpleUploadedFile("sk.pdf", PDF_BYTES),
            by=unit_operator,
        )
    assert stored_files(media_root) == []


# --- The panel: no controls when locked, refusals explained, nothing changed -------------------


def panel_url(evaluation):
    return reverse("evaluations:evidence", args=[evaluation.pk, QUESTION])


def test_locked_panel_lists_evidence_without_controls_and_says_why(
    client, evaluation, unit_operator, evidence
):
    in_status(evaluation, S.TPI_FINAL)
    client.force_login(unit_operator)
    page = client.get(panel_url(evaluation)).content.decode()
    assert "sk.pdf" in page  # still readable and downloadable
    assert UNIT_LOCKED in page
    assert 'name="file"' not in page
    assert reverse("evaluations:evidence_remove", args=[evidence.pk]) not in page
    assert reverse("evaluations:evidence_replace", args=[evidence.pk]) not in page


def test_open_panel_shows_the_controls_without_a_lock_message(
    client, evaluation, evaluator, evidence
):
    in_status(evaluation, S.TPI_REVIEW)
    client.force_login(evaluator)
    page = client.get(panel_url(evaluation)).content.decode()
    assert 'name="file"' in page
    assert reverse("evaluations:evidence_remove", args=[evidence.pk]) in page
    assert not [r for r in workflow.EVIDENCE_LOCK_REASONS.values() if str(r) in page]


@pytest.mark.parametrize(
    "kind, data",
    [
        ("file", {"file": ("baru.pdf", PDF_BYTES + b"% baru"), "description": "Baru"}),
        ("link", {"url": "https://sleman.go.id/sop.pdf", "description": "SOP"}),
    ],
)
def test_adding_through_a_locked_panel_is_refused_with_the_reason(
    client, evaluation, unit_operator, evidence, media_root, kind, data
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    client.force_login(unit_operator)
    post = {"kind": kind, **data}
    if kind == "file":
        post["file"] = SimpleUploadedFile(*data["file"])
    response = client.post(panel_url(evaluation), post)
    assert response.status_code == 409
    assert UNIT_LOCKED in response.content.decode()
    assert snapshot(evaluation, media_root) == before


def test_replacing_through_a_locked_panel_is_refused_with_the_reason(
    client, evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    client.force_login(unit_operator)
    response = client.post(
        reverse("evaluations:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("foto.png", PNG_BYTES)},
    )
    assert response.status_code == 409
    assert UNIT_LOCKED in response.content.decode()
    assert snapshot(evaluation, media_root) == before


def test_removing_through_a_locked_panel_is_refused_with_the_reason(
    client, evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.TPI_FINAL)
    before = snapshot(evaluation, media_root)
    client.force_login(unit_operator)
    response = client.post(reverse("evaluations:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 409
    assert UNIT_LOCKED in response.content.decode()
    assert snapshot(evaluation, media_root) == before


def test_htmx_gets_the_refusal_inside_the_panel(
    client, evaluation, unit_operator, evidence, media_root
):
    in_status(evaluation, S.SELF_SUBMITTED)
    before = snapshot(evaluation, media_root)
    client.force_login(unit_operator)
    response = client.post(
        reverse("evaluations:evidence_remove", args=[evidence.pk]), HTTP_HX_REQUEST="true"
    )
    # htmx swaps only successful responses: the reason travels in a 200 fragment.
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "evaluations/partials/_evidence_panel.html"
    assert UNIT_LOCKED in response.content.decode()
    assert snapshot(evaluation, media_root) == before
