"""The rendered body of the LKE page, cached under a key that names everything it shows.

Rendering 113 questions × 3 levels is most of the page's cost, and the same LKE is opened again
and again between changes. The key holds the evaluation's status and rubric version, a
fingerprint of its answers (how many, and the latest change: every save moves `updated_at`,
every deletion moves the count), its evidence counts and the predicates the unit already holds,
read fresh on every request, plus what the viewer may edit, the language and the view's
parameters. Any change to what the body shows therefore changes the key; the timeout only bounds
how long unused entries linger.

The answer forms carry a CSRF token, which must never be shared between users: the cached HTML
holds a placeholder that each response replaces with the requester's own token.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

from . import rubric_snapshot
from .models import Answer


def _placeholder() -> str:
    # Derived from the secret key: the same in every worker, unguessable for whoever types a note.
    digest = hmac.new(settings.SECRET_KEY.encode(), b"lke-csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:32]


def answers_fingerprint(evaluation) -> tuple:
    """Return what changes whenever any answer of the evaluation is added, changed or deleted."""
    found = Answer.objects.filter(evaluation=evaluation).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return found["count"], found["latest"].isoformat() if found["latest"] else ""


def body_key(*, evaluation, editable: set, evidence_counts: dict, held: set, params: dict) -> str:
    parts = [
        evaluation.pk,
        evaluation.status,
        evaluation.rubric_id,
        evaluation.rubric.updated_at.isoformat(),
        answers_fingerprint(evaluation),
        sorted(evidence_counts.items()),
        sorted(held),
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
