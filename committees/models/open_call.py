"""The open call to join the design committee: applications from the public."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kehila.models import TenantOwned

from .bodies import Committee, Sector


class Application(TenantOwned):
    """An answer to the open call to join the design committee, from the public (no login)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

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
