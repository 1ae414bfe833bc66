"""Writes for the evaluations app: loading a rubric, saving answers, keeping totals in step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring
from evaluations.rubric import snapshot as rubric_snapshot
from evaluations.rubric.files import RubricInvalid
from units.models import Unit
from units.signals import figures_moved
from zi_portal import uploads

from . import numbers, selectors, signals, workflow
from .models import (
    Answer,
    Criterion,
    Evaluation,
    EvaluationScore,
    Evidence,
    EvidenceRevision,
    Level,
    Option,
    RubricVersion,
    Threshold,
)

_PLACES = Decimal("1e-10")
# The criteria whose scores threshold rules name (A, B.I, B.I.a, ...): stored as `parts`.
_PART_KINDS = frozenset({scoring.COMPONENT, scoring.SUBCOMPONENT, scoring.QUESTION})


def to_decimal(value: Fraction) -> Decimal:
    """Return a Fraction as a Decimal with ten places, for storage."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_PLACES)


# --- Rubric -----------------------------------------------------------------------------------


def rubric_load(*, folder: Path, activate: bool = True) -> RubricVersion:
    """Load (or refresh) a rubric version from its folder; refuse a broken one, changing nothing.

    Every file is checked before the database is touched; loading the same folder twice changes
    nothing the second time.
    """
    data = rubric_files.read_rubric(folder)
    before = _scoring_signature(code=data.code)
    rubric = _rubric_store(data=data, activate=activate)
    if before is not None and before != _scoring_signature(code=data.code):
        # A command, not a request: the evaluations on the version are rescored right away.
        rubric_rescore(rubric_id=rubric.pk)
    return rubric


def _scoring_signature(*, code: str):
    """Return what a rubric version's scores depend on (weights, options, formulas, rules), to
    notice a load that changes them; None when no such version is stored yet."""
    rubric = RubricVersion.objects.filter(code=code).first()
    if rubric is None:
        return None
    try:
        spec = selectors.rubric_spec(rubric=rubric)
    except ValueError:
        return ()  # a broken tree in the database: whatever comes next differs from it
    criteria = tuple(
        (c.code, c.kind, c.parent, c.weight, c.answer_type, c.formula, c.excel_formula)
        + tuple(c.options.items())
        for c in spec.criteria.values()
    )
    rules = tuple(
        (r.predicate, r.kind, r.target, r.minimum) for r in selectors.threshold_rules(rubric=rubric)
    )
    return criteria, rules


@transaction.atomic
def _rubric_store(*, data: rubric_files.RubricData, activate: bool) -> RubricVersion:
    values = {"regulation": data.regulation, **data.numbers}
    rubric, _created = RubricVersion.objects.get_or_create(code=data.code, defaults=values)
    if _sync(rubric, values):
        rubric.save(update_fields=[*values, "updated_at"])
    if activate and not rubric.is_active:
        RubricVersion.objects.filter(is_active=True).update(is_active=False)
        rubric.is_active = True
        rubric.save(update_fields=["is_active", "updated_at"])

    saved = _load_criteria(rubric, data)
    _load_options(saved, data.options)
    _load_thresholds(rubric, data.thresholds)
    return rubric


