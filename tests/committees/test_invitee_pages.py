"""The meeting's invitees are listed fifty a page (issue 17 §5): the page keeps its query count whatever
the meeting's size, and saving attendance on one page leaves the other pages' records alone."""

import pytest
from django.urls import reverse

from committees import selectors
from committees.models import Invitation

from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def meeting_url(meeting):
    return reverse(
        "committees:meeting",
        kwargs={"slug": meeting.committee.municipality.slug, "meeting_id": meeting.pk},
    )


@pytest.fixture
def big_meeting(municipality):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    for n in range(120):
        InvitationFactory(meeting=meeting, person__full_name=f"מוזמן {n:03d}", response="yes")
    return meeting


def test_the_manager_sees_fifty_invitees_a_page_in_name_order(manager, client_for, big_meeting):
    client = client_for(manager)
    first = client.get(meeting_url(big_meeting))
    html = first.content.decode()
    assert html.count('name="attended"') == 50
    assert "מוזמן 000" in html and "מוזמן 049" in html and "מוזמן 050" not in html
    assert first.context["counts"].yes == 120  # the counts stay the whole meeting's
    last = client.get(meeting_url(big_meeting) + "?page=3").content.decode()
    assert last.count('name="attended"') == 20 and "מוזמן 119" in last


def test_the_pagination_is_a_labelled_nav_with_the_current_page(
    manager, client_for, big_meeting, in_english
):
    html = client_for(manager).get(meeting_url(big_meeting) + "?page=2").content.decode()
    nav = html.split('<nav aria-label="Pages of invitees">', 1)[1].split("</nav>", 1)[0]
    assert 'aria-current="page"' in nav and "Page 2 of 3" in nav
    assert 'href="?page=1#rsvp-heading"' in nav and 'href="?page=3#rsvp-heading"' in nav


def test_a_page_past_the_end_shows_the_last(manager, client_for, big_meeting):
    response = client_for(manager).get(meeting_url(big_meeting) + "?page=99")
    assert response.context["page"].number == 3


def test_the_page_makes_as_many_queries_for_a_thousand_invitees_as_for_five(
    manager, client_for, municipality
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = MeetingFactory(committee__municipality=municipality)
    InvitationFactory.create_batch(5, meeting=small)
    large = MeetingFactory(committee__municipality=municipality)
    InvitationFactory.create_batch(300, meeting=large)
    client = client_for(manager)
    client.get(meeting_url(small))
    counted = []
    for meeting in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            client.get(meeting_url(meeting))
        counted.append(len(ctx.captured_queries))
    assert counted[0] == counted[1]


def test_saving_attendance_on_one_page_keeps_the_other_pages(manager, client_for, big_meeting):
    came = Invitation.objects.filter(meeting=big_meeting).order_by("person__full_name")
    far = came[100]  # on page 3
    Invitation.objects.filter(pk=far.pk).update(attended=True)
    page_one = list(came[:50])
    url = reverse(
        "committees:meeting_attendance",
        kwargs={"slug": big_meeting.committee.municipality.slug, "meeting_id": big_meeting.pk},
    )
    response = client_for(manager).post(
        url,
        {
            "shown": [i.pk for i in page_one],
            "attended": [page_one[0].pk, far.pk],  # a forged box from another page changes nothing
            "page": "1",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?page=1")
    attended = set(Invitation.objects.filter(attended=True).values_list("pk", flat=True))
    assert attended == {page_one[0].pk, far.pk}
    Invitation.objects.filter(pk=far.pk).update(attended=False)
    client_for(manager).post(url, {"shown": [i.pk for i in page_one], "attended": [far.pk]})
    assert not Invitation.objects.filter(pk=far.pk, attended=True).exists()


def test_a_member_pages_through_who_is_coming_only(committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    meeting.committee.members_see_attendance = True
    meeting.committee.save()
    for n in range(55):
        InvitationFactory(
            meeting=meeting, person__full_name=f"בא {n:02d}", response="yes", note="x"
        )
    InvitationFactory(meeting=meeting, person__full_name="בא לא", response="no")
    counts = selectors.rsvp_counts(meeting)
    page = selectors.invitee_page(meeting, counts, organiser=False, number=2)
    assert [r.name for r in page.object_list] == ["בא 50", "בא 51", "בא 52", "בא 53", "בא 54"]
    assert all(r.note == "" for r in page.object_list)
    assert page.paginator.count == 55
    html = client_for(committee_member).get(meeting_url(meeting)).content.decode()
    assert "בא לא" not in html and 'name="attended"' not in html
