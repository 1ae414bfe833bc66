"""The one place that says what a user may see and change.

Every view and every list starts from a queryset or a check in this module. Objects outside a
user's scope are answered with 404 so that their existence is never confirmed; objects the user
may see but not change are answered with 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from units.models import Agency, Membership, Pencanangan, Role, Unit

_CACHE_ATTR = "_zi_memberships"


def memberships_of(user) -> list[Membership]:
    """Return the user's memberships, loaded once per user object (one query per request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.select_related("agency", "unit").filter(user=user))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_national_admin(user) -> bool:
    """Return True for KemenPANRB staff, who see and manage every agency."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(m.role == Role.NATIONAL_ADMIN for m in memberships_of(user))


def is_national_evaluator(user) -> bool:
    """Return True for members of the national team (TPN), who see only proposed units' LKEs."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(m.role == Role.NATIONAL_EVALUATOR for m in memberships_of(user))


def roles_of(user) -> set[str]:
    """Return every role the user holds anywhere."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles = {m.role for m in memberships_of(user)}
    if user.is_superuser:
        roles.add(Role.NATIONAL_ADMIN)
    return roles


def agency_wide_roles(user, agency_id: int) -> set[str]:
    """Return the roles the user holds over a whole agency, not narrowed to a unit."""
    return {m.role for m in memberships_of(user) if m.agency_id == agency_id and m.unit_id is None}


def unit_roles(user, unit: Unit) -> set[str]:
    """Return the roles that apply to one unit: agency-wide ones and those on the unit itself.

    A national evaluator's role applies to every unit; which of their LKEs they may open at all
    is evaluations_for's answer (those on the national track).
    """
    if is_national_admin(user):
        return {Role.NATIONAL_ADMIN}
    national = {Role.NATIONAL_EVALUATOR} if is_national_evaluator(user) else set()
    return national | {
        m.role
        for m in memberships_of(user)
        if m.agency_id == unit.agency_id and m.unit_id in (None, unit.pk)
    }


def visible_agency_ids(user) -> set[int] | None:
    """Return the ids of the agencies `user` may see, or None when they may see every agency."""
    if is_national_admin(user):
        return None
    return {m.agency_id for m in memberships_of(user) if m.agency_id}


def agencies_for(user) -> QuerySet[Agency]:
    """Return the agencies `user` may see. Every list of agencies starts from this queryset."""
    agency_ids = visible_agency_ids(user)
    return Agency.objects.all() if agency_ids is None else Agency.objects.filter(pk__in=agency_ids)


def agency_choices(user) -> list[tuple[int, str]]:
    """Return (id, name) of the agencies `user` may see, by name, as agencies_for orders them.

    Others than national administrators see only their memberships' agencies, which were read
    with the user: no query.
    """
    if is_national_admin(user):
        return list(Agency.objects.order_by("name", "pk").values_list("pk", "name"))
    agencies = {m.agency_id: m.agency.name for m in memberships_of(user) if m.agency_id}
    return sorted(agencies.items(), key=lambda pair: (pair[1], pair[0]))


def units_for(user) -> QuerySet[Unit]:
    """Return the units `user` may see. Every list of units starts from this queryset."""
    if is_national_admin(user):
        return Unit.objects.all()
    scope = _unit_scope(user)
    return Unit.objects.filter(scope) if scope else Unit.objects.none()


def _unit_scope(user, agency: str = "agency_id", unit: str = "pk") -> Q | None:
    """Return a Q for the units the user's memberships reach, or None when they reach none.

    `agency` and `unit` are the lookups from the queried model to the unit's agency id and to the
    unit's id (e.g. "agency_id" and "unit_id" for evaluations, which carry their unit's agency).
    """
    whole_agencies, single_units = _unit_scope_ids(user)
    if not whole_agencies and not single_units:
        return None
    return Q(**{f"{agency}__in": whole_agencies}) | Q(**{f"{unit}__in": single_units})


def _unit_scope_ids(user) -> tuple[set[int], set[int]]:
    """Return the agencies whose every unit the user's memberships reach, and single units."""
    memberships = memberships_of(user)
    whole_agencies = {m.agency_id for m in memberships if m.agency_id and m.unit_id is None}
    return whole_agencies, {m.unit_id for m in memberships if m.unit_id}


