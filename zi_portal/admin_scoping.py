"""Django admin that asks `access.py`, not Django's model permissions, who may do what.

National administrators manage everything; agency administrators (staff users) manage only the
rows of the agencies they administer. Other apps' admins reuse `AgencyScopedAdmin`.
"""

from django.contrib import admin

from . import access


class AgencyScopedMixin:
    """Scope an admin (or inline) to the agencies the request's user administers.

    `agency_path` is the lookup from the model to its `Agency` ("agency", "unit__agency", or
    "pk" for the Agency model itself).
    """

    agency_path = "agency"
    national_only_add = False
    national_only_delete = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if access.is_national_admin(request.user):
            return queryset
        return queryset.filter(
            **{f"{self.agency_path}__in": access.admin_agencies_for(request.user)}
        )

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not access.is_national_admin(user):
            from django.contrib.auth import get_user_model
            from django.db.models import Q

            from units.models import Agency, Unit

            if db_field.related_model is Agency:
                kwargs["queryset"] = access.admin_agencies_for(user)
            elif db_field.related_model is Unit:
                kwargs["queryset"] = Unit.objects.filter(
                    agency__in=access.admin_agencies_for(user)
                ).select_related("agency")
            elif db_field.related_model is get_user_model():
                # People of the agency, or accounts not yet placed anywhere; never the
                # staff list of other agencies.
                kwargs["queryset"] = (
                    get_user_model()
                    .objects.filter(
                        Q(memberships__agency__in=access.admin_agencies_for(user))
                        | Q(memberships__isnull=True)
                    )
                    .distinct()
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        from units.models import Unit

        # Choices of units (e.g. the units a pencanangan covers) stop at the user's agencies.
        if db_field.related_model is Unit and not access.is_national_admin(request.user):
            kwargs["queryset"] = Unit.objects.filter(
                agency__in=access.admin_agencies_for(request.user)
            ).select_related("agency")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgencyScopedAdmin(AgencyScopedMixin, admin.ModelAdmin):
    pass
