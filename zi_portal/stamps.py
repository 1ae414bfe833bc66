"""Pages cached under a token that every committed change to the data they show replaces.

A Stamp names one kind of cached page (the public award list, the directory of agencies and
units) and the tables it shows; signal receivers call `changed_on_commit()` on every save and
delete of those tables. Reading the token is one short query per view; everything cached under an
old token is never read again and expires (CACHE_SECONDS). Writes that bypass save() and
delete() (bulk loads, restores) call `changed_all()` themselves.

The token is replaced just after the commit: a process that dies in between leaves the old pages
until they expire, which bounds that window. A rolled-back change keeps the token.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import caches
from django.db import IntegrityError, connection, transaction

from .models import DataStamp

CACHE_ALIAS = "stamped"
CACHE_SECONDS = 10 * 60

_stamps: dict[str, Stamp] = {}


class Stamp:
    """The token of one kind of cached page, and its cache."""

    def __init__(self, name: str):
        if name in _stamps:
            raise ValueError(f"Stamp {name!r} is defined twice")
        self.name = name
        _stamps[name] = self

    def token(self) -> str:
        """Return the token of the data as it is now ("" before the first change)."""
        # A fixed statement rather than the ORM: compiling a query costs more than running this.
        table = connection.ops.quote_name(DataStamp._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE name = %s", [self.name])
            row = cursor.fetchone()
        return row[0] if row else ""

    def changed(self) -> None:
        """Give the stamp a new token now (after a commit, or for writes without signals)."""
        token = uuid.uuid4().hex
        if DataStamp.objects.filter(name=self.name).update(token=token):
            return
        try:
            with transaction.atomic():
                DataStamp.objects.create(name=self.name, token=token)
        except IntegrityError:  # another process created it first
            DataStamp.objects.filter(name=self.name).update(token=token)

    def changed_on_commit(self) -> None:
        """Give the stamp a new token once the current transaction commits (none if it rolls
        back: the data it would name did not change)."""
        transaction.on_commit(self.changed)

    def get_or_set(self, token: str, parts: tuple, compute):
        """Return what is cached for `parts` under `token`, computing and keeping it if missing.

        `parts` must name everything the value depends on besides the stamped data: who may see
        what, the language, the page asked for.
        """
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        key = f"{self.name}:{token}:{digest}"
        return caches[CACHE_ALIAS].get_or_set(key, compute, CACHE_SECONDS)


def changed_all() -> None:
    """Replace every stamp's token, after writes that send no signals (seed, restore)."""
    for stamp in _stamps.values():
        stamp.changed()
