"""The rendered body of the LKE page, cached under a key that names everything it shows.

Rendering 113 questions × 3 levels is most of the page's cost, and the same LKE is opened again
and again between changes.

The key holds the evaluation's status and rubric version, a fingerprint of its answers and of
its evidence (how many, and the latest change: every save moves `updated_at`, every deletion
moves the count) and the predicates the unit already holds, all read in one fixed statement
on every request (fingerprint), plus what the viewer may edit, the language and the view's
parameters. Any change to what the body shows therefore changes the key; the timeout only bounds
how long unused entries linger.

The answer forms carry a CSRF token, which must never be shared between users: the cached HTML
holds a placeholder that each response replaces with the requester's own token.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

from awards.models import Award

from . import rubric_snapshot
from .models import Answer, Evidence, Predicate


def _placeholder() -> str:
    # Derived from the secret key: the same in every worker, unguessable for whoever types a note.
    digest = hmac.new(settings.SECRET_KEY.encode(), b"lke-csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:32]


class Fingerprint(NamedTuple):
    """What the body's key needs of other tables than the evaluation's own."""

    answers: int
    answers_at: object  # the latest change, as the database returns it
    evidence: int
    evidence_at: object
    held_any: bool  # an earlier award not revoked
    held_wbbm: bool  # ... of which a WBBM

    @property
    def held(self) -> set[str]:
        """The predicates the unit holds from earlier years, as selectors.predicates_held says."""
        # Every award is WBK or WBBM; a WBBM holder also counts as holding WBK.
        return {"WBK", "WBBM"} if self.held_wbbm else {"WBK"} if self.held_any else set()


@functools.cache
def _fingerprint_sql(vendor: str) -> str:
    # One fixed statement, written once: compiled by the ORM, these subqueries cost ~2 ms a view.
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    answers, evidence = table(Answer), table(Evidence)
    earlier = (
        f"SELECT 1 FROM {table(Award)} WHERE {column(Award, 'unit')} = %s"
        f" AND {column(Award, 'year')} < %s AND {column(Award, 'revoked_on')} IS NULL"
    )
    return (
        f"SELECT (SELECT COUNT(*) FROM {answers} WHERE {column(Answer, 'evaluation')} = %s),"
        f" (SELECT MAX({column(Answer, 'updated_at')}) FROM {answers}"
        f" WHERE {column(Answer, 'evaluation')} = %s),"
        f" (SELECT COUNT(*) FROM {evidence} WHERE {column(Evidence, 'evaluation')} = %s),"
        f" (SELECT MAX({column(Evidence, 'updated_at')}) FROM {evidence}"
        f" WHERE {column(Evidence, 'evaluation')} = %s),"
        f" EXISTS({earlier}),"
        f" EXISTS({earlier} AND {column(Award, 'predicate')} = %s)"
    )


def fingerprint(evaluation) -> Fingerprint:
    """Read how many answers and evidence the evaluation has and their latest change (every save
    moves `updated_at`, every deletion the count; removing evidence is a save), and which
    predicates its unit held before its year, in one query."""
    unit, year, pk = evaluation.unit_id, evaluation.year, evaluation.pk
    params = [pk, pk, pk, pk, unit, year, unit, year, Predicate.WBBM]
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor), params)
        return Fingerprint(*cursor.fetchone())


def body_key(*, evaluation, fingerprint: Fingerprint, editable: set, params: dict) -> str:
    parts = [
        evaluation.pk,
        evaluation.status,
        evaluation.rubric_id,
        evaluation.rubric.updated_at.isoformat(),
        tuple(fingerprint),
        sorted(editable),
        translation.get_language(),
        sorted(params.items()),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"lke-body:{evaluation.pk}:{digest}"


def cached_body(request, key: str, render) -> str:
    """Return the body for `key`, rendering it with `render(csrf_token)` when it is not cached."""
    placeholder = _placeholder()
    cache = caches["lke"]
    html = cache.get(key)
    if html is None:
        html = str(render(placeholder))
        cache.set(key, html)
    return mark_safe(html.replace(placeholder, get_token(request)))


def forget_all() -> None:
    """Drop every cached body and rubric snapshot, e.g. so that a test starts cold."""
    rubric_snapshot.forget_all()
    caches["lke"].clear()
