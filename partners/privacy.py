"""What stakeholder mapping holds about a person, for their export and their erasure (kehila.privacy)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kehila.audit import audit_redact
from kehila.privacy import Section, Subject

from .models import Affiliation, Engagement, Interaction, Person, SensitiveRelationship

# The pages and exports of this app that show contact details, as the access log names them.
CONTACT_PLACES = {
    "partners:list": gettext_lazy("Stakeholder list"),
    "partners:person_detail": gettext_lazy("A person's page"),
    "partners:person_edit": gettext_lazy("Editing a person"),
    "partners:import_preview": gettext_lazy("Import preview"),
    "partners:import_row": gettext_lazy("Fixing an import row"),
    "partners.export": gettext_lazy("Stakeholder export"),
    "partners:managers_meeting": gettext_lazy("All-managers meeting list"),
    "partners.managers_meeting_csv": gettext_lazy("All-managers meeting list (CSV)"),
    "partners.person_data": gettext_lazy("Everything about a person (export)"),
    "partners.person_erase": gettext_lazy("Erasure of a person"),
}


def describe(subject: Subject) -> list[Section]:
    person = Person.objects.get(pk=subject.obj.pk)
    details = Section(_("Personal details"))
    details.add(
        (_("Full name"), person.full_name),
        (_("E-mail"), person.email),
        (_("Phone"), person.phone),
        (_("Neighbourhood"), person.neighbourhood),
        (pgettext("job title", "Title"), person.title),
        (_("Resident"), person.is_resident),
        (_("Preferred language"), person.get_language_display()),
        (_("Languages"), person.languages),
        (_("Standing in the municipality"), person.get_municipal_role_display()),
        (_("Notes"), person.notes),
        (_("Recorded on"), person.created_at),
        (_("Erased at"), person.erased_at),
    )
    organisations = Section(_("Organisations"))
    for a in Affiliation.objects.filter(person=person).select_related("organisation"):
        organisations.add(
            (_("Organisation"), a.organisation.name),
            (_("Role in the organisation"), a.role),
            (_("Heads the organisation"), a.is_head),
        )
    engagement = Section(_("Engagement in the program"))
    for e in Engagement.objects.filter(person=person):
        engagement.add(
            (_("Sector"), e.get_sector_display()),
            (_("Circle"), e.get_circle_display()),
            (_("Consent"), e.get_consent_display()),
            (_("Influence"), f"{e.get_influence_kind_display()} · {e.get_influence_display()}"),
            (_("Interest"), e.get_interest_display()),
            (_("Stage"), e.get_stage_display()),
        )
    interactions = Section(_("Interaction log"))
    for i in Interaction.objects.filter(person=person):
        interactions.add(
            (_("Date"), i.date), (_("Kind"), i.get_kind_display()), (_("Note"), i.note)
        )
    context = Section(_("Sensitive context"))
    for note in person.history_notes.all():
        context.add((_("Town-history note"), note.title), (_("When"), note.period))
    for tie in SensitiveRelationship.objects.filter(
        Q(person_a=person) | Q(person_b=person)
    ).select_related("person_a", "person_b", "organisation_a", "organisation_b"):
        other = tie.side_b if tie.person_a_id == person.pk else tie.side_a
        context.add(
            (_("Sensitive relationship with"), str(other)),
            (_("Sensitivity"), tie.get_level_display()),
            (_("Note"), tie.note),
        )
    return [details, organisations, engagement, interactions, context]


def erase(subject: Subject, label: str) -> dict[str, int]:
    """The person stays (memberships, attendance, minutes and counts point at them) under the label;
    what identifies or reaches them goes: contact details, free-text notes, the link to a user account."""
    now = timezone.now()
    Person.objects.filter(pk=subject.obj.pk).update(
        full_name=label,
        email="",
        phone="",
        title="",
        languages="",
        notes="",
        user=None,
        erased_at=now,
    )
    notes = Interaction.objects.filter(person_id=subject.obj.pk).exclude(note="").update(note="")
    ties = (
        SensitiveRelationship.objects.filter(
            Q(person_a_id=subject.obj.pk) | Q(person_b_id=subject.obj.pk)
        )
        .exclude(note="")
        .update(note="")
    )
    audit_redact(model=Person, ids=[subject.obj.pk], label=label)
    return {"people": 1, "interaction_notes": notes, "relationship_notes": ties}


def names_of_people(ids: list[int]) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
