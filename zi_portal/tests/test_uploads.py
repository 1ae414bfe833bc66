"""Uploads are checked by content, named safely, stored privately and served with care."""

import hashlib
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from units.tests.factories import MINIMAL_PDF
from zi_portal import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def _office_zip(folder="word/", content_types=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def _upload(name, content):
    # The browser's content type is a lie an attacker controls: always claim PDF.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("piagam.pdf", MINIMAL_PDF, "pdf"),
        ("foto.png", PNG, "png"),
        ("foto.JPG", JPEG, "jpeg"),
        ("foto.jpeg", JPEG, "jpeg"),
        ("animasi.gif", GIF, "gif"),
        ("laporan.docx", _office_zip("word/"), "docx"),
        ("lke.xlsx", _office_zip("xl/"), "xlsx"),
        ("paparan.pptx", _office_zip("ppt/"), "pptx"),
        ("lama.doc", OLE2, "ole2"),
        ("lama.xls", OLE2, "ole2"),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, kind):
    checked = uploads.validate_upload(_upload(name, content))
    assert checked.kind.key == kind
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_legacy_office_file_gets_the_content_type_of_its_extension():
    assert uploads.validate_upload(_upload("lama.xls", OLE2)).content_type == (
        "application/vnd.ms-excel"
    )


def test_program_renamed_to_pdf_is_refused_as_a_program():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("piagam.pdf", EXE))
    assert exc.value.code == "executable"


def test_pdf_renamed_to_docx_is_refused_because_the_extension_lies():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("laporan.docx", MINIMAL_PDF))
    assert exc.value.code == "extension_mismatch"


def test_plain_zip_without_office_parts_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("arsip.docx", _office_zip(content_types=False)))
    assert exc.value.code == "bad_type"


def test_text_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("catatan.pdf", b"<script>alert(1)</script>"))
    assert exc.value.code == "bad_type"


def test_image_is_refused_where_only_pdf_is_allowed():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("foto.png", PNG), allowed=uploads.PDF_ONLY)
    assert exc.value.code == "bad_type"
    assert "PDF" in str(exc.value.messages)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("kosong.pdf", b""))
    assert exc.value.code == "empty"


def test_file_over_the_configured_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("besar.pdf", MINIMAL_PDF + b"%" * 200))
    assert exc.value.code == "too_large"


def test_file_over_the_limit_is_refused_even_when_its_reported_size_is_small(settings):
    settings.UPLOAD_MAX_BYTES = 100
    upload = _upload("besar.pdf", MINIMAL_PDF + b"%" * 200)
    upload.size = 10  # a handler that misreports the size does not get past the count
    with pytest.raises(ValidationError):
        uploads.validate_upload(upload)


def test_office_archive_that_inflates_too_much_is_refused(settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sheet.xml", "0" * 100_000)
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("bom.xlsx", buffer.getvalue()))
    assert exc.value.code == "zip_inflation"


def test_refusal_messages_are_indonesian():
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("piagam.pdf", EXE))
    assert "program" in exc.value.messages[0]
    assert "ditolak" in exc.value.messages[0]


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.PDF", "system.ini.pdf"),
        ("/absolute/path/piagam.pdf", "piagam.pdf"),
        ("Piagam Pencanangan ZI 2024 (final).pdf", "Piagam_Pencanangan_ZI_2024_final.pdf"),
        ("Ñámé.pdf", "Name.pdf"),
        ("...pdf", "pdf"),  # no hidden files; the extension check then refuses it
        ("", "berkas"),
    ],
)
def test_file_names_are_sanitised(raw, safe):
    assert uploads.sanitize_filename(raw) == safe


def test_long_file_names_are_cut_but_keep_their_extension():
    name = uploads.sanitize_filename("a" * 300 + ".pdf")
    assert len(name) == uploads.MAX_NAME_LENGTH
    assert name.endswith(".pdf")


def test_traversal_name_is_accepted_as_its_last_part_only():
    checked = uploads.validate_upload(_upload("../../etc/passwd.pdf", MINIMAL_PDF))
    assert checked.name == "passwd.pdf"


def test_upload_paths_stay_under_their_prefix():
    path = uploads.upload_path("pencanangan/1", "../../../etc/passwd.pdf")
    assert path.startswith("pencanangan/1/")
    assert ".." not in path
    assert path.endswith("/passwd.pdf")


def test_private_storage_is_the_private_folder_of_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    name = uploads.private_storage().save("x/berkas.pdf", io.BytesIO(MINIMAL_PDF))
    assert (tmp_path / "elsewhere" / "private" / name).read_bytes() == MINIMAL_PDF


def test_private_storage_is_the_private_folder_of_the_bucket(s3, media_root):
    name = uploads.private_storage().save("x/berkas.pdf", io.BytesIO(MINIMAL_PDF))
    assert s3.keys() == [f"private/{name}"]
    assert s3.read(f"private/{name}") == MINIMAL_PDF
    assert not media_root.exists()


def test_private_names_cannot_climb_out_of_the_private_folder(any_storage):
    storage = uploads.private_storage()
    default_storage.save("rahasia.pdf", io.BytesIO(MINIMAL_PDF))
    for name in ("../rahasia.pdf", "x/../../rahasia.pdf", "/rahasia.pdf"):
        with pytest.raises(SuspiciousFileOperation):
            storage.open(name)


def test_private_storage_has_no_url(any_storage):
    name = uploads.private_storage().save("x/berkas.pdf", io.BytesIO(MINIMAL_PDF))
    with pytest.raises(NotImplementedError):
        uploads.private_storage().url(name)


def test_served_file_is_an_attachment_that_browsers_must_not_sniff(any_storage):
    storage = uploads.private_storage()
    stored = SimpleNamespace(
        storage=storage, name=storage.save("x/piagam.pdf", io.BytesIO(MINIMAL_PDF))
    )
    response = uploads.serve_private_file(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="piagam.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_serving_a_missing_file_answers_404(any_storage):
    stored = SimpleNamespace(storage=uploads.private_storage(), name="x/hilang.pdf")
    with pytest.raises(Http404):
        uploads.serve_private_file(stored)


def test_an_html_page_mentioning_the_pdf_signature_is_not_a_pdf():
    page = b"<html><body>%PDF-1.7 <script>alert(1)</script></body></html>" + b" " * 200
    with pytest.raises(ValidationError):
        uploads.validate_upload(_upload("bukti.pdf", page))


def _lying_about_its_size(real_bytes: int, declared: int) -> bytes:
    """An Office archive whose member says it inflates to `declared` bytes but makes more."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * real_bytes)
    content = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        member = archive.getinfo("word/document.xml")
        local, size = member.header_offset, member.file_size
    # The uncompressed size is written in the local header (offset 22) and in the central
    # directory entry (offset 24); both now claim `declared`.
    content[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = content.find(b"PK\x01\x02")
    while central != -1:
        if content[central + 46 : central + 46 + 17] == b"word/document.xml":
            content[central + 24 : central + 28] = declared.to_bytes(4, "little")
        central = content.find(b"PK\x01\x02", central + 4)
    assert size == real_bytes
    return bytes(content)


def test_an_archive_that_lies_about_its_inflated_size_is_refused(settings):
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 1_000_000
    content = _lying_about_its_size(real_bytes=5_000_000, declared=1024)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sum(e.file_size for e in archive.infolist()) < 2000  # what it claims
    # Inflated, it does not end where it says (a desktop Office would inflate all of it).
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(_upload("laporan.docx", content))
    assert exc.value.code in {"zip_inflation", "bad_type"}
