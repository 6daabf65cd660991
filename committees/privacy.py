"""What the committees hold about a person, for their export and their erasure (kehila.privacy)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kehila.audit import audit_redact
from kehila.privacy import Section, Subject, erased_email

from .models import (
    ActionItem,
    Application,
    CommitteeMember,
    Invitation,
    MemberCalendar,
    MinutesCorrection,
)

CONTACT_PLACES = {
    "committees:applications": gettext_lazy("Open-call applications"),
}


def _applications(subject: Subject):
    """Applications are the public's: linked to the person once accepted, found by address before."""
    match = Q(person_id=subject.obj.pk)
    if subject.email:
        match |= Q(email__iexact=subject.email)
    return Application.objects.filter(Q(municipality_id=subject.municipality_id) & match)


def describe(subject: Subject) -> list[Section]:
    person_id = subject.obj.pk
    memberships = Section(_("Committee memberships"))
    for m in CommitteeMember.objects.filter(person_id=person_id).select_related("committee"):
        memberships.add(
            (_("Committee"), m.committee.name),
            (_("Role"), m.get_role_display()),
            (_("Represents sector"), m.get_sector_display()),
            (_("Represents neighbourhood"), m.represents_neighbourhood),
            (_("Represents community"), m.represents_community),
            (_("From"), m.starts_on),
            (_("Until"), m.ends_on),
            (_("Votes"), m.has_vote),
        )
    invitations = Section(_("Meeting invitations and answers"))
    for i in (
        Invitation.objects.filter(person_id=person_id)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    ):
        invitations.add(
            (_("Meeting"), i.meeting.title),
            (_("Starts at"), i.meeting.starts_at),
            (_("Answer"), i.get_response_display()),
            (_("Note"), i.note),
            (_("Answered at"), i.responded_at),
            (_("On the waiting list"), i.waitlisted),
            (_("Attended"), i.attended),
        )
    actions = Section(_("Action items"))
    for a in ActionItem.objects.filter(owner_id=person_id).select_related("meeting"):
        actions.add(
            (pgettext("action item", "Action"), a.title),
            (_("Meeting"), a.meeting.title),
            (_("Due"), a.due_on),
            (_("Status"), a.get_status_display()),
        )
    applications = Section(_("Open-call applications"))
    for a in _applications(subject).select_related("committee"):
        applications.add(
            (_("Committee"), a.committee.name),
            (_("Full name"), a.full_name),
            (_("E-mail"), a.email),
            (_("Phone"), a.phone),
            (_("Neighbourhood"), a.neighbourhood),
            (_("Why I want to join"), a.motivation),
            (_("Submitted at"), a.created_at),
            (_("Status"), a.get_status_display()),
        )
    calendar = Section(_("Personal calendar feed"))
    if MemberCalendar.objects.filter(person_id=person_id).exists():
        calendar.add((_("Personal calendar feed"), True))
    corrections = Section(_("Corrections to the minutes"))
    for c in MinutesCorrection.objects.filter(person_id=person_id).select_related(
        "minutes__meeting"
    ):
        corrections.add(
            (_("Meeting"), c.minutes.meeting.title),
            (_("Correction"), c.text),
            (_("Sent at"), c.created_at),
        )
    return [memberships, invitations, actions, applications, calendar, corrections]


def erase(subject: Subject, label: str) -> dict[str, int]:
    """Memberships, invitations and attendance stay (composition and attendance counts, minutes); the
    free-text RSVP notes, the applications' details and the secret calendar address go."""
    notes = Invitation.objects.filter(person_id=subject.obj.pk).exclude(note="").update(note="")
    applications = 0
    members = CommitteeMember.objects.filter(person_id=subject.obj.pk).values_list("pk", flat=True)
    audit_redact(model=CommitteeMember, ids=list(members), label=label)
    for application in _applications(subject):
        application.full_name = label
        application.email = erased_email(application)
        application.phone = ""
        application.neighbourhood = ""
        application.motivation = ""
        application.save(
            update_fields=["full_name", "email", "phone", "neighbourhood", "motivation"]
        )
        audit_redact(model=Application, ids=[application.pk], label=label)
        applications += 1
    calendars, _deleted = MemberCalendar.objects.filter(person_id=subject.obj.pk).delete()
    # A correction stays in the body's record of its minutes; the name of who sent it does not.
    corrections = MinutesCorrection.objects.filter(person_id=subject.obj.pk).update(
        author_name=label
    )
    return {
        "rsvp_notes": notes,
        "applications": applications,
        "calendar_feeds": calendars,
        "minutes_corrections": corrections,
    }


def names_of_applicants(ids: list[int]) -> dict[int, str]:
    return dict(Application.objects.filter(pk__in=ids).values_list("pk", "full_name"))
