"""Reads for the evaluations app: one function per use, each with its own queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from evaluations.rubric import scoring
from evaluations.rubric import snapshot as rubric_snapshot
from zi_portal import access

from .models import (
    Answer,
    Criterion,
    Evaluation,
    Evidence,
    EvidenceRevision,
    Level,
    RubricVersion,
)


def rubric_active() -> RubricVersion | None:
    """Return the rubric version new evaluations use."""
    return RubricVersion.objects.filter(is_active=True).first()


def rubric_spec(*, rubric: RubricVersion) -> scoring.RubricSpec:
    """Return the scoring spec of a rubric version (from its snapshot: one way to read it)."""
    return rubric_snapshot.rubric_snapshot(rubric).spec


def threshold_rules(*, rubric: RubricVersion) -> list[scoring.ThresholdRule]:
    """Return a rubric version's predicate rules, lower predicates first (from its snapshot)."""
    return rubric_snapshot.rubric_snapshot(rubric).rules


def evidence_missing_count(evaluation_ref=None):
    """Return, for the evaluation `evaluation_ref` names (default: the outer row), how many of its
    answered questions have no live evidence, as a subquery expression."""
    # Letter and survey answers carry an option or a number; computed ones their inputs.
    answered = Q(option__isnull=False) | Q(number__isnull=False) | ~Q(inputs={})
    missing = (
        Answer.objects.filter(answered, evaluation=evaluation_ref or OuterRef("pk"))
        .exclude(
            Exists(
                Evidence.objects.filter(
                    evaluation=OuterRef("evaluation"),
                    question=OuterRef("question"),
                    is_removed=False,
                )
            )
        )
        .order_by()
        .values("evaluation")
        .annotate(n=Count("question", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(missing, output_field=IntegerField()), Value(0))


def evaluation_scoring_input(
    *, evaluation: Evaluation, level: str
) -> tuple[dict[str, object], dict[str, str]]:
    """Return one level's answers and numeric inputs, shaped for `scoring.score` (one query)."""
    answers: dict[str, object] = {}
    inputs: dict[str, str] = {}
    rows = Answer.objects.filter(evaluation=evaluation, level=level).values_list(*SCORING_COLUMNS)
    for row in rows:
        add_scoring_row(answers, inputs, row)
    return answers, inputs


# The Answer columns `add_scoring_row` reads, in its order.
SCORING_COLUMNS = ("question__code", "option__letter", "number", "inputs")


def add_scoring_row(answers: dict, inputs: dict, row) -> None:
    """Add one stored answer (SCORING_COLUMNS) to the answers and inputs `scoring.score` takes.

    The one place that shapes stored answers for scoring: saving, the pages and the check of
    stored totals all read them this way.
    """
    code, letter, number, answer_inputs = row
    if letter is not None:
        answers[code] = letter
    elif number is not None:
        answers[code] = number
    inputs.update(answer_inputs or {})


def level_breakdown(*, evaluation: Evaluation, level: str) -> scoring.Breakdown:
    """Score one level's stored answers with the evaluation's rubric."""
    spec = rubric_spec(rubric=evaluation.rubric)
    answers, inputs = evaluation_scoring_input(evaluation=evaluation, level=level)
    return scoring.score(spec, answers, inputs)


def level_result(
    *, evaluation: Evaluation, level: str
) -> tuple[scoring.Breakdown, scoring.PredicateResult]:
    """Score one level now and decide its predicate against the awards the unit holds today."""
    breakdown = level_breakdown(evaluation=evaluation, level=level)
    result = scoring.predicate(
        breakdown,
        threshold_rules(rubric=evaluation.rubric),
        predicates_held(unit_id=evaluation.unit_id, year=evaluation.year),
    )
    return breakdown, result


# Which predicates a unit already holds is the national track's record (the awards app), and
# awards depends on evaluations, never the reverse: evaluations asks the reader that awards
# registers when Django starts (AwardsConfig.ready).
_held_reader: Callable[..., set[str]] | None = None
_held_batch_reader: Callable[..., dict[int, set[str]]] | None = None


def register_predicates_held(
    reader: Callable[..., set[str]], batch_reader: Callable[..., dict[int, set[str]]]
) -> None:
    """Answer predicates_held with `reader(unit_id=..., year=...)` and predicates_held_for with
    `batch_reader(evaluations=...)`."""
    global _held_reader, _held_batch_reader
    _held_reader, _held_batch_reader = reader, batch_reader


def predicates_held(*, unit_id: int, year: int) -> set[str]:
    """Return the predicates the unit held before `year` (WBBM counts as WBK too)."""
    if _held_reader is None:
        raise ImproperlyConfigured("Nothing answers predicates_held: is the awards app installed?")
    return _held_reader(unit_id=unit_id, year=year)


def predicates_held_for(*, evaluations) -> dict[int, set[str]]:
    """Return evaluation pk → the predicates its unit held before its year (for rescoring many)."""
    if _held_batch_reader is None:
        raise ImproperlyConfigured("Nothing answers predicates_held: is the awards app installed?")
    return _held_batch_reader(evaluations=evaluations)


def evaluation_for_unit_year(*, unit_code: str, year: int) -> Evaluation | None:
    """Return the evaluation of the unit with that code in that year, if any."""
    return (
        Evaluation.objects.select_related("unit", "rubric")
        .filter(unit__code=unit_code, year=year)
        .first()
    )


# --- Evidence ---------------------------------------------------------------------------------


def evaluation_question(*, evaluation: Evaluation, code: str) -> Criterion | None:
    """Return the question with that code in the evaluation's rubric, if there is one."""
    return Criterion.objects.filter(
        rubric_id=evaluation.rubric_id, kind=Criterion.Kind.QUESTION, code=code
    ).first()


def evidence_panel(*, evaluation: Evaluation, question: Criterion) -> list[Evidence]:
    """Return a question's current evidence with every file revision (two queries)."""
    revisions = EvidenceRevision.objects.select_related("uploaded_by").order_by("-number")
    return list(
        Evidence.objects.filter(evaluation=evaluation, question=question, is_removed=False)
        .select_related("uploaded_by")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .order_by("created_at", "pk")
    )


def evidence_counts(*, evaluation: Evaluation, question: Criterion | None = None) -> dict[str, int]:
    """Return question code → number of current evidence items (one query), of every question
    or of `question` only.

    Questions without evidence are absent, so `counts.get(code, 0)` serves the LKE page's
    "only without evidence" filter.
    """
    current = Evidence.objects.filter(evaluation=evaluation, is_removed=False)
    if question is not None:
        current = current.filter(question=question)
    rows = (
        current.values("question__code")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("question__code", "count")
    )
    return dict(rows)


# --- Evaluation list ----------------------------------------------------------------------------


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    """Return the evaluations the user may see, in the list's order (filter, then page it).

    Only scope and order: evaluation_list_page reads the stored totals for the rows it shows.
    """
    return access.evaluations_for(user).order_by(*LIST_ORDER)


# The names each evaluation carries, not the joined ones: the evaluation_list_order index holds
# exactly this order, so a page is read from it without sorting the rows in scope.
LIST_ORDER = ("-year", "agency_name", "unit_name", "pk")


def with_totals(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Annotate each evaluation with its stored self and TPI totals, answered counts and verdict.

    They come from the stored EvaluationScore rows, joined per level, so that a page of rows costs
    one query whatever its length.
    """
    return evaluations.annotate(
        self_score=FilteredRelation("scores", condition=Q(scores__level=Level.SELF)),
        tpi_score=FilteredRelation("scores", condition=Q(scores__level=Level.TPI)),
    ).annotate(
        self_total=F("self_score__total"),
        self_answered=Coalesce(F("self_score__answered"), 0),
        tpi_total=F("tpi_score__total"),
        tpi_answered=Coalesce(F("tpi_score__answered"), 0),
        tpi_verdict=Coalesce(F("tpi_score__verdict"), Value("")),
    )


def _page_number(value) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def evaluation_list_page(*, evaluations: QuerySet[Evaluation], page_number, per_page: int) -> Page:
    """Return one page of `evaluations` (from evaluation_list, filtered) in two small queries.

    The count is exact (from an index alone: the (agency, year) index for an agency's
    evaluations). The page is then chosen, in a subquery, on the bare ordered ids, which
    PostgreSQL reads in order from the evaluation_list_order index (or, for one agency, from the
    agency's few rows); only the rows so chosen are joined to their stored totals. Like
    Paginator.get_page, a page past the end shows the last one, and one before the first shows
    the first.
    """
    paginator = Paginator(evaluations.values("pk"), per_page)
    page = paginator.get_page(_page_number(page_number))
    rows = list(
        with_totals(Evaluation.objects.filter(pk__in=page.object_list))
        .select_related("unit", "agency", "rubric")
        .order_by(*LIST_ORDER)
    )
    for row in rows:
        row.question_total = rubric_snapshot.question_count(
            row.rubric_id, row.rubric.code, row.rubric.updated_at
        )
    page.object_list = rows
    return page


# --- History (Riwayat) --------------------------------------------------------------------------

HISTORY_PAGE_SIZE = 50


@dataclass
class HistoryEntry:
    """One change shown on the Riwayat page."""

    when: object
    who: object  # a user or None
    source: str  # "answer", "evidence" or "evaluation"
    action: str
    question_code: str = ""
    level: str = ""
    old: str = ""
    new: str = ""
    note: str = ""
    evidence_pk: int | None = None


def _previous(model, field: str) -> Subquery:
    """Return the value of `field` in the record before each historical row of the same object."""
    return Subquery(
        model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values(field)[:1]
    )


def history_sources(*, evaluation: Evaluation) -> dict[str, QuerySet]:
    """Return the historical rows of one evaluation, per source, before filtering."""
    answers = Answer.history.model.objects.filter(evaluation_id=evaluation.pk)
    evidence = Evidence.history.model.objects.filter(evaluation_id=evaluation.pk)
    evaluation_model = Evaluation.history.model
    # Only creations and status changes of the evaluation matter here, not every save.
    statuses = (
        evaluation_model.objects.filter(id=evaluation.pk)
        .annotate(previous_status=_previous(evaluation_model, "status"))
        .filter(Q(previous_status__isnull=True) | ~Q(previous_status=F("status")))
    )
    return {"answer": answers, "evidence": evidence, "evaluation": statuses}


def history_people(*, evaluation: Evaluation):
    """Return the people who changed something in the evaluation (one query)."""
    from django.contrib.auth import get_user_model

    sources = history_sources(evaluation=evaluation)
    condition = Q()
    for queryset in sources.values():
        condition |= Q(pk__in=queryset.order_by().values("history_user_id"))
    return get_user_model().objects.filter(condition).order_by("first_name", "username")


def evaluation_history(
    *, evaluation: Evaluation, sources: dict[str, QuerySet], page_number=1
) -> Page:
    """Return one page of an evaluation's changes, newest first, in a constant number of queries.

    `sources` are `history_sources` after filtering. The rows of the page are chosen with one
    union query; their details (and the values before each change) come with one query per source.
    """
    keys = [
        queryset.order_by()
        .annotate(src=Value(name), hid=F("history_id"), hdate=F("history_date"))
        .values_list("src", "hid", "hdate")
        for name, queryset in sources.items()
    ]
    combined = keys[0].union(*keys[1:], all=True).order_by("-hdate", "-hid")
    page = Paginator(combined, HISTORY_PAGE_SIZE).get_page(page_number)
    wanted: dict[str, list[int]] = {name: [] for name in sources}
    for source, history_id, _date in page.object_list:
        wanted[source].append(history_id)
    entries = {}
    for source, ids in wanted.items():
        if ids:
            entries.update(_HISTORY_DETAILS[source](ids))
    page.object_list = [entries[(source, hid)] for source, hid, _date in page.object_list]
    return page


def _answer_value(letter, number, inputs) -> str:
    if letter:
        return letter
    if number is not None:
        return f"{number.normalize():f}"
    if inputs:
        return ", ".join(f"{code} = {value}" for code, value in sorted(inputs.items()))
    return ""


def _answer_details(ids: list[int]) -> dict:
    model = Answer.history.model
    rows = (
        model.objects.filter(history_id__in=ids)
        .select_related("history_user", "question", "option")
        .annotate(
            previous_letter=_previous(model, "option__letter"),
            previous_number=_previous(model, "number"),
            previous_inputs=_previous(model, "inputs"),
        )
    )
    found = {}
    for row in rows:
        previous_inputs = row.previous_inputs
        if isinstance(previous_inputs, str):  # SQLite hands a subquery's JSON back as text
            previous_inputs = json.loads(previous_inputs)
        found[("answer", row.history_id)] = HistoryEntry(
            when=row.history_date,
            who=row.history_user,
            source="answer",
            action=str(_("Answer deleted") if row.history_type == "-" else _("Answer saved")),
            question_code=row.question.code,
            level=Level(row.level).label,
            old=_answer_value(row.previous_letter, row.previous_number, previous_inputs),
            new=_answer_value(row.option.letter if row.option else "", row.number, row.inputs),
            note=row.note,
        )
    return found


def _evidence_details(ids: list[int]) -> dict:
    model = Evidence.history.model
    rows = (
        model.objects.filter(history_id__in=ids)
        .select_related("history_user", "question")
        .annotate(
            previous_sha256=_previous(model, "sha256"),
            previous_removed=_previous(model, "is_removed"),
            previous_filename=_previous(model, "original_filename"),
        )
    )
    found = {}
    for row in rows:
        label = row.original_filename or row.url
        old = ""
        if row.history_type == "+":
            action = _("Evidence added")
        elif row.is_removed and not row.previous_removed:
            action = _("Evidence removed")
        elif row.kind == Evidence.Kind.FILE and row.sha256 != row.previous_sha256:
            action, old = _("Evidence file replaced"), row.previous_filename or ""
        else:
            action = _("Evidence changed")
        found[("evidence", row.history_id)] = HistoryEntry(
            when=row.history_date,
            who=row.history_user,
            source="evidence",
            action=str(action),
            question_code=row.question.code,
            old=old,
            new=label,
            note=row.description,
            evidence_pk=row.id if row.kind == Evidence.Kind.FILE else None,
        )
    return found


def _evaluation_details(ids: list[int]) -> dict:
    model = Evaluation.history.model
    rows = (
        model.objects.filter(history_id__in=ids)
        .select_related("history_user")
        .annotate(previous_status=_previous(model, "status"))
    )
    statuses = dict(Evaluation.Status.choices)
    found = {}
    for row in rows:
        created = row.history_type == "+"
        found[("evaluation", row.history_id)] = HistoryEntry(
            when=row.history_date,
            who=row.history_user,
            source="evaluation",
            action=str(_("Evaluation started") if created else _("Status changed")),
            old=str(statuses.get(row.previous_status, "")) if not created else "",
            new=str(statuses.get(row.status, row.status)),
        )
    return found


_HISTORY_DETAILS = {
    "answer": _answer_details,
    "evidence": _evidence_details,
    "evaluation": _evaluation_details,
}
