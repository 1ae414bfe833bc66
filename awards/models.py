"""The national track: proposal windows, agencies' submissions to KemenPANRB and their proposed
units, the national stages and objections (sanggah), and the WBK/WBBM predicates awarded in the
Minister's announcements (and revoked)."""

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
from zi_portal.uploads import private_storage

# --- Proposal to KemenPANRB (pengusulan) ---------------------------------------------------------


def default_window_close(year: int):
    """KemenPANRB's online window usually closes at the end of May of the proposal year."""
    return datetime.date(year, 5, 31)


DEFAULT_OBJECTION_DAYS = 7


class ProposalWindow(models.Model):
    """The dates between which agencies may propose units for one year, and how long they may
    object to an administrative selection; KemenPANRB's national administrators set them."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(
        _("closes on"), blank=True, help_text=_("Empty: 31 May of the year.")
    )
    objection_days = models.PositiveSmallIntegerField(
        _("objection period (days)"),
        default=DEFAULT_OBJECTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Days after the administrative selection during which an agency may object to a "
            "unit that did not pass it (sanggah)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal window")
        verbose_name_plural = _("proposal windows")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(opens_on__lte=models.F("closes_on")),
                name="proposal_window_opens_before_close",
            ),
            models.CheckConstraint(
                condition=Q(objection_days__gte=1, objection_days__lte=60),
                name="proposal_window_objection_days_range",
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
            # What an award's (proposed unit, evaluation, predicate) foreign key refers to on
            # PostgreSQL: an award repeats its item's evaluation and result.
            models.UniqueConstraint(
                fields=["id", "evaluation", "result"], name="submission_item_id_evaluation_result"
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} → {self.proposed_predicate}"

    def get_absolute_url(self):
        return reverse("awards:submission_item_detail", args=[self.pk])


class NationalStage(models.Model):
    """One stage of the national evaluation (TPN) of a proposed unit, as KemenPANRB records it.

    Stages follow one another in the order of `Stage`, each only after the one before passed. A
    stage recorded by mistake is withdrawn (with a reason), never deleted: the row stays in the
    history, marked, and the stage may be recorded again.
    """

    class Stage(models.TextChoices):
        ADMIN_SELECTION = "admin_selection", _("Administrative selection")
        OBJECTION = "objection", _("Objection period (sanggah)")
        DESK_EVALUATION = "desk_evaluation", _("Desk evaluation")
        FIELD_EVALUATION = "field_evaluation", _("Interview and field observation")
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
    # What the national evaluators found at the desk evaluation or the field visit; KemenPANRB
    # decides the outcome.
    findings = models.TextField(_("findings"), blank=True)
    findings_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("findings by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national stage")
        verbose_name_plural = _("national stages")
        ordering = ["item", "date", "pk"]
        constraints = [
            # Withdrawn records stay beside the one that replaced them.
            models.UniqueConstraint(
                fields=["item", "stage"],
                condition=Q(is_withdrawn=False),
                name="national_stage_once_per_item",
            ),
            models.CheckConstraint(
                condition=Q(is_withdrawn=False) | ~Q(withdrawal_reason=""),
                name="national_stage_withdrawal_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_stage_display()}"

    @property
    def is_decided(self) -> bool:
        return self.outcome != self.Outcome.PENDING


class Objection(models.Model):
    """An agency's objection (sanggah) to a unit's failed administrative selection.

    Filed by the agency's administrator within the proposal window's objection period, decided
    by KemenPANRB; an accepted objection puts the unit back on the track at desk evaluation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    stage = models.ForeignKey(
        NationalStage,
        verbose_name=_("contested stage"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    reason = models.TextField(_("reason for the objection"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection (sanggah)")
        verbose_name_plural = _("objections (sanggah)")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stage"], name="objection_once_per_stage"),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(decision_reason=""),
                name="objection_decision_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.stage} · {self.get_status_display()}"


class ObjectionAttachment(models.Model):
    """A document supporting an objection, checked and stored like evidence."""

    objection = models.ForeignKey(
        Objection,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), storage=private_storage, max_length=300)
    original_filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")
        ordering = ["objection", "pk"]

    def __str__(self):
        return self.original_filename


# --- The Minister's announcements and the predicates they set ------------------------------------


class Announcement(models.Model):
    """One decree of the Minister setting predicates for many units, announced on one day.

    Awards are added to it unpublished. Publishing it makes its awards public from
    `publish_on`: the public list shows an award once its announcement is published and that
    day has come, so an announcement published ahead of the ceremony appears on the day itself.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    decree_number = models.CharField(_("decree (SK) number"), max_length=120, unique=True)
    decree_date = models.DateField(_("decree date"))
    publish_on = models.DateField(
        _("publication date"),
        help_text=_("The day its awards appear on the public list, once it is published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-year", "-decree_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decree_date__lte=models.F("publish_on")),
                name="announcement_decree_before_publication",
            ),
        ]

    def __str__(self):
        return f"{self.decree_number} ({self.year})"

    def get_absolute_url(self):
        return reverse("awards:announcement_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self):
        if self.decree_date and self.publish_on and self.decree_date > self.publish_on:
            raise ValidationError(
                {"publish_on": _("The announcement cannot be published before its decree date.")}
            )


class Award(models.Model):
    """A predicate the Minister set for a unit in a year (penetapan), by decree (SK).

    Created from a national result, unpublished, in an announcement whose decree it repeats;
    public once that announcement is published and its day has come. Its unit, evaluation,
    proposed unit and predicate agree (`clean`, and on PostgreSQL foreign keys over the pairs).
    """

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
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published awards appear on the public list from their publication date."),
    )
    published_on = models.DateField(_("public from"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_on__isnull=False),
                name="award_published_has_a_date",
            ),
            # The database checks the item against the evaluation only when both are named.
            models.CheckConstraint(
                condition=Q(submission_item__isnull=True) | Q(evaluation__isnull=False),
                name="award_item_needs_evaluation",
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

    def clean(self):
        errors = {}
        item = self.submission_item if self.submission_item_id else None
        evaluation = self.evaluation if self.evaluation_id else None
        if item is not None:
            if evaluation is None or item.evaluation_id != evaluation.pk:
                errors["evaluation"] = _("The evaluation must be the one the proposed unit names.")
            if self.predicate and item.result != self.predicate:
                errors["predicate"] = _(
                    "The predicate must be the proposed unit's national result (%(result)s)."
                ) % {"result": item.get_result_display() or "—"}
        if evaluation is not None:
            if self.unit_id and evaluation.unit_id != self.unit_id:
                errors["unit"] = _("The unit must be the evaluation's unit.")
            if self.year and evaluation.year != self.year:
                errors["year"] = _("The year must be the evaluation's year (%(year)s).") % {
                    "year": evaluation.year
                }
        if self.announcement_id and self.year and self.announcement.year != self.year:
            errors.setdefault("announcement", _("The announcement must be of the award's year."))
        if self.is_published and not self.published_on:
            errors["published_on"] = _("A published award needs the date it is public from.")
        if errors:
            raise ValidationError(errors)
