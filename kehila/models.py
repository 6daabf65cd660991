"""The core every stage app stands on: municipalities, their program, who belongs where, and the audit trail.

This module is the bottom layer: it must never import a stage app (partners, committees, strategy, pilots).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
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


class Role(models.TextChoices):
    MANAGER = "manager", _("Program manager")
    TEAM = "team", _("Program team")
    MAYOR_OFFICE = "mayor_office", _("Mayor's office")
    TRACK_LEAD = "track_lead", _("Track lead")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    HQ = "hq", _("Program HQ")


# The languages a municipality, an invitation or an e-mail may be in. Arabic is stored now and spoken by
# the interface from issue 17; until then an Arabic e-mail falls back to the English text.
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


class Membership(models.Model):
    """A user's role in one municipality. HQ memberships have no municipality: HQ sees them all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    track = models.CharField(
        _("track"),
        max_length=20,
        choices=Track,
        blank=True,
        help_text=_("For a track lead: the track they lead."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="membership_one_role_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="hq"), name="membership_one_hq_per_user"
            ),
            models.CheckConstraint(
                condition=(Q(role="hq") & Q(municipality__isnull=True))
                | (~Q(role="hq") & Q(municipality__isnull=False)),
                name="membership_hq_has_no_municipality",
            ),
        ]

    def __str__(self):
        where = self.municipality or _("all municipalities")
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self):
        if self.role == Role.HQ and self.municipality_id:
            raise ValidationError(
                {"municipality": _("HQ members belong to no single municipality.")}
            )
        if self.role != Role.HQ and not self.municipality_id:
            raise ValidationError({"municipality": _("Choose the municipality.")})
        if self.role == Role.TRACK_LEAD and not self.track:
            raise ValidationError({"track": _("A track lead leads one track.")})


