"""Import one level of a unit's LKE from a workbook: a preview first, then all or nothing.

The preview reads the workbook and compares it with what the portal holds, in memory: nothing is
written, so nothing has to be rolled back. The import does the same under the evaluation's row
lock and writes through `services.answers_save` (validation, history, rescoring), then adds the
workbook's evidence links as link evidence, checked as evidence_add_link checks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from evaluations import selectors, services, workflow
from evaluations.models import Answer, Criterion, Evaluation, Evidence, Level
from evaluations.rubric import scoring
from evaluations.workbook.package import check_file
from evaluations.workbook.problems import Problem, WorkbookInvalid
from evaluations.workbook.reader import ParsedAnswer, ParsedWorkbook, read_workbook

ADDED = "added"
CHANGED = "changed"
CLEARED = "cleared"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """What an import does to one question: added, changed or cleared, field by field."""

    code: str
    kind: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class LinkAdded:
    """An evidence link of the workbook that the portal does not hold yet for that question."""

    code: str
    url: str
    description: str
    row: int


@dataclass
class ImportResult:
    """What an import does (preview) or did: the target, the changes and the totals."""

    unit: object
    year: int
    level: str
    evaluation: Evaluation | None  # None: a preview for a unit that has no LKE for the year yet
    dry_run: bool
    created: bool
    changes: list[Change] = field(default_factory=list)
    links: list[LinkAdded] = field(default_factory=list)
    total_before: Decimal | None = None  # None: the level has no answer yet
    total: Decimal | None = None  # after the import
    complete: bool = False  # after the import: every question answered
    exported: bool = False  # the workbook is the portal's own export (it names its unit)

    @property
    def level_label(self) -> str:
        return str(dict(Level.choices)[self.level])

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes or self.links)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def summary(self) -> str:
        """Say in one sentence how many answers change and how many links are added."""
        text = _("%(added)s added, %(changed)s changed, %(cleared)s cleared.") % {
            "added": len(self.added),
            "changed": len(self.changed),
            "cleared": len(self.cleared),
        }
        if self.links:
            count = len(self.links)
            text += " " + ngettext(
                "%(count)s evidence link added.", "%(count)s evidence links added.", count
            ) % {"count": count}
        return text

    @property
    def added(self) -> list[Change]:
        return self.of_kind(ADDED)

    @property
    def changed(self) -> list[Change]:
        return self.of_kind(CHANGED)

    @property
    def cleared(self) -> list[Change]:
        return self.of_kind(CLEARED)


@dataclass(frozen=True)
class _State:
    """One answer's content, comparable between the database and the workbook."""

    letter: str | None
    number: Decimal | None
    inputs: tuple[tuple[str, Decimal], ...]
    note: str
    note_to_unit: str

    @property
    def empty(self) -> bool:
        return (
            self.letter is None
            and self.number is None
            and not self.inputs
            and not self.note
            and not self.note_to_unit
        )


_EMPTY = _State(None, None, (), "", "")


def _stored_state(answer: Answer | None) -> _State:
    if answer is None:
        return _EMPTY
    inputs = tuple(sorted((code, Decimal(v)) for code, v in (answer.inputs or {}).items()))
    return _State(
        answer.option.letter if answer.option_id else None,
        answer.number,
        inputs,
        answer.note,
        answer.note_to_unit,
    )


def _new_state(parsed: ParsedAnswer | None, old: _State, has_notes, has_to_unit) -> _State:
    if parsed is None:
        # A question the workbook does not hold at all: unanswered; its notes follow the columns.
        return _State(
            None, None, (), "" if has_notes else old.note, "" if has_to_unit else old.note_to_unit
        )
    return _State(
        parsed.letter,
        parsed.number,
        tuple(sorted(parsed.inputs.items())),
        parsed.note if has_notes else old.note,
        parsed.note_to_unit if has_to_unit else old.note_to_unit,
    )


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _field_changes(old: _State, new: _State) -> list[FieldChange]:
    found = []
    old_answer = old.letter if old.letter is not None else old.number
    new_answer = new.letter if new.letter is not None else new.number
    if old_answer != new_answer:
        found.append(FieldChange(_("answer"), _show(old_answer), _show(new_answer)))
    old_inputs, new_inputs = dict(old.inputs), dict(new.inputs)
    for code in sorted(set(old_inputs) | set(new_inputs)):
        if old_inputs.get(code) != new_inputs.get(code):
            found.append(
                FieldChange(code, _show(old_inputs.get(code)), _show(new_inputs.get(code)))
            )
    if old.note != new.note:
        found.append(FieldChange(_("note"), _show(old.note), _show(new.note)))
    if old.note_to_unit != new.note_to_unit:
        found.append(
            FieldChange(_("note to the unit"), _show(old.note_to_unit), _show(new.note_to_unit))
        )
    return found


