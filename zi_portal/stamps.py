"""Pages cached under tokens that every committed change to the data they show replaces.

A Stamp names one kind of data shown by cached pages (the public award list, the directory of
agencies and units); a StampFamily names it per agency, plus once for everything (the evaluation
list). Signal receivers replace the tokens on every save and delete of those tables, once the
change commits. Reading the tokens of a page is one short query; whatever was cached under an old
token is never read again and expires (CACHE_SECONDS). Writes that bypass save() and delete()
(bulk loads, restores) call `changed_all()` themselves. A rolled-back change keeps the tokens.

The tokens are replaced just after the commit: a process that dies in between leaves the old
pages until they expire, which bounds that window.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from django.core.cache import caches
from django.db import connection, transaction

from .models import DataStamp

CACHE_ALIAS = "stamped"
CACHE_SECONDS = 10 * 60

_registry: dict[str, Stamp | StampFamily] = {}


def _register(name: str, stamp) -> None:
    if name in _registry:
        raise ValueError(f"Stamp {name!r} is defined twice")
    _registry[name] = stamp


def tokens(names: list[str]) -> tuple[str, ...]:
    """Return the tokens of `names`, in order ("" for one never changed), in one query."""
    if not names:
        return ()
    # A fixed statement rather than the ORM: compiling a query costs more than running this.
    table = connection.ops.quote_name(DataStamp._meta.db_table)
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, token FROM {table} WHERE name IN ({placeholders})", names)
        found = dict(cursor.fetchall())
    return tuple(found.get(name, "") for name in names)


def replace(names: Iterable[str]) -> None:
    """Give each of `names` a new token now (one statement, creating the rows missing)."""
    token = uuid.uuid4().hex
    DataStamp.objects.bulk_create(
        [DataStamp(name=name, token=token) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token", "changed_at"],
    )


def cached(parts: tuple, compute):
    """Return what is cached under `parts` (which hold the tokens read), computing it if missing.

    `parts` must name everything the value depends on besides the stamped data: who may see
    what, the language, the page asked for.
    """
    key = "stamped:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    return caches[CACHE_ALIAS].get_or_set(key, compute, CACHE_SECONDS)


class Stamp:
    """The token of one kind of data."""

    def __init__(self, name: str):
        _register(name, self)
        self.name = name

    def token(self) -> str:
        return tokens([self.name])[0]

    def changed(self) -> None:
        """Give the stamp a new token now (after a commit, or for writes without signals)."""
        replace([self.name])

    def changed_on_commit(self) -> None:
        """Give the stamp a new token once the current transaction commits."""
        transaction.on_commit(self.changed)

    changed_everywhere = changed  # a single token: what changed_all() calls

    def get_or_set(self, token: str, parts: tuple, compute):
        """Return what is cached for `parts` under `token` (see cached)."""
        return cached((self.name, token, *parts), compute)


class StampFamily:
    """The tokens of one kind of data per agency, plus one for the data of every agency.

    A change in some agencies replaces their tokens and that of every agency's pages; a change
    that touches every page (changed_everywhere) replaces one more token, read with any of them.
    """

    def __init__(self, prefix: str):
        _register(prefix, self)
        self.prefix = prefix
        self._everywhere = f"{prefix}:*"
        self._every_agency = f"{prefix}:all"

    def names(self, agency_ids: Iterable[int] | None) -> list[str]:
        """The stamps of pages showing `agency_ids`' data (None: every agency's)."""
        if agency_ids is None:
            return [self._everywhere, self._every_agency]
        return [self._everywhere, *(f"{self.prefix}:{pk}" for pk in sorted(agency_ids))]

    def changed(self, agency_ids: Iterable[int]) -> None:
        """Give the agencies' stamps, and that of every agency's pages, new tokens now."""
        replace([self._every_agency, *self.names(agency_ids)[1:]])

    def changed_on_commit(self, agency_ids: Iterable[int]) -> None:
        agency_ids = set(agency_ids)
        transaction.on_commit(lambda: self.changed(agency_ids))

    def changed_everywhere(self) -> None:
        """Give every page of the family a new token now."""
        replace([self._everywhere])


def changed_all() -> None:
    """Replace every stamp's token, after writes that send no signals (seed, restore)."""
    for stamp in _registry.values():
        stamp.changed_everywhere()
