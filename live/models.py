"""A meeting's live session (issue 18): the board in front of the participants, their phones, the funnel
from a flood of items to what the meeting decides.

The session lives in the database (several web processes and machines share it); `version` rises with
every change, and the polls of the board and the phones compare it (kept in the cache too) before they
read anything else.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehila.models import TenantOwned

ITEM_MAX_LENGTH = 280


class LiveSession(TenantOwned):
    class Phase(models.TextChoices):
        COLLECT = "collect", pgettext_lazy("live session phase", "Collect")
        CLUSTER = "cluster", pgettext_lazy("live session phase", "Cluster")
        VOTE = "vote", pgettext_lazy("live session phase", "Vote")
        DECIDE = "decide", pgettext_lazy("live session phase", "Decide")
        CLOSED = "closed", pgettext_lazy("live session phase", "Closed")

    meeting = models.ForeignKey(
        "committees.Meeting",
        on_delete=models.CASCADE,
        related_name="live_sessions",
        verbose_name=_("meeting"),
    )
    code = models.CharField(_("joining code"), max_length=12, unique=True)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase, default=Phase.COLLECT)
    question = models.CharField(_("current question"), max_length=500, blank=True)
    joining_open = models.BooleanField(_("joining open"), default=True)
    note_taker = models.CharField(_("note-taker"), max_length=200)
    notes = models.TextField(_("the note-taker's notes"), blank=True)
    dots = models.PositiveSmallIntegerField(_("dots per participant"), default=3)
    vote_round = models.PositiveSmallIntegerField(_("voting round"), default=0)
    totals_live = models.BooleanField(_("show the totals while voting"), default=True)
    show_authors = models.BooleanField(_("show who wrote each item"), default=False)
    speaker_seconds = models.PositiveSmallIntegerField(_("seconds per speaker"), default=120)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # What every phone shows changed (the phase, the question, the items to vote on, the floor).
    phone_version = models.PositiveIntegerField(_("phones' version"), default=1, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open session per meeting: two facilitators opening at once get the same one.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(closed_at__isnull=True),
                name="live_session_one_open_per_meeting",
            )
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def board_interval_ms(self) -> int:
        """How often the board asks for news: each second, so that an item is up within two; every two
        while voting, when each dot changes the totals and the room's phones are what must stay quick."""
        return 2000 if self.phase == self.Phase.VOTE else 1000


class Participant(TenantOwned):
    session = models.ForeignKey(
        LiveSession,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("session"),
    )
    # An invitee joins through their invitation's personal link; a walk-in is a guest with a name only.
    invitation = models.ForeignKey(
        "committees.Invitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitation"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_guest = models.BooleanField(_("guest"), default=False)
    # The phone's key to its seat: kept in a cookie, so a phone that lost its connection returns to it.
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "invitation"],
                condition=models.Q(invitation__isnull=False),
                name="live_participant_once_per_invitation",
            )
        ]

    def __str__(self):
        return self.name


class Cluster(TenantOwned):
    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="clusters", verbose_name=_("session")
    )
    title = models.CharField(_("heading"), max_length=200)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["id"]

    def __str__(self):
        return self.title


class Item(TenantOwned):
    class Outcome(models.TextChoices):
        FOCUS = "focus", _("Focus challenge of the program")
        DECISION = "decision", _("Decision")
        CHALLENGE = "challenge", _("Challenge for the minutes")
        ACTION = "action", _("Action item")

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="items", verbose_name=_("session")
    )
    text = models.CharField(_("text"), max_length=ITEM_MAX_LENGTH)
    question = models.CharField(_("question"), max_length=500, blank=True)
    # None: written by the facilitator, or brought in from a list (the mapping's challenges).
    author = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("written by"),
    )
    seeded = models.BooleanField(_("brought in from a list"), default=False)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("cluster"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    # Moderation hides an item from the board and the phones; it stays in the record.
    hidden = models.BooleanField(_("hidden"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text

    @property
    def on_board(self) -> bool:
        return not self.hidden and self.merged_into_id is None


class Dot(TenantOwned):
    """One dot of a participant on an item in a voting round (several may sit on one item)."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="dot_set", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="dots", verbose_name=_("participant")
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="dots", verbose_name=_("item")
    )
    vote_round = models.PositiveSmallIntegerField(_("voting round"))

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        indexes = [models.Index(fields=["session", "vote_round"])]

    def __str__(self):
        return f"{self.participant} · {self.item}"


class Turn(TenantOwned):
    """A raised hand, then the floor: the speaking queue."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="turns", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="turns", verbose_name=_("participant")
    )
    raised_at = models.DateTimeField(_("hand raised at"), auto_now_add=True)
    started_at = models.DateTimeField(_("given the floor at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("turn to speak")
        verbose_name_plural = _("turns to speak")
        ordering = ["raised_at", "id"]
        constraints = [
            # A participant holds at most one hand up (or the floor) at a time.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(ended_at__isnull=True),
                name="live_turn_one_open_per_participant",
            )
        ]

    def __str__(self):
        return str(self.participant)
