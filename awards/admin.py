from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
