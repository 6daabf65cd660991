"""The program's bodies and their meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality, Track


class Committee(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        DESIGN = "design", _("Design committee")
        WORK_TEAM = "team", _("Work team")
        PROGRAM_TEAM = "program_team", _("Program team")
        GATHERING = "gathering", _("One-off gathering")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="committees",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    track = models.CharField(_("track"), max_length=20, choices=Track, blank=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invited")
        HELD = "held", _("Held")
        MINUTED = "minuted", _("Minuted")
        CANCELLED = "cancelled", _("Cancelled")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("municipality"),
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set when the scheduler creates the meeting, so that it is created once."),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
