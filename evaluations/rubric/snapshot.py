"""The parts of a rubric version every LKE page needs, read once per process.

A rubric version is the same for every evaluation that uses it, and it changes rarely: through
`load_rubric` or the admin. Both touch the version's `updated_at` (see `signals`), which is part
of the key here, so a changed rubric is read again on the next request in every process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from evaluations.models import Criterion, Option, RubricVersion, Threshold
from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring


@dataclass(frozen=True)
class RubricSnapshot:
    criteria: list[Criterion]  # in rubric order
    by_id: dict[int, Criterion]
    by_code: dict[str, Criterion]
    children: dict[int, list[Criterion]]  # parent id → children, in rubric order
    options_by_question: dict[int, list[Option]]
    options_by_id: dict[int, Option]
    spec: scoring.RubricSpec
    rules: list[scoring.ThresholdRule]


_lock = threading.Lock()
_snapshots: dict[int, tuple[object, RubricSnapshot]] = {}


def _kept(rubric_id: int, updated_at) -> RubricSnapshot | None:
    """Return the snapshot kept for this version as of `updated_at`, if any."""
    found = _snapshots.get(rubric_id)
    return found[1] if found and found[0] == updated_at else None


def rubric_snapshot(rubric: RubricVersion) -> RubricSnapshot:
    """Return the rubric's criteria, options, scoring spec and rules (three queries when cold)."""
    kept = _kept(rubric.pk, rubric.updated_at)
    if kept:
        return kept
    snapshot = _read(rubric)
    with _lock:
        _snapshots[rubric.pk] = (rubric.updated_at, snapshot)
    return snapshot


def question_count(rubric_id: int, code: str, updated_at) -> int:
    """Return how many questions a version has, from its identity alone (for list rows).

    A list reads these three values with each row; building a RubricVersion per row only to
    find its snapshot cost more than the lookup.
    """
    snapshot = _kept(rubric_id, updated_at) or rubric_snapshot(
        RubricVersion(pk=rubric_id, code=code, updated_at=updated_at)
    )
    return len(snapshot.spec.questions)


def forget_all() -> None:
    """Drop every snapshot (tests start cold so that their query counts do not depend on order)."""
    with _lock:
        _snapshots.clear()


def _read(rubric: RubricVersion) -> RubricSnapshot:
    criteria = list(Criterion.objects.filter(rubric=rubric).order_by("position"))
    options = list(Option.objects.filter(question__rubric=rubric).order_by("question_id", "order"))
    threshold_rows = Threshold.objects.filter(rubric=rubric).values(
        "predicate", "rule", "kind", "target", "minimum", "order", "label_id", "label_en"
    )
    by_id = {c.pk: c for c in criteria}
    children: dict[int, list[Criterion]] = {}
    for c in criteria:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    options_by_question: dict[int, list[Option]] = {}
    for option in options:
        options_by_question.setdefault(option.question_id, []).append(option)
    spec = rubric_files.spec_from_rows(
        rubric.code,
        [
            rubric_files.criterion_row(c, by_id[c.parent_id].code if c.parent_id else "")
            for c in criteria
        ],
        [rubric_files.option_row(o, by_id[o.question_id].code) for o in options],
    )
    return RubricSnapshot(
        criteria=criteria,
        by_id=by_id,
        by_code={c.code: c for c in criteria},
        children=children,
        options_by_question=options_by_question,
        options_by_id={o.pk: o for o in options},
        spec=spec,
        rules=rubric_files.threshold_rules(threshold_rows),
    )
