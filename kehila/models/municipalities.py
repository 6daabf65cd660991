"""Municipalities and their program: the tracks and stages, the languages, and the base of every row
that belongs to one municipality."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Track(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    URBAN = "urban", _("Urban")
    SOCIAL = "social", _("Social")
    EDUCATIONAL = "educational", _("Educational")


class Stage(models.TextChoices):
    """The program's stages in the order a municipality goes through them."""

    KICKOFF = "kickoff", _("Kickoff in the authority")
    HEARTS = "hearts", _("Preparing the hearts")
    BODIES = "bodies", _("Collaborative bodies")
    MAPPING = "mapping", _("Mapping")
    STRATEGY = "strategy", _("Building the strategic plan")
    PILOT = "pilot", _("Experiential pilot")
    IMPLEMENTATION = "implementation", _("Implementation")

    @classmethod
    def index(cls, value: str) -> int:
        return cls.values.index(value)


# The languages a municipality, an invitation or an e-mail may be in.
LANGUAGE_CHOICES = [("he", _("Hebrew")), ("en", _("English")), ("ar", _("Arabic"))]


def localized_name(obj, language: str | None = None) -> str:
    """`obj.name` in `language` (the active one by default) where it is given, else the Hebrew name.

    Municipalities and committees carry `name_en` and `name_ar` beside `name`; their `__str__` uses this,
    so `{{ committee }}` and e-mails rendered under a person's language read in that language."""
    language = (language or translation.get_language() or "he")[:2]
    localized = getattr(obj, f"name_{language}", "") if language in ("en", "ar") else ""
    return localized or obj.name


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Municipalities a user may open: all of them for HQ, otherwise those with a membership."""
        # Imported when called: the people module imports this one (a membership names its municipality).
        from .people import Membership, Role

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or Membership.objects.filter(user=user, role=Role.HQ).exists():
            return self.all()
        return self.filter(memberships__user=user).distinct()


def _default_communities() -> list[str]:
    return ["jewish"]


def _default_work_week() -> list[int]:
    return [6, 0, 1, 2, 3]  # Sunday to Thursday


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    default_language = models.CharField(
        _("default language"),
        max_length=5,
        choices=LANGUAGE_CHOICES,
        default="he",
        help_text=_("The language of e-mails to people who have not chosen one."),
    )
    slug = models.SlugField(_("address name"), unique=True, allow_unicode=False)
    slip_alert_days = models.PositiveSmallIntegerField(
        _("days of slip that raise an alarm"),
        default=7,
        help_text=_("A milestone late by fewer days is shown as a minor slip, not an alarm."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The calendar profile (kehila.timeline.CalendarProfile, built by kehila.scheduling): whose
    # holidays the timeline avoids, which other days it keeps free, and the work week.
    calendar_communities = models.JSONField(
        _("communities whose holidays are kept"), default=_default_communities, blank=True
    )
    work_week = models.JSONField(
        _("work week"),
        default=_default_work_week,
        blank=True,
        help_text=_("Weekdays meetings may fall on (0 is Monday, 6 is Sunday)."),
    )
    avoid_holiday_eves = models.BooleanField(_("no meetings on holiday eves"), default=True)
    avoid_chol_hamoed = models.BooleanField(_("no meetings in Chol HaMoed"), default=True)
    avoid_remembrance_day = models.BooleanField(_("no meetings on Remembrance Day"), default=True)
    avoid_holocaust_remembrance_day = models.BooleanField(
        _("no meetings on Holocaust Remembrance Day"), default=True
    )
    avoid_tisha_bav = models.BooleanField(_("no meetings on Tisha B'Av"), default=True)
    # Paused by HQ (kehila.pausing): read-only, nothing sent, no daily tick. Nothing is deleted; reopening
    # clears these three fields and everything held goes on where it stopped.
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paused by"),
    )
    pause_reason = models.TextField(_("reason for the pause"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return localized_name(self)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("kehila:dashboard", kwargs={"slug": self.slug})

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class TenantOwned(models.Model):
    """A row that belongs to one municipality and is reached only through it (kehila.tenancy): the
    foreign key every tenant-owned model carries, written once. No reverse accessor: a municipality's
    rows are found by filtering, the way the tenancy helpers do."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )

    class Meta:
        abstract = True


class Program(models.Model):
    """A municipality's Kehila Metiva program. One per municipality; it spans all the program's years."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="program",
        verbose_name=_("municipality"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    stage = models.CharField(
        _("current stage"), max_length=20, choices=Stage, default=Stage.KICKOFF
    )
    tracks = models.JSONField(_("chosen tracks"), default=list, blank=True)
    geographic_focus = models.TextField(_("geographic focus"), blank=True)
    scope_decision_date = models.DateField(
        _("scope decision date"),
        null=True,
        blank=True,
        help_text=_("The day the steering committee decided the scope: T0 of the timeline."),
    )

    class Meta:
        verbose_name = pgettext_lazy("Kehila Metiva program", "program")
        verbose_name_plural = pgettext_lazy("Kehila Metiva program", "programs")

    def __str__(self):
        return str(self.municipality)

    def clean(self):
        unknown = [t for t in self.tracks if t not in Track.values]
        if unknown:
            raise ValidationError({"tracks": _("Unknown tracks: %s") % ", ".join(unknown)})

    @property
    def stage_index(self) -> int:
        return Stage.index(self.stage)

    def get_tracks_display(self) -> list[str]:
        labels = dict(Track.choices)
        return [str(labels[t]) for t in self.tracks if t in labels]