def admin_agencies_for(user) -> QuerySet[Agency]:
    """Return the agencies whose data the user administers."""
    if is_national_admin(user):
        return Agency.objects.all()
    ids = {
        m.agency_id
        for m in memberships_of(user)
        if m.role == Role.AGENCY_ADMIN and m.unit_id is None
    }
    return Agency.objects.filter(pk__in=ids)


def administered(user, queryset: QuerySet, agency_path: str) -> QuerySet:
    """Return the rows of `queryset` whose agency the user administers (every row for national
    administrators). `agency_path` leads from a row to its Agency: "agency", "unit__agency",
    "pk" for agencies themselves."""
    if is_national_admin(user):
        return queryset
    return queryset.filter(**{f"{agency_path}__in": admin_agencies_for(user)})


def admin_people_for(user):
    """Return the accounts an administrator may name (e.g. in a membership).

    For an agency administrator: the people of the agencies they administer, and accounts not
    yet placed anywhere; never another agency's people, nor KemenPANRB's superusers.
    """
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.all()
    if is_national_admin(user):
        return people
    agencies = admin_agencies_for(user)
    unplaced = Q(memberships__isnull=True, is_superuser=False)
    return people.filter(Q(memberships__agency__in=agencies) | unplaced).distinct()


def can_change_agency(user, agency: Agency) -> bool:
    """Return True when the user administers the agency."""
    return is_national_admin(user) or Role.AGENCY_ADMIN in agency_wide_roles(user, agency.pk)


def can_change_unit(user, unit: Unit) -> bool:
    """Return True when the user may change the unit's own record (name, kind, active)."""
    return is_national_admin(user) or Role.AGENCY_ADMIN in agency_wide_roles(user, unit.agency_id)


def get_agency_or_404(user, pk, *, for_change: bool = False) -> Agency:
    """Fetch an agency the user may see; 404 outside their scope, 403 when read-only."""
    agency = get_object_or_404(agencies_for(user), pk=pk)
    if for_change and not can_change_agency(user, agency):
        raise PermissionDenied
    return agency


def get_unit_or_404(user, pk, *, for_change: bool = False) -> Unit:
    """Fetch a unit the user may see; 404 outside their scope, 403 when read-only."""
    unit = get_object_or_404(units_for(user).select_related("agency"), pk=pk)
    if for_change and not can_change_unit(user, unit):
        raise PermissionDenied
    return unit


# --- Evaluations --------------------------------------------------------------------------------

# Who answers which level of the LKE: the unit fills its self-assessment, the inspectorate
# scores it, and KemenPANRB's national team (TPN) scores the proposed units.
LEVEL_EDITORS = {
    "self": {Role.UNIT_OPERATOR},
    "tpi": {Role.EVALUATOR},
    "tpn": {Role.NATIONAL_EVALUATOR},
}


def national_track_statuses() -> tuple[str, ...]:
    """The statuses of a proposed unit between its proposal and the national result."""
    from evaluations.workflow import NATIONAL_ORDER

    return NATIONAL_ORDER


def evaluations_for(user):
    """Return the evaluations `user` may see: those of the units they may see.

    A national evaluator sees, of every agency, the LKEs proposed to KemenPANRB while they are on
    the national track, and nothing else.
    """
    from evaluations.models import Evaluation

    if is_national_admin(user):
        return Evaluation.objects.all()
    # Evaluation.agency is the unit's: an agency's evaluations come from one index, no unit join.
    scope = _unit_scope(user, agency="agency_id", unit="unit_id")
    if is_national_evaluator(user):
        national = Q(status__in=national_track_statuses(), submission_item__isnull=False)
        scope = national if scope is None else scope | national
    return Evaluation.objects.filter(scope) if scope else Evaluation.objects.none()


