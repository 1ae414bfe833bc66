"""Uploaded documents: private storage, type from the content, size limit, safe names, serving.

Every upload of the portal (evidence, signed charters, cover letters) goes through this module so
that one set of rules decides what may be stored: the type is read from the file's first bytes,
never trusted from its name or the browser's Content-Type, and files are kept on a storage that
has no public URL, served only by views that have checked access first.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    """One accepted type: its content type and the file name endings it may carry."""

    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False  # safe for the browser to show instead of download


PDF = FileKind("application/pdf", ("pdf",), inline=True)
PNG = FileKind("image/png", ("png",), inline=True)
JPEG = FileKind("image/jpeg", ("jpg", "jpeg"), inline=True)
GIF = FileKind("image/gif", ("gif",), inline=True)
WEBP = FileKind("image/webp", ("webp",), inline=True)
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
ODT = FileKind("application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileKind("application/vnd.oasis.opendocument.presentation", ("odp",))
# Old binary Office files (OLE2) look alike inside; the name's ending tells which one it is.
OLE2 = FileKind("application/x-ole-storage", ("doc", "xls", "ppt"))
OLE2_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}

ALL_KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE2)
ALLOWED_EXTENSIONS = sorted({ext for kind in ALL_KINDS for ext in kind.extensions})


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the portal records about it."""

    file: object
    filename: str  # sanitised original name, with the ending of its real type
    size: int
    sha256: str
    content_type: str


def private_storage() -> Storage:
    """Return the storage for uploaded documents; it has no public URL (see settings.STORAGES)."""
    return storages["default"]


def max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """Return the last part of a file name, without paths, control or unusual characters."""
    # Browsers on Windows may send a full path; both separators are stripped.
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w .()+-]", "_", name, flags=re.UNICODE)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        name = "berkas"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > max_length:
        name = f"{stem[: max_length - len(ext) - 1]}.{ext}"
    return name[:max_length]


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _zip_kind(file) -> FileKind | None:
    """Tell an Office Open XML or OpenDocument file from any other zip archive."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODF_TYPES.get(declared)
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML_FOLDERS.items():
                    if any(n.startswith(folder) for n in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def sniff(file) -> FileKind | None:
    """Return the accepted kind a file's content shows, or None when it is not accepted."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    return None


def check_upload(uploaded) -> CheckedFile:
    """Check an upload's size and real type; raise ValidationError (translated) if refused."""
    limit = max_bytes()
    if uploaded.size is None or uploaded.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s is allowed.")
            % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, WebP) "
                "or an Office document (Word, Excel, PowerPoint, OpenDocument)."
            ),
            code="bad_type",
        )
    filename = safe_filename(uploaded.name)
    extension = _extension(filename)
    if not extension:
        filename = f"{filename}.{kind.extensions[0]}"
        extension = kind.extensions[0]
    elif extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file's name ends in .%(extension)s but its content is not that kind of "
                "file. Check that you chose the right file."
            )
            % {"extension": extension},
            code="name_mismatch",
        )
    content_type = OLE2_TYPES[extension] if kind is OLE2 else kind.content_type
    return CheckedFile(
        file=uploaded,
        filename=filename,
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        content_type=content_type,
    )


def sha256_of(file) -> str:
    """Return the hex SHA-256 of a file's whole content."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def store(checked: CheckedFile, *, folder: str) -> str:
    """Save a checked file under `folder` with a random name; return its storage name.

    The stored name never comes from the person's file name, so it can neither escape the
    folder nor be guessed; the original name is kept in the database for downloads.
    """
    extension = _extension(checked.filename)
    name = f"{folder.strip('/')}/{uuid.uuid4().hex}.{extension}"
    checked.file.seek(0)
    return private_storage().save(name, checked.file)


def delete_quietly(name: str) -> None:
    """Remove a stored file after the database refused its row; never raise."""
    with contextlib.suppress(OSError):
        private_storage().delete(name)


def file_response(name: str, *, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file; call only after the view has checked access."""
    inline = content_type in {k.content_type for k in (PDF, PNG, JPEG, GIF, WEBP)}
    response = FileResponse(
        private_storage().open(name, "rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    # Whatever a stored file holds, the browser must not run it as part of the portal.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
