"""Uploaded files: private storage, checks on what a file really is, and serving through views.

Every upload of the portal (pencanangan charters, LKE evidence) goes through this module:

- `private_storage()` keeps files in the ``private/`` folder of the default storage (the local
  disk under ``MEDIA_ROOT``, or an S3 bucket: settings.STORAGES), which no URL serves;
- `validate_upload()` refuses a file whose content is not an allowed type (sniffed from its
  first bytes, never from its name or the browser's content type), whose extension does not
  match its content, or which is too large; it returns the sanitised name and the SHA-256;
- `serve_private_file()` answers a view that has already checked access, streaming the file
  through the portal whichever the backend.

Everything here uses the Storage API only (open, save, delete, exists, size), never a path on
disk, so the local disk and an object store behave alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import Storage, default_storage
from django.core.files.utils import validate_file_name
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# An Office file is a zip archive: refuse archives that inflate far beyond their size
# ("zip bombs") before anyone opens them with openpyxl or a desktop office suite.
DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_NAME_LENGTH = 100
CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 2048

logger = logging.getLogger(__name__)


PRIVATE_FOLDER = "private"


class PrivateStorage(Storage):
    """The ``private/`` folder of the default storage, with no URL.

    Names are relative to that folder (as the file fields store them), so the rows are the same
    whichever backend settings.STORAGES chooses, and a backup of the default storage holds these
    files too. The default storage is looked up on every call, so tests and deployments that
    change STORAGES or MEDIA_ROOT are followed.
    """

    prefix = f"{PRIVATE_FOLDER}/"

    def _full(self, name: str) -> str:
        # Names come from upload_path() or the database; none may climb out of the folder.
        validate_file_name(name, allow_relative_path=True)
        return self.prefix + name

    def _own(self, full: str) -> str:
        if not full.startswith(self.prefix):
            raise SuspiciousFileOperation(f"Stored outside the private folder: {full}")
        return full[len(self.prefix) :]

    def _open(self, name, mode="rb"):
        return default_storage.open(self._full(name), mode)

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        room = max_length + len(self.prefix) if max_length else None
        return self._own(default_storage.save(self._full(name), content, max_length=room))

    def delete(self, name):
        default_storage.delete(self._full(name))

    def exists(self, name):
        return default_storage.exists(self._full(name))

    def size(self, name):
        return default_storage.size(self._full(name))

    def listdir(self, path):
        return default_storage.listdir(self._full(path) if path else PRIVATE_FOLDER)

    def get_modified_time(self, name):
        return default_storage.get_modified_time(self._full(name))

    def url(self, name):
        # A link straight to the file would skip the access check: serve it through a view.
        raise NotImplementedError("Private files have no URL; serve them through a view.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """Return the storage for private uploads (a callable, so migrations do not freeze it)."""
    return _private_storage


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


PDF = FileKind("pdf", "PDF", ("pdf",), "application/pdf")
PNG = FileKind("png", "PNG", ("png",), "image/png")
JPEG = FileKind("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg")
GIF = FileKind("gif", "GIF", ("gif",), "image/gif")
WEBP = FileKind("webp", "WebP", ("webp",), "image/webp")
DOCX = FileKind(
    "docx",
    "Word",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "xlsx",
    "Excel",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
PPTX = FileKind(
    "pptx",
    "PowerPoint",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
# Legacy Office files share one container (OLE2); telling them apart needs a full parser, so
# the extension decides which of the three it is.
OLE2 = FileKind("ole2", "Office 97-2003", ("doc", "xls", "ppt"), "application/octet-stream")
OLE2_CONTENT_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

PDF_ONLY: tuple[FileKind, ...] = (PDF,)
IMAGES: tuple[FileKind, ...] = (PNG, JPEG, GIF, WEBP)
OFFICE: tuple[FileKind, ...] = (DOCX, XLSX, PPTX, OLE2)
EVIDENCE_KINDS: tuple[FileKind, ...] = (PDF, *IMAGES, *OFFICE)
# For the file picker's `accept` attribute; the content is checked all the same.
ALLOWED_EXTENSIONS = sorted({ext for kind in EVIDENCE_KINDS for ext in kind.extensions})

_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
# What puremagic names a file by (its first match), for the kinds the portal keeps. An Office
# document is a zip archive, which puremagic can only guess at: the archive's parts decide.
_DETECTED = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jfif": JPEG,
    ".jpe": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
    ".doc": OLE2,
    ".xls": OLE2,
    ".ppt": OLE2,
}
_ZIP_FAMILY = {".zip", ".docx", ".xlsx", ".pptx"}


@dataclass(frozen=True)
class CheckedUpload:
    """What `validate_upload` learnt about an accepted file."""

    name: str
    kind: FileKind
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def sanitize_filename(name: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """Return a safe file name: no folders, no traversal, ASCII letters, digits, . _ - only."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._- ")
    name = re.sub(r"\.{2,}", ".", name)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.lower()[:10]
    stem = stem.strip("._-") or "berkas"
    room = max_length - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip("._-") or "berkas"
    return f"{stem}.{ext}" if ext else stem


