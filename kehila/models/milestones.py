"""The program timeline's rows: its milestones and the municipality's own offsets. The rules are in
kehila.timeline, the services in kehila.scheduling."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .municipalities import Program, TenantOwned, Track


def milestone_title(key: str) -> str:
    """The milestone's title in the active language, built from the key's parts (never from the engine's
    English text, so that no translated fragment is ever concatenated)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    from ..timeline import TimelineError, parse_key

    try:
        parts = parse_key(key)
    except TimelineError:
        return key
    fixed = {
        "scope_decision": _("Steering committee: scope decision"),
        "launch_conference": _("Municipal launch conference"),
        "plan_approval": _("Steering committee: strategic plan approval"),
        "hackathon": _("Hackathon"),
        "pilot_measurement": _("Pilot measurement and learning"),
        "pilot_review": _("Pilot review"),
    }
    if parts.kind in fixed:
        return str(fixed[parts.kind])
    if parts.kind == "design":
        return gettext("Design committee meeting %(number)s") % {"number": parts.number}
    if parts.kind == "team":
        track = dict(Track.choices).get(parts.track, parts.track)
        return gettext("Work team (%(track)s) meeting %(number)s") % {
            "track": track,
            "number": parts.number,
        }
    month = date_format(parts.month, "YEAR_MONTH_FORMAT")
    if parts.kind == "steering_regular":
        return gettext("Steering committee: regular meeting, %(month)s") % {"month": month}
    return gettext("Design committee: regular meeting, %(month)s") % {"month": month}


class Milestone(TenantOwned):
    """One dated step of a program's timeline, keyed like the engine (`design_2`, `team_social_3`).

    `planned` is the engine's current date (re-written by every re-plan), `baseline` the date the rules
    give with no slip at all (so a slip is `planned - baseline` without re-running the engine on a list
    page), `actual` the day it took place, `pinned` a date a manager fixed by hand. The unique key per
    program is what makes two concurrent re-plans upsert instead of duplicating.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    key = models.CharField(_("key"), max_length=60)
    planned = models.DateField(_("planned date"))
    baseline = models.DateField(_("original plan date"), null=True, blank=True)
    actual = models.DateField(_("actual date"), null=True, blank=True)
    pinned = models.DateField(_("pinned date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned", "key"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="milestone_unique_key"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(actual__isnull=False),
                name="milestone_held_has_actual",
            ),
        ]
        indexes = [models.Index(fields=["program", "status", "planned"])]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return milestone_title(self.key)

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def slip_days(self) -> int:
        """How far the current date drifted from the original plan (positive: later), as planned."""
        return self.slip_on(self.planned)

    def slip_on(self, today) -> int:
        """The slip as of `today`: the one definition (kehila.timeline.slip_days) HQ uses too."""
        from ..timeline import slip_days

        return slip_days(
            baseline=self.baseline, planned=self.planned, actual=self.actual, today=today
        )


class ProgramOffset(TenantOwned):
    """A municipality's own offset for one rule of the timeline (e.g. a four-month mapping)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="offsets", verbose_name=_("program")
    )
    rule = models.CharField(_("rule"), max_length=40)
    days = models.PositiveIntegerField(_("days"), default=0)
    months = models.PositiveIntegerField(_("months"), default=0)

    class Meta:
        verbose_name = _("timeline offset")
        verbose_name_plural = _("timeline offsets")
        constraints = [
            models.UniqueConstraint(fields=["program", "rule"], name="program_offset_unique_rule"),
        ]

    def __str__(self):
        return f"{self.rule}: +{self.months}m {self.days}d"

    def clean(self):
        from ..timeline import DEFAULT_OFFSETS

        if self.rule not in DEFAULT_OFFSETS:
            raise ValidationError({"rule": _("Unknown timeline rule.")})
        if not self.days and not self.months:
            raise ValidationError(_("An offset must be at least one day or one month."))
