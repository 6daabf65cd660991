"""Stakeholder mapping: the people and organisations that matter in town."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehila.models import Municipality


class Person(models.Model):
    """A person the program works with: a resident, a role holder or a partner. Contact details are
    personal data: only the municipality's program team may see them (kehila.permissions 'view_contacts')."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("municipality"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_resident = models.BooleanField(_("resident"), default=False)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="he"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["municipality", "full_name"])]

    def __str__(self):
        return self.full_name
