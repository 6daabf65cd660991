"""The partners' items of the onboarding checklist (kehila.onboarding)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.onboarding import register_item

from .models import Person

register_item(
    "stakeholders_imported",
    _("Stakeholders are imported"),
    lambda m: Person.objects.filter(municipality=m),
    lambda m: reverse("partners:import", kwargs={"slug": m.slug}),
    order=40,
)
