"""Table rows rendered once per distinct content and then reused from the cache.

A list page shows the same rows again and again between changes, and the template engine spends
about a hundred microseconds on each. Every row is cached under a key made of its template's
source, the language and the row's own values, read fresh from the database on every request: a
row whose data changed has a new key and is rendered anew, so the cache can only ever answer HTML
for exactly these values. The timeout only bounds how long unused entries linger.

Row templates see their row and the constants passed with it, never the request: what they
render cannot depend on who is asking.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

CACHE_ALIAS = "rows"

# The HTML under a key never changes, so each process also keeps the rows it has seen in a plain
# dict in front of the configured cache: no pickling, no lock per key (~10 µs a row). Emptied
# whole when full, which costs at most one more read of each row from the cache.
LOCAL_MAX_ROWS = 20_000
_local: dict[str, str] = {}
_local_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _source_digest(source: str) -> str:
    # Keyed by the source itself: an edited template (a deploy, or the dev server's reload) is a
    # new key, whatever object the loader now holds.
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _dict_values(row: dict):
    return sorted(row.items())


def render_rows(
    template_name: str,
    rows: Iterable,
    *,
    name: str = "row",
    values: Callable = _dict_values,
    constants: dict | None = None,
) -> SafeString:
    """Return the HTML of `rows`, each rendered by `template_name` with the row as `name`.

    `values(row)` must return everything the template reads of a row (by default all of a dict's
    items); `constants` are the same for every row and part of every key.
    """
    rows = list(rows)
    if not rows:
        return mark_safe("")
    template = get_template(template_name)
    constants = constants or {}
    prefix = "|".join(
        [template_name, _source_digest(template.template.source), translation.get_language() or ""]
    )
    shared = repr(sorted(constants.items()))
    keys = [
        "row:" + hashlib.sha256(f"{prefix}|{shared}|{values(row)!r}".encode()).hexdigest()
        for row in rows
    ]
    # One get per key: another thread may empty the dict between a membership test and a read.
    found = {key: html for key in keys if (html := _local.get(key)) is not None}
    if len(found) < len(keys):
        cache = caches[CACHE_ALIAS]
        found.update(cache.get_many([key for key in keys if key not in found]))
        missing = {}
        for key, row in zip(keys, rows, strict=True):
            if key not in found:
                found[key] = missing[key] = template.render({**constants, name: row})
        if missing:
            cache.set_many(missing)
        with _local_lock:
            if len(_local) + len(keys) > LOCAL_MAX_ROWS:
                _local.clear()
            _local.update((key, found[key]) for key in keys)
    return mark_safe("".join(found[key] for key in keys))  # rendered by the template engine


def forget_all() -> None:
    """Drop every cached row, e.g. so that a test starts cold."""
    with _local_lock:
        _local.clear()
    caches[CACHE_ALIAS].clear()
