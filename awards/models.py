"""WBK/WBBM predicates awarded to units, and their revocation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models import Predicate
from units.models import Unit


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
        "evaluations.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    # One award per proposed unit: a second "create award" click finds this one instead.
    submission_item = models.OneToOneField(
        "evaluations.SubmissionItem",
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
        from django.urls import reverse

        return reverse("awards:detail", args=[self.pk])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None