def _sync(obj, values: Mapping) -> bool:
    """Set the fields that differ; return True when something changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _load_criteria(rubric: RubricVersion, data: rubric_files.RubricData) -> dict[str, Criterion]:
    existing = {c.code: c for c in Criterion.objects.filter(rubric=rubric)}
    rows = {row["code"]: row for row in data.criteria}
    saved: dict[str, Criterion] = {}
    depth: dict[str, int] = {}
    # The spec lists the tree parents first, so each parent is saved before its children.
    for position, code in enumerate(data.spec.criteria, start=1):
        row = rows[code]
        parent = saved.get(row["parent"]) if row["parent"] else None
        depth[code] = depth[row["parent"]] + 1 if parent else 0
        values = {
            "parent": parent,
            "kind": row["kind"],
            "order": row["order"],
            "position": position,
            "depth": depth[code],
            "weight": row["weight"],
            "answer_type": row["answer_type"],
            "formula": row["formula"],
            "excel_formula": row["excel_formula"],
            "label_id": row["label_id"],
            "label_en": row["label_en"],
            "guidance_id": row["guidance_id"],
            "guidance_en": row["guidance_en"],
        }
        criterion = existing.pop(code, None)
        if criterion is None:
            criterion = Criterion(rubric=rubric, code=code, **values)
            criterion.save()
        elif _sync(criterion, values):
            criterion.save()
        saved[code] = criterion
    if existing:
        try:
            # Children first, so that no cascade hides a protected answer.
            for criterion in sorted(existing.values(), key=lambda c: -c.depth):
                criterion.delete()
        except ProtectedError:
            raise RubricInvalid(
                [
                    _("%(code)s is no longer in the rubric but evaluations answer it.")
                    % {"code": criterion.code}
                ]
            ) from None
    return saved


def _load_options(saved: dict[str, Criterion], rows: list[dict]) -> None:
    question_ids = [c.pk for c in saved.values() if c.kind == Criterion.Kind.QUESTION]
    existing = {
        (o.question_id, o.letter): o for o in Option.objects.filter(question_id__in=question_ids)
    }
    new = []
    for row in rows:
        question = saved[row["question"]]
        values = {
            "value": row["value"],
            "order": row["order"],
            "description_id": row["description_id"],
            "description_en": row["description_en"],
        }
        option = existing.pop((question.pk, row["letter"]), None)
        if option is None:
            new.append(Option(question=question, letter=row["letter"], **values))
        elif _sync(option, values):
            option.save()
    Option.objects.bulk_create(new)
    if new:
        # bulk_create sends no post_save: touch the rubric as the signals would.
        signals.touch_rubric(question.rubric_id)
    if existing:
        try:
            Option.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
        except ProtectedError:
            raise RubricInvalid(
                [_("An option that evaluations have chosen can no longer be removed.")]
            ) from None


def _load_thresholds(rubric: RubricVersion, rows: list[dict]) -> None:
    existing = {(t.predicate, t.rule): t for t in Threshold.objects.filter(rubric=rubric)}
    for row in rows:
        values = {k: row[k] for k in ("kind", "target", "minimum", "order", "label_id", "label_en")}
        threshold = existing.pop((row["predicate"], row["rule"]), None)
        if threshold is None:
            Threshold.objects.create(
                rubric=rubric, predicate=row["predicate"], rule=row["rule"], **values
            )
        elif _sync(threshold, values):
            threshold.save()
    Threshold.objects.filter(pk__in=[t.pk for t in existing.values()]).delete()


# --- Evaluations and answers ------------------------------------------------------------------


class AnswerConflict(Exception):
    """Someone saved this answer since the editor loaded it; `answer` is what is stored now."""

    def __init__(self, answer: Answer | None, *, code: str):
        self.answer = answer  # None: the editor saw an answer that is no longer stored
        self.message = _(
            "%(code)s was changed by someone else in the meantime. Check their answer and save "
            "again."
        ) % {"code": code}
        super().__init__(self.message)


class LevelLocked(Exception):
    """The workflow no longer (or not yet) lets anyone answer this level; `message` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class AnswerInput:
    """What an editor submits for one question at one level.

    `letter` for option questions; `number` for a survey index, or the value (0–1) an evaluator
    gives a percentage that cannot be computed; `inputs` for the numbers of a computed question.
    `expected_version` is the answer version the editor saw (0: none yet; None: do not check).
    A field left as None keeps what is stored.
    """

    question: str
    letter: str | None = None
    number: Decimal | str | None = None
    inputs: Mapping[str, Decimal | str | int] | None = None
    note: str | None = None
    note_to_unit: str | None = None
    expected_version: int | None = None


@transaction.atomic
def evaluation_create(
    *, unit, year: int, rubric: RubricVersion | None = None, by=None
) -> Evaluation:
    """Start a unit's LKE for a year on the given (default: the active) rubric version."""
    rubric = rubric or selectors.rubric_active()
    if rubric is None:
        raise ValidationError(_("No rubric version is active: load one first."))
    evaluation = Evaluation(unit=unit, year=year, rubric=rubric)
    evaluation.full_clean()
    if by is not None:
        evaluation._history_user = by  # the history says who started it
    evaluation.save()
    figures_moved.send(Evaluation, agency_ids=[evaluation.agency_id], years=[year])
    return evaluation


