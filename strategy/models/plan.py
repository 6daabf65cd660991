"""The strategic plan: the scope decision, vision, goals and measurable objectives, track work plans with
actions and budget, indicator readings, the tracks' logic models, and the plan's versions.

The parts (goals, objectives, actions) are edited live. A plan version freezes them: at assembly its
`content` is a snapshot of the parts, and that snapshot is what is hashed, approved, signed and
published. So a signed version never changes whatever happens to the parts later, and the public page
reads one row, however large the plan.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality, TenantOwned, Track

from .agreements import FundingSource
from .approvals import ApprovableVersion, VersionSignature, VersionStatus


class ScopeDecision(TenantOwned):
    """The steering committee's scope decision: approved by the mayor's office, its date is T0."""

    boundaries = models.TextField(_("boundaries and timetable"), blank=True)
    geographic_focus = models.TextField(
        _("geographic focus"), blank=True, help_text=_("Neighbourhoods, quarters or areas.")
    )
    tracks = models.JSONField(_("chosen tracks"), default=list, blank=True)
    decided_on = models.DateField(_("date of the steering committee's decision"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus, default=VersionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    review_comment = models.TextField(_("comments of the mayor's office"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("scope decision")
        verbose_name_plural = _("scope decisions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(
            _("Scope decision of %(date)s")
            % {"date": date_format(self.decided_on, "SHORT_DATE_FORMAT")}
        )

    def clean(self):
        unknown = [t for t in self.tracks if t not in Track.values]
        if unknown:
            raise ValidationError({"tracks": _("Unknown tracks: %s") % ", ".join(unknown)})
        if not self.tracks:
            raise ValidationError({"tracks": _("Choose at least one track.")})

    @property
    def is_editable(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.RETURNED)

    def get_tracks_display(self) -> list[str]:
        labels = dict(Track.choices)
        return [str(labels[t]) for t in self.tracks if t in labels]


class ActionKind(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Social infrastructure")
    PROGRAM = "program", _("Program or intervention")
    INVESTMENT = "investment", _("Investment")


class Plan(models.Model):
    """One per municipality: the vision and the plan-wide figures; the parts hang off it."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="plan", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    vision = models.TextField(_("vision"), blank=True)
    flexible_budget = models.DecimalField(
        _("flexible budget for resident initiatives (NIS)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    stated_total = models.DecimalField(
        _("total budget the plan states (NIS)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "If given, the actions' budget lines plus the flexible budget must add up to it."
        ),
    )

    class Meta:
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")

    def __str__(self):
        return self.title or str(_("Strategic plan"))


class Goal(TenantOwned):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["id"]

    def __str__(self):
        return self.title


class Objective(TenantOwned):
    """A measurable objective: an indicator from a dated baseline to a dated target."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal")
    )
    title = models.CharField(_("objective"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    owner = models.CharField(_("owner"), max_length=200)
    track = models.CharField(_("track"), max_length=20, choices=Track)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["goal", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            raise ValidationError(
                {
                    "target_date": _(
                        "Objective “%(title)s”: the target date (%(target)s) is before the "
                        "baseline date (%(baseline)s)."
                    )
                    % {
                        "title": self.title,
                        "target": date_format(self.target_date, "SHORT_DATE_FORMAT"),
                        "baseline": date_format(self.baseline_date, "SHORT_DATE_FORMAT"),
                    }
                }
            )


class IndicatorReading(TenantOwned):
    """One measurement of an objective's indicator: progress is the readings against the target."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="readings", verbose_name=_("objective")
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator reading")
        verbose_name_plural = _("indicator readings")
        ordering = ["objective", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "measured_on"], name="indicator_reading_one_per_day"
            )
        ]

    def __str__(self):
        return f"{date_format(self.measured_on, 'SHORT_DATE_FORMAT')} · {self.value}"


class Action(TenantOwned):
    """One action of a track's work plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    track = models.CharField(_("track"), max_length=20, choices=Track)
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200)
    partners = models.TextField(_("partner organisations"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind)
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("linked objective"),
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["track", "start", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {
                    "end": _(
                        "Action “%(title)s”: the end (%(end)s) is before the start (%(start)s)."
                    )
                    % {
                        "title": self.title,
                        "end": date_format(self.end, "SHORT_DATE_FORMAT"),
                        "start": date_format(self.start, "SHORT_DATE_FORMAT"),
                    }
                }
            )
        if self.objective_id and self.objective.municipality_id != self.municipality_id:
            raise ValidationError({"objective": _("Choose an objective of this plan.")})


class ActionBudget(TenantOwned):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("action")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource)
    amount = models.DecimalField(
        _("amount (NIS)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("action budget line")
        verbose_name_plural = _("action budget lines")
        ordering = ["year", "source", "id"]

    def __str__(self):
        return f"{self.year} · {self.get_source_display()} · {self.amount}"

    @property
    def track(self):
        return self.action.track

    def clean(self):
        action = self.action if self.action_id else None
        if action and self.year and not (action.start.year <= self.year <= action.end.year):
            raise ValidationError(
                {
                    "year": _(
                        "Action “%(title)s” runs %(start)s–%(end)s: a budget year must be in that range."
                    )
                    % {"title": action.title, "start": action.start.year, "end": action.end.year}
                }
            )


class PlanVersion(ApprovableVersion, TenantOwned):
    """A numbered, frozen assembly of the plan: approved and signed like the agreements document."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("strategic plan version")
        verbose_name_plural = _("strategic plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self):
        return str(_("Strategic plan, version %(number)s") % {"number": self.number})

    def document_label(self) -> str:
        return str(_("strategic plan"))

    def get_absolute_url(self):
        return reverse(
            "strategy:plan_version",
            kwargs={"slug": self.municipality.slug, "plan_version_id": self.pk},
        )

    def siblings(self):
        return PlanVersion.objects.filter(plan_id=self.plan_id)

    def snapshot(self) -> dict:
        return self.content


class PlanSignature(VersionSignature, TenantOwned):
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version"),
    )

    class Meta:
        verbose_name = _("plan signature")
        verbose_name_plural = _("plan signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="plan_signature_one_per_side")
        ]

    def __str__(self):
        return f"{self.get_side_display()} · {self.signed_at:%Y-%m-%d %H:%M}"


class LogicModel(TenantOwned):
    """A track's theory of change: inputs → activities → outputs → short-, medium- and long-term
    outcomes. The track's objectives are the measurable side of the outcomes."""

    STAGES = (
        "inputs",
        "activities",
        "outputs",
        "short_term",
        "medium_term",
        "long_term",
    )

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="logic_models", verbose_name=_("plan")
    )
    track = models.CharField(_("track"), max_length=20, choices=Track)
    inputs = models.TextField(_("inputs"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    short_term = models.TextField(_("short-term outcomes"), blank=True)
    medium_term = models.TextField(_("medium-term outcomes"), blank=True)
    long_term = models.TextField(_("long-term outcomes"), blank=True)

    class Meta:
        verbose_name = _("logic model")
        verbose_name_plural = _("logic models")
        ordering = ["track"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "track"], name="logic_model_one_per_track")
        ]

    def __str__(self):
        return str(_("Logic model · %(track)s") % {"track": self.get_track_display()})