def get_evaluation_or_404(user, pk):
    """Fetch an evaluation the user may see, with its unit, agency and rubric; 404 otherwise."""
    return get_object_or_404(evaluations_for(user).select_related("unit__agency", "rubric"), pk=pk)


def editable_levels(user, evaluation) -> set[str]:
    """Return the LKE levels the user's roles let them answer (workflow locks come on top)."""
    roles = unit_roles(user, evaluation.unit)
    return {level for level, editors in LEVEL_EDITORS.items() if roles & editors}


# Who adds, replaces and removes evidence of each level, while the workflow leaves it open: those
# who answer the level, and for the national evaluation the agency's and KemenPANRB's
# administrators, who bring what the national team asks for.
EVIDENCE_EDITORS = {**LEVEL_EDITORS, "tpn": {Role.AGENCY_ADMIN, Role.NATIONAL_ADMIN}}


def evidence_levels(user, evaluation) -> set[str]:
    """Return the levels whose evidence the user's roles let them change (locks come on top)."""
    roles = unit_roles(user, evaluation.unit)
    return {level for level, editors in EVIDENCE_EDITORS.items() if roles & editors}


def can_edit_level(user, evaluation, level: str) -> bool:
    """Return True when the user's role answers this level of the evaluation."""
    return level in editable_levels(user, evaluation)


def submission_agency_ids(user) -> set[int] | None:
    """Return the agencies whose submissions the user may read (None: every agency).

    A submission lists many units of an agency, so only people working for the whole agency
    (any role) read it; a unit operator sees only their own unit's outcome on the unit page.
    """
    if is_national_admin(user):
        return None
    return {m.agency_id for m in memberships_of(user) if m.agency_id and m.unit_id is None}


def submissions_for(user):
    """Return the submissions `user` may see."""
    from awards.models import Submission

    agency_ids = submission_agency_ids(user)
    if agency_ids is None:
        return Submission.objects.all()
    return Submission.objects.filter(agency_id__in=agency_ids)


def can_propose(user, agency_id: int) -> bool:
    """Return True when the user proposes the agency's units: its administrators only."""
    return Role.AGENCY_ADMIN in agency_wide_roles(user, agency_id)


def proposing_agencies_for(user) -> QuerySet[Agency]:
    """Return the agencies whose units the user proposes."""
    ids = {
        m.agency_id
        for m in memberships_of(user)
        if m.role == Role.AGENCY_ADMIN and m.unit_id is None and m.agency_id
    }
    return Agency.objects.filter(pk__in=ids)


def can_decide_national(user) -> bool:
    """Return True when the user records the national track's outcomes: stages, results,
    awards, announcements, revocations, objections' decisions and proposal windows."""
    return is_national_admin(user)


def can_score_tpn(user) -> bool:
    """Return True when the user scores the TPN level and writes desk and field findings."""
    return is_national_evaluator(user)


def can_follow_national_track(user) -> bool:
    """Return True when the user works on every agency's proposed units (list of the track)."""
    return is_national_admin(user) or is_national_evaluator(user)


def can_file_objection(user, agency_id: int) -> bool:
    """Return True when the user objects (sanggah) on behalf of the agency."""
    return can_propose(user, agency_id)


def get_submission_or_404(user, pk, *, for_change: bool = False):
    """Fetch a submission the user may see; 404 outside their scope, 403 unless they propose."""
    submission = get_object_or_404(submissions_for(user).select_related("agency"), pk=pk)
    if for_change and not can_propose(user, submission.agency_id):
        raise PermissionDenied
    return submission


def submission_items_for(user):
    """Return the proposed units the user may see.

    Everybody working for the whole agency sees its proposed units; a national evaluator sees
    those on the national track, of every agency.
    """
    from awards.models import SubmissionItem

    agency_ids = submission_agency_ids(user)
    if agency_ids is None:
        return SubmissionItem.objects.all()
    scope = Q(submission__agency_id__in=agency_ids)
    if is_national_evaluator(user):
        scope |= Q(evaluation__status__in=national_track_statuses())
    return SubmissionItem.objects.filter(scope)


