"""The meeting page, the member page and the RSVP answer were made lean (a page of rows, a picker
instead of a select of everyone, fewer queries): they must still show the same things to the same people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import links, selectors, services
from committees.models import ActionItem, Invitation, Meeting, MemberCalendar, Minutes

from .factories import InvitationFactory, MeetingFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def meeting_url(municipality, meeting):
    return reverse(
        "committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting.pk}
    )


@pytest.fixture
def meeting(municipality):
    meeting = MeetingFactory(committee__municipality=municipality, capacity=1)
    InvitationFactory(meeting=meeting, person__full_name="<b>דנה</b>", response="yes", note="R&D")
    InvitationFactory(meeting=meeting, person__full_name="אורי", response="yes", waitlisted=True)
    InvitationFactory(meeting=meeting, person__full_name="בני", response="no", attended=True)
    InvitationFactory(meeting=meeting, person__full_name="גלי", response="maybe", attended=False)
    InvitationFactory(meeting=meeting, person__full_name="זיו")
    return meeting


def test_the_counts_from_the_rows_equal_the_counting_query(meeting):
    rows = selectors.meeting_invitee_rows(meeting)
    assert selectors.rsvp_counts_of(rows) == selectors.rsvp_counts(meeting)
    assert [r.name for r in rows] == ["<b>דנה</b>", "אורי", "בני", "גלי", "זיו"]


def test_the_manager_sees_every_invitee_escaped_with_answer_note_and_attendance(
    manager, client_for, municipality, meeting
):
    response = client_for(manager).get(
        meeting_url(municipality, meeting), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "<b>דנה</b>" not in html
    assert '<th scope="row">&lt;b&gt;דנה&lt;/b&gt;</th>' in html
    assert "R&amp;D" in html
    dana, ori, beni, gali, ziv = Invitation.objects.filter(meeting=meeting).order_by(
        "person__full_name"
    )
    # The answer's label in the page's language, and the waiting list beside a waiting "yes".
    assert f'<th scope="row">אורי</th>\n      <td>{_label("yes")} (' in html
    assert f'<th scope="row">זיו</th>\n      <td>{_label("")}</td>' in html
    # Attendance boxes: checked only for who came, each with its own label.
    assert f'value="{beni.pk}" id="attended-{beni.pk}" checked>' in html
    assert f'value="{gali.pk}" id="attended-{gali.pk}">' in html
    assert f'value="{ziv.pk}" id="attended-{ziv.pk}">' in html
    assert html.count('name="attended"') == 5
    assert f'for="attended-{dana.pk}">' in html
    counts = response.context["counts"]
    assert (counts.yes, counts.waitlisted, counts.no, counts.maybe, counts.none) == (1, 1, 1, 1, 1)
    assert counts.attended == 1


def _label(value):
    return dict(Invitation.Response.choices)[value]


def test_a_viewer_who_cannot_manage_sees_answers_but_no_attendance_boxes_nor_picker(
    committee_member, client_for, municipality, meeting
):
    html = client_for(committee_member).get(meeting_url(municipality, meeting)).content.decode()
    # Who is coming, without notes; a waiting "yes" is not coming yet (tests/committees/test_rsvp_privacy.py).
    assert '<th scope="row">&lt;b&gt;דנה&lt;/b&gt;</th>' in html
    assert "R&amp;D" not in html and "אורי" not in html
    assert 'name="attended"' not in html
    assert 'id="id_invite_person"' not in html


def test_the_invite_picker_draws_no_option_per_person_and_asks_the_people_endpoint(
    manager, client_for, municipality, meeting
):
    PersonFactory.create_batch(3, municipality=municipality)
    html = client_for(manager).get(meeting_url(municipality, meeting)).content.decode()
    picker = html.split('id="id_invite_person"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") == 1
    assert '<option value="" selected>---------</option>' in picker
    search = reverse("partners:people_search", kwargs={"slug": municipality.slug})
    assert f'data-search-url="{search}"' in picker
    assert "vendor/tom-select/js/tom-select.base.min.js" in html and "js/picker.js" in html


def test_a_cancelled_meeting_offers_no_picker(manager, client_for, municipality, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    html = client_for(manager).get(meeting_url(municipality, meeting)).content.decode()
    assert 'id="id_invite_person"' not in html
    assert "אורי" in html


def test_a_meeting_without_invitees_says_so(manager, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    html = client_for(manager).get(meeting_url(municipality, meeting)).content.decode()
    assert "<table" not in html.split('id="rsvp-heading"', 1)[1].split("</section>", 1)[0]


def test_action_items_show_their_owner(manager, client_for, municipality, meeting):
    owner = PersonFactory(municipality=municipality, full_name="בעלת המשימה")
    ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="לסכם את הדיון", owner=owner
    )
    html = client_for(manager).get(meeting_url(municipality, meeting)).content.decode()
    assert "לסכם את הדיון" in html and "בעלת המשימה" in html


# --- the member page ----------------------------------------------------------------------


def _feed_path(calendar):
    return reverse("committees_public:member_feed", kwargs={"token": calendar.token})


def test_the_member_page_makes_the_feed_on_the_first_visit_and_keeps_it(
    committee_member, client_for, municipality
):
    person = PersonFactory(municipality=municipality, user=committee_member)
    client = client_for(committee_member)
    url = reverse("committees:me", kwargs={"slug": municipality.slug})
    first = client.get(url).content.decode()
    calendar = MemberCalendar.objects.get(person=person)
    assert _feed_path(calendar) in first
    assert _feed_path(calendar) in client.get(url).content.decode()
    assert MemberCalendar.objects.filter(person=person).count() == 1


def test_the_member_page_by_link_shows_the_new_feed_address_after_a_revoke(client, municipality):
    person = PersonFactory(municipality=municipality)
    old = services.member_calendar_for(person=person)
    old_path = _feed_path(old)
    path = links.member_url(person, absolute=False)
    assert old_path in client.get(path).content.decode()
    services.member_calendar_revoke(person=person)
    html = client.get(path).content.decode()
    assert old_path not in html
    assert _feed_path(MemberCalendar.objects.get(person=person)) in html


def test_the_member_page_lists_published_minutes_of_my_committees_only_newest_first(
    client, municipality
):
    membership = MemberFactory(committee__municipality=municipality)
    person, committee = membership.person, membership.committee
    other = MemberFactory(committee__municipality=municipality).committee
    earlier, later = (
        MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=d))
        for d in (20, 10)
    )
    unrelated = MeetingFactory(committee=other, starts_at=timezone.now() - timedelta(days=5))
    now = timezone.now()
    for meeting, summary in ((earlier, "סיכום ראשון"), (later, "סיכום שני"), (unrelated, "זר")):
        Minutes.objects.create(
            municipality=municipality,
            meeting=meeting,
            note_taker="x",
            summary=summary,
            published_at=now,
        )
    Minutes.objects.create(
        municipality=municipality,
        meeting=MeetingFactory(committee=committee, starts_at=now - timedelta(days=1)),
        note_taker="x",
        summary="טיוטה",
    )
    minutes = list(selectors.member_published_minutes(person))
    assert [m.summary for m in minutes] == ["סיכום שני", "סיכום ראשון"]
    html = client.get(links.member_url(person, absolute=False)).content.decode()
    assert html.count("סיכום שני") == 1 and "זר" not in html and "טיוטה" not in html


# --- the RSVP answer ------------------------------------------------------------------------


def test_an_answer_is_recorded_and_redirected_without_drawing_the_page(
    client, municipality, django_assert_max_num_queries
):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    path = links.rsvp_url(invitation, absolute=False)
    with django_assert_max_num_queries(6):
        response = client.post(path, {"response": "yes", "note": "אגיע מאוחר"})
    assert response.status_code == 302
    assert response["Location"] == path + "?saved=1"
    assert not response.templates
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("yes", "אגיע מאוחר")


def test_a_bad_answer_shows_the_form_with_its_error_and_changes_nothing(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality, response="no")
    response = client.post(links.rsvp_url(invitation, absolute=False), {"response": "perhaps"})
    assert response.status_code == 200
    assert response.context["form"].errors["response"]
    assert 'id="rsvp-submit"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == "no"


def test_an_answer_to_a_cancelled_meeting_is_refused_with_its_reason(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality, response="no")
    Meeting.objects.filter(pk=invitation.meeting_id).update(status=Meeting.Status.CANCELLED)
    path = links.rsvp_url(invitation, absolute=False)
    for data in ({"response": "yes"}, {"response": "perhaps"}):
        response = client.post(path, data)
        assert response.status_code == 409
        assert 'id="rsvp-closed"' in response.content.decode()
        assert response.context["closed_reason"]
    invitation.refresh_from_db()
    assert invitation.response == "no"


def test_an_answer_by_the_link_of_a_removed_invitation_is_a_bad_link(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    path = links.rsvp_url(invitation, absolute=False)
    invitation.delete()
    assert client.post(path, {"response": "yes"}).status_code == 400
    assert client.post(path, {"response": "perhaps"}).status_code == 400


def test_a_no_that_frees_a_place_promotes_the_first_in_line(client, municipality):
    meeting = MeetingFactory(committee__municipality=municipality, capacity=1)
    first = InvitationFactory(meeting=meeting)
    second = InvitationFactory(meeting=meeting)
    client.post(links.rsvp_url(first, absolute=False), {"response": "yes"})
    client.post(links.rsvp_url(second, absolute=False), {"response": "yes"})
    second.refresh_from_db()
    assert second.waitlisted
    response = client.post(links.rsvp_url(first, absolute=False), {"response": "no"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.response, second.waitlisted) == ("yes", False)
