"""The experiential pilot: a municipal hackathon, resident initiatives, scored selection, support and the
six- and nine-month reviews.

Every row reaches its municipality through a direct `municipality` FK (tenancy), copied from its parent by
the services; the checks in `clean()` keep the copy honest.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehila.models import Program, TenantOwned, Track

SCALE_MIN, SCALE_MAX = 1, 5
SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
MONEY = {"max_digits": 12, "decimal_places": 2}


def _same_municipality(child, *parents):
    for parent in parents:
        if parent is not None and parent.municipality_id != child.municipality_id:
            raise ValidationError(_("All parts must belong to the same municipality."))


class Hackathon(TenantOwned):
    """The municipal hackathon of one program year: when and where, the windows for registration and
    submissions, and the pilot budget that grants draw on."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="hackathons", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("program year"), default=1)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    vision = models.TextField(
        _("vision"),
        blank=True,
        help_text=_("The vision shown to participants next to the challenges."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    pilot_budget = models.DecimalField(
        _("pilot budget"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    required_scorers = models.PositiveSmallIntegerField(
        _("scorers required per initiative"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("An initiative is decided only once this many committee members scored it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hackathon")
        verbose_name_plural = _("hackathons")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], name="hackathon_one_per_program_year"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if (
            self.program_id
            and self.municipality_id
            and self.program.municipality_id != self.municipality_id
        ):
            raise ValidationError(_("All parts must belong to the same municipality."))
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )
        if (
            self.registration_opens_at
            and self.submission_deadline
            and self.submission_deadline <= self.registration_opens_at
        ):
            raise ValidationError(
                {
                    "submission_deadline": _(
                        "The submission deadline must come after registration opens."
                    )
                }
            )

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    def submissions_are_open(self, now=None) -> bool:
        """One rule for the public form, the personal edit link and the service."""
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.submission_deadline

    def submissions_closed(self, now=None) -> bool:
        """The selection gate's first condition: nothing can still change what is being judged."""
        return (now or timezone.now()) >= self.submission_deadline


class Participant(TenantOwned):
    """Someone who registered for the hackathon through the public form, alone or with a team."""

    hackathon = models.ForeignKey(
        Hackathon,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("hackathon"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    team_name = models.CharField(
        _("team"), max_length=200, blank=True, help_text=_("Leave empty if you come on your own.")
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="he"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["team_name", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hackathon", "email"], name="participant_once_per_hackathon"
            )
        ]

    def __str__(self):
        return self.full_name


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    ACTIVE = "active", _("Active")
    CONTINUED = "continued", _("Continued into year two")
    STOPPED = "stopped", _("Support stopped")


# The funnel: each stage counts the initiatives that reached it, whatever happened next.
REACHED_SELECTED = (
    InitiativeStatus.SELECTED,
    InitiativeStatus.ACTIVE,
    InitiativeStatus.CONTINUED,
    InitiativeStatus.STOPPED,
)
REACHED_ACTIVE = (InitiativeStatus.ACTIVE, InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED)
SUPPORTED = (InitiativeStatus.SELECTED, InitiativeStatus.ACTIVE)


class Initiative(TenantOwned):
    """A resident initiative submitted through the public form; its lead edits it through a personal link."""

    hackathon = models.ForeignKey(
        Hackathon, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("hackathon")
    )
    title = models.CharField(_("title"), max_length=200)
    team_name = models.CharField(_("team name"), max_length=200, blank=True)
    team_members = models.TextField(_("team members"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="he"
    )
    description = models.TextField(_("description"))
    focus_challenge = models.ForeignKey(
        "strategy.FocusChallenge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("focus challenge"),
    )
    track = models.CharField(_("track"), max_length=20, choices=Track)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100)
    needs_connections = models.BooleanField(_("needs connections"), default=False)
    needs_mentoring = models.BooleanField(_("needs mentoring"), default=False)
    needs_money = models.BooleanField(_("needs money"), default=False)
    money_amount = models.DecimalField(
        _("amount requested"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus, default=InitiativeStatus.SUBMITTED
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    mentor = models.CharField(_("mentor"), max_length=200, blank=True)
    review_reason = models.TextField(_("reason for the review decision"), blank=True)
    review_objectives = models.TextField(
        _("related objectives"),
        blank=True,
        help_text=_("Which objectives of the strategic plan the initiative advances."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    year_two = models.BooleanField(_("carried into year two"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hackathon", "contact_email", "title"], name="initiative_no_double_submit"
            ),
            models.CheckConstraint(
                condition=Q(money_amount__isnull=True) | Q(money_amount__gte=0),
                name="initiative_money_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        _same_municipality(self, getattr(self, "hackathon", None))
        if self.focus_challenge_id and self.focus_challenge.municipality_id != self.municipality_id:
            raise ValidationError(
                {"focus_challenge": _("Choose one of this municipality's challenges.")}
            )
        if self.needs_money and not self.money_amount:
            raise ValidationError({"money_amount": _("Say how much money the initiative needs.")})

    @property
    def is_decided(self) -> bool:
        """The decision is told to the applicants when recorded: from then on the selection of this
        initiative is published, and blind scoring no longer hides who is behind it."""
        return self.status != InitiativeStatus.SUBMITTED

    @property
    def was_selected(self) -> bool:
        return self.status in REACHED_SELECTED

    @property
    def is_supported(self) -> bool:
        return self.status in SUPPORTED

    @property
    def reports_progress(self) -> bool:
        """The lead reports progress through the personal link from the selection on, and into year two."""
        return self.status in (*SUPPORTED, InitiativeStatus.CONTINUED)


class CommitteeSeat(TenantOwned):
    """A user of the municipality whom the manager put on the hackathon's selection committee."""

    hackathon = models.ForeignKey(
        Hackathon, on_delete=models.CASCADE, related_name="seats", verbose_name=_("hackathon")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("selection committee member")
        verbose_name_plural = _("selection committee")
        constraints = [
            models.UniqueConstraint(fields=["hackathon", "user"], name="committee_seat_once")
        ]

    def __str__(self):
        return str(self.user.get_full_name() or self.user.get_username())


class Criterion(models.TextChoices):
    FIT = "fit", _("Fit with the challenges and the vision")
    FEASIBILITY = "feasibility", _("Feasibility")
    REACH = "reach", _("Reach in the community")
    PARTNERS = "partners", _("Partners")
    COST = "cost", _("Cost")


class Score(TenantOwned):
    """One committee member's scores for one initiative, given once and on their own (blind until given)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="scores", verbose_name=_("initiative")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    fit = models.PositiveSmallIntegerField(Criterion.FIT.label, validators=SCALE)
    feasibility = models.PositiveSmallIntegerField(Criterion.FEASIBILITY.label, validators=SCALE)
    reach = models.PositiveSmallIntegerField(Criterion.REACH.label, validators=SCALE)
    partners = models.PositiveSmallIntegerField(Criterion.PARTNERS.label, validators=SCALE)
    cost = models.PositiveSmallIntegerField(Criterion.COST.label, validators=SCALE)
    total = models.DecimalField(_("average"), max_digits=4, decimal_places=2, editable=False)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="score_once_per_member"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": SCALE_MIN, f"{c}__lte": SCALE_MAX}),
                    name=f"score_{c}_on_scale",
                )
                for c in Criterion.values
            ],
        ]

    def __str__(self):
        return f"{self.initiative} · {self.member}"

    def compute_total(self) -> Decimal:
        values = [getattr(self, c) for c in Criterion.values]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"))


class ScoringConflict(TenantOwned):
    """A committee member's declared conflict of interest with one initiative: from then on they neither
    score it nor open it, and the selection gate does not count them for it."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("initiative"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = models.TextField(_("what the conflict is"), blank=True)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "member"], name="conflict_once_per_member"
            )
        ]

    def __str__(self):
        return f"{self.initiative} · {self.member}"


class Connection(TenantOwned):
    """A connection the program made for an initiative: a partner, an office, a donor."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="connections",
        verbose_name=_("initiative"),
    )
    with_whom = models.CharField(_("connected with"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    made_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["-made_on", "-id"]

    def __str__(self):
        return self.with_whom


class Grant(TenantOwned):
    """Money the program committed to an initiative out of the hackathon's pilot budget."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="grants", verbose_name=_("initiative")
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    over_budget = models.BooleanField(_("approved over budget"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive")
        ]

    def __str__(self):
        return f"{self.initiative} · {self.amount}"


class Disbursement(TenantOwned):
    """A payment made against a grant; together they never exceed the grant."""

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("grant")
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("paid on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")
        ]

    def __str__(self):
        return f"{self.grant} · {self.amount}"


class ProgressReport(TenantOwned):
    """What an initiative's lead reported through their personal link."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("initiative"),
    )
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.initiative} · {self.created_at:%Y-%m-%d}"


class Indicator(TenantOwned):
    """An indicator of the six-month measurement and learning round, for one track."""

    hackathon = models.ForeignKey(
        Hackathon, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("hackathon")
    )
    track = models.CharField(_("track"), max_length=20, choices=Track)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["track", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hackathon", "track", "name"], name="indicator_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Measurement(TenantOwned):
    """One initiative's value on one indicator of its track, with what was learnt."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("initiative"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    learning = models.TextField(_("what we learnt"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "indicator"], name="measurement_once")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"

    def clean(self):
        if (
            self.indicator_id
            and self.initiative_id
            and self.indicator.track != self.initiative.track
        ):
            raise ValidationError({"indicator": _("The indicator belongs to another track.")})