@dataclass(frozen=True)
class LevelSaved:
    """What answers_save wrote, and the level's fresh score it stored from them.

    `breakdown` and `result` are exactly what a rescoring of the stored answers gives; the LKE
    page's answer fragment shows them instead of scoring the level again.
    """

    answers: list[Answer]
    breakdown: scoring.Breakdown
    result: scoring.PredicateResult


@transaction.atomic
def answers_save(
    *,
    evaluation: Evaluation,
    level: str,
    answers: Iterable[AnswerInput],
    by=None,
) -> LevelSaved:
    """Save answers of one level, refusing stale ones, then store the level's totals.

    `evaluation` is read again under its row lock: afterwards it holds the current status and
    content version (and the rubric version as it is now).
    """
    # Every writer of answers takes this lock first, so the answers read below stay as they are
    # until this commits, and concurrent saves apply (and rescore) one after the other. `of`
    # keeps the unit, agency and rubric version rows unlocked: saves elsewhere do not wait.
    evaluation.refresh_from_db(
        from_queryset=Evaluation.objects.select_for_update(of=("self",)).select_related(
            "unit__agency", "rubric"
        )
    )
    # Checked under the lock: a submission that lands first freezes the level for this save.
    reason = workflow.level_lock_reason(evaluation, level)
    if reason:
        raise LevelLocked(reason)
    rubric = rubric_snapshot.rubric_snapshot(evaluation.rubric)
    # The whole level, read once: the submitted answers' rows and, with them, the level's score.
    level_answers = {
        a.question_id: a for a in Answer.objects.filter(evaluation=evaluation, level=level)
    }
    saved: dict[str, Answer] = {}
    for submitted in answers:
        question = rubric.by_code.get(submitted.question)
        if question is None or question.kind != Criterion.Kind.QUESTION:
            raise ValidationError(
                _("%(code)s is not a question of this rubric.") % {"code": submitted.question}
            )
        answer = level_answers.get(question.pk)
        current_version = answer.version if answer else 0
        if submitted.expected_version is not None and submitted.expected_version != current_version:
            raise AnswerConflict(answer, code=question.code)
        if answer is None:
            answer = Answer(evaluation=evaluation, question=question, level=level, version=0)
        _apply(
            answer,
            question,
            submitted,
            rubric.spec.criteria[question.code],
            options=rubric.options_by_question.get(question.pk, []),
            inputs=rubric.children.get(question.pk, []),
        )
        answer.version += 1
        answer.updated_by = by
        level_answers[question.pk] = answer  # a later entry for the same question updates it
        saved[question.code] = answer
    # Scored before anything is written: answers that cannot be scored change nothing.
    breakdown = scoring.score(rubric.spec, *_scoring_input(level_answers.values(), rubric))
    held = selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year)
    result = scoring.predicate(breakdown, rubric.rules, held)
    _write_answers(list(saved.values()), by)
    evaluation_content_changed(evaluation=evaluation, evidence_recount=True)
    _level_score_store(evaluation=evaluation, level=level, breakdown=breakdown, result=result)
    return LevelSaved(answers=list(saved.values()), breakdown=breakdown, result=result)


def _scoring_input(answers: Iterable[Answer], rubric) -> tuple[dict, dict]:
    """Return answers held in memory shaped for `scoring.score`, as they read once stored."""
    plain: dict = {}
    inputs: dict = {}
    for answer in answers:
        letter = rubric.options_by_id[answer.option_id].letter if answer.option_id else None
        code = rubric.by_id[answer.question_id].code
        selectors.add_scoring_row(plain, inputs, (code, letter, answer.number, answer.inputs))
    return plain, inputs


def _level_score_store(
    *,
    evaluation: Evaluation,
    level: str,
    breakdown: scoring.Breakdown,
    result: scoring.PredicateResult,
) -> None:
    """Store one level's totals and verdict (under the evaluation's row lock)."""
    fields = score_fields(breakdown, result)
    stored = EvaluationScore.objects.filter(evaluation=evaluation, level=level)
    if not stored.update(**fields, updated_at=timezone.now()):
        EvaluationScore.objects.create(evaluation=evaluation, level=level, **fields)


