"""The shared upload rules: type from the content, size limit, safe names, private storage."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zi_portal import uploads

from .upload_samples import EXE_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes, plain_zip_bytes


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("laporan.pdf", PDF_BYTES, "application/pdf"),
        ("foto.PNG", PNG_BYTES, "image/png"),
        ("sk.docx", docx_bytes(), uploads.DOCX.content_type),
        ("lama.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "application/msword"),
    ],
)
def test_accepted_files_get_their_type_from_the_content(name, data, content_type):
    checked = uploads.check_upload(SimpleUploadedFile(name, data, content_type="text/plain"))
    assert (checked.content_type, checked.size) == (content_type, len(data))


def test_renamed_executable_is_refused_in_indonesian():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("laporan.pdf", EXE_BYTES))
    assert caught.value.code == "bad_type"
    assert "tidak diterima" in caught.value.messages[0]


def test_zip_that_is_not_an_office_document_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("data.docx", plain_zip_bytes()))


def test_pdf_named_as_a_word_document_is_refused():
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("surat.docx", PDF_BYTES))
    assert caught.value.code == "name_mismatch"


def test_file_over_the_configured_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile("besar.pdf", PDF_BYTES))
    assert caught.value.code == "too_large"
    assert "terlalu besar" in caught.value.messages[0]


def test_name_without_ending_gets_the_ending_of_its_type():
    assert uploads.check_upload(SimpleUploadedFile("scan", PDF_BYTES)).filename == "scan.pdf"


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\budi\\Laporan Akhir.pdf", "Laporan Akhir.pdf"),
        ("<script>.pdf", "_script_.pdf"),
        ("..", "berkas"),
    ],
)
def test_file_names_lose_paths_and_unusual_characters(raw, safe):
    assert uploads.safe_filename(raw) == safe


def test_sha256_is_of_the_whole_content():
    checked = uploads.check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES))
    import hashlib

    assert checked.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_stored_name_is_random_and_inside_the_folder(private_media):
    checked = uploads.check_upload(SimpleUploadedFile("../../x.pdf", PDF_BYTES))
    name = uploads.store(checked, folder="evidence/1")
    assert name.startswith("evidence/1/") and name.endswith(".pdf")
    assert (private_media / name).read_bytes() == PDF_BYTES
