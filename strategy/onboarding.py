"""The strategy's items of the onboarding checklist (kehila.onboarding)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehila.onboarding import register_item

from .models import AgreementVersion, KickoffStep, KickoffStepKind

register_item(
    "agreements_meeting",
    _("The agreements meeting is scheduled"),
    # The kickoff step where the partnership is agreed, with its date set.
    lambda m: KickoffStep.objects.filter(
        municipality=m, step=KickoffStepKind.PARTNERSHIP, date__isnull=False
    ),
    lambda m: reverse("strategy:kickoff", kwargs={"slug": m.slug}),
    order=30,
)
register_item(
    "agreement_drafted",
    _("The agreements document is drafted"),
    lambda m: AgreementVersion.objects.filter(municipality=m),
    lambda m: reverse("strategy:agreement", kwargs={"slug": m.slug}),
    order=35,
)
