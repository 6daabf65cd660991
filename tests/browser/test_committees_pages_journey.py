"""Committees: the remaining pages pass axe in both languages; the open call works with the keyboard
alone, and the manager accepts the applicant."""

import pytest
from django.core import mail
from django.core.cache import cache

from committees import links, services
from committees.models import Application, CommitteeMember
from tests.committees.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_applies_by_keyboard_and_the_manager_accepts(a11y, manager, municipality):
    cache.clear()  # the open call's rate limit counts per address; other tests came from here too
    web = a11y()
    page = web.goto(f"/public/committees/apply/{municipality.slug}/")
    web.tab_to("#id_full_name")
    page.keyboard.type("רונית כהן")
    web.tab_to("#id_email")
    page.keyboard.type("ronit@example.org")
    page.select_option("#id_sector", "residents")
    web.tab_to("#id_motivation")
    page.keyboard.type("אני פעילה בוועד השכונה")
    web.tab_to("form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks/")
    web.check()
    assert Application.objects.get().full_name == "רונית כהן"

    admin = a11y()
    admin.login(manager)
    page = admin.goto(f"/m/{municipality.slug}/committees/applications/")
    page.get_by_role("button", name="קבלה של רונית כהן").click()
    page.wait_for_selector(".alert-success")
    admin.check()
    assert CommitteeMember.objects.get().person.full_name == "רונית כהן"
    assert mail.outbox[-1].to == ["ronit@example.org"]


def test_the_other_committee_pages_pass_axe(a11y, manager, municipality):
    committee = CommitteeFactory(municipality=municipality, kind="team", track="social")
    member = MemberFactory(committee=committee)
    meeting = MeetingFactory(committee=committee, started=True)
    AgendaItemFactory(meeting=meeting, guiding_questions="שאלה ראשונה\nשאלה שנייה")
    invitation = InvitationFactory(meeting=meeting, person=member.person)
    services.minutes_save(
        meeting=meeting,
        actor=manager,
        note_taker="יוסי",
        summary="סיכום",
        action_items=[services.ActionItemInput(title="משימה", owner=member.person)],
    )
    base = f"/m/{municipality.slug}/committees"
    web = a11y()
    web.login(manager)
    for path in [
        f"{base}/new/",
        f"{base}/targets/",
        f"{base}/applications/",
        f"{base}/me/",
        f"{base}/{committee.pk}/",
        f"{base}/{committee.pk}/members/add/",
        f"{base}/meetings/{meeting.pk}/",
        f"{base}/meetings/{meeting.pk}/edit/",
        f"{base}/meetings/{meeting.pk}/minutes/",
        f"/m/{municipality.slug}/",
    ]:
        web.goto(path)

    public = a11y()
    public.goto(links.member_url(member.person, absolute=False))
    public.goto(links.rsvp_url(invitation, absolute=False))
    page = public.goto("/public/committees/rsvp/not-a-token/")
    assert page.get_by_role("heading", level=1).inner_text() == "הקישור הזה לא עובד"
