"""A body's meetings: the agenda, who is invited and their answers, and a member's calendar feed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import TenantOwned

from .bodies import Committee, CommitteeMember


class Meeting(TenantOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invited")
        HELD = "held", _("Held")
        MINUTED = "minuted", _("Minuted")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    purpose = models.TextField(_("purpose"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Beyond this many 'coming' answers, people join a waiting list."),
    )
    sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Raised on every change so that calendar clients update the event in place."),
    )
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set when the scheduler creates the meeting, so that it is created once."),
    )
    # The link lives here, on the stage app's side: the core's timeline never knows what a meeting is.
    milestone = models.OneToOneField(
        "kehila.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("timeline milestone"),
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

    @property
    def chair_user_ids(self) -> set[int]:
        """The accounts of the committee's chairs: a chair facilitates the body's live sessions."""
        return set(
            self.committee.members.filter(
                role=CommitteeMember.Role.CHAIR, person__user__isnull=False
            ).values_list("person__user_id", flat=True)
        )


class AgendaItem(TenantOwned):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(_("minutes allotted"), default=15)
    guiding_questions = models.TextField(
        _("guiding questions"), blank=True, help_text=_("One question per line.")
    )
    attachment = models.FileField(_("attachment"), upload_to="agenda/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    def questions(self) -> list[str]:
        return [q.strip() for q in self.guiding_questions.splitlines() if q.strip()]


class Invitation(TenantOwned):
    class Response(models.TextChoices):
        NONE = "", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    response = models.CharField(
        _("answer"), max_length=10, choices=Response, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    waitlisted = models.BooleanField(_("on the waiting list"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_once")
        ]

    def __str__(self):
        return f"{self.person} · {self.meeting}"


class MemberCalendar(TenantOwned):
    """A person's secret calendar feed address; rotating the token revokes the old address."""

    person = models.OneToOneField(
        "partners.Person",
        on_delete=models.CASCADE,
        related_name="calendar",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member calendar")
        verbose_name_plural = _("member calendars")

    def __str__(self):
        return str(self.person)
