"""Agencies (instansi), their units (unit kerja) and who works in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zi_portal.uploads import private_storage, upload_path

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
            # What evaluations' (unit, agency) foreign key refers to on PostgreSQL.
            models.UniqueConstraint(fields=["id", "agency"], name="unit_id_agency_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:unit_detail", args=[self.pk])


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    # A member of KemenPANRB's national team (TPN); like the national administrator, no agency.
    NATIONAL_EVALUATOR = "national_evaluator", _("National evaluator (TPN)")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    EVALUATOR = "evaluator", _("Evaluator (TPI)")
    UNIT_OPERATOR = "unit_operator", _("Unit operator")
    VIEWER = "viewer", _("Viewer")


# Roles of KemenPANRB's own staff, held without an agency.
NATIONAL_ROLES = (Role.NATIONAL_ADMIN, Role.NATIONAL_EVALUATOR)


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
        help_text=_("Empty only for national administrators and national evaluators (KemenPANRB)."),
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
                condition=(
                    Q(role__in=["national_admin", "national_evaluator"]) | Q(agency__isnull=False)
                ),
                name="membership_needs_agency",
            ),
            # A national evaluator sees proposed units of every agency and nothing of any
            # agency's own: an agency on the membership would open that agency's pages.
            models.CheckConstraint(
                condition=~Q(role="national_evaluator") | Q(agency__isnull=True),
                name="membership_national_evaluator_no_agency",
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
        if self.role not in NATIONAL_ROLES and not self.agency_id:
            errors["agency"] = _("Choose the agency this role applies to.")
        if self.role == Role.NATIONAL_EVALUATOR and (self.agency_id or self.unit_id):
            errors["agency"] = _(
                "A national evaluator works for KemenPANRB, not for an agency: leave the agency "
                "and the unit empty."
            )
        if self.role == Role.UNIT_OPERATOR and not self.unit_id:
            errors["unit"] = _("A unit operator works for one unit: choose it.")
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = _("This unit belongs to another agency.")
        if errors:
            raise ValidationError(errors)


MAX_LINKS = 20


def charter_upload_to(instance, filename):
    return upload_path(f"pencanangan/{instance.agency_id}", filename)


# What a person fills in for a pencanangan, in the order the forms show it; the agency, who and
# when are set by the services. One list for the portal's form, the admin and the services.
PENCANANGAN_FORM_FIELDS = [
    "date",
    "place",
    "signed_by_name",
    "signed_by_position",
    "witness_kemenpanrb",
    "witness_kpk",
    "witness_ombudsman",
    "witness_others",
    "charter",
    "covers_whole_agency",
    "units",
    "links",
]


class Pencanangan(models.Model):
    """An agency's public commitment to build an integrity zone, with its signed charter.

    PermenPANRB 90/2021: the head of the agency signs the charter (piagam), usually witnessed
    by KemenPANRB, KPK or the Ombudsman, for the whole agency or for chosen units.
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="pencanangan_set",
    )
    date = models.DateField(_("date of signing"))
    place = models.CharField(_("place"), max_length=200)
    signed_by_name = models.CharField(_("signed by (name)"), max_length=200)
    signed_by_position = models.CharField(
        _("signed by (position)"),
        max_length=200,
        help_text=_("For example: Bupati Sleman, Menteri Keuangan."),
    )
    witness_kemenpanrb = models.BooleanField(_("witnessed by KemenPANRB"), default=False)
    witness_kpk = models.BooleanField(_("witnessed by KPK"), default=False)
    witness_ombudsman = models.BooleanField(_("witnessed by the Ombudsman"), default=False)
    witness_others = models.CharField(
        _("other witnesses"),
        max_length=300,
        blank=True,
        help_text=_("For example: the provincial prosecutor's office, the regional parliament."),
    )
    charter = models.FileField(
        _("signed charter (PDF)"),
        storage=private_storage,
        upload_to=charter_upload_to,
        max_length=255,
    )
    charter_sha256 = models.CharField(_("charter SHA-256"), max_length=64, editable=False)
    covers_whole_agency = models.BooleanField(
        _("covers the whole agency"),
        default=True,
        help_text=_("Untick to choose the units this pencanangan covers."),
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("covered units"),
        blank=True,
        related_name="pencanangan_set",
    )
    links = models.TextField(
        _("photo and news links"),
        blank=True,
        help_text=_("Optional: one web address per line (photos, news, video)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("pencanangan")
        verbose_name_plural = _("pencanangan")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["agency", "date"], name="pencanangan_agency_date")]

    def __str__(self):
        return f"{self.agency} · {self.date:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("units:pencanangan_detail", args=[self.pk])

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def witness_labels(self) -> list[str]:
        labels = [
            label
            for flag, label in (
                (self.witness_kemenpanrb, "KemenPANRB"),
                (self.witness_kpk, "KPK"),
                (self.witness_ombudsman, "Ombudsman"),
            )
            if flag
        ]
        if self.witness_others:
            labels.append(self.witness_others)
        return labels

    def clean(self):
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("The date of signing cannot be in the future.")
        links = self.link_list
        if len(links) > MAX_LINKS:
            errors["links"] = _("At most %(count)s links, one per line.") % {"count": MAX_LINKS}
        else:
            validate_url = URLValidator(schemes=["http", "https"])
            for link in links:
                try:
                    validate_url(link)
                except ValidationError:
                    errors["links"] = _(
                        "“%(link)s” is not a web address; write one address per line, "
                        "starting with https://."
                    ) % {"link": link[:80]}
                    break
        if errors:
            raise ValidationError(errors)
