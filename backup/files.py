"""The uploaded files of a backup: every object of the default storage, whichever its backend.

A backup holds them as plain files under ``files/``, named as in the storage, so a person can
read one without the portal. Only the Storage API is used (listdir, open, save, delete), so the
local disk and an S3 bucket are copied alike.
"""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.utils import validate_file_name

FOLDER = "files"
# Backups written before object storage: a tar of MEDIA_ROOT, its members under "media/".
LEGACY_ARCHIVE = "media.tar.gz"
CHUNK = 1024 * 1024


def stored_names(storage) -> Iterator[str]:
    """Yield the name of every file in `storage`."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        # An S3 bucket lists every key under a prefix in pages of a thousand; walking it folder
        # by folder would cost a request per upload (each lives in a folder of its own).
        location = storage.location.strip("/")
        prefix = f"{location}/" if location else ""
        for summary in bucket.objects.filter(Prefix=prefix):
            if not summary.key.endswith("/"):
                yield summary.key[len(prefix) :]
        return
    yield from _walk(storage, "")


def _walk(storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _safe(name: str) -> str:
    validate_file_name(name, allow_relative_path=True)
    return name


def copy_out(storage, target: Path) -> int:
    """Copy every file of `storage` into `target` (replaced whole); return how many."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    count = 0
    for name in stored_names(storage):
        destination = partial / _safe(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(destination, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        count += 1
    # The previous backup's files stay until this one is complete.
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return count


def _backed_up(source: Path) -> Iterator[tuple[str, AbstractContextManager[BinaryIO]]]:
    """Yield (storage name, opener) for every file of the backup folder `source`."""
    folder = source / FOLDER
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield path.relative_to(folder).as_posix(), path.open("rb")
        return
    legacy = source / LEGACY_ARCHIVE
    if legacy.exists():
        with tarfile.open(legacy) as archive:
            for member in archive:
                parts = PurePosixPath(member.name).parts
                if member.isfile() and len(parts) > 1 and parts[0] == "media":
                    yield "/".join(parts[1:]), archive.extractfile(member)


def has_files(source: Path) -> bool:
    return (source / FOLDER).is_dir() or (source / LEGACY_ARCHIVE).exists()


def copy_in(source: Path, storage) -> int:
    """Make `storage` hold exactly the backed-up files of `source`; return how many.

    Files that the backup does not hold are deleted: the restored database names none of them.
    """
    restored = set()
    for name, opened in _backed_up(source):
        name = _safe(name)
        with opened as handle:
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise SuspiciousFileOperation(f"{name} was stored as {saved}.")
        restored.add(name)
    for name in list(stored_names(storage)):
        if name not in restored:
            storage.delete(name)
    return len(restored)
