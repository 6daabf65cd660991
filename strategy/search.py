"""What the municipality's search page finds among the strategy's documents (kehila.search): the
versions of the agreements document, for whoever may read it (view_agreement)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.search import Hit, register_source, text_filter

from .models import AgreementVersion


def find_agreement_versions(municipality, query, user, limit):
    versions = text_filter(
        AgreementVersion.objects.filter(municipality=municipality).order_by("-number", "pk"),
        ["title", "operating_model", "parties", "partners", "exit_clause"],
        query,
    ).values("pk", "title", "number")[:limit]
    return [
        Hit(
            gettext("Agreements document, version %(number)s") % {"number": v["number"]},
            reverse("strategy:version", kwargs={"slug": municipality.slug, "version_id": v["pk"]}),
            v["title"],
        )
        for v in versions
    ]


register_source(
    "strategy.agreement", _("Agreements document"), "view_agreement", find_agreement_versions
)
