"""The committees' items of the onboarding checklist (kehila.onboarding): a committee is formed once it
has members."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.onboarding import register_item

from .models import Committee


def _formed(kind):
    return lambda m: Committee.objects.filter(municipality=m, kind=kind, members__isnull=False)


def _committees_url(m):
    return reverse("committees:list", kwargs={"slug": m.slug})


register_item(
    "steering_committee",
    _("The steering committee is formed"),
    _formed(Committee.Kind.STEERING),
    _committees_url,
    order=50,
)
register_item(
    "design_committee",
    _("The design committee is formed"),
    _formed(Committee.Kind.DESIGN),
    _committees_url,
    order=60,
)