ANSWER_FIELDS = ["option", "number", "inputs", "note", "note_to_unit", "version", "updated_by"]


def _write_answers(answers: list[Answer], by) -> None:
    """Insert the new answers and update the others, with their history, in a few statements.

    A workbook import saves a whole level at once; one UPDATE and one history INSERT per answer
    made that most of its time. One answer (the LKE page's autosave) is a plain save, its history
    row written by simple-history's signal: bulk_update's CASE expressions for a single row cost
    four times as much.
    """
    if len(answers) == 1:
        (answer,) = answers
        answer.save(update_fields=None if answer.pk is None else [*ANSWER_FIELDS, "updated_at"])
        return
    new = [a for a in answers if a.pk is None]
    changed = [a for a in answers if a.pk is not None]
    if new:
        bulk_create_with_history(new, Answer, default_user=by)
    if changed:
        now = timezone.now()
        for answer in changed:
            answer.updated_at = now  # bulk_update does not apply auto_now
        bulk_update_with_history(
            changed, Answer, [*ANSWER_FIELDS, "updated_at"], default_user=by, default_date=now
        )


def _apply(
    answer: Answer,
    question: Criterion,
    submitted: AnswerInput,
    spec: scoring.CriterionSpec,
    *,
    options: list[Option],
    inputs: list[Criterion],
) -> None:
    """Validate one submitted answer against its question (its `options` and numeric `inputs`,
    from the rubric snapshot) and copy it onto the row."""
    answer_type = question.answer_type
    if submitted.letter is not None:
        if answer_type not in scoring.OPTION_TYPES:
            raise ValidationError(
                _("%(code)s is not answered with a letter.") % {"code": question.code}
            )
        if submitted.letter == "":
            answer.option = None
        else:
            option = next((o for o in options if o.letter == submitted.letter), None)
            if option is None:
                raise ValidationError(
                    _("%(letter)s is not an option of %(code)s.")
                    % {"letter": submitted.letter, "code": question.code}
                )
            answer.option = option
    # The inputs first: whether an evaluator may give a percent a value depends on them.
    if submitted.inputs is not None:
        if answer_type not in scoring.COMPUTED_TYPES:
            raise ValidationError(_("%(code)s has no numeric inputs.") % {"code": question.code})
        allowed = {c.code for c in inputs}
        cleaned = dict(answer.inputs or {})
        for code, raw in submitted.inputs.items():
            if code not in allowed:
                raise ValidationError(
                    _("%(input)s is not an input of %(code)s.")
                    % {"input": code, "code": question.code}
                )
            if raw is None or raw == "":
                cleaned.pop(code, None)
                continue
            cleaned[code] = str(_in_context(code, numbers.count, raw))
        answer.inputs = cleaned
    if answer_type in scoring.COMPUTED_TYPES:
        _apply_given_value(answer, question, submitted.number, spec)
    elif submitted.number is not None:
        answer.number = _number(submitted.number, question) if submitted.number != "" else None
    if submitted.note is not None:
        answer.note = _text(submitted.note)
    if submitted.note_to_unit is not None:
        answer.note_to_unit = _text(submitted.note_to_unit)


def _apply_given_value(answer: Answer, question: Criterion, raw, spec) -> None:
    """Take an evaluator's own value for a percent only where its numbers cannot give one.

    That is where the answer form offers the field (a denominator of 0); everywhere else the
    value is refused, so that an import cannot put one where the form would not. A stored value
    that its numbers have overtaken is dropped: it no longer counts.
    """
    try:
        state = scoring.inputs_state(spec, answer.inputs or {})
    except ValueError:
        state = scoring.UNANSWERED  # stored inputs from before they were checked
    if raw is not None and raw != "":
        value = _in_context(question.code, numbers.fraction, raw)
        if state == scoring.NOT_COMPUTABLE:
            answer.number = value
            return
        if answer.number is None or value != answer.number:
            raise ValidationError(
                _(
                    "%(code)s takes a value of its own only when its numbers cannot give one "
                    "(a denominator of 0); enter its numbers instead."
                )
                % {"code": question.code}
            )
    elif raw == "":
        answer.number = None
    if state != scoring.NOT_COMPUTABLE:
        answer.number = None