def get_submission_item_or_404(user, pk, *, for_change: bool = False):
    """Fetch a proposed unit the user may see; 404 outside their scope, 403 unless they propose
    (`for_change`: withdrawing it from the proposal)."""
    items = submission_items_for(user).select_related(
        "submission__agency", "evaluation__unit__agency", "evaluation__rubric"
    )
    item = get_object_or_404(items, pk=pk)
    if for_change and not can_propose(user, item.submission.agency_id):
        raise PermissionDenied
    return item


def get_national_stage_or_404(user, pk):
    """Fetch a national stage of a proposed unit the user may see."""
    from awards.models import NationalStage

    return get_object_or_404(
        NationalStage.objects.filter(item__in=submission_items_for(user)).select_related(
            "item__submission", "item__evaluation__unit"
        ),
        pk=pk,
    )


def objections_for(user):
    """Return the objections the user may see: those of the agencies' own proposals.

    They concern the administrative selection: national evaluators have no use for them.
    """
    from awards.models import Objection

    agency_ids = submission_agency_ids(user)
    if agency_ids is None:
        return Objection.objects.all()
    return Objection.objects.filter(stage__item__submission__agency_id__in=agency_ids)


def get_objection_or_404(user, pk):
    return get_object_or_404(
        objections_for(user).select_related("stage__item__submission", "stage__item__evaluation"),
        pk=pk,
    )


def get_objection_attachment_or_404(user, pk):
    from awards.models import ObjectionAttachment

    return get_object_or_404(
        ObjectionAttachment.objects.filter(objection__in=objections_for(user)), pk=pk
    )


def awards_for(user):
    """Return the awards (published or not) of the units the user may see."""
    from awards.models import Award

    if is_national_admin(user):
        return Award.objects.all()
    return Award.objects.filter(unit__in=units_for(user))


def get_award_or_404(user, pk, *, for_change: bool = False):
    """Fetch an award of a unit the user may see; 404 outside, 403 unless they are KemenPANRB's."""
    award = get_object_or_404(
        awards_for(user).select_related("unit__agency", "submission_item", "announcement"), pk=pk
    )
    if for_change and not can_decide_national(user):
        raise PermissionDenied
    return award


def get_announcement_or_404(user, pk):
    """Fetch an announcement; only KemenPANRB's administrators work on them (403 otherwise)."""
    from awards.models import Announcement

    if not can_decide_national(user):
        raise PermissionDenied
    return get_object_or_404(Announcement, pk=pk)


def pencanangan_for(user) -> QuerySet[Pencanangan]:
    """Return the pencanangan `user` may see: those of every agency they hold a role in.

    A pencanangan is the agency's public commitment, so every member of the agency (unit
    operators included) may read it and its charter.
    """
    if is_national_admin(user):
        return Pencanangan.objects.all()
    agency_ids = {m.agency_id for m in memberships_of(user) if m.agency_id}
    return Pencanangan.objects.filter(agency_id__in=agency_ids)


def can_manage_pencanangan(user, agency: Agency) -> bool:
    """Return True when the user may record and edit the agency's pencanangan."""
    return can_change_agency(user, agency)


def agencies_managing_pencanangan(user) -> list[Agency]:
    """Return the agencies whose pencanangan the user records, from the cached memberships.

    National administrators get an empty list: they record one from the agency's own page
    rather than from a list of every agency.
    """
    return sorted(
        {
            m.agency
            for m in memberships_of(user)
            if m.role == Role.AGENCY_ADMIN and m.unit_id is None and m.agency_id
        },
        key=lambda agency: agency.name,
    )


def get_pencanangan_or_404(user, pk, *, for_change: bool = False) -> Pencanangan:
    """Fetch a pencanangan the user may see; 404 outside their scope, 403 when read-only."""
    pencanangan = get_object_or_404(pencanangan_for(user).select_related("agency"), pk=pk)
    if for_change and not can_manage_pencanangan(user, pencanangan.agency):
        raise PermissionDenied
    return pencanangan


