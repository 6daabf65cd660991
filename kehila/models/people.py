"""Who belongs where: the roles, a user's membership in a municipality, the invitations by e-mail that
lead to one (services in kehila.invitations), and a person's own profile."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .municipalities import LANGUAGE_CHOICES, Municipality, TenantOwned, Track


class Role(models.TextChoices):
    MANAGER = "manager", _("Program manager")
    TEAM = "team", _("Program team")
    MAYOR_OFFICE = "mayor_office", _("Mayor's office")
    TRACK_LEAD = "track_lead", _("Track lead")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    HQ = "hq", _("Program HQ")


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


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked: the rows the one-per-address constraint counts. An expired one
        is still open in this sense: inviting the address again renews it rather than adding a row."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now=None):
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(TenantOwned):
    """An e-mail address invited to a role in one municipality, until it is accepted, revoked or expires.

    The link in the e-mail carries the row's id and a random token, signed; only the token's SHA-256 is
    kept here, so the table (which an administrator can read) holds no working link. Sending again draws
    a new token, so only the newest e-mail's link works. At most one open invitation per municipality and
    address (a partial unique index: two managers inviting the same person at once make one row)."""

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