def _text(value: str) -> str:
    """Return free text as typed; refuse a NUL character, which PostgreSQL cannot store."""
    ProhibitNullCharactersValidator()(value)
    return value


def _number(raw, question: Criterion) -> Decimal:
    if question.answer_type == scoring.SURVEY:
        maximum = scoring.parse_formula(question.formula).params["max"]
        return _in_context(question.code, numbers.survey, raw, Decimal(str(maximum)))
    raise ValidationError(_("%(code)s is not answered with a number.") % {"code": question.code})


def _in_context(code: str, read, raw, *args):
    """Read a typed number (evaluations.numbers, as the import does), naming the question or
    input in the message when it is refused."""
    try:
        return read(raw, *args)
    except numbers.InvalidValue as exc:
        raise ValidationError(
            _("%(code)s: %(problem)s") % {"code": code, "problem": exc.message}
        ) from None


def score_fields(breakdown: scoring.Breakdown, result: scoring.PredicateResult) -> dict:
    """Return the stored-total fields of an EvaluationScore for one scored level.

    Shared by rescoring and the bulk demo loader, so that both store exactly the same figures.
    """
    return {
        "total": to_decimal(breakdown.total),
        "pengungkit": to_decimal(breakdown.pengungkit),
        "pemenuhan": to_decimal(breakdown.pemenuhan),
        "reform": to_decimal(breakdown.reform),
        "hasil": to_decimal(breakdown.hasil),
        "areas": {
            key: {
                "pemenuhan": float(area.pemenuhan),
                "reform": float(area.reform),
                "total": float(area.total),
                "weight": float(area.weight),
                "share": float(area.share),
            }
            for key, area in breakdown.areas.items()
        },
        # Scores of components, subcomponents and weighted (hasil) lines, for dashboards.
        "parts": {
            code: float(value)
            for code, value in breakdown.scores.items()
            if breakdown.rubric.criteria[code].kind in _PART_KINDS
        },
        "verdict": result.verdict or "",
        "answered": breakdown.answered,
        "question_count": breakdown.question_count,
        "complete": breakdown.complete,
    }


# --- Keeping stored totals current ------------------------------------------------------------
# Answers are rescored as they are saved (answers_save). Everything else that moves a score or a
# verdict rescores what it touches here: an award or its revocation (unit_verdicts_rescore, in
# its transaction), a rubric edit (rubric_rescore_after_commit, a background job: tens of
# thousands of evaluations), a rubric reload (rubric_load). The check_scores command finds and
# repairs any stored total that still differs from a fresh score.

RESCORE_BATCH = 200  # evaluations a batch locks and rescores in one transaction


@dataclass(frozen=True)
class StaleScore:
    """One level whose stored figures differ from a fresh score, or that cannot be scored.

    `stored` is None when the level has answers but no stored row; `fresh` is None (and
    `problem` says why) when its answers cannot be scored.
    """

    evaluation: Evaluation
    level: str
    stored: EvaluationScore | None
    fresh: dict | None
    problem: str = ""


def stale_scores(*, evaluation_ids: Iterable[int]) -> list[StaleScore]:
    """Score every level of these evaluations afresh; return those whose stored figures differ.

    A level counts when it has answers or a stored row. Four queries, whatever the number of
    evaluations (the rubric snapshot aside).
    """
    evaluations = list(
        Evaluation.objects.filter(pk__in=list(evaluation_ids))
        .select_related("unit", "rubric")
        .order_by("pk")
    )
    ids = [e.pk for e in evaluations]
    shaped: dict[tuple[int, str], tuple[dict, dict]] = {}
    rows = Answer.objects.filter(evaluation_id__in=ids).values_list(
        "evaluation_id", "level", *selectors.SCORING_COLUMNS
    )
    for evaluation_id, level, *row in rows:
        answers, inputs = shaped.setdefault((evaluation_id, level), ({}, {}))
        selectors.add_scoring_row(answers, inputs, row)
    stored = {
        (s.evaluation_id, s.level): s for s in EvaluationScore.objects.filter(evaluation_id__in=ids)
    }
    held = selectors.predicates_held_for(evaluations=evaluations)
    found = []
    for evaluation in evaluations:
        spec = selectors.rubric_spec(rubric=evaluation.rubric)
        rules = selectors.threshold_rules(rubric=evaluation.rubric)
        for level in Level.values:
            key = (evaluation.pk, level)
            if key not in shaped and key not in stored:
                continue
            row = stored.get(key)
            try:
                breakdown = scoring.score(spec, *shaped.get(key, ({}, {})))
            except ValueError as exc:
                found.append(StaleScore(evaluation, level, row, None, str(exc)))
                continue
            fresh = score_fields(
                breakdown, scoring.predicate(breakdown, rules, held[evaluation.pk])
            )
            if row is None or any(getattr(row, name) != value for name, value in fresh.items()):
                found.append(StaleScore(evaluation, level, row, fresh))
    return found


