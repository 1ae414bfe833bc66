"""The rendered body of the LKE page, cached under a key that names everything it shows.

Rendering 113 questions × 3 levels is most of the page's cost, and the same LKE is opened again
and again between changes.

The key holds the evaluation's status and rubric version, a fingerprint of its answers and of
its evidence (how many, and the latest change: every save moves `updated_at`, every deletion
moves the count) and the predicates the unit already holds, all read with the evaluation itself
on every request (key_annotations), plus what the viewer may edit, the language and the view's
parameters. Any change to what the body shows therefore changes the key; the timeout only bounds
how long unused entries linger.

The answer forms carry a CSRF token, which must never be shared between users: the cached HTML
holds a placeholder that each response replaces with the requester's own token.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max, OuterRef, Subquery
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import mark_safe

from . import rubric_snapshot, selectors
from .models import Answer, Evidence


def _placeholder() -> str:
    # Derived from the secret key: the same in every worker, unguessable for whoever types a note.
    digest = hmac.new(settings.SECRET_KEY.encode(), b"lke-csrf-placeholder", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:32]


@functools.cache
def key_annotations() -> dict:
    """Annotations of the evaluation's own query holding what body_key reads of other tables.

    Answers and evidence: how many, and the latest change (every save moves `updated_at`, every
    deletion the count; removing evidence is a save). Held predicates: selectors.held_of.
    Built once per process (~0.6 ms a page): annotate() resolves a copy of each expression, and
    they name no value of any request, only the outer evaluation's columns.
    """
    answers = Answer.objects.filter(evaluation=OuterRef("pk")).order_by().values("evaluation")
    evidence = Evidence.objects.filter(evaluation=OuterRef("pk")).order_by().values("evaluation")
    return {
        "key_answers": Subquery(answers.annotate(n=Count("pk")).values("n")),
        "key_answers_at": Subquery(answers.annotate(at=Max("updated_at")).values("at")),
        "key_evidence": Subquery(evidence.annotate(n=Count("pk")).values("n")),
        "key_evidence_at": Subquery(evidence.annotate(at=Max("updated_at")).values("at")),
        **selectors.held_annotations(),
    }


def body_key(*, evaluation, editable: set, params: dict) -> str:
    """Return the body's key; `evaluation` must be read with key_annotations()."""
    parts = [
        evaluation.pk,
        evaluation.status,
        evaluation.rubric_id,
        evaluation.rubric.updated_at.isoformat(),
        (evaluation.key_answers, evaluation.key_answers_at),
        (evaluation.key_evidence, evaluation.key_evidence_at),
        sorted(selectors.held_of(evaluation)),
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
