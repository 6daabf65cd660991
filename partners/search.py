"""What the municipality's search page finds in the stakeholder mapping (kehila.search): people and
organisations, for whoever sees the stakeholder list (view_partners). Names, titles and neighbourhoods
only: contact details are neither searched nor shown here, so nothing here is a contact-details access."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kehila.search import Hit, register_source

from . import selectors
from .models import Organisation


def find_people(municipality, query, user, limit):
    return [
        Hit(
            p["full_name"],
            reverse(
                "partners:person_detail",
                kwargs={"slug": municipality.slug, "person_id": p["id"]},
            ),
            " · ".join(part for part in (p["title"], p["neighbourhood"]) if part),
        )
        for p in selectors.people_matching(municipality, query, limit=limit)
    ]


def find_organisations(municipality, query, user, limit):
    kinds = dict(Organisation.Kind.choices)
    people = reverse("partners:list", kwargs={"slug": municipality.slug})
    return [
        Hit(
            o["name"],
            f"{people}?{urlencode({'organisation': o['id']})}",
            str(kinds.get(o["kind"], "")),
        )
        for o in selectors.organisations_matching(municipality, query, limit=limit)
    ]


register_source("partners.people", _("People"), "view_partners", find_people)
register_source("partners.organisations", _("Organisations"), "view_partners", find_organisations)
