from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluations import services as evaluation_services
from zi_portal.admin_scoping import AgencyScopedAdmin

from .models import Award


@admin.register(Award)
class AwardAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
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
    raw_id_fields = ["evaluation", "submission_item"]
    readonly_fields = ["created_by"]

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
