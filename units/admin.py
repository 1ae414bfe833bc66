from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zi_portal import access
from zi_portal.admin_scoping import AgencyScopedAdmin, AgencyScopedMixin

from .models import Agency, Membership, Role, Unit


class UnitInline(AgencyScopedMixin, admin.TabularInline):
    model = Unit
    extra = 1
    fields = ["name", "code", "service_kind", "is_active"]
    show_change_link = True


class MembershipInline(AgencyScopedMixin, admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["user", "unit", "role"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _restrict_role_choices(db_field, request, super().formfield_for_choice_field, kwargs)


def _restrict_role_choices(db_field, request, parent, kwargs):
    # Only KemenPANRB may create national administrators.
    if db_field.name == "role" and not access.is_national_admin(request.user):
        kwargs["choices"] = [c for c in Role.choices if c[0] != Role.NATIONAL_ADMIN]
    return parent(db_field, request, **kwargs)


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "pk"
    national_only_add = True
    national_only_delete = True
    list_display = ["name", "code", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code", "province"]
    inlines = [UnitInline, MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Agency administrators keep their agency's identity as KemenPANRB registered it.
        if access.is_national_admin(request.user):
            return []
        return ["name", "code", "kind", "province"]


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ["name", "code", "agency", "service_kind", "is_active"]
    list_filter = ["is_active", "service_kind", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["name", "code", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "role", "agency", "unit"]
    list_filter = ["role", "agency__kind"]
    list_select_related = ["user", "agency", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["agency", "unit"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _restrict_role_choices(db_field, request, super().formfield_for_choice_field, kwargs)


admin.site.site_header = _("ZI Portal administration")
admin.site.site_title = _("ZI Portal administration")
admin.site.index_title = _("Manage agencies, units, people and evaluations")
