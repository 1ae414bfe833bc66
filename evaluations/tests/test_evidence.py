"""Evidence (bukti dukung): upload, revisions, access-checked downloads, refusals."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import selectors, services
from evaluations.models import Evidence, EvidenceRevision
from zi_portal.tests.upload_samples import EXE_BYTES, PDF_BYTES, PNG_BYTES

from .factories import EvaluationFactory, EvidenceFactory, in_status

QUESTION = "A.I.1.i.a"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evaluation(rubric, unit):
    return services.evaluation_create(unit=unit, year=2025)


def panel_url(evaluation, code=QUESTION):
    return reverse("evaluations:evidence", args=[evaluation.pk, code])


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def add_pdf(evaluation, by, name="laporan.pdf", data=PDF_BYTES):
    return services.evidence_add_file(
        evaluation=evaluation,
        question_code=QUESTION,
        upload=SimpleUploadedFile(name, data),
        description="Laporan",
        by=by,
    )


def test_unit_operator_uploads_a_pdf_through_the_panel(client, unit_operator, evaluation, media):
    client.force_login(unit_operator)
    response = client.post(
        panel_url(evaluation),
        {
            "kind": "file",
            "file": SimpleUploadedFile("SK Tim ZI.pdf", PDF_BYTES),
            "description": "SK",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_filename, evidence.size, evidence.content_type) == (
        "SK_Tim_ZI.pdf",  # the name is made safe: no spaces, no folders
        len(PDF_BYTES),
        "application/pdf",
    )
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.uploaded_by == unit_operator
    assert (media / "private" / evidence.file.name).read_bytes() == PDF_BYTES
    assert "static" not in evidence.file.name


def test_replacing_a_file_keeps_every_revision_with_uploader_and_hash(
    unit_operator, evaluator, evaluation
):
    evidence = add_pdf(evaluation, unit_operator)
    first_name = evidence.file.name
    in_status(evaluation, "tpi_review")  # the TPI corrects evidence while it reviews
    services.evidence_replace(
        evidence=evidence, upload=SimpleUploadedFile("foto.png", PNG_BYTES), by=evaluator
    )
    evidence.refresh_from_db()
    revisions = list(evidence.revisions.order_by("number"))
    assert [(r.number, r.uploaded_by, r.sha256, r.original_filename) for r in revisions] == [
        (1, unit_operator, hashlib.sha256(PDF_BYTES).hexdigest(), "laporan.pdf"),
        (2, evaluator, hashlib.sha256(PNG_BYTES).hexdigest(), "foto.png"),
    ]
    assert revisions[0].file.name == first_name
    assert revisions[0].file.read() == PDF_BYTES
    assert (evidence.original_filename, evidence.uploaded_by) == ("foto.png", evaluator)


def test_own_agency_downloads_the_same_bytes(client, viewer, unit_operator, evaluation):
    evidence = add_pdf(evaluation, unit_operator)
    client.force_login(viewer)
    response = client.get(reverse("evaluations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_old_revision_downloads_its_own_bytes(client, evaluator, unit_operator, evaluation):
    evidence = add_pdf(evaluation, unit_operator)
    services.evidence_replace(
        evidence=evidence, upload=SimpleUploadedFile("b.png", PNG_BYTES), by=unit_operator
    )
    first = evidence.revisions.get(number=1)
    client.force_login(evaluator)
    response = client.get(reverse("evaluations:evidence_revision_download", args=[first.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_agency_gets_404_for_evidence_and_revisions(
    client, outsider, unit_operator, evaluation
):
    evidence = add_pdf(evaluation, unit_operator)
    client.force_login(outsider)
    for url in (
        reverse("evaluations:evidence_download", args=[evidence.pk]),
        reverse("evaluations:evidence_revision_download", args=[evidence.revisions.get().pk]),
        panel_url(evaluation),
    ):
        assert client.get(url).status_code == 404


def test_anonymous_download_is_sent_to_login(client, unit_operator, evaluation):
    evidence = add_pdf(evaluation, unit_operator)
    response = client.get(reverse("evaluations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_renamed_executable_is_refused_and_nothing_is_stored(
    client, unit_operator, evaluation, media
):
    client.force_login(unit_operator)
    response = client.post(
        panel_url(evaluation),
        {"kind": "file", "file": SimpleUploadedFile("laporan.pdf", EXE_BYTES)},
    )
    assert response.status_code == 200
    assert "Berkas ini adalah program, bukan dokumen" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not EvidenceRevision.objects.exists()
    assert stored_files(media) == []


def test_too_large_file_is_refused_and_nothing_is_stored(
    client, settings, unit_operator, evaluation, media
):
    settings.UPLOAD_MAX_BYTES = 64
    client.force_login(unit_operator)
    response = client.post(
        panel_url(evaluation), {"kind": "file", "file": SimpleUploadedFile("besar.pdf", PDF_BYTES)}
    )
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_refused_replacement_keeps_the_current_file(client, unit_operator, evaluation, media):
    evidence = add_pdf(evaluation, unit_operator)
    before = stored_files(media)
    client.force_login(unit_operator)
    response = client.post(
        reverse("evaluations:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("x.pdf", EXE_BYTES)},
    )
    assert "Berkas ini adalah program, bukan dokumen" in response.content.decode()
    assert evidence.revisions.count() == 1
    assert stored_files(media) == before


def test_path_traversal_file_name_is_sanitised(unit_operator, evaluation, media):
    evidence = add_pdf(evaluation, unit_operator, name="../../../etc/passwd.pdf")
    assert evidence.original_filename == "passwd.pdf"
    [path] = [p.resolve() for p in stored_files(media)]
    assert path.is_relative_to((media / "private").resolve())
    # Stored in a random folder of its own: the name cannot collide or climb out.
    assert path.parent.parent.name == str(evaluation.pk)
    assert ".." not in evidence.file.name


def test_viewer_cannot_add_replace_or_remove(client, viewer, unit_operator, evaluation):
    evidence = add_pdf(evaluation, unit_operator)
    client.force_login(viewer)
    posts = [
        (panel_url(evaluation), {"kind": "link", "url": "https://contoh.go.id"}),
        (reverse("evaluations:evidence_replace", args=[evidence.pk]), {}),
        (reverse("evaluations:evidence_remove", args=[evidence.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    evidence.refresh_from_db()
    assert (Evidence.objects.count(), evidence.is_removed) == (1, False)


def test_viewer_reads_the_panel_without_forms(client, viewer, unit_operator, evaluation):
    add_pdf(evaluation, unit_operator)
    client.force_login(viewer)
    page = client.get(panel_url(evaluation)).content.decode()
    assert "laporan.pdf" in page
    assert 'name="file"' not in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://contoh.go.id/a.pdf", "file:///etc/passwd", "bukan url"]
)
def test_link_evidence_accepts_only_http_and_https(client, unit_operator, evaluation, url):
    client.force_login(unit_operator)
    response = client.post(panel_url(evaluation), {"kind": "link", "url": url})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_link_service_refuses_other_schemes(unit_operator, evaluation):
    with pytest.raises(ValidationError):
        services.evidence_add_link(
            evaluation=evaluation, question_code=QUESTION, url="ftp://x.go.id/a", by=unit_operator
        )


def test_evaluator_adds_a_link_while_reviewing(client, evaluator, evaluation):
    in_status(evaluation, "self_submitted")
    client.force_login(evaluator)
    client.post(
        panel_url(evaluation),
        {"kind": "link", "url": "https://drive.contoh.go.id/sk", "description": "SK"},
    )
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.url, evidence.uploaded_by) == (
        "link",
        "https://drive.contoh.go.id/sk",
        evaluator,
    )


def test_removing_is_soft_and_hides_the_item_from_the_panel(
    client, evaluator, unit_operator, evaluation
):
    evidence = add_pdf(evaluation, unit_operator)
    in_status(evaluation, "tpi_review")
    client.force_login(evaluator)
    response = client.post(reverse("evaluations:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.is_removed, evidence.removed_by) == (True, evaluator)
    assert evidence.file.read() == PDF_BYTES  # nothing is lost
    assert "laporan.pdf" not in client.get(panel_url(evaluation)).content.decode()


def test_htmx_request_gets_only_the_partial(client, unit_operator, evaluation):
    client.force_login(unit_operator)
    response = client.post(
        panel_url(evaluation),
        {"kind": "file", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") or "<html" not in page
    assert "<html" not in page
    assert "a.pdf" in page
    assert [t.name for t in response.templates][0] == "evaluations/partials/_evidence_panel.html"


def test_full_page_includes_the_partial(client, unit_operator, evaluation):
    client.force_login(unit_operator)
    response = client.get(panel_url(evaluation))
    names = [t.name for t in response.templates]
    assert names[0] == "evaluations/evidence.html"
    assert "evaluations/partials/_evidence_panel.html" in names


def test_unknown_question_code_is_404(client, unit_operator, evaluation):
    client.force_login(unit_operator)
    assert client.get(panel_url(evaluation, "A.I")).status_code == 404
    assert client.get(panel_url(evaluation, "Z.9")).status_code == 404


def test_evidence_counts_per_question_in_one_query(
    unit_operator, evaluation, django_assert_num_queries
):
    add_pdf(evaluation, unit_operator)
    EvidenceFactory(evaluation=evaluation)
    removed = EvidenceFactory(evaluation=evaluation)
    services.evidence_remove(evidence=removed, by=unit_operator)
    EvidenceFactory(evaluation=EvaluationFactory())  # another evaluation does not count
    with django_assert_num_queries(1):
        counts = selectors.evidence_counts(evaluation=evaluation)
    assert counts == {QUESTION: 2}


def test_panel_query_count_does_not_grow_with_items(
    client, unit_operator, evaluation, django_assert_num_queries
):
    client.force_login(unit_operator)
    url = panel_url(evaluation)
    client.get(url)
    counts = []
    for _batch in range(2):
        for _ in range(3):
            evidence = add_pdf(evaluation, unit_operator)
            services.evidence_replace(
                evidence=evidence, upload=SimpleUploadedFile("b.png", PNG_BYTES), by=unit_operator
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url)


def test_the_same_link_twice_for_one_question_is_refused_in_indonesian(rubric, unit, unit_operator):
    from django.core.exceptions import ValidationError

    from evaluations import services as evaluation_services
    from evaluations.models import Evidence

    evaluation = evaluation_services.evaluation_create(unit=unit, year=2025)
    url = "https://dukcapil.slemankab.go.id/zi/sk-tim.pdf"

    def add():
        return evaluation_services.evidence_add_link(
            evaluation=evaluation, question_code="A.I.1.i.a", url=url, by=unit_operator
        )

    first = add()
    with pytest.raises(ValidationError) as refused:
        add()
    assert "sudah menjadi bukti dukung" in refused.value.messages[0]
    evaluation_services.evidence_remove(evidence=first, by=unit_operator)
    add()  # removed, the link may be added again
    assert Evidence.objects.filter(url=url).count() == 2


def test_the_count_of_answers_without_evidence_follows_answers_and_evidence(
    rubric, unit, unit_operator
):
    from evaluations import services as evaluation_services
    from evaluations.models import Evaluation

    evaluation = evaluation_services.evaluation_create(unit=unit, year=2025)

    def missing():
        return Evaluation.objects.get(pk=evaluation.pk).evidence_missing

    evaluation_services.answers_save(
        evaluation=evaluation,
        level="self",
        answers=[
            evaluation_services.AnswerInput("A.I.1.i.a", letter="Ya"),
            evaluation_services.AnswerInput("A.I.1.i.b", letter="A"),
        ],
        by=unit_operator,
    )
    assert missing() == 2
    link = evaluation_services.evidence_add_link(
        evaluation=evaluation,
        question_code="A.I.1.i.a",
        url="https://dukcapil.slemankab.go.id/zi/sk-tim.pdf",
        by=unit_operator,
    )
    assert missing() == 1
    evaluation_services.evidence_remove(evidence=link, by=unit_operator)
    assert missing() == 2
