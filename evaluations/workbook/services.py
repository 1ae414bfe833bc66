"""Write one level's answers from an official LKE workbook: all or nothing, through answers_save.

The workbook's evidence links are added as link evidence in the same transaction, checked as
evidence_add_link checks them and recorded in the history like links added by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from evaluations import selectors, services, workflow
from evaluations.models import Answer, Criterion, Evaluation, Evidence
from evaluations.rubric import scoring
from evaluations.workbook.reader import (
    ParsedAnswer,
    Problem,
    WorkbookInvalid,
    check_file,
    read_workbook,
)

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
    evaluation: Evaluation | None
    level: str
    dry_run: bool
    created: bool
    changes: list[Change] = field(default_factory=list)
    total: Decimal | None = None
    links: list[LinkAdded] = field(default_factory=list)

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


def _stored_state(answer: Answer | None) -> _State:
    if answer is None:
        return _State(None, None, (), "", "")
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


def _codes_elsewhere(rubric_id: int):
    def lookup(codes: set[str]) -> dict[str, str]:
        return dict(
            Criterion.objects.filter(code__in=codes)
            .exclude(rubric_id=rubric_id)
            .values_list("code", "rubric__code")
        )

    return lookup


def _links_to_add(evaluation: Evaluation, spec, parsed) -> list[LinkAdded]:
    """Return the workbook's links that the question's current evidence lacks (matched by URL).

    Evidence is never removed or replaced by an import: a link or file the workbook does not
    name stays. A removed link counts as absent, as the workbook asks for it again.
    """
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


def _links_add(*, evaluation: Evaluation, links: list[LinkAdded], sheet: str, by) -> None:
    """Add the links as evidence like a manual edit, or raise WorkbookInvalid naming each row.

    What services.evidence_add_link does for one link (validate the row, save it, record who
    added it in the history), done for all at once: one link at a time costs about ten queries,
    which made a first import with a link on every question take seconds on PostgreSQL.
    """
    if not links:
        return
    # Read under the row lock answers_save took: the status cannot move until this commits.
    evaluation.refresh_from_db(fields=["status"])
    # The same rule as a manual change of evidence by this user (workflow.evidence_lock_reason).
    reason = workflow.evidence_lock_reason(evaluation, by)
    if reason:
        raise WorkbookInvalid(Problem(sheet, link.row, link.code, reason) for link in links)
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
            problems.extend(Problem(sheet, link.row, link.code, m) for m in exc.messages)
        rows.append(evidence)
    if problems:
        raise WorkbookInvalid(problems)
    bulk_create_with_history(rows, Evidence, default_user=by)


def workbook_import(
    *,
    unit,
    year: int,
    level: str,
    file,
    by=None,
    dry_run: bool = False,
) -> ImportResult:
    """Make one level of a unit's LKE for a year equal to the workbook; return what changed.

    The workbook is the whole answer set of the level: what it holds replaces the portal's, what
    it leaves blank becomes unanswered. Its evidence links that the portal lacks are added as
    link evidence; evidence is never removed. All or nothing: any problem raises WorkbookInvalid
    (every problem listed) and changes nothing; a locked level raises services.LevelLocked.
    Creates the evaluation (active rubric, draft) when the unit has none for that year. With
    `dry_run` everything is checked and written, the changes are returned, then rolled back.
    """
    content = check_file(file)
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_related("rubric").filter(unit=unit, year=year).first()
        )
        rubric = evaluation.rubric if evaluation else selectors.rubric_active()
        if rubric is None:
            raise ValidationError(_("No rubric version is active: load one first."))
        spec = selectors.rubric_spec(rubric=rubric)
        parsed = read_workbook(
            content, spec=spec, level=level, elsewhere=_codes_elsewhere(rubric.pk)
        )
        created = evaluation is None
        if created:
            evaluation = services.evaluation_create(unit=unit, year=year, rubric=rubric)
        reason = workflow.level_lock_reason(evaluation, level)
        if reason:
            raise services.LevelLocked(reason)
        stored = {
            a.question.code: a
            for a in Answer.objects.filter(evaluation=evaluation, level=level).select_related(
                "question", "option"
            )
        }
        changes, writes = [], []
        for question in spec.questions:
            old = _stored_state(stored.get(question.code))
            new = _new_state(
                parsed.answers.get(question.code),
                old,
                parsed.has_notes,
                parsed.has_notes_to_unit,
            )
            if old == new:
                continue
            kind = ADDED if old.empty else CLEARED if new.empty else CHANGED
            changes.append(Change(question.code, kind, _field_changes(old, new)))
            writes.append(_answer_input(question, spec, new))
        result = ImportResult(evaluation, level, dry_run, created, changes)
        try:
            services.answers_save(evaluation=evaluation, level=level, answers=writes, by=by)
        except ValidationError as exc:
            # The reader checks what answers_save checks; this is the safety net.
            raise WorkbookInvalid(Problem("", None, "", m) for m in exc.messages) from None
        result.links = _links_to_add(evaluation, spec, parsed)
        _links_add(evaluation=evaluation, links=result.links, sheet=parsed.sheet, by=by)
        score = evaluation.scores.filter(level=level).first()
        result.total = score.total if score else None
        if dry_run:
            transaction.set_rollback(True)
            if created:
                result.evaluation = None
    return result
