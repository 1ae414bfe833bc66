"""The national track: proposal windows, agencies' submissions to KemenPANRB and their proposed
units, the national stages, and the WBK/WBBM predicates awarded (and revoked)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models import Evaluation, Predicate
from units.models import Agency, Unit

# --- Proposal to KemenPANRB (pengusulan) ---------------------------------------------------------


def default_window_close(year: int):
    """KemenPANRB's online window usually closes at the end of May of the proposal year."""
    return datetime.date(year, 5, 31)


class ProposalWindow(models.Model):
    """The dates between which agencies may propose units for one year (data, set in admin)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(
        _("closes on"), blank=True, help_text=_("Empty: 31 May of the year.")
    )

    class Meta:
        verbose_name = _("proposal window")
        verbose_name_plural = _("proposal windows")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(opens_on__lte=models.F("closes_on")),
                name="proposal_window_opens_before_close",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.opens_on or '…'} – {self.closes_on}"

    def clean(self):
        if self.year and not self.closes_on:
            self.closes_on = default_window_close(self.year)
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            raise ValidationError({"opens_on": _("The window must open before it closes.")})


class Submission(models.Model):
    """An agency's proposal of units to KemenPANRB for one year (pengusulan)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        LOCKED = "locked", _("Locked")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    cover_letter_number = models.CharField(_("cover letter number"), max_length=120, blank=True)
    cover_letter_date = models.DateField(_("cover letter date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signer_position = models.CharField(_("signed by (position)"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="submission_agency_year"),
        ]

    def __str__(self):
        return f"{self.agency} · {self.year}"

    def get_absolute_url(self):
        return reverse("awards:submission_detail", args=[self.pk])


class NationalResult(models.TextChoices):
    WBK = "WBK", _("WBK")
    WBBM = "WBBM", _("WBBM")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class SubmissionItem(models.Model):
    """One proposed unit: its evaluation, the predicate asked for and the national outcome."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    evaluation = models.OneToOneField(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="submission_item",
    )
    proposed_predicate = models.CharField(
        _("proposed predicate"), max_length=10, choices=Predicate.choices
    )
    is_afirmasi = models.BooleanField(
        _("afirmasi"),
        default=False,
        help_text=_("Proposed below a threshold through KemenPANRB's afirmasi route (WBK only)."),
    )
    afirmasi_reason = models.TextField(_("reason for afirmasi"), blank=True)
    # What the TPI decided when the unit was proposed; later edits of the LKE do not move it.
    tpi_total = models.DecimalField(_("TPI total"), max_digits=16, decimal_places=10)
    tpi_verdict = models.CharField(
        _("TPI verdict"), max_length=10, choices=Predicate.choices, blank=True
    )
    failing_rules = models.JSONField(_("failing rules"), default=list, blank=True)
    tpn_pengungkit = models.DecimalField(
        _("TPN enablers (pengungkit)"), max_digits=16, decimal_places=10, null=True, blank=True
    )
    tpn_hasil = models.DecimalField(
        _("TPN results (hasil)"), max_digits=16, decimal_places=10, null=True, blank=True
    )
    tpn_total = models.DecimalField(
        _("TPN total"), max_digits=16, decimal_places=10, null=True, blank=True
    )
    result = models.CharField(
        _("national result"), max_length=20, choices=NationalResult.choices, blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed unit")
        verbose_name_plural = _("proposed units")
        ordering = ["submission", "evaluation__unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_afirmasi=False) | ~Q(afirmasi_reason=""),
                name="submission_item_afirmasi_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_afirmasi=False) | Q(proposed_predicate="WBK"),
                name="submission_item_afirmasi_only_wbk",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} → {self.proposed_predicate}"

    def get_absolute_url(self):
        return reverse("awards:submission_item_detail", args=[self.pk])


class NationalStage(models.Model):
    """One stage of the national evaluation (TPN) of a proposed unit, as the agency records it."""

    class Stage(models.TextChoices):
        ADMIN_SELECTION = "admin_selection", _("Administrative selection")
        OBJECTION = "objection", _("Objection window (sanggah)")
        DESK_EVALUATION = "desk_evaluation", _("Desk evaluation")
        FIELD_EVALUATION = "field_evaluation", _("Interview and field visit")
        PANEL = "panel", _("Panel")
        RESULT = "result", _("Result (penetapan)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    item = models.ForeignKey(
        SubmissionItem,
        verbose_name=_("proposed unit"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national stage")
        verbose_name_plural = _("national stages")
        ordering = ["item", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="national_stage_once_per_item"),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_stage_display()}"


class Award(models.Model):
    """A predicate the Minister set for a unit in a year (penetapan), by decree (SK)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="awards"
    )
    predicate = models.CharField(_("predicate"), max_length=10, choices=Predicate.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    decree_number = models.CharField(_("decree (SK) number"), max_length=120)
    decree_date = models.DateField(_("decree date"))
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    # One award per proposed unit: a second "create award" click finds this one instead.
    submission_item = models.OneToOneField(
        SubmissionItem,
        verbose_name=_("proposed unit"),
        on_delete=models.PROTECT,
        related_name="award",
        null=True,
        blank=True,
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Published awards appear on the public list of awarded units."),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revocation_decree = models.CharField(_("revocation decree number"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "predicate"], name="award_unique_per_unit_year"
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revocation_reason=""),
                name="award_revocation_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["year", "predicate"], name="award_year_predicate")]

    def __str__(self):
        return f"{self.predicate} {self.year} · {self.unit}"

    def get_absolute_url(self):
        return reverse("awards:detail", args=[self.pk])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None