def upload_path(prefix: str, filename: str) -> str:
    """Return a storage path under `prefix`, unguessable and free of collisions."""
    return f"{prefix}/{uuid.uuid4().hex}/{sanitize_filename(filename)}"


def _sniff(head: bytes, file) -> FileKind | None:
    """Return the kind of file that the first bytes (and for zips, the archive) reveal.

    A PDF must start with its signature: a viewer that finds "%PDF-" further in would open an
    HTML page that only mentions it as a PDF.
    """
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    if not matches:
        return None
    first = matches[0].extension.lower()
    if first in _ZIP_FAMILY:
        return _sniff_office_zip(file)
    if first == ".pdf" and not head.startswith(b"%PDF-"):
        return None
    return _DETECTED.get(first)


def _sniff_office_zip(file) -> FileKind | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            limit = getattr(settings, "UPLOAD_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES)
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > limit:
                raise _inflates_too_much()
            names = {e.filename for e in entries}
            # The declared sizes are the archive's claim: count what really inflates.
            try:
                inflate_within(archive, entries, budget=limit)
            except InflatesTooMuch:
                raise _inflates_too_much() from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, kind in _OOXML_PARTS.items():
        if any(n.startswith(folder) for n in names):
            return kind
    return None


class InflatesTooMuch(Exception):
    """An archive inflates beyond the byte budget it was given."""


INFLATE_CHUNK = 64 * 1024


def inflate_within(archive: zipfile.ZipFile, entries, *, budget: int, watch=None) -> None:
    """Inflate every member, counting the bytes really produced against `budget`.

    Raise InflatesTooMuch past it. `watch(entry, chunk)`, when given, sees every inflated chunk
    (the workbook reader looks for document type declarations in its XML parts).
    """
    for entry in entries:
        with archive.open(entry) as member:
            while chunk := member.read(INFLATE_CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise InflatesTooMuch
                if watch is not None:
                    watch(entry, chunk)


def _inflates_too_much() -> ValidationError:
    return ValidationError(
        _("The document unpacks to far more data than its size: it is refused."),
        code="zip_inflation",
    )


def _describe(kinds: Iterable[FileKind]) -> str:
    return ", ".join(k.label for k in kinds)


def validate_upload(
    uploaded, *, allowed: Iterable[FileKind] = EVIDENCE_KINDS, max_bytes: int | None = None
) -> CheckedUpload:
    """Check an uploaded file by its content; return its safe name, kind, size and SHA-256.

    Raise ValidationError (in the user's language) when the file is empty, too large, of a
    type not in `allowed`, or named with an extension that does not match its content.
    """
    allowed = tuple(allowed)
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    limit_mb = f"{limit / (1024 * 1024):g}"
    too_large = ValidationError(
        _("The file is too large: at most %(limit)s MB is allowed."),
        code="too_large",
        params={"limit": limit_mb},
    )
    # The size the upload handler reports is checked first so a huge file is not read at all.
    if getattr(uploaded, "size", None) and uploaded.size > limit:
        raise too_large

    digest = hashlib.sha256()
    size = 0
    head = b""
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise too_large
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")

    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        raise ValidationError(
            _("The file is a program, not a document: it is refused."), code="executable"
        )
    kind = _sniff(head, uploaded)
    uploaded.seek(0)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Allowed: %(kinds)s."),
            code="bad_type",
            params={"kinds": _describe(allowed)},
        )

    name = sanitize_filename(getattr(uploaded, "name", ""))
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file name ends in “.%(extension)s” but the content is %(kind)s: "
                "rename it to .%(expected)s or choose the right file."
            ),
            code="extension_mismatch",
            params={"extension": extension, "kind": kind.label, "expected": kind.extensions[0]},
        )
    content_type = OLE2_CONTENT_TYPES.get(extension, kind.content_type)
    return CheckedUpload(
        name=name, kind=kind, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def store(uploaded, checked: CheckedUpload, *, folder: str) -> str:
    """Save a checked upload in private storage under `folder`; return its storage name."""
    uploaded.seek(0)
    return private_storage().save(upload_path(folder, checked.name), uploaded)


def delete_quietly(name: str) -> None:
    """Remove a stored file whose database row was refused; never raise.

    A failure (a disk error, an object store out of reach) is logged and leaves an orphan file,
    rather than hiding the error that refused the row.
    """
    try:
        private_storage().delete(name)
    except Exception:
        logger.warning("Could not delete the refused upload %s", name, exc_info=True)


@contextlib.contextmanager
def storing():
    """Give a `store(upload, checked, folder=...)` for the block; if the block fails, delete
    what it stored, so that rows refused (or rolled back) leave no orphan file behind.

    Wrap the transaction that writes the rows naming the files in it.
    """
    stored: list[str] = []

    def store_one(uploaded, checked: CheckedUpload, *, folder: str) -> str:
        name = store(uploaded, checked, folder=folder)
        stored.append(name)
        return name

    try:
        yield store_one
    except BaseException:
        for name in stored:
            delete_quietly(name)
        raise


def content_type_for(name: str) -> str:
    """Return the content type of a stored file from its (already checked) extension."""
    extension = name.rpartition(".")[2].lower()
    if extension in OLE2_CONTENT_TYPES:
        return OLE2_CONTENT_TYPES[extension]
    for kind in EVIDENCE_KINDS:
        if extension in kind.extensions:
            return kind.content_type
    return "application/octet-stream"


def serve_private_file(
    field_file, *, as_attachment: bool = True, filename: str | None = None
) -> FileResponse:
    """Answer with a stored private file. The calling view must have checked access first.

    `filename` is the name the browser saves it under (default: the stored name).

    The bytes always pass through the portal, from the local disk or the object store alike,
    rather than a redirect to a presigned URL: the access check stays the only way in (a signed
    link works for whoever holds it until it expires, and leaks through browser history, proxy
    logs and forwarded messages), the headers below stay ours, and the object store may sit on a
    network the browsers cannot reach. The cost is a worker busy for the download (files are at
    most UPLOAD_MAX_BYTES).
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    stored_name = os.path.basename(field_file.name)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=sanitize_filename(filename) if filename else stored_name,
        content_type=content_type_for(stored_name),
    )
    # Never let a browser guess a type or keep a copy in a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    if response["Content-Type"] != PDF.content_type:
        # No scripts from an opened file; not for PDFs, whose viewer Chromium refuses to run in
        # a sandboxed document.
        response["Content-Security-Policy"] = "sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
