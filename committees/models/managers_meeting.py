"""The all-managers meeting and the challenges raised in it."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.models import TenantOwned

from .meetings import Meeting


class ManagersMeeting(TenantOwned):
    """The all-managers meeting as the program's guidance runs it, riding on an ordinary meeting (its
    invitations, RSVP, agenda and action items): the mayor as patron, a note-taker named before the
    discussion, the challenges recorded in front of everyone, and one summary e-mail at the end."""

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


class Challenge(TenantOwned):
    """A main challenge a participant raised, written where everyone sees it."""

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
