"""What the pilot holds about a person, for their export and their erasure (kehila.privacy).

Registrations and initiatives come from public forms with no link to the person: they are found by the
person's e-mail address, inside the municipality."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehila.privacy import Section, Subject, erased_email

from .models import Initiative, Participant

CONTACT_PLACES = {
    "pilots:participants": gettext_lazy("Hackathon participants"),
    "pilots:initiative": gettext_lazy("An initiative's page"),
}


def _participants(subject: Subject):
    if not subject.email:
        return Participant.objects.none()
    return Participant.objects.filter(
        municipality_id=subject.municipality_id, email__iexact=subject.email
    )


def _initiatives(subject: Subject):
    if not subject.email:
        return Initiative.objects.none()
    return Initiative.objects.filter(
        municipality_id=subject.municipality_id, contact_email__iexact=subject.email
    )


def describe(subject: Subject) -> list[Section]:
    registrations = Section(_("Hackathon registrations"))
    for p in _participants(subject).select_related("hackathon"):
        registrations.add(
            (_("Hackathon"), p.hackathon.title),
            (_("Full name"), p.full_name),
            (_("E-mail"), p.email),
            (_("Phone"), p.phone),
            (_("Neighbourhood"), p.neighbourhood),
            (_("Team"), p.team_name),
            (_("Registered at"), p.created_at),
        )
    initiatives = Section(_("Initiatives"))
    for i in _initiatives(subject).select_related("hackathon"):
        initiatives.add(
            (_("Initiative"), i.title),
            (_("Hackathon"), i.hackathon.title),
            (_("Contact person"), i.contact_name),
            (_("E-mail"), i.contact_email),
            (_("Phone"), i.contact_phone),
            (_("Team members"), i.team_members),
            (_("Status"), i.get_status_display()),
            (_("Submitted at"), i.submitted_at),
        )
    return [registrations, initiatives]


def erase(subject: Subject, label: str) -> dict[str, int]:
    """The initiatives stay (scores, grants, the pilot's budget and reviews stand on them); who the
    contact was, and how to reach them, goes. A registration keeps its team and hackathon for the counts."""
    participants = 0
    for p in _participants(subject):
        p.full_name, p.email, p.phone, p.neighbourhood = label, erased_email(p), "", ""
        p.save(update_fields=["full_name", "email", "phone", "neighbourhood"])
        participants += 1
    initiatives = 0
    for i in _initiatives(subject):
        i.contact_name, i.contact_email, i.contact_phone = label, erased_email(i), ""
        i.save(update_fields=["contact_name", "contact_email", "contact_phone", "updated_at"])
        initiatives += 1
    return {"participants": participants, "initiatives": initiatives}


def names_of_participants(ids: list[int]) -> dict[int, str]:
    return dict(Participant.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def names_of_initiative_contacts(ids: list[int]) -> dict[int, str]:
    return dict(Initiative.objects.filter(pk__in=ids).values_list("pk", "contact_name"))
