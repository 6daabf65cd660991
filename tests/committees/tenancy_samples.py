"""Sample objects for the URL-map tenancy test (tests/kehila/test_tenancy.py)."""

from committees.models import ActionItem, Application, ManagersMeeting

from .factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, MemberFactory


def _action(municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    return ActionItem.objects.create(municipality=municipality, meeting=meeting, title="משימה").pk


def _application(municipality):
    committee = CommitteeFactory(municipality=municipality)
    return Application.objects.create(
        municipality=municipality,
        committee=committee,
        full_name="מועמד.ת",
        email="a@example.org",
        sector="residents",
        motivation="רוצה לעזור",
    ).pk


def _managers_meeting(municipality):
    meeting = MeetingFactory(committee__municipality=municipality, committee__kind="gathering")
    return ManagersMeeting.objects.create(municipality=municipality, meeting=meeting).pk


SAMPLES = {
    "committee_id": lambda municipality: CommitteeFactory(municipality=municipality).pk,
    "member_id": lambda municipality: MemberFactory(committee__municipality=municipality).pk,
    "meeting_id": lambda municipality: MeetingFactory(committee__municipality=municipality).pk,
    "item_id": lambda municipality: (
        AgendaItemFactory(meeting__committee__municipality=municipality).pk
    ),
    "action_id": _action,
    "application_id": _application,
    "managers_meeting_id": _managers_meeting,
    # the minutes' gates opened by exception on a meeting (committees.services)
    "gate": lambda municipality: "minutes_record",
}
