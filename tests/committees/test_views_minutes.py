"""Minutes and their action items: who writes them, where they show, and the dashboard panel."""

import pytest

from committees import links, services
from committees.models import ActionItem
from tests.helpers import assert_nothing_changed

from .factories import MeetingFactory, MemberFactory, PersonFactory
from .view_helpers import url

pytestmark = pytest.mark.django_db


def test_the_team_writes_minutes_with_action_items_that_show_on_the_dashboard(
    team_member, client_for, municipality
):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    owner = PersonFactory(municipality=municipality, full_name="דני")
    client = client_for(team_member)
    response = client.post(
        url("meeting_minutes", municipality, meeting_id=meeting.pk),
        {
            "note_taker": "יוסי",
            "summary": "סיכום",
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "להכין מצגת",
            "actions-0-owner": owner.pk,
            "actions-0-due_on": "2027-04-01",
            "actions-1-title": "לתאם חדר",
            "actions-2-title": "",
        },
    )
    assert response.status_code == 302
    assert ActionItem.objects.count() == 2
    dashboard = client.get(f"/m/{municipality.slug}/").content.decode()
    assert "להכין מצגת" in dashboard and "לתאם חדר" in dashboard
    item = ActionItem.objects.get(title="לתאם חדר")
    client.post(url("action_status", municipality, action_id=item.pk), {"status": "done"})
    assert "לתאם חדר" not in client.get(f"/m/{municipality.slug}/").content.decode()


def test_a_committee_member_cannot_write_minutes(committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    client = client_for(committee_member)
    minutes_url = url("meeting_minutes", municipality, meeting_id=meeting.pk)
    assert client.get(minutes_url).status_code == 403
    with assert_nothing_changed():
        response = client.post(minutes_url, {"body": "פרוטוקול", "publish": "on"})
    assert response.status_code == 403


def test_published_minutes_reach_the_member_page_and_unpublished_do_not(
    client, municipality, manager
):
    member = MemberFactory(committee__municipality=municipality)
    published = MeetingFactory(committee=member.committee, started=True)
    draft = MeetingFactory(committee=member.committee, started=True)
    services.minutes_save(meeting=published, note_taker="א", summary="סיכום שפורסם", actor=manager)
    services.minutes_publish(minutes=published.minutes, actor=manager)
    services.minutes_save(meeting=draft, note_taker="א", summary="טיוטה פנימית", actor=manager)
    body = client.get(links.member_url(member.person, absolute=False)).content.decode()
    assert "סיכום שפורסם" in body
    assert "טיוטה פנימית" not in body


def test_the_dashboard_panel_uses_a_fixed_number_of_queries(
    manager, municipality, rf, django_assert_num_queries
):
    from committees.dashboard import panel

    def render_panel():
        request = rf.get("/")
        request.user = manager
        request.municipality = municipality
        return panel(request)

    render_panel()  # loads the user's memberships once
    meeting = MeetingFactory(committee__municipality=municipality)
    for i in range(12):
        ActionItem.objects.create(municipality=municipality, meeting=meeting, title=f"משימה {i}")
    request = rf.get("/")
    request.user = manager
    request.municipality = municipality
    # next meetings, open action items with the count of all (memberships are cached on the user)
    with django_assert_num_queries(2):
        result = panel(request)
    assert len(result["context"]["action_items"]) == 8
    assert result["context"]["more"] == 4
