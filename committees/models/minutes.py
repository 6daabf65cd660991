"""What a meeting leaves behind: its minutes, the corrections sent to them, and its action items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehila.models import TenantOwned

from .meetings import Meeting


class MinutesLocked(ValidationError):
    """Approved minutes are the body's record: nothing changes them after the approval."""


class Minutes(TenantOwned):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("minutes state", "Draft")
        CIRCULATED = "circulated", _("Circulated for corrections")
        APPROVED = "approved", _("Approved and locked")

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


class MinutesCorrection(TenantOwned):
    """A correction an attendee sends to circulated minutes: kept with who sent it and when, also after
    the approval."""

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


class ActionItem(TenantOwned):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

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