def _answer_input(question: scoring.CriterionSpec, spec, new: _State) -> services.AnswerInput:
    """Return the AnswerInput that makes the stored answer equal `new` (blank fields cleared)."""
    letter = number = inputs = None
    if question.answer_type in scoring.OPTION_TYPES:
        letter = new.letter or ""
    else:
        number = "" if new.number is None else new.number
    if question.answer_type in scoring.COMPUTED_TYPES:
        values = dict(new.inputs)
        inputs = {
            code: values.get(code)
            for code in spec.children[question.code]
            if spec.criteria[code].kind == scoring.INPUT
        }
    # expected_version=None: the import replaces the level knowingly, as its preview showed.
    return services.AnswerInput(
        question.code,
        letter=letter,
        number=number,
        inputs=inputs,
        note=new.note,
        note_to_unit=new.note_to_unit,
        expected_version=None,
    )


def _scoring_input(states: dict[str, _State]) -> tuple[dict, dict]:
    """Return the answers and inputs of a level's states, shaped for `scoring.score`."""
    answers, inputs = {}, {}
    for code, state in states.items():
        if state.letter is not None:
            answers[code] = state.letter
        elif state.number is not None:
            answers[code] = state.number
        inputs.update(state.inputs)
    return answers, inputs


def _total(value: Fraction) -> Decimal:
    return services.to_decimal(value)


@dataclass
class _Plan:
    """What making the level equal to the workbook takes, worked out without writing."""

    changes: list[Change]
    writes: list[services.AnswerInput]
    before: scoring.Breakdown | None
    after: scoring.Breakdown
    links: list[LinkAdded]


def _plan(*, evaluation, spec, parsed: ParsedWorkbook, level: str) -> _Plan:
    stored: dict[str, Answer] = {}
    if evaluation is not None:
        stored = {
            a.question.code: a
            for a in Answer.objects.filter(evaluation=evaluation, level=level).select_related(
                "question", "option"
            )
        }
    old_states, new_states = {}, {}
    changes, writes = [], []
    for question in spec.questions:
        old = _stored_state(stored.get(question.code))
        new = _new_state(
            parsed.answers.get(question.code), old, parsed.has_notes, parsed.has_notes_to_unit
        )
        old_states[question.code], new_states[question.code] = old, new
        if old == new:
            continue
        kind = ADDED if old.empty else CLEARED if new.empty else CHANGED
        changes.append(Change(question.code, kind, _field_changes(old, new)))
        writes.append(_answer_input(question, spec, new))
    answered_before = any(
        s.letter is not None or s.number is not None or s.inputs for s in old_states.values()
    )
    before = scoring.score(spec, *_scoring_input(old_states)) if answered_before else None
    after = scoring.score(spec, *_scoring_input(new_states))
    return _Plan(changes, writes, before, after, _links_to_add(evaluation, spec, parsed))


def _links_to_add(evaluation, spec, parsed) -> list[LinkAdded]:
    """Return the workbook's links that the question's current evidence lacks (matched by URL).

    Evidence is never removed or replaced by an import: a link or file the workbook does not
    name stays. A removed link counts as absent, as the workbook asks for it again.
    """
    present = set()
    if evaluation is not None:
        present = set(
            Evidence.objects.filter(
                evaluation=evaluation, kind=Evidence.Kind.LINK, is_removed=False
            ).values_list("question__code", "url")
        )
    found = []
    for question in spec.questions:
        answer = parsed.answers.get(question.code)
        for link in answer.links if answer else ():
            if (question.code, link.url) not in present:
                present.add((question.code, link.url))
                found.append(LinkAdded(question.code, link.url, link.description, answer.row))
    return found


def _check_locks(evaluation: Evaluation, level: str, links: list[LinkAdded], sheet: str, by):
    """Raise LevelLocked when the level is closed, WorkbookInvalid when its links may not be added.

    The same rules as a manual change: workflow.level_lock_reason for the answers and
    workflow.evidence_lock_reason (for this user) for the evidence.
    """
    reason = workflow.level_lock_reason(evaluation, level)
    if reason:
        raise services.LevelLocked(reason)
    if links:
        reason = workflow.evidence_lock_reason(evaluation, by)
        if reason:
            raise WorkbookInvalid(Problem(sheet, link.row, link.code, reason) for link in links)


def _read(*, unit, year: int, level: str, file):
    """Return (evaluation or None, rubric, spec, parsed workbook); raise WorkbookInvalid."""
    content = check_file(file)
    evaluation = Evaluation.objects.select_related("rubric").filter(unit=unit, year=year).first()
    rubric = evaluation.rubric if evaluation else selectors.rubric_active()
    if rubric is None:
        raise ValidationError(_("No rubric version is active: load one first."))
    spec = selectors.rubric_spec(rubric=rubric)
    parsed = read_workbook(content, spec=spec, level=level, unit=unit, year=year)
    return evaluation, rubric, spec, parsed


