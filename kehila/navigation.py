"""The municipality navigation follows the program's stages. An entry shows once its app provides the URL
and the user may open it, so a stage app switches its entry on by defining the named URL."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str


NAV = [
    NavItem(_("Dashboard"), "kehila:dashboard", "view_program"),
    NavItem(_("Kickoff and agreements"), "strategy:agreement", "view_agreement"),
    NavItem(_("Stakeholders"), "partners:list", "view_partners"),
    NavItem(_("Committees and meetings"), "committees:list", "view_committees"),
    NavItem(_("Timeline"), "kehila:timeline", "view_timeline"),
    NavItem(_("Strategic plan"), "strategy:plan", "view_plan"),
    NavItem(_("Pilot"), "pilots:dashboard", "view_pilot"),
    NavItem(_("Contact-details log"), "kehila:contact_log", "view_contact_log"),
    NavItem(pgettext_lazy("navigation", "Team"), "kehila:people", "view_people"),
]


def items_for(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return []
    result = []
    for item in NAV:
        if not can(request.user, item.action, municipality):
            continue
        try:
            url = reverse(item.url_name, kwargs={"slug": municipality.slug})
        except NoReverseMatch:
            continue
        result.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    # The dashboard's URL prefixes every other one: only an exact match makes it current.
    if result and result[0]["url"] != request.path:
        result[0]["active"] = False
    return result
