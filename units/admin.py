from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from zi_portal import access, uploads
from zi_portal.admin_scoping import AgencyScopedAdmin, AgencyScopedMixin

from . import services
from .models import PENCANANGAN_FORM_FIELDS, Agency, Membership, Pencanangan, Role, Unit


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
    # National roles (national_admin, and any other KemenPANRB role) are granted by KemenPANRB.
    if db_field.name == "role" and not access.is_national_admin(request.user):
        kwargs["choices"] = [c for c in Role.choices if not c[0].startswith("national_")]
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

    def save_model(self, request, obj, form, change):
        moved_to = obj.agency if change and "agency" in form.changed_data else None
        with transaction.atomic():
            if moved_to is not None:
                obj.agency_id = form.initial["agency"]  # the other edits first, then the move
            super().save_model(request, obj, form, change)
            if moved_to is not None:
                services.unit_move(unit=obj, agency=moved_to)
                obj.agency = moved_to


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ["user", "role", "agency", "unit"]
    list_filter = ["role", "agency__kind"]
    list_select_related = ["user", "agency", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["agency", "unit"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        return _restrict_role_choices(db_field, request, super().formfield_for_choice_field, kwargs)


class PencananganAdminForm(forms.ModelForm):
    class Meta:
        model = Pencanangan
        fields = ["agency", *PENCANANGAN_FORM_FIELDS]

    def clean_charter(self):
        charter = self.cleaned_data.get("charter")
        if isinstance(charter, UploadedFile):
            uploads.validate_upload(charter, allowed=uploads.PDF_ONLY)
        return charter

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        units = cleaned.get("units")
        if cleaned.get("covers_whole_agency") is False and units is not None and not units:
            self.add_error(
                "units",
                _("Choose the units this pencanangan covers, or tick “covers the whole agency”."),
            )
        if agency and units and any(u.agency_id != agency.pk for u in units):
            self.add_error(
                "units",
                ValidationError(
                    _("Every covered unit must belong to the agency of the pencanangan.")
                ),
            )
        return cleaned


@admin.register(Pencanangan)
class PencananganAdmin(AgencyScopedMixin, SimpleHistoryAdmin):
    """Pencanangan in admin; saves go through units.services like the portal's own pages."""

    form = PencananganAdminForm
    list_display = ["agency", "date", "place", "signed_by_name", "covers_whole_agency"]
    list_filter = ["covers_whole_agency", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "place", "signed_by_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["agency"]
    filter_horizontal = ["units"]
    readonly_fields = ["charter_download", "charter_sha256", "created_by", "updated_by"]
    # Private files have no URL, so the admin shows a plain input and links to the
    # access-checked download view instead.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    def get_readonly_fields(self, request, obj=None):
        # The agency of a recorded pencanangan is fixed: its charter and units belong to it.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "agency"] if obj else fields

    @admin.display(description=_("current charter"))
    def charter_download(self, obj):
        if not obj or not obj.pk or not obj.charter:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("units:pencanangan_charter", args=[obj.pk]),
            _("download"),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.PENCANANGAN_FIELDS if name in data}
        charter = data.get("charter")
        charter = charter if isinstance(charter, UploadedFile) else None
        units = list(data.get("units") or [])
        if change:
            saved = services.pencanangan_update(
                pencanangan=obj, by=request.user, charter=charter, units=units, **fields
            )
        else:
            saved = services.pencanangan_create(
                agency=data["agency"], by=request.user, charter=charter, units=units, **fields
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service has already set the covered units; form.save_m2m() would set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


admin.site.site_header = _("ZI Portal administration")
admin.site.site_title = _("ZI Portal administration")
admin.site.index_title = _("Manage agencies, units, people and evaluations")