# --- Evidence (bukti dukung) --------------------------------------------------------------------

# The unit's operators upload evidence; the inspectorate and the agency administrators
# may add or correct it while reviewing. Viewers only read. When each may do so is the workflow's
# call (workflow.evidence_lock_reason: the locks of the levels they answer).
EVIDENCE_MANAGERS = {
    Role.UNIT_OPERATOR,
    Role.EVALUATOR,
    Role.AGENCY_ADMIN,
    Role.NATIONAL_ADMIN,
}


# The TPI's internal notes and removed evidence are for those who review the unit: the
# inspectorate and the administrators. The unit reads the TPI's "note to the unit".
REVIEWERS = {Role.EVALUATOR, Role.AGENCY_ADMIN, Role.NATIONAL_ADMIN}


def can_review(user, evaluation) -> bool:
    """Return True when the user reads the TPI's internal notes and removed evidence."""
    return bool(unit_roles(user, evaluation.unit) & REVIEWERS)


def can_manage_evidence(user, evaluation) -> bool:
    """Return True when the user may add, replace or remove evidence of the evaluation."""
    return bool(unit_roles(user, evaluation.unit) & EVIDENCE_MANAGERS)


def get_evaluation_for_evidence_or_404(user, pk, *, for_change: bool = False):
    """Fetch an evaluation for its evidence; 404 outside the user's scope, 403 when read-only."""
    evaluation = get_evaluation_or_404(user, pk)
    if for_change and not can_manage_evidence(user, evaluation):
        raise PermissionDenied
    return evaluation


def get_evidence_or_404(user, pk, *, for_change: bool = False):
    """Fetch one evidence item (removed ones too) of an evaluation the user may see."""
    from evaluations.models import Evidence

    evidence = get_object_or_404(
        Evidence.objects.filter(evaluation__in=evaluations_for(user)).select_related(
            "evaluation__unit__agency", "evaluation__rubric", "question"
        ),
        pk=pk,
    )
    if evidence.is_removed and not can_review(user, evidence.evaluation):
        raise Http404  # removed: no longer the unit's to read
    if for_change and not can_manage_evidence(user, evidence.evaluation):
        raise PermissionDenied
    return evidence


def get_evidence_revision_or_404(user, pk):
    """Fetch one stored version of an evidence file of an evaluation the user may see."""
    from evaluations.models import EvidenceRevision

    revision = get_object_or_404(
        EvidenceRevision.objects.filter(
            evidence__evaluation__in=evaluations_for(user)
        ).select_related("evidence__evaluation__unit"),
        pk=pk,
    )
    if revision.evidence.is_removed and not can_review(user, revision.evidence.evaluation):
        raise Http404
    return revision


def bulk_exports_for(user):
    """Return the bulk exports the user may see and download: those they asked for, of the
    agencies they still administer."""
    from evaluations.models import BulkExport

    if not user.is_authenticated or not user.is_active:
        return BulkExport.objects.none()
    return administered(user, BulkExport.objects.filter(requested_by=user), "agency")


def get_bulk_export_or_404(user, pk):
    """Fetch one of the user's own bulk exports, with its agency; 404 for anybody else's."""
    return get_object_or_404(bulk_exports_for(user).select_related("agency"), pk=pk)


def start_units_for(user) -> QuerySet[Unit]:
    """Return the active units whose LKE the user may start (agency_admin, evaluator, national)."""
    if is_national_admin(user):
        return Unit.objects.filter(is_active=True)
    agency_ids = {
        m.agency_id
        for m in memberships_of(user)
        if m.agency_id and m.unit_id is None and m.role in {Role.AGENCY_ADMIN, Role.EVALUATOR}
    }
    return Unit.objects.filter(agency_id__in=agency_ids, is_active=True)


def can_start_any_evaluations(user) -> bool:
    """Return True when the user may start LKEs for the units of at least one agency."""
    return is_national_admin(user) or any(
        m.unit_id is None and m.role in {Role.AGENCY_ADMIN, Role.EVALUATOR}
        for m in memberships_of(user)
    )
