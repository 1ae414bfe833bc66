from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from evaluations import services as evaluation_services
from evaluations.models import Predicate
from zi_portal.admin_scoping import NationalOnlyAdmin, NationalOnlyMixin, ScopedFieldsMixin

from .models import (
    Award,
    NationalResult,
    NationalStage,
    ProposalWindow,
    Submission,
    SubmissionItem,
)

# The national track is KemenPANRB's: only national administrators add, change or delete its
# records here. Agency administrators read their own agency's proposals, stages and awards; they
# propose and follow their units on the portal's pages, which check every rule.


@admin.register(ProposalWindow)
class ProposalWindowAdmin(NationalOnlyAdmin):
    list_display = ["year", "opens_on", "closes_on"]


class ReadOnlyInline(ScopedFieldsMixin, admin.TabularInline):
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
class SubmissionAdmin(NationalOnlyMixin, SimpleHistoryAdmin):
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


class SubmissionItemAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        proposed = cleaned.get("proposed_predicate", self.instance.proposed_predicate)
        # As on the result page: a unit proposed for WBK can be given WBK at most.
        if cleaned.get("result") == NationalResult.WBBM and proposed != Predicate.WBBM:
            self.add_error("result", _("A unit proposed for WBK cannot be awarded WBBM."))
        return cleaned


@admin.register(SubmissionItem)
class SubmissionItemAdmin(NationalOnlyMixin, SimpleHistoryAdmin):
    agency_path = "submission__agency"
    form = SubmissionItemAdminForm
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
class NationalStageAdmin(NationalOnlyMixin, SimpleHistoryAdmin):
    agency_path = "item__submission__agency"
    list_display = ["item", "stage", "date", "outcome", "entered_by"]
    list_filter = ["stage", "outcome"]
    list_select_related = ["item__evaluation__unit", "entered_by"]
    autocomplete_fields = ["item"]
    readonly_fields = ["entered_by"]


@admin.register(Award)
class AwardAdmin(NationalOnlyMixin, SimpleHistoryAdmin):
    agency_path = "unit__agency"
    list_display = [
        "unit",
        "predicate",
        "year",
        "decree_number",
        "decree_date",
        "is_published",
        "revoked_on",
    ]
    list_filter = ["year", "predicate", "is_published", ("revoked_on", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name", "unit__agency__name", "decree_number"]
    list_select_related = ["unit__agency"]
    autocomplete_fields = ["unit", "evaluation", "submission_item"]
    # Publication goes through the announcement on the portal, never one award at a time.
    readonly_fields = ["created_by", "announcement", "published_on", "is_published"]

    def has_add_permission(self, request):
        return False  # an award is created only from a national result, on the portal

    # An award held moves the WBBM verdict of the unit's later evaluations: rescore them with
    # every change made here, for the award as it was and as it is.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touched = {(obj.unit_id, obj.year)}
        if change and form.initial.get("unit") and form.initial.get("year"):
            touched.add((form.initial["unit"], form.initial["year"]))
        for unit_id, year in touched:
            evaluation_services.unit_verdicts_rescore(unit_id=unit_id, after_year=year)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        evaluation_services.unit_verdicts_rescore(unit_id=obj.unit_id, after_year=obj.year)

    def delete_queryset(self, request, queryset):
        touched = set(queryset.values_list("unit_id", "year"))
        super().delete_queryset(request, queryset)
        for unit_id, year in touched:
            evaluation_services.unit_verdicts_rescore(unit_id=unit_id, after_year=year)