def workbook_preview(*, unit, year: int, level: str, file, by=None) -> ImportResult:
    """Return what importing the workbook would change, computed in memory; write nothing.

    Raises WorkbookInvalid (every problem listed) for a bad workbook and services.LevelLocked
    when the level cannot be answered now, exactly as the import would.
    """
    evaluation, rubric, spec, parsed = _read(unit=unit, year=year, level=level, file=file)
    plan = _plan(evaluation=evaluation, spec=spec, parsed=parsed, level=level)
    # An LKE the import would start is a new draft of the active rubric.
    _check_locks(
        evaluation or Evaluation(unit=unit, year=year, rubric=rubric),
        level,
        plan.links,
        parsed.sheet,
        by,
    )
    return ImportResult(
        unit=unit,
        year=year,
        level=level,
        evaluation=evaluation,
        dry_run=True,
        created=evaluation is None,
        changes=plan.changes,
        links=plan.links,
        total_before=_total(plan.before.total) if plan.before else None,
        total=_total(plan.after.total),
        complete=plan.after.complete,
        exported=parsed.exported is not None,
    )


def workbook_import(
    *, unit, year: int, level: str, file, by=None, dry_run: bool = False
) -> ImportResult:
    """Make one level of a unit's LKE for a year equal to the workbook; return what changed.

    The workbook is the whole answer set of the level: what it holds replaces the portal's, what
    it leaves blank becomes unanswered. Its evidence links that the portal lacks are added as
    link evidence; evidence is never removed. All or nothing: any problem raises WorkbookInvalid
    (every problem listed) and changes nothing; a locked level raises services.LevelLocked.
    Creates the evaluation (active rubric, draft) when the unit has none for that year. With
    `dry_run` nothing is written: it is the preview.
    """
    if dry_run:
        return workbook_preview(unit=unit, year=year, level=level, file=file, by=by)
    with transaction.atomic():
        evaluation, rubric, spec, parsed = _read(unit=unit, year=year, level=level, file=file)
        created = evaluation is None
        if created:
            evaluation = services.evaluation_create(unit=unit, year=year, rubric=rubric, by=by)
        # Lock the row first: the plan compares with answers nobody changes until this commits.
        # Only the evaluation's row (`of`): imports of other LKEs on the same rubric version
        # do not wait for this one.
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("unit", "rubric")
            .get(pk=evaluation.pk)
        )
        plan = _plan(evaluation=evaluation, spec=spec, parsed=parsed, level=level)
        _check_locks(evaluation, level, plan.links, parsed.sheet, by)
        after = plan.after
        if plan.writes:  # a workbook equal to the level changes nothing, not even its version
            try:
                saved = services.answers_save(
                    evaluation=evaluation, level=level, answers=plan.writes, by=by
                )
            except ValidationError as exc:
                # The reader checks what answers_save checks; this is the safety net.
                raise WorkbookInvalid(Problem("", None, "", m) for m in exc.messages) from None
            after = saved.breakdown  # what the level's stored totals now say
        if plan.links:
            _links_add(evaluation=evaluation, links=plan.links, by=by)
            if not plan.writes:
                services.evaluation_content_changed(evaluation=evaluation)
            services.evaluation_evidence_recount(evaluation_id=evaluation.pk)
        return ImportResult(
            unit=unit,
            year=year,
            level=level,
            evaluation=evaluation,
            dry_run=False,
            created=created,
            changes=plan.changes,
            links=plan.links,
            total_before=_total(plan.before.total) if plan.before else None,
            total=_total(after.total),
            complete=after.complete,
            exported=parsed.exported is not None,
        )


def _links_add(*, evaluation: Evaluation, links: list[LinkAdded], by) -> None:
    """Add the links as evidence like a manual edit, or raise WorkbookInvalid naming each row.

    What services.evidence_add_link does for one link (validate the row, save it, record who
    added it in the history), done for all at once: one link at a time costs about ten queries,
    which made a first import with a link on every question take seconds on PostgreSQL.
    """
    question_ids = dict(
        Criterion.objects.filter(
            rubric_id=evaluation.rubric_id,
            kind=Criterion.Kind.QUESTION,
            code__in={link.code for link in links},
        ).values_list("code", "pk")
    )
    rows, problems = [], []
    for link in links:
        evidence = Evidence(
            evaluation=evaluation,
            question_id=question_ids[link.code],  # the reader accepted only this rubric's codes
            kind=Evidence.Kind.LINK,
            url=link.url,
            description=link.description,
            uploaded_by=by,
        )
        try:
            # The field checks of evidence_add_link's full_clean; the foreign keys were just
            # read, and the database enforces the file-or-link constraint.
            evidence.full_clean(
                exclude=["evaluation", "question", "uploaded_by"], validate_constraints=False
            )
        except ValidationError as exc:
            # The reader checks links as Evidence does; this is the safety net.
            problems.extend(Problem("", link.row, link.code, m) for m in exc.messages)
        rows.append(evidence)
    if problems:
        raise WorkbookInvalid(problems)
    bulk_create_with_history(rows, Evidence, default_user=by)
