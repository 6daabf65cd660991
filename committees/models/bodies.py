"""The program's bodies: committees, who sits on them, and the sectors they should represent."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import TenantOwned, Track, localized_name


class Committee(TenantOwned):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        DESIGN = "design", _("Design committee")
        WORK_TEAM = "team", _("Work team")
        PROGRAM_TEAM = "program_team", _("Program team")
        GATHERING = "gathering", _("One-off gathering")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    track = models.CharField(_("track"), max_length=20, choices=Track, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_(
            "For conferences: beyond this many 'coming' answers, people join a waiting list."
        ),
    )
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    members_see_attendance = models.BooleanField(
        _("members see who is coming"),
        default=True,
        help_text=_(
            "Members see the names of those who said they are coming. Other answers and every "
            "note stay with the program team."
        ),
    )
    corrections_days = models.PositiveSmallIntegerField(
        _("days for corrections to the minutes"),
        default=7,
        help_text=_(
            "Once the minutes are circulated, the attendees have this many days to correct them."
        ),
    )
    action_reminder_days = models.PositiveSmallIntegerField(
        _("days before an action item is due to remind its owner"), default=2
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["kind", "name"]

    def __str__(self):
        return localized_name(self)


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social sector")
    PUBLIC = "public", _("Public sector")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    RESIDENTS = "residents", _("Residents and communities")
    GOVERNMENT = "government", _("Government")


class CommitteeMember(TenantOwned):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        TRACK_LEAD = "track_lead", _("Track lead")
        MEMBER = "member", _("Member")
        NOTE_TAKER = "note_taker", _("Note-taker")
        OBSERVER = "observer", _("Observer")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.CASCADE,
        related_name="committee_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    sector = models.CharField(_("represents sector"), max_length=20, choices=Sector, blank=True)
    represents_neighbourhood = models.CharField(
        _("represents neighbourhood"), max_length=100, blank=True
    )
    represents_community = models.CharField(_("represents community"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    has_vote = models.BooleanField(
        _("votes"), default=True, help_text=_("Every voting member has an equal vote.")
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="committee_member_once")
        ]

    def __str__(self):
        return f"{self.person} · {self.committee}"

    def clean(self):
        errors = {}
        if self.person_id and self.person.municipality_id != self.municipality_id:
            errors["person"] = _("The member must belong to this municipality.")
        if self.committee_id and self.committee.municipality_id != self.municipality_id:
            errors["committee"] = _("The committee must belong to this municipality.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Membership cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or self.ends_on >= day
        )


class CompositionTarget(TenantOwned):
    """A municipality's wanted share of one sector in a kind of committee (e.g. 40% residents)."""

    committee_kind = models.CharField(
        _("committee kind"), max_length=20, choices=Committee.Kind, default=Committee.Kind.DESIGN
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    percent = models.PositiveSmallIntegerField(_("target percent"))

    class Meta:
        verbose_name = _("composition target")
        verbose_name_plural = _("composition targets")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "committee_kind", "sector"], name="composition_target_once"
            )
        ]

    def __str__(self):
        return f"{self.get_sector_display()}: {self.percent}%"

    def clean(self):
        if self.percent is not None and self.percent > 100:
            raise ValidationError({"percent": _("A share cannot exceed 100%.")})
