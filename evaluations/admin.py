from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zi_portal import access
from zi_portal.admin_scoping import (
    AgencyScopedAdmin,
    NationalOnlyAdmin,
    NationalOnlyMixin,
    ScopedFieldsMixin,
)

from .models import (
    Answer,
    Criterion,
    Evaluation,
    EvaluationScore,
    Option,
    RubricVersion,
    Threshold,
)

# The rubric is KemenPANRB's regulation: only national administrators see or change it here.


class ThresholdInline(NationalOnlyMixin, admin.TabularInline):
    model = Threshold
    extra = 0
    fields = ["predicate", "order", "rule", "kind", "target", "minimum", "label_id", "label_en"]


@admin.register(RubricVersion)
class RubricVersionAdmin(NationalOnlyAdmin):
    list_display = [
        "code",
        "regulation",
        "is_active",
        "wbbm_min_years_wbk",
        "revocation_cooldown_years",
        "updated_at",
    ]
    list_filter = ["is_active"]
    inlines = [ThresholdInline]


class OptionInline(NationalOnlyMixin, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["letter", "value", "order", "description_id", "description_en"]


@admin.register(Criterion)
class CriterionAdmin(NationalOnlyAdmin):
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
class ThresholdAdmin(NationalOnlyAdmin):
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
