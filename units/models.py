"""Agencies (instansi), their units (unit kerja) and who works in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .provinces import PROVINCE_CHOICES

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]*$",
    _("Use capital letters, digits, dots, hyphens or underscores only."),
)


class Agency(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "kementerian", _("Ministry")
        INSTITUTION = "lembaga", _("Non-ministerial institution")
        PROVINCE = "provinsi", _("Provincial government")
        REGENCY = "kabupaten", _("Regency government")
        CITY = "kota", _("City government")

    REGIONAL_KINDS = {Kind.PROVINCE, Kind.REGENCY, Kind.CITY}

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("short code"), max_length=30, unique=True, validators=[code_validator]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.CharField(
        _("province"),
        max_length=60,
        blank=True,
        choices=PROVINCE_CHOICES,
        help_text=_("Required for provincial, regency and city governments."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["kementerian", "lembaga"]) | ~Q(province=""),
                name="agency_regional_needs_province",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:agency_detail", args=[self.pk])

    def clean(self):
        if self.kind in self.REGIONAL_KINDS and not self.province:
            raise ValidationError({"province": _("A regional government must name its province.")})
        if self.kind not in self.REGIONAL_KINDS and self.province:
            raise ValidationError(
                {"province": _("Ministries and institutions are not tied to a province.")}
            )


class Unit(models.Model):
    class ServiceKind(models.TextChoices):
        GENERAL = "umum", _("General administration")
        LICENSING = "perizinan", _("Licensing and investment")
        HEALTH = "kesehatan", _("Health (hospital, clinic)")
        EDUCATION = "pendidikan", _("Education")
        CIVIL_REGISTRY = "kependudukan", _("Civil registry")
        TAX_FINANCE = "keuangan", _("Tax and finance")
        LAW_COURT = "hukum", _("Law and courts")
        SECURITY = "keamanan", _("Police and security")
        TRANSPORT = "perhubungan", _("Transport")
        SOCIAL = "sosial", _("Social services")
        OTHER = "lainnya", _("Other")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("short code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Unique in the whole portal; commands and imports name the unit by it."),
    )
    service_kind = models.CharField(
        _("kind of service"),
        max_length=20,
        choices=ServiceKind.choices,
        default=ServiceKind.GENERAL,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:unit_detail", args=[self.pk])


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    EVALUATOR = "evaluator", _("Evaluator (TPI)")
    UNIT_OPERATOR = "unit_operator", _("Unit operator")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in one agency, optionally narrowed to one of its units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Empty only for national administrators, who see every agency."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Leave empty for a role over the whole agency."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "user__username"]
        constraints = [
            # Three partial constraints because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(unit__isnull=False),
                name="membership_unique_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(unit__isnull=True, agency__isnull=False),
                name="membership_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="membership_unique_national",
            ),
            models.CheckConstraint(
                condition=Q(role="national_admin") | Q(agency__isnull=False),
                name="membership_needs_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role="unit_operator") | Q(unit__isnull=False),
                name="membership_operator_needs_unit",
            ),
        ]

    def __str__(self):
        scope = self.unit or self.agency or _("all agencies")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self):
        errors = {}
        if self.role != Role.NATIONAL_ADMIN and not self.agency_id:
            errors["agency"] = _("Choose the agency this role applies to.")
        if self.role == Role.UNIT_OPERATOR and not self.unit_id:
            errors["unit"] = _("A unit operator works for one unit: choose it.")
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = _("This unit belongs to another agency.")
        if errors:
            raise ValidationError(errors)
