from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zi_portal import access
from zi_portal.admin_scoping import (
    AgencyScopedAdmin,
    NationalOnlyAdmin,
    NationalOnlyMixin,
    ScopedFieldsMixin,
)

from . import services
from .models import (
    Answer,
    Criterion,
    Evaluation,
    EvaluationScore,
    Option,
    RubricVersion,
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


class RescoresEvaluations(NationalOnlyAdmin):
    """Admin of rubric data: an edit that can move a score or a verdict rescores every
    evaluation on the rubric version, in the background once it commits, and the page says so.

    The rubric is KemenPANRB's regulation: only national administrators see or change it here.
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


class ThresholdInline(NationalOnlyMixin, admin.TabularInline):
    model = Threshold
    extra = 0
    fields = ["predicate", "order", "rule", "kind", "target", "minimum", "label_id", "label_en"]


@admin.register(RubricVersion)
class RubricVersionAdmin(RescoresEvaluations):
    list_display = [
        "code",
        "regulation",
        "is_active",
        "wbbm_min_years_wbk",
        "revocation_cooldown_years",
        "updated_at",
    ]
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


class OptionInline(NationalOnlyMixin, admin.TabularInline):
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


class EvaluationScoreInline(ScopedFieldsMixin, admin.TabularInline):
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
    autocomplete_fields = ["unit"]
    readonly_fields = ["content_version"]
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
