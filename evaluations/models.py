"""The LKE rubric as versioned data, and each unit's evaluation with its answers and totals."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Agency, Unit


def _request_user(instance, request, **kwargs):
    """Return the signed-in user of the current request, for history rows written in a view."""
    return getattr(request, "user", None) if request is not None else None


def _answer_editor(instance, request, **kwargs):
    """Return who saved an answer: services record it as `updated_by`, even outside a request."""
    return instance.updated_by or _request_user(instance, request)


def _localized(obj, field: str) -> str:
    """Return the English text when the active language is English, else the Indonesian one."""
    language = get_language() or ""
    english = getattr(obj, f"{field}_en")
    return english if language.startswith("en") and english else getattr(obj, f"{field}_id")


class RubricVersion(models.Model):
    """One regulation's LKE (e.g. 2021: PermenPANRB 90/2021), loaded with `load_rubric`."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    regulation = models.CharField(_("regulation"), max_length=300)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("New evaluations use the active version."),
    )
    # The regulation's other numbers (national practice): proposing a unit for WBBM needs WBK held
    # this many years, and a unit whose predicate was revoked waits this long to be proposed again.
    wbbm_min_years_wbk = models.PositiveSmallIntegerField(
        _("years of WBK before WBBM"),
        default=2,
        help_text=_("A unit is proposed for WBBM only after holding WBK this many years."),
    )
    revocation_cooldown_years = models.PositiveSmallIntegerField(
        _("waiting years after a revocation"),
        default=2,
        help_text=_(
            "A unit whose predicate was revoked is not proposed again for this many years."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        ordering = ["-code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="rubric_one_active"
            ),
        ]

    def __str__(self):
        return f"LKE {self.code}"


class Criterion(models.Model):
    """One node of the rubric tree: component → subcomponent → area → sub-area → question."""

    class Kind(models.TextChoices):
        COMPONENT = "component", _("Component")
        SUBCOMPONENT = "subcomponent", _("Subcomponent")
        AREA = "area", _("Area")
        SUB_AREA = "sub_area", _("Sub-area")
        QUESTION = "question", _("Question")
        INPUT = "input", _("Numeric input")

    class AnswerType(models.TextChoices):
        NONE = "", _("None (scored from its children)")
        YES_NO = "yes_no", _("Yes / no")
        ABC = "abc", _("A/B/C")
        ABCD = "abcd", _("A/B/C/D")
        ABCDE = "abcde", _("A/B/C/D/E")
        PERCENT = "percent", _("Percentage of inputs")
        DECREASE = "decrease", _("Decrease from last year")
        SURVEY = "survey", _("Survey index")
        GRADE = "grade", _("Grade A–E")
        NUMBER = "number", _("Number")

    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="children",
        null=True,
        blank=True,
    )
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # Position in the whole tree and depth, so that a page lists the tree with one ordered query.
    position = models.PositiveIntegerField(_("position in the tree"), default=0, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=4, null=True, blank=True)
    answer_type = models.CharField(
        _("answer type"), max_length=20, choices=AnswerType.choices, blank=True
    )
    formula = models.CharField(
        _("formula"),
        max_length=300,
        blank=True,
        help_text=_("For computed questions, e.g. ratio(numerator, denominator)."),
    )
    excel_formula = models.CharField(
        _("official workbook formula"),
        max_length=300,
        blank=True,
        help_text=_(
            "Used only in Excel-compatible mode, where the workbook departs from the rule."
        ),
    )
    label_id = models.CharField(_("label (Indonesian)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    guidance_id = models.TextField(_("evidence guidance (Indonesian)"), blank=True)
    guidance_en = models.TextField(_("evidence guidance (English)"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique"),
        ]
        indexes = [models.Index(fields=["rubric", "kind"], name="criterion_rubric_kind")]

    def __str__(self):
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return _localized(self, "label")

    @property
    def guidance(self) -> str:
        return _localized(self, "guidance")


class Option(models.Model):
    """An answer a letter question offers, its value and what qualifies for it."""

    question = models.ForeignKey(
        Criterion,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="options",
        limit_choices_to={"kind": Criterion.Kind.QUESTION},
    )
    letter = models.CharField(_("letter"), max_length=10)
    value = models.DecimalField(
        _("value"),
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "letter"], name="option_letter_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=1), name="option_value_between_0_and_1"
            ),
        ]

    def __str__(self):
        return f"{self.letter} ({self.value})"

    @property
    def description(self) -> str:
        return _localized(self, "description")


class Predicate(models.TextChoices):
    WBK = "WBK", _("WBK (Corruption-Free Zone)")
    WBBM = "WBBM", _("WBBM (Clean and Serving Bureaucracy Zone)")


class Threshold(models.Model):
    """One rule a predicate needs under a rubric version (the regulation's threshold table)."""

    class Kind(models.TextChoices):
        SCORE = "score", _("Score of a criterion (or the total)")
        AREA_SHARE = "area_share", _("Share of every area's weight")
        PRIOR_PREDICATE = "prior_predicate", _("Predicate already held")

    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.CASCADE,
        related_name="thresholds",
    )
    predicate = models.CharField(_("predicate"), max_length=10, choices=Predicate.choices)
    rule = models.SlugField(_("rule"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    target = models.CharField(
        _("target"),
        max_length=40,
        blank=True,
        help_text=_(
            "Criterion code for a score rule (empty: the total); predicate for a prior-predicate "
            "rule."
        ),
    )
    minimum = models.DecimalField(
        _("minimum"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Points for a score rule; a fraction such as 0.60 for an area rule."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    label_id = models.CharField(_("label (Indonesian)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["rubric", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "predicate", "rule"], name="threshold_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="prior_predicate") | Q(minimum__isnull=False),
                name="threshold_needs_minimum",
            ),
        ]

    def __str__(self):
        return f"{self.predicate} · {self.label or self.rule}"

    @property
    def label(self) -> str:
        return _localized(self, "label")


class Level(models.TextChoices):
    SELF = "self", _("Self-assessment")
    TPI = "tpi", _("Internal assessment team (TPI)")
    TPN = "tpn", _("National assessment team (TPN)")


class Evaluation(models.Model):
    """One unit's LKE for one year, answered at several levels (self, TPI, TPN)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SELF_SUBMITTED = "self_submitted", _("Self-assessment submitted")
        TPI_REVIEW = "tpi_review", _("TPI review")
        TPI_FINAL = "tpi_final", _("TPI final (LHE issued)")
        PROPOSED = "proposed", _("Proposed to KemenPANRB")
        ADMIN_SELECTION = "admin_selection", _("Administrative selection")
        DESK_EVALUATION = "desk_evaluation", _("Desk evaluation")
        FIELD_EVALUATION = "field_evaluation", _("Field evaluation")
        PANEL = "panel", _("Panel")
        AWARDED_WBK = "awarded_wbk", _("Awarded WBK")
        AWARDED_WBBM = "awarded_wbbm", _("Awarded WBBM")
        NOT_AWARDED = "not_awarded", _("Not awarded")
        REVOKED = "revoked", _("Revoked")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # The unit's agency, copied so that an agency's evaluations are read from one index (the
    # evaluation list walked every unit's evaluations to find them). save() fills it in, Unit.save
    # carries a move to another agency over, and on PostgreSQL a foreign key on (unit, agency)
    # cascades it even for updates that bypass save().
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # the (agency, -year) index below serves it
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Moves on, under the row lock, with every change of what the LKE shows (answers, evidence,
    # status): the rendered LKE is cached under it (evaluations/lke_cache.py).
    content_version = models.PositiveIntegerField(_("content version"), default=1)
    # Answered questions without live evidence, kept by the services that change either (in the
    # same transaction): the dashboards read it for 20,000 units at once.
    evidence_missing = models.PositiveIntegerField(
        _("answered questions without evidence"), default=0, editable=False
    )
    # The evaluation list's order (year, agency name, unit name), copied from the agency and the
    # unit so that a page of it is read in order from one index: sorting every LKE of a year by
    # the joined names to show 25 was most of the national list's time. save() fills them in;
    # renaming an agency or a unit, or moving a unit, carries over (evaluations/signals.py).
    agency_name = models.CharField(_("agency name"), max_length=200, default="", editable=False)
    unit_name = models.CharField(_("unit name"), max_length=200, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Every status change is kept with who and when (the Riwayat page).
    history = HistoricalRecords(
        get_user=_request_user, excluded_fields=["agency_name", "unit_name"]
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="evaluation_unit_year_unique"),
            # What an award's (evaluation, unit, year) foreign key refers to on PostgreSQL, so
            # that an award names its evaluation's own unit and year.
            models.UniqueConstraint(
                fields=["id", "unit", "year"], name="evaluation_id_unit_year_unique"
            ),
        ]
        # The dashboards and per-year counts pick one year's evaluations among every year's;
        # without it PostgreSQL scanned all 100,000 rows of the national dataset to find them.
        indexes = [
            models.Index(fields=["year", "unit"], name="evaluation_year_unit"),
            # The evaluation list's order (selectors.LIST_ORDER), read a page at a time: every
            # agency's, and an agency's own (which also counts an agency's evaluations by year).
            models.Index(
                fields=["-year", "agency_name", "unit_name", "id"], name="evaluation_list_order"
            ),
            models.Index(
                fields=["agency", "-year", "agency_name", "unit_name", "id"],
                name="evaluation_agency_list_order",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year}"

    def save(self, *args, **kwargs):
        if self.agency_id is None and self.unit_id is not None:
            self.agency_id = self.unit.agency_id
        if self._state.adding and self.unit_id is not None:
            self.agency_name, self.unit_name = self.unit.agency.name, self.unit.name
        super().save(*args, **kwargs)


class Answer(models.Model):
    """One question's answer at one level: a letter, a survey index or a computation's inputs."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Criterion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="answers",
        limit_choices_to={"kind": Criterion.Kind.QUESTION},
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    option = models.ForeignKey(
        Option,
        verbose_name=_("option"),
        on_delete=models.PROTECT,
        related_name="answers",
        null=True,
        blank=True,
    )
    number = models.DecimalField(
        _("number"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "A survey index (0–4), or the value an evaluator gives a percentage that cannot be "
            "computed (0–1)."
        ),
    )
    # Input code → number as a decimal string, e.g. {"A.II.1.i.a.1": "12"}: the inputs of a
    # percent or decrease question travel and lock with its answer.
    inputs = models.JSONField(_("numeric inputs"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_to_unit = models.TextField(_("note to the unit"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=_answer_editor)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["evaluation", "question__position", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "question", "level"], name="answer_unique_per_level"
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=True) | Q(number__isnull=True),
                name="answer_option_or_number",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.question.code} · {self.level}"


class EvaluationScore(models.Model):
    """The stored totals of one level of an evaluation, kept in step with its answers."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # Decimal with ten places: the exact score to far below display precision, summable by the
    # database. The verdict is decided on the exact value before it is stored.
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=10, default=0)
    pengungkit = models.DecimalField(
        _("enablers (pengungkit)"), max_digits=16, decimal_places=10, default=0
    )
    pemenuhan = models.DecimalField(
        _("fulfilment (pemenuhan)"), max_digits=16, decimal_places=10, default=0
    )
    reform = models.DecimalField(_("reform"), max_digits=16, decimal_places=10, default=0)
    hasil = models.DecimalField(_("results (hasil)"), max_digits=16, decimal_places=10, default=0)
    areas = models.JSONField(_("areas"), default=dict, blank=True)
    # Criterion code → score of every component, subcomponent and weighted (hasil) line, so that
    # dashboards can check each threshold rule without rescoring.
    parts = models.JSONField(_("scores of components and hasil lines"), default=dict, blank=True)
    verdict = models.CharField(
        _("recommended predicate"), max_length=10, choices=Predicate.choices, blank=True
    )
    answered = models.PositiveSmallIntegerField(_("answered questions"), default=0)
    question_count = models.PositiveSmallIntegerField(_("questions"), default=0)
    complete = models.BooleanField(_("complete"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "level"], name="score_unique_per_level"),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.level} · {self.total:.2f}"


def _private_storage():
    # Resolved on use so that tests (and deployments) can point the storage elsewhere.
    from zi_portal.uploads import private_storage

    return private_storage()


class Evidence(models.Model):
    """A document or link (bukti dukung) supporting the answers to one question of an evaluation.

    A file's versions are kept as `EvidenceRevision` rows; the evidence row mirrors the newest
    one. Removing evidence only marks it, so that the history keeps what was shown to whom.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    question = models.ForeignKey(
        Criterion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="evidence",
        limit_choices_to={"kind": Criterion.Kind.QUESTION},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    # Only web links: other schemes (javascript:, file:, ftp:) are refused.
    url = models.URLField(
        _("link"),
        max_length=1000,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    file = models.FileField(_("file"), storage=_private_storage, max_length=300, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    is_removed = models.BooleanField(_("removed"), default=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Services set `_history_user`; views fall back to the request's user.
    history = HistoricalRecords(get_user=_request_user)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["evaluation", "question", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & ~Q(url="") & Q(file="")),
                name="evidence_file_or_link",
            ),
            # One live link per question: a second add of the same address (a double click, two
            # tabs) is refused, not stored again.
            models.UniqueConstraint(
                fields=["evaluation", "question", "url"],
                condition=Q(kind="link", is_removed=False),
                name="evidence_link_unique_per_question",
                violation_error_message=_("This link is already evidence for this question."),
            ),
        ]
        indexes = [
            models.Index(fields=["evaluation", "question"], name="evidence_eval_question"),
        ]

    def __str__(self):
        return self.original_filename or self.url


class EvidenceRevision(models.Model):
    """One version of an evidence file: replacing a file adds a revision, never overwrites."""

    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidence"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    file = models.FileField(_("file"), storage=_private_storage, max_length=300)
    original_filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence revision")
        verbose_name_plural = _("evidence revisions")
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "number"], name="evidence_revision_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.original_filename} (#{self.number})"


class StatusChange(models.Model):
    """One step of an evaluation's workflow: who moved it, from where to where, and why."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Evaluation.Status.choices
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Evaluation.Status.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.evaluation} · {self.from_status} → {self.to_status}"


class BulkExport(models.Model):
    """Every LKE workbook and LHE of an agency's year as one zip, made by a background job for
    the administrator who asked; deleted after BULK_EXPORT_KEEP_DAYS."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (requested_by, agency, -created_at) index below serves it
    )
    # The requester's language: the job writes the LHE and the workbooks' labels in it.
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("evaluations"), default=0)
    done = models.PositiveIntegerField(_("evaluations done"), default=0)
    # In default storage, never served by URL: the download view checks access first.
    file = models.FileField(_("file"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk export")
        verbose_name_plural = _("bulk exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["requested_by", "agency", "-created_at"], name="bulkexport_user_agency"
            ),
            # The clean-up job finds old exports by age.
            models.Index(fields=["created_at"], name="bulkexport_created"),
        ]

    def __str__(self):
        return f"{self.agency} · {self.year} · {self.get_status_display()}"

    @property
    def download_name(self) -> str:
        return f"LKE-LHE-{self.agency.code}-{self.year}.zip"