class AuditLog(models.Model):
    """Who did what, when: approvals, signatures, exports, role changes. Written only by audit.log_action."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("municipality"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class SentMessage(models.Model):
    """The outbox: one row per e-mail the portal decided to send, written in the same transaction as the
    change that causes it, so that the change and its e-mail commit together or not at all.

    The unique key makes a retried task, a second tick or a second worker queue each e-mail once. The
    message is rendered when it is queued (in the recipient's language), so a sender needs nothing but
    this row. A sender claims a row with a lease; a row whose lease ran out (its sender died) is claimed
    again, which is the one way an e-mail can go out twice: the SMTP server accepted it just before the
    sender could mark it sent."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail state", "Queued")
        SENDING = "sending", pgettext_lazy("e-mail state", "Sending")
        SENT = "sent", pgettext_lazy("e-mail state", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail state", "Failed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sent_messages",
        verbose_name=_("municipality"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename", "mimetype", "content", "base64"}]: the .ics travels with its row.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # What the e-mail is about, as plain strings so that the core never imports a stage app:
    # topic "committees:invite", about "committees.meeting:12", recipient_ref "committees.invitation:34".
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    about = models.CharField(_("about"), max_length=100, blank=True)
    recipient_ref = models.CharField(_("recipient reference"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-queued_at"]
        indexes = [
            # The sender's claim: due queued rows, and sending rows whose lease ran out.
            models.Index(fields=["state", "next_attempt_at"], name="kehila_outbox_due"),
            models.Index(fields=["state", "lease_expires_at"], name="kehila_outbox_lease"),
            models.Index(fields=["about", "queued_at"], name="kehila_outbox_about"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


# --- the program timeline (rules in kehila.timeline, services in kehila.scheduling) -------------


def milestone_title(key: str) -> str:
    """The milestone's title in the active language, built from the key's parts (never from the engine's
    English text, so that no translated fragment is ever concatenated)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    from .timeline import TimelineError, parse_key

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


class Milestone(models.Model):
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

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("municipality"),
    )
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
        from .timeline import slip_days

        return slip_days(
            baseline=self.baseline, planned=self.planned, actual=self.actual, today=today
        )


class ProgramOffset(models.Model):
    """A municipality's own offset for one rule of the timeline (e.g. a four-month mapping)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="timeline_offsets",
        verbose_name=_("municipality"),
    )
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
        from .timeline import DEFAULT_OFFSETS

        if self.rule not in DEFAULT_OFFSETS:
            raise ValidationError({"rule": _("Unknown timeline rule.")})
        if not self.days and not self.months:
            raise ValidationError(_("An offset must be at least one day or one month."))


# --- residents' personal data (kehila.privacy) ---------------------------------------------------


class ContactAccess(models.Model):
    """One view or export of people's contact details: who, when, where, which people.

    Israel's Privacy Protection (Data Security) Regulations ask a database owner to document access to
    personal data. One row per request, never one per person, so that a page keeps its query count: the
    people are `<app>.<model>:<pk>` keys in one JSON list. Written only by kehila.privacy.log_contact_access;
    rows older than KEHILA_CONTACT_LOG_RETENTION_DAYS are removed by a nightly task.
    """

    class Purpose(models.TextChoices):
        VIEW = "view", pgettext_lazy("contact access", "Viewed")
        EXPORT = "export", pgettext_lazy("contact access", "Exported")
        PERSON_EXPORT = "person_export", _("Exported everything about a person")
        ERASURE = "erasure", _("Erased a person")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="contact_accesses",
        verbose_name=_("municipality"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept beside the link: the log must still say who it was after the account is deleted.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    where = models.CharField(_("page or export"), max_length=100)
    purpose = models.CharField(_("access"), max_length=20, choices=Purpose, default=Purpose.VIEW)
    count = models.PositiveIntegerField(_("number of people"), default=0)
    people = models.JSONField(_("people"), default=list, blank=True)

    class Meta:
        verbose_name = _("contact-details access")
        verbose_name_plural = _("contact-details access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.where} ({self.count})"


class GateOverride(models.Model):
    """A gate between the program's stages opened for one object, by HQ or the manager, with a written
    reason: the real world sometimes needs the exception, and the record says who took it and why."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="gate_overrides",
        verbose_name=_("municipality"),
    )
    gate = models.CharField(_("gate"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("gate override")
        verbose_name_plural = _("gate overrides")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gate", "content_type", "object_id"], name="kehila_gate_override_once"
            )
        ]

    def __str__(self):
        return f"{self.gate} {self.content_type_id}:{self.object_id}"


class Profile(models.Model):
    """A person's own choices about their account: the language of the interface and of their e-mails, a
    private phone, and which e-mails they get. Made by the first change a person saves (never by opening
    a page), so a user without one has the defaults below: kehila.profile reads them for both."""

    class Language(models.TextChoices):
        HEBREW = "he", _("Hebrew")
        ENGLISH = "en", _("English")
        ARABIC = "ar", _("Arabic")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.HEBREW
    )
    # Private: shown to the person alone, never in a list or an export.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    meeting_reminders = models.BooleanField(_("meeting reminders"), default=True)
    reminder_days_before = models.PositiveSmallIntegerField(_("days before the meeting"), default=3)
    digests = models.BooleanField(_("weekly digests"), default=True)
    action_item_reminders = models.BooleanField(_("action item reminders"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_days_before__gte=1, reminder_days_before__lte=14),
                name="kehila_profile_reminder_days_range",
            )
        ]

    def __str__(self):
        return str(self.user)


# --- invitations by e-mail (services in kehila.invitations) ---------------------------------------


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked: the rows the one-per-address constraint counts. An expired one
        is still open in this sense: inviting the address again renews it rather than adding a row."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now=None):
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An e-mail address invited to a role in one municipality, until it is accepted, revoked or expires.

    The link in the e-mail carries the row's id and a random token, signed; only the token's SHA-256 is
    kept here, so the table (which an administrator can read) holds no working link. Sending again draws
    a new token, so only the newest e-mail's link works. At most one open invitation per municipality and
    address (a partial unique index: two managers inviting the same person at once make one row)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("municipality"),
    )
    # Kept lower-cased by the service, so that the unique index compares addresses as mail does.
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    track = models.CharField(_("track"), max_length=20, choices=Track, blank=True)
    language = models.CharField(
        _("language of the e-mail"), max_length=5, choices=LANGUAGE_CHOICES, default="he"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    token_hash = models.CharField(_("token digest"), max_length=64)
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(role="hq"), name="invitation_not_to_hq_in_a_municipality"
            ),
            models.CheckConstraint(
                condition=~Q(role="track_lead") | ~Q(track=""),
                name="invitation_track_lead_has_track",
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.municipality}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_pending(self, now=None) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired(now)
