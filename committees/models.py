"""The program's bodies and their meetings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality, Track, localized_name


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


class Sector(models.TextChoices):
    SOCIAL = "social", _("Social sector")
    PUBLIC = "public", _("Public sector")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    RESIDENTS = "residents", _("Residents and communities")
    GOVERNMENT = "government", _("Government")


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        TRACK_LEAD = "track_lead", _("Track lead")
        MEMBER = "member", _("Member")
        NOTE_TAKER = "note_taker", _("Note-taker")
        OBSERVER = "observer", _("Observer")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="committee_members",
        verbose_name=_("municipality"),
    )
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


class CompositionTarget(models.Model):
    """A municipality's wanted share of one sector in a kind of committee (e.g. 40% residents)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="composition_targets",
        verbose_name=_("municipality"),
    )
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


class AgendaItem(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
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


class Invitation(models.Model):
    class Response(models.TextChoices):
        NONE = "", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")
        MAYBE = "maybe", _("Maybe")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
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


class MinutesLocked(ValidationError):
    """Approved minutes are the body's record: nothing changes them after the approval."""


class Minutes(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("minutes state", "Draft")
        CIRCULATED = "circulated", _("Circulated for corrections")
        APPROVED = "approved", _("Approved and locked")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    note_taker = models.CharField(_("note-taker"), max_length=200)
    summary = models.TextField(_("summary"))
    decisions = models.TextField(_("decisions"), blank=True)
    challenges = models.TextField(_("challenges raised"), blank=True)
    next_steps = models.TextField(_("what happens next"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, editable=False
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True, editable=False)
    corrections_until = models.DateField(
        _("corrections until"), null=True, blank=True, editable=False
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        editable=False,
        verbose_name=_("approved at the meeting"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    def save(self, *args, **kwargs):
        # The guard sits on the model, not only in the services: the admin, a shell or a future
        # service cannot rewrite minutes that the body approved. Approving is the one last write.
        if self.pk is not None:
            stored = Minutes.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == Minutes.State.APPROVED:
                raise MinutesLocked(_("These minutes were approved and are locked."))
        super().save(*args, **kwargs)

    def corrections_open(self, today) -> bool:
        return (
            self.state == Minutes.State.CIRCULATED
            and self.corrections_until is not None
            and today <= self.corrections_until
        )


class MinutesCorrection(models.Model):
    """A correction an attendee sends to circulated minutes: kept with who sent it and when, also after
    the approval."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("minutes")
    )
    text = models.TextField(_("correction"))
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The name as it was when sent: the record keeps who corrected even if the person is erased later.
    author_name = models.CharField(_("sent by"), max_length=200)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction to the minutes")
        verbose_name_plural = _("corrections to the minutes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author_name} · {self.minutes}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("municipality"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    title = models.CharField(pgettext_lazy("action item", "action"), max_length=300)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self):
        return self.title


class MemberCalendar(models.Model):
    """A person's secret calendar feed address; rotating the token revokes the old address."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
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


class Application(models.Model):
    """An answer to the open call to join the design committee, from the public (no login)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="committee_applications",
        verbose_name=_("municipality"),
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("committee"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    sector = models.CharField(_("I would represent"), max_length=20, choices=Sector)
    is_resident = models.BooleanField(_("I live in the municipality"), default=True)
    motivation = models.TextField(_("why I want to join"))
    language = models.CharField(_("language"), max_length=10, default="he")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    person = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            # One open application per address and committee, whatever the case of the letters: a
            # second one updates the first (committees.services.application_submit), and the index
            # decides when two arrive at once. A decided application does not block a new one.
            models.UniqueConstraint(
                Lower("email"),
                "committee",
                condition=models.Q(status="pending"),
                name="application_pending_once_per_email",
            )
        ]

    def __str__(self):
        return self.full_name


class ManagersMeeting(models.Model):
    """The all-managers meeting as the program's guidance runs it, riding on an ordinary meeting (its
    invitations, RSVP, agenda and action items): the mayor as patron, a note-taker named before the
    discussion, the challenges recorded in front of everyone, and one summary e-mail at the end."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        related_name="managers_meeting",
        verbose_name=_("meeting"),
    )
    patron = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patron"),
    )
    note_taker = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("note-taker"),
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_sent_at = models.DateTimeField(_("summary sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("all-managers meeting")
        verbose_name_plural = _("all-managers meetings")

    def __str__(self):
        return str(self.meeting)

    def record_refusal(self) -> str | None:
        """Why nothing can be recorded for this meeting now (challenges, follow-up items, minutes), or
        None. The one rule: the guidance names the note-taker before the discussion, so what is said
        has a keeper."""
        if self.meeting.status == Meeting.Status.CANCELLED:
            return gettext("The meeting was cancelled.")
        if self.note_taker_id is None:
            return gettext(
                "Name the note-taker first: the challenges and follow-up items are recorded by them."
            )
        return None


class Challenge(models.Model):
    """A main challenge a participant raised, written where everyone sees it."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    managers_meeting = models.ForeignKey(
        ManagersMeeting,
        on_delete=models.CASCADE,
        related_name="challenges",
        verbose_name=_("all-managers meeting"),
    )
    text = models.CharField(_("challenge"), max_length=500)
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text
