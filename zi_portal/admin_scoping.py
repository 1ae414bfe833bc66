"""Django admin that asks `access.py`, not Django's model permissions, who may do what.

National administrators manage everything; agency administrators (staff users) manage only the
rows of the agencies they administer. Every admin of the project derives from one of:

- `AgencyScopedAdmin` (or `AgencyScopedMixin` on an inline): rows an agency administrator
  changes, limited by `agency_path`;
- `NationalOnlyAdmin` (or `NationalOnlyMixin`): KemenPANRB's records. Only national
  administrators add, change or delete them; with an `agency_path`, agency administrators read
  their own agency's rows, without one they do not see the model at all.

Both offer, in every foreign-key, many-to-many and raw-id field, only the rows the user
administers (`scoped_choices`): another agency's id is answered with "Select a valid choice" and
its name is never shown.
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelChoiceField
from django.forms.models import BaseInlineFormSet

from . import access

# Reference data, the same for every agency (the rubric KemenPANRB publishes): any of its rows
# may be named. Any other model without an agency-scoped admin offers agency administrators
# nothing.
SHARED_MODELS = {
    "evaluations.rubricversion",
    "evaluations.criterion",
    "evaluations.option",
    "evaluations.threshold",
}


def scoped_choices(user, model, admin_site=admin.site):
    """Return the rows of `model` the user may choose in an admin form."""
    queryset = model._default_manager.all()
    if access.is_national_admin(user):
        return queryset
    if model is get_user_model():
        return access.admin_people_for(user)
    agency_path = getattr(admin_site._registry.get(model), "agency_path", None)
    if agency_path is not None:
        return access.administered(user, queryset, agency_path)
    if model._meta.label_lower in SHARED_MODELS:
        return queryset
    return queryset.none()


class ScopedForeignKeyRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id input whose label names the chosen row only when the user may choose it.

    Django's widget looks the id up among all rows, so a typed-in id of another agency would
    show that row's name next to the input.
    """

    def __init__(self, rel, admin_site, queryset, attrs=None, using=None):
        self.queryset = queryset
        super().__init__(rel, admin_site, attrs=attrs, using=using)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            allowed = self.queryset.using(self.db).filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            allowed = False
        return super().label_and_url_for_value(value) if allowed else ("", "")


class ScopedInlineFormSet(BaseInlineFormSet):
    """Inline rows whose hidden id accepts only the rows of the parent being edited.

    Django checks that id against every row of the model, so another agency's id silently turns
    the row into a new one; here it is answered with "Select a valid choice".
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, ModelChoiceField):
            field.queryset = self.get_queryset()


class ScopedFieldsMixin:
    """Offer in every relation field of the admin's forms only the rows the user may choose."""

    formset = ScopedInlineFormSet  # used when the mixin serves an inline

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(
                request.user, db_field.related_model, self.admin_site
            )
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = ScopedForeignKeyRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                kwargs["queryset"],
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Many-to-many raw ids show no names, so the queryset alone keeps them in scope.
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(
                request.user, db_field.related_model, self.admin_site
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgencyScopedMixin(ScopedFieldsMixin):
    """Scope an admin (or inline) to the agencies the request's user administers.

    `agency_path` is the lookup from the model to its `Agency` ("agency", "unit__agency", or
    "pk" for the Agency model itself).
    """

    agency_path = "agency"
    national_only_add = False
    national_only_delete = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.agency_path is None:
            return queryset  # no agency owns the rows; the permissions below refuse others
        return access.administered(request.user, queryset, self.agency_path)

    def _agency_id_of(self, obj):
        from units.models import Agency

        # Inlines are asked about their parent object, which may be the agency itself.
        if isinstance(obj, Agency) or self.agency_path == "pk":
            return obj.pk
        value = obj
        for part in self.agency_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value.pk

    def _administers(self, request, obj=None) -> bool:
        user = request.user
        if access.is_national_admin(user):
            return True
        if self.agency_path is None:
            return False
        agency_ids = set(access.admin_agencies_for(user).values_list("pk", flat=True))
        if obj is None:
            return bool(agency_ids)
        return self._agency_id_of(obj) in agency_ids

    def has_module_permission(self, request):
        return self._administers(request)

    def has_view_permission(self, request, obj=None):
        return self._administers(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._administers(request, obj)

    def has_add_permission(self, request, obj=None):
        if self.national_only_add:
            return access.is_national_admin(request.user)
        return self._administers(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.national_only_delete:
            return access.is_national_admin(request.user)
        return self._administers(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Routed only for SimpleHistoryAdmin. Its page of one stored revision saves whatever is
        # POSTed to it for anyone who may merely read the row; only those who may change the
        # row may revert it.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AgencyScopedAdmin(AgencyScopedMixin, admin.ModelAdmin):
    pass


class NationalOnlyMixin(AgencyScopedMixin):
    """KemenPANRB's records: only national administrators add, change or delete them.

    With an `agency_path`, agency administrators read their own agency's rows (every field
    read-only); with `agency_path = None` the model is hidden from everyone else.
    """

    agency_path = None

    def has_add_permission(self, request, obj=None):
        return access.is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_national_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_national_admin(request.user)


class NationalOnlyAdmin(NationalOnlyMixin, admin.ModelAdmin):
    pass