def stale_scores_store(stale: Iterable[StaleScore]) -> int:
    """Store the fresh figures of each stale level; return how many rows were written.

    Levels whose answers cannot be scored are left as they are (the check command names them).
    Call it inside the transaction that locked the evaluations.
    """
    now = timezone.now()
    new, changed, fields = [], [], set()
    for item in stale:
        if item.fresh is None:
            continue
        fields.update(item.fresh)
        if item.stored is None:
            new.append(EvaluationScore(evaluation=item.evaluation, level=item.level, **item.fresh))
            continue
        for name, value in item.fresh.items():
            setattr(item.stored, name, value)
        item.stored.updated_at = now  # bulk_update does not apply auto_now
        changed.append(item.stored)
    EvaluationScore.objects.bulk_create(new)
    if changed:
        EvaluationScore.objects.bulk_update(changed, [*sorted(fields), "updated_at"])
    return len(new) + len(changed)


def scores_check(
    *,
    evaluation_ids: Iterable[int],
    repair: bool,
    batch_size: int = RESCORE_BATCH,
    progress=None,
) -> Iterator[StaleScore]:
    """Compare stored totals with fresh scores batch by batch; yield each level that differs.

    With `repair`, each batch locks its evaluations (so that answers saved meanwhile wait, then
    rescore on top) and stores the fresh figures in its own transaction. `progress(done, total)`
    is called after each batch.
    """
    ids = list(evaluation_ids)
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            if repair:
                list(
                    Evaluation.objects.select_for_update()
                    .filter(pk__in=chunk)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
            stale = stale_scores(evaluation_ids=chunk)
            if repair:
                stale_scores_store(stale)
        if progress is not None:
            progress(start + len(chunk), len(ids))
        yield from stale


@transaction.atomic
def unit_verdicts_rescore(*, unit_id: int, after_year: int) -> int:
    """Rescore the unit's evaluations of years after `after_year`; return the rows rewritten.

    An award of `after_year`, or its revocation, moves their WBBM verdict (a WBBM needs a WBK
    held from an earlier year). Runs in the caller's transaction, so the verdicts change with
    the award; it locks the evaluations, so that an answer saved meanwhile rescores after it.
    """
    ids = list(
        Evaluation.objects.select_for_update()
        .filter(unit_id=unit_id, year__gt=after_year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # An award counts in the figures of every year: the predicates per year.
    agency_ids = list(Unit.objects.filter(pk=unit_id).values_list("agency_id", flat=True))
    figures_moved.send(Unit, agency_ids=agency_ids, years=None)
    return stale_scores_store(stale_scores(evaluation_ids=ids)) if ids else 0


def rubric_rescore(*, rubric_id: int, batch_size: int = RESCORE_BATCH) -> int:
    """Rescore every evaluation on a rubric version, batch by batch; return the rows rewritten.

    Progress is kept in the cache for the admin (`rescoring_progress`).
    """
    ids = Evaluation.objects.filter(rubric_id=rubric_id).order_by("pk").values_list("pk", flat=True)
    key = _progress_key(rubric_id)

    def progress(done, total):
        cache.set(key, (done, total), timeout=15 * 60)

    try:
        stale = scores_check(
            evaluation_ids=ids, repair=True, batch_size=batch_size, progress=progress
        )
        return sum(1 for item in stale if item.fresh is not None)
    finally:
        cache.delete(key)


def rescoring_progress(*, rubric_id: int) -> tuple[int, int] | None:
    """Return (done, total) evaluations while a rubric version is being rescored, else None."""
    return cache.get(_progress_key(rubric_id))


def _progress_key(rubric_id: int) -> str:
    return f"rescoring:rubric:{rubric_id}"


def rubric_rescore_after_commit(*, rubric_id: int) -> int:
    """Queue the rescoring of every evaluation on a rubric version for when this transaction
    commits; return how many evaluations that is.

    A rubric edit (a threshold, an option's value, a weight) can move the totals and verdicts of
    ~20,000 evaluations a version, about a minute of work: too long for the admin's request and
    its transaction. A background job (`tasks.rubric_rescore`) rescores them batch by batch after
    the edit commits, each batch locking its evaluations; without a broker it runs in this
    process as the transaction commits. Should the job never run or stop midway,
    `manage.py check_scores --repair` finishes the work.
    """
    count = Evaluation.objects.filter(rubric_id=rubric_id).count()
    if count:
        from . import tasks  # the tasks module imports this one

        # Robust: a broker that cannot be reached is logged; the edit has committed already.
        transaction.on_commit(lambda: tasks.rubric_rescore.delay(rubric_id), robust=True)
    return count


# --- Evidence (bukti dukung) --------------------------------------------------------------------


def _evidence_question(evaluation: Evaluation, code: str) -> Criterion:
    question = selectors.evaluation_question(evaluation=evaluation, code=code)
    if question is None:
        raise ValidationError(_("%(code)s is not a question of this rubric.") % {"code": code})
    return question


def _lock_for_evidence_change(evaluation_id: int, by) -> Evaluation:
    """Lock the evaluation row for a change of its evidence, which moves its content version.

    Refuses with LevelLocked when the workflow freezes its evidence. Under the row lock, so that
    evidence racing a status change lands before it or is refused, exactly like answers.
    """
    locked = Evaluation.objects.select_for_update().select_related("unit").get(pk=evaluation_id)
    reason = workflow.evidence_lock_reason(locked, by)
    if reason:
        raise LevelLocked(reason)
    evaluation_content_changed(evaluation=locked)
    return locked


def evaluation_evidence_recount(*, evaluation_id: int) -> None:
    """Count again the evaluation's answered questions without evidence (one statement).

    Called by every service that changes answers or evidence, inside its transaction.
    """
    Evaluation.objects.filter(pk=evaluation_id).update(
        evidence_missing=selectors.evidence_missing_count()
    )


def evaluation_content_changed(*, evaluation: Evaluation, evidence_recount: bool = False) -> None:
    """Move the evaluation's content version on: a rendered LKE of the old content is not reused.

    Call it under the row lock, inside the transaction of the change. A queryset update: no
    history row of the evaluation for what is an answer or evidence change. With
    `evidence_recount`, the same statement counts again its answered questions without evidence
    (what evaluation_evidence_recount does).
    """
    values = {"content_version": F("content_version") + 1}
    if evidence_recount:
        values["evidence_missing"] = selectors.evidence_missing_count()
    Evaluation.objects.filter(pk=evaluation.pk).update(**values)
    evaluation.content_version += 1
    figures_moved.send(Evaluation, agency_ids=[evaluation.agency_id], years=[evaluation.year])


def _revision_add(*, evidence: Evidence, checked: uploads.CheckedUpload, stored: str, by):
    """Record a stored file as the evidence's newest revision and mirror it on the evidence."""
    last = evidence.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    EvidenceRevision.objects.create(
        evidence=evidence,
        number=last + 1,
        file=stored,
        original_filename=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        content_type=checked.content_type,
        uploaded_by=by,
    )


def _with_stored_file(upload, checked: uploads.CheckedUpload, *, evaluation_id: int, by, write):
    """Store the file, then run `write(stored_name)`; remove the file again if writing fails.

    The workflow lock is checked first, so that a refused change stores no file at all.
    """
    with uploads.storing() as store, transaction.atomic():
        _lock_for_evidence_change(evaluation_id, by)
        return write(store(upload, checked, folder=f"evidence/{evaluation_id}"))


def evidence_add_file(
    *, evaluation: Evaluation, question_code: str, upload, description: str = "", by
) -> Evidence:
    """Store an uploaded file as evidence for one question; refuse a bad file, storing nothing.

    Raises LevelLocked when the workflow no longer lets `by` change this evaluation's evidence.
    """
    question = _evidence_question(evaluation, question_code)
    checked = uploads.validate_upload(upload)

    def write(stored: str) -> Evidence:
        evidence = Evidence(
            evaluation=evaluation,
            question=question,
            kind=Evidence.Kind.FILE,
            description=description.strip(),
            file=stored,
            original_filename=checked.name,
            size=checked.size,
            sha256=checked.sha256,
            content_type=checked.content_type,
            uploaded_by=by,
        )
        evidence.full_clean()
        evidence._history_user = by
        evidence.save()
        _revision_add(evidence=evidence, checked=checked, stored=stored, by=by)
        evaluation_evidence_recount(evaluation_id=evaluation.pk)
        return evidence

    return _with_stored_file(upload, checked, evaluation_id=evaluation.pk, by=by, write=write)


@transaction.atomic
def evidence_add_link(
    *, evaluation: Evaluation, question_code: str, url: str, description: str = "", by
) -> Evidence:
    """Add a web link (http or https) as evidence for one question; LevelLocked when frozen."""
    question = _evidence_question(evaluation, question_code)
    _lock_for_evidence_change(evaluation.pk, by)
    evidence = Evidence(
        evaluation=evaluation,
        question=question,
        kind=Evidence.Kind.LINK,
        url=url.strip(),
        description=description.strip(),
        uploaded_by=by,
    )
    evidence.full_clean()
    evidence._history_user = by
    try:
        # A savepoint: a link added meanwhile by someone else leaves this transaction usable.
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        raise ValidationError(_("This link is already evidence for this question.")) from None
    evaluation_evidence_recount(evaluation_id=evaluation.pk)
    return evidence


def evidence_replace(*, evidence: Evidence, upload, by) -> Evidence:
    """Put a new version of an evidence file in place; every older version is kept.

    Raises LevelLocked when the workflow no longer lets `by` change this evaluation's evidence.
    """
    if evidence.kind != Evidence.Kind.FILE or evidence.is_removed:
        raise ValidationError(_("Only a current file can be replaced."))
    checked = uploads.validate_upload(upload)

    def write(stored: str) -> Evidence:
        # Lock the row so that two replacements get distinct revision numbers.
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        _revision_add(evidence=locked, checked=checked, stored=stored, by=by)
        locked.file = stored
        locked.original_filename = checked.name
        locked.size = checked.size
        locked.sha256 = checked.sha256
        locked.content_type = checked.content_type
        locked.uploaded_by = by
        locked._history_user = by
        locked.save()
        return locked

    return _with_stored_file(
        upload, checked, evaluation_id=evidence.evaluation_id, by=by, write=write
    )


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> Evidence:
    """Mark evidence as removed; its files and history stay (nothing is lost).

    Raises LevelLocked when the workflow no longer lets `by` change this evaluation's evidence.
    """
    _lock_for_evidence_change(evidence.evaluation_id, by)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_removed:
        return evidence
    evidence.is_removed = True
    evidence.removed_by = by
    evidence.removed_at = timezone.now()
    evidence._history_user = by
    evidence.save()
    evaluation_evidence_recount(evaluation_id=evidence.evaluation_id)
    return evidence


# --- Starting evaluations in bulk -------------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    created: list[Evaluation]
    skipped: list  # units that already have an evaluation for the year


@transaction.atomic
def evaluations_start(*, units: Iterable, year: int, by) -> StartResult:
    """Start the year's LKE for several units at once; skip units that already have one.

    All or nothing: if any evaluation cannot be created, none is.
    """
    units = list({unit.pk: unit for unit in units}.values())  # a unit listed twice counts once
    existing = set(
        Evaluation.objects.filter(unit__in=[u.pk for u in units], year=year).values_list(
            "unit_id", flat=True
        )
    )
    rubric = selectors.rubric_active()
    created, skipped = [], []
    for unit in units:
        if unit.pk in existing:
            skipped.append(unit)
            continue
        created.append(evaluation_create(unit=unit, year=year, rubric=rubric, by=by))
    return StartResult(created=created, skipped=skipped)
