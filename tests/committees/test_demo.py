import pytest

from committees import demo
from committees.models import ActionItem, Committee, CommitteeMember, Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_loads_committees_members_and_meetings_once(municipality):
    program = municipality.program
    demo.load(program, {})
    counts = (
        Committee.objects.count(),
        CommitteeMember.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )
    assert counts[0] >= 4 and counts[1] > 6 and counts[2] == 2 and counts[3] == 2
    demo.load(program, {})
    assert counts == (
        Committee.objects.count(),
        CommitteeMember.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )


def test_the_whole_demo_has_an_all_managers_meeting_as_the_guidance_describes_it(db):
    from committees.models import ManagersMeeting
    from kehila.demo import load_demo
    from kehila.models import SentMessage

    load_demo()
    managers_meeting = ManagersMeeting.objects.select_related("meeting", "note_taker").get(
        municipality__slug="ein-hagalil"
    )
    meeting = managers_meeting.meeting
    assert meeting.invitations.count() > 0  # drawn from the mapping
    assert managers_meeting.note_taker is not None  # named before the discussion
    assert meeting.agenda_items.exclude(guiding_questions="").exists()
    # Nothing is sent by the demo: the manager looks at the list and sends the invitations.
    assert meeting.status == meeting.Status.PLANNED  # "invited" exactly when invitations are queued
    invitees = {str(pk) for pk in meeting.invitations.values_list("pk", flat=True)}
    keys = SentMessage.objects.values_list("idempotency_key", flat=True)
    assert not [k for k in keys if k.startswith("committees:") and k.split(":")[2] in invitees]
    load_demo()
    assert ManagersMeeting.objects.filter(municipality__slug="ein-hagalil").count() == 1


def test_the_demo_member_account_sits_on_the_design_committee_and_is_invited(client):
    """The demo's `member` login opens a member page with a committee and a meeting, not an empty one."""
    from django.urls import reverse

    from kehila.demo import DEMO_PASSWORD, load_demo
    from partners.models import Person

    load_demo()
    load_demo()  # a second run links nobody twice
    person = Person.objects.get(user__username="member")
    assert CommitteeMember.objects.filter(person=person).count() == 1
    assert CommitteeMember.objects.get(person=person).committee.kind == Committee.Kind.DESIGN
    assert person.meeting_invitations.count() == 1
    assert client.login(username="member", password=DEMO_PASSWORD)
    page = client.get(reverse("committees:me", kwargs={"slug": "ein-hagalil"}))
    assert page.context["person"] == person
    assert [m.committee.name for m in page.context["memberships"]] == ["ועדה מעצבת"]
    assert [i.meeting.title for i in page.context["invitations"]] == [
        "מפגש ועדה מעצבת 1: אתגרי המיקוד"
    ]
