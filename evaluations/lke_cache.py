"""The rendered body of the LKE page, cached under the evaluation's content version.

Rendering 113 questions × 3 levels is most of the page's cost, and the same LKE is opened again
and again between changes. Every service that changes what the body shows (answers, evidence,
status) moves `Evaluation.content_version` on under the row lock it already takes, so the key
names the content exactly. The rubric's `updated_at` (touched by any edit of its tree or
thresholds) and the predicates the unit held before the year (an award elsewhere changes the WBBM
verdict) complete it; what the viewer may edit and read, the language and the view's parameters
decide the rest. The cache's key prefix carries the release.

The answer forms carry a CSRF token, which must never be shared between users: the cached HTML
holds a placeholder that each response replaces with the requester's own token.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

TIMEOUT = 15 * 60


def _placeholder() -> str:
    # Derived from the secret key: the same in every worker, unguessable for whoever types a note.
    digest = hmac.new(settings.SECRET_KEY.encode(), b"lke-csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:32]


def body_key(*, evaluation, held: set, editable: set, reviewer: bool, params: dict) -> str:
    """Return the key of the body that `evaluation` shows to a viewer with these rights
    (`reviewer`: one who reads the TPI's internal notes)."""
    parts = [
        reviewer,
        evaluation.status,
        evaluation.rubric_id,
        evaluation.rubric.updated_at.isoformat(),
        sorted(held),
        sorted(editable),
        translation.get_language(),
        sorted(params.items()),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"lke:{evaluation.pk}:{evaluation.content_version}:{digest}"


def cached_body(request, key: str, render) -> str:
    """Return the body for `key`, rendering it with `render(csrf_token)` when it is not cached."""
    placeholder = _placeholder()
    html = cache.get(key)
    if html is None:
        html = str(render(placeholder))
        cache.set(key, html, TIMEOUT)
    return mark_safe(html.replace(placeholder, get_token(request)))
