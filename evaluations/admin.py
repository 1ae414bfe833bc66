from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from zi_portal import access
from zi_portal.admin_scoping import AgencyScopedAdmin

from . import services
from .models import (
    Answer,
    Criterion,
    Evaluation,
    EvaluationScore,
    NationalStage,
    Option,
    ProposalWindow,
    RubricVersion,
    Submission,
    SubmissionItem,
    Threshold,
)

# The fields of rubric data that the stored totals and verdicts depend on (labels do not).
SCORING_FIELDS = {
    RubricVersion: frozenset(),
    Criterion: frozenset({"parent", "kind", "weight", "answer_type", "formula", "excel_formula"}),
    Option: frozenset({"question", "letter", "value"}),
    # A threshold's order ranks the predicates (WBK before WBBM).
    Threshold: frozenset({"rubric", "predicate", "kind", "target", "minimum", "order"}),
}


class RescoresEvaluations(admin.ModelAdmin):
    """Admin of rubric data: an edit that can move a score or a verdict rescores every
    evaluation on the rubric version, in the background once it commits, and the page says so.
    """

    def rubric_id_of(self, obj) -> int:
        return obj.rubric_id

    def _rescore(self, request, rubric_id: int) -> None:
        started = request.__dict__.setdefault("_rescoring_rubrics", set())
        if rubric_id in started:
            return
        started.add(rubric_id)
        count = services.rubric_rescore_after_commit(rubric_id=rubric_id)
        if count:
            messages.info(
                request,
                gettext(
                    "The stored totals and verdicts of %(count)s evaluations on this rubric "
                    "version are being recomputed in the background; the lists and dashboards "
                    "follow within a few minutes."
                )
                % {"count": count},
            )

    def _touches_scores(self, model, changed_fields) -> bool:
        return bool(SCORING_FIELDS[model] & set(changed_fields))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or self._touches_scores(type(obj), form.changed_data):
            self._rescore(request, self.rubric_id_of(obj))

    def delete_model(self, request, obj):
        rubric_id = self.rubric_id_of(obj)
        super().delete_model(request, obj)
        self._rescore(request, rubric_id)

    def delete_queryset(self, request, queryset):
        rubric_ids = {self.rubric_id_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for rubric_id in rubric_ids:
            self._rescore(request, rubric_id)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        model = formset.model
        if (
            formset.new_objects
            or formset.deleted_objects
            or any(self._touches_scores(model, fields) for _obj, fields in formset.changed_objects)
        ):
            self._rescore(request, self.rubric_id_of(form.instance))


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0
    fields = ["predicate", "order", "rule", "kind", "target", "minimum", "label_id", "label_en"]


@admin.register(RubricVersion)
class RubricVersionAdmin(RescoresEvaluations):
    list_display = ["code", "regulation", "is_active", "updated_at"]
    list_filter = ["is_active"]
    readonly_fields = ["rescoring"]
    inlines = [ThresholdInline]

    def rubric_id_of(self, obj) -> int:
        return obj.pk

    @admin.display(description=_("rescoring"))
    def rescoring(self, obj):
        progress = services.rescoring_progress(rubric_id=obj.pk) if obj.pk else None
        if progress is None:
            return _("not running")
        done, total = progress
        return gettext("running: %(done)s of %(total)s evaluations") % {
            "done": done,
            "total": total,
        }


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["letter", "value", "order", "description_id", "description_en"]


@admin.register(Criterion)
class CriterionAdmin(RescoresEvaluations):
    list_display = ["indented_code", "label_id", "kind", "weight", "answer_type"]
    list_display_links = ["indented_code"]
    list_filter = ["rubric", "kind", "answer_type"]
    search_fields = ["code", "label_id", "label_en"]
    list_select_related = ["rubric"]
    list_per_page = 250
    ordering = ["rubric", "position"]
    raw_id_fields = ["parent"]
    readonly_fields = ["position", "depth"]
    inlines = [OptionInline]

    @admin.display(description=_("code"), ordering="position")
    def indented_code(self, obj):
        # Indent by depth so that the list reads as the tree.
        return format_html('<span style="padding-left: {}em">{}</span>', obj.depth * 1.5, obj.code)


@admin.register(Threshold)
class ThresholdAdmin(RescoresEvaluations):
    list_display = ["rubric", "predicate", "rule", "kind", "target", "minimum"]
    list_filter = ["rubric", "predicate"]
    list_editable = ["minimum"]


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0
    can_delete = False
    fields = [
        "level",
        "total",
        "pengungkit",
        "hasil",
        "verdict",
        "answered",
        "question_count",
        "complete",
    ]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(AgencyScopedAdmin):
    # Agency administrators read their evaluations here; they change them through the LKE
    # pages, where the workflow logs every step.
    agency_path = "unit__agency"
    national_only_add = True
    national_only_delete = True

    list_display = ["unit", "year", "rubric", "status", "updated_at"]
    list_filter = ["year", "status", "rubric"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "rubric"]
    raw_id_fields = ["unit"]
    readonly_fields = ["version"]
    inlines = [EvaluationScoreInline]

    def has_change_permission(self, request, obj=None):
        return access.is_national_admin(request.user)


@admin.register(Answer)
class AnswerAdmin(AgencyScopedAdmin):
    agency_path = "evaluation__unit__agency"
    national_only_delete = True
    # Read-only: answers change only through services.answers_save, which keeps totals in step.
    list_display = ["evaluation", "question", "level", "option", "number", "updated_at"]
    list_filter = ["level", "evaluation__year"]
    list_select_related = ["evaluation__unit", "question", "option"]
    search_fields = ["question__code", "evaluation__unit__name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Proposals (pengusulan) ---------------------------------------------------------------------
# Agency administrators see only their agency's rows; proposal windows are national data.


@admin.register(ProposalWindow)
class ProposalWindowAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on"]

    def _national(self, request):
        return access.is_national_admin(request.user)

    def has_module_permission(self, request):
        return self._national(request)

    def has_view_permission(self, request, obj=None):
        return self._national(request)

    def has_add_permission(self, request):
        return self._national(request)

    def has_change_permission(self, request, obj=None):
        return self._national(request)

    def has_delete_permission(self, request, obj=None):
        return self._national(request)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under an agency-scoped parent; they change on their own pages, not here."""

    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return True  # the parent admin has already scoped `obj` to the user's agencies

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubmissionItemInline(ReadOnlyInline):
    # Proposing goes through the page, which checks every rule.
    model = SubmissionItem
    fields = ["evaluation", "proposed_predicate", "is_afirmasi", "tpi_total", "result"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_path = "agency"
    list_display = ["agency", "year", "status", "cover_letter_number", "updated_at"]
    list_filter = ["year", "status"]
    search_fields = ["agency__name", "cover_letter_number"]
    list_select_related = ["agency"]
    readonly_fields = ["created_by"]
    inlines = [SubmissionItemInline]


class NationalStageInline(ReadOnlyInline):
    # Recorded on the proposed unit's page, which moves the evaluation's status with it.
    model = NationalStage
    fields = ["stage", "date", "outcome", "note", "entered_by"]
    readonly_fields = fields


@admin.register(SubmissionItem)
class SubmissionItemAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_path = "submission__agency"
    list_display = [
        "evaluation",
        "submission",
        "proposed_predicate",
        "is_afirmasi",
        "tpi_total",
        "tpn_total",
        "result",
    ]
    list_filter = ["submission__year", "proposed_predicate", "is_afirmasi", "result"]
    search_fields = ["evaluation__unit__name", "submission__agency__name"]
    list_select_related = ["evaluation__unit", "submission__agency"]
    raw_id_fields = ["evaluation", "submission"]
    # Rule-checked on the way in: the snapshot and the link to the evaluation stay as proposed.
    readonly_fields = [
        "submission",
        "evaluation",
        "tpi_total",
        "tpi_verdict",
        "failing_rules",
        "added_by",
    ]
    inlines = [NationalStageInline]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NationalStage)
class NationalStageAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    agency_path = "item__submission__agency"
    list_display = ["item", "stage", "date", "outcome", "entered_by"]
    list_filter = ["stage", "outcome"]
    list_select_related = ["item__evaluation__unit", "entered_by"]
    raw_id_fields = ["item"]
    readonly_fields = ["entered_by"]
