"""Members see who is coming (where the committee shares that), never another person's note, 'no' or
'maybe'; organisers (manage_committees) see every answer and note."""

import pytest
from django.test import Client
from django.urls import reverse

from committees import links
from committees.models import Committee
from kehila.models import AuditLog
from tests.helpers import roles_allowed

from .factories import CommitteeFactory, InvitationFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECRET_NOTE = "אגיע רק אם לא יהיה לי טיפול רפואי"
MAYBE_NOTE = "תלוי בבייביסיטר"


def url(name, municipality, **kwargs):
    return reverse(f"committees:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.fixture
def meeting(municipality):
    committee = CommitteeFactory(municipality=municipality)
    meeting = MeetingFactory(committee=committee)
    for name, response, note in (
        ("אורי מגיע", "yes", SECRET_NOTE),
        ("בתיה לא מגיעה", "no", "אני בחו״ל"),
        ("גלעד אולי", "maybe", MAYBE_NOTE),
        ("דורית שותקת", "", ""),
    ):
        InvitationFactory(
            meeting=meeting,
            person=PersonFactory(municipality=municipality, full_name=name),
            response=response,
            note=note,
        )
    return meeting


def page(user, meeting):
    client = Client()
    client.force_login(user)
    response = client.get(url("meeting", meeting.municipality, meeting_id=meeting.pk))
    assert response.status_code == 200
    return response.content.decode()


def test_organisers_see_every_answer_and_every_note(manager, team_member, meeting):
    for organiser in (manager, team_member):
        html = page(organiser, meeting)
        for text in ("אורי מגיע", "בתיה לא מגיעה", "גלעד אולי", "דורית שותקת"):
            assert text in html
        for note in (SECRET_NOTE, "אני בחו״ל", MAYBE_NOTE):
            assert note in html


def test_a_member_sees_who_is_coming_and_no_one_s_note(committee_member, meeting):
    html = page(committee_member, meeting)
    assert "אורי מגיע" in html
    for hidden in ("בתיה לא מגיעה", "גלעד אולי", "דורית שותקת", "אני בחו״ל"):
        assert hidden not in html
    assert SECRET_NOTE not in html
    assert MAYBE_NOTE not in html
    assert 'data-count="no"' not in html and 'data-count="maybe"' not in html


# Readers of the meeting page who do not organise (the committee member has its own test above).
@pytest.mark.parametrize(
    "role",
    roles_allowed("view_committees", refused=["manage_committees"], without=["committee_member"]),
)
def test_other_readers_who_do_not_organise_see_what_a_member_sees(role, users_by_role, meeting):
    html = page(users_by_role[role], meeting)
    assert "אורי מגיע" in html
    assert SECRET_NOTE not in html
    assert "בתיה לא מגיעה" not in html


def test_where_the_committee_keeps_the_list_a_member_sees_no_names(
    committee_member, manager, meeting
):
    Committee.objects.filter(pk=meeting.committee_id).update(members_see_attendance=False)
    html = page(committee_member, meeting)
    for hidden in ("אורי מגיע", "בתיה לא מגיעה", "גלעד אולי", SECRET_NOTE, MAYBE_NOTE):
        assert hidden not in html
    # The organisers still see everything.
    assert SECRET_NOTE in page(manager, meeting)


def test_the_live_counts_give_a_member_only_the_coming(committee_member, manager, meeting):
    client = Client()
    client.force_login(committee_member)
    counts_url = url("meeting_counts", meeting.municipality, meeting_id=meeting.pk)
    assert client.get(counts_url).json() == {"yes": 1, "waitlisted": 0, "attended": 0}
    client.force_login(manager)
    assert client.get(counts_url).json()["no"] == 1


def test_another_invitee_s_personal_pages_carry_no_note_of_others(meeting):
    someone = meeting.invitations.get(response="no")
    client = Client()
    for path in (
        links.rsvp_url(someone, absolute=False),
        links.member_url(someone.person, absolute=False),
    ):
        html = client.get(path).content.decode()
        assert SECRET_NOTE not in html and MAYBE_NOTE not in html
        assert "אורי מגיע" not in html


def test_the_team_turns_sharing_off_and_on(manager, meeting):
    client = Client()
    client.force_login(manager)
    sharing = url("sharing", meeting.municipality, committee_id=meeting.committee_id)
    assert client.post(sharing, {}).status_code == 302
    assert not Committee.objects.get(pk=meeting.committee_id).members_see_attendance
    client.post(sharing, {"members_see_attendance": "on"})
    assert Committee.objects.get(pk=meeting.committee_id).members_see_attendance
    assert AuditLog.objects.filter(action="committees.attendance_sharing_set").count() == 2


def test_a_member_cannot_change_the_sharing_and_nothing_changes(committee_member, meeting):
    client = Client()
    client.force_login(committee_member)
    sharing = url("sharing", meeting.municipality, committee_id=meeting.committee_id)
    assert client.post(sharing, {}).status_code == 403
    assert Committee.objects.get(pk=meeting.committee_id).members_see_attendance
    assert not AuditLog.objects.filter(action="committees.attendance_sharing_set").exists()


def test_a_committee_is_created_sharing_by_default_or_keeping_the_list(manager, municipality):
    client = Client()
    client.force_login(manager)
    create = url("create", municipality)
    client.post(create, {"kind": "design", "name": "ועדה פתוחה", "members_see_attendance": "on"})
    client.post(create, {"kind": "gathering", "name": "כנס סגור"})
    shares = dict(
        Committee.objects.filter(municipality=municipality).values_list(
            "name", "members_see_attendance"
        )
    )
    assert shares == {"ועדה פתוחה": True, "כנס סגור": False}
    assert Committee._meta.get_field("members_see_attendance").default is True
