"""The public list's pages and filter choices, kept until what they show changes.

The public list is what everyone reads when KemenPANRB announces its awards, and it changes a few
times a year. Its page query sorts the year's awards by agency and unit name (joining every
award to its unit) and counts them, ~4 ms of PostgreSQL and ORM time on every view. Here each
page is kept under a token that every committed change to an award, a unit or an agency
replaces (signals.py), so a page can only be answered for the data it was read from: the token
names one state of those tables, and a restored backup brings back its own token with its own
data. Writes that bypass save() and delete() (bulk loads, restores) call `changed()` themselves.

The token is replaced just after the commit: a process that dies in between leaves the old pages
until they expire (CACHE_SECONDS), which bounds that window.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import IntegrityError, transaction

from .models import PublicListStamp

CACHE_SECONDS = 10 * 60
_STAMP_PK = 1


def current_token() -> str:
    """Return the token of the data as it is now ("" before the first change)."""
    found = PublicListStamp.objects.filter(pk=_STAMP_PK).values_list("token", flat=True)
    return next(iter(found), "")


def changed() -> None:
    """Give the public list a new token now (after a commit, or for writes without signals)."""
    token = uuid.uuid4().hex
    if PublicListStamp.objects.filter(pk=_STAMP_PK).update(token=token):
        return
    try:
        with transaction.atomic():
            PublicListStamp.objects.create(pk=_STAMP_PK, token=token)
    except IntegrityError:  # another process created it first
        PublicListStamp.objects.filter(pk=_STAMP_PK).update(token=token)


def changed_on_commit() -> None:
    """Give the public list a new token once the current transaction commits (none if it rolls
    back: the data it would name did not change)."""
    transaction.on_commit(changed)


def key(token: str, *parts) -> str:
    """Return the cache key of one cached piece of the public list for `token`."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"awards:public:{token}:{digest}"


def get_or_set(token: str, parts: tuple, compute):
    """Return the cached value of `parts` under `token`, computing and keeping it if missing."""
    return cache.get_or_set(key(token, *parts), compute, CACHE_SECONDS)
