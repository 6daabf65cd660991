"""Issue 18, done when: a whole live session in separate browser contexts. The facilitator (program team)
opens it from the meeting page and puts the board on the projector; an invitee joins on a phone through
the invitation's link, a walk-in through the board's code; items reach the board without a reload; the
facilitator groups, merges and opens the vote; the phones put their dots; five focus challenges are decided
and the session closes into the minutes draft. Axe runs on every page in every language; the phone runs
in a phone viewport and its journey is keyboard alone."""

import re

import pytest

from committees import links as invitation_links
from committees.models import Minutes
from live.models import Item, LiveSession, Participant
from strategy.models import FocusChallenge
from tests.browser.conftest import AXE_TAGS
from tests.committees.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_AXE_TAGS = (*AXE_TAGS, "wcag22aa")


def test_a_whole_live_session_from_the_flood_of_ideas_to_five_focus_challenges(
    a11y, municipality, team_member
):
    committee = CommitteeFactory(municipality=municipality, name="ועדה מעצבת", kind="design")
    meeting = MeetingFactory(committee=committee, title="מפגש ועדה מעצבת 1", started=True)
    AgendaItemFactory(meeting=meeting, title="אתגרים", guiding_questions="מה הכי מפריע בשכונה?")
    invitee = MemberFactory(committee=committee, person__full_name="מרים סלאמה")
    invitation = InvitationFactory(meeting=meeting, person=invitee.person, response="yes")
    slug = municipality.slug

    # The facilitator opens the session from the meeting page, naming the note-taker first.
    desk = a11y()
    desk.login(team_member)
    page = desk.goto(f"/m/{slug}/committees/meetings/{meeting.pk}/")
    page.click("#live-session")
    desk.check()
    page.fill("#id_note_taker", "רונית לוי")
    page.click("#open-submit")
    page.wait_for_selector("#session-code")
    desk.check()
    session = LiveSession.objects.get(meeting=meeting)
    assert session.question == "מה הכי מפריע בשכונה?"

    # The board, on the projector: the question, the code, the QR code, updating by itself.
    projector = a11y(viewport={"width": 1920, "height": 1080})
    projector.login(team_member)
    board = projector.goto(f"/m/{slug}/live/{session.pk}/board/")
    assert board.locator("#board-code").inner_text() == session.code
    assert board.locator(".live-qr svg").count() == 1
    assert "מה הכי מפריע בשכונה?" in board.locator("#board-question").inner_text()

    # The invitee, on a phone, by keyboard alone: the invitation's link, one button.
    phone = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    token = invitation_links.rsvp_token(invitation)
    mine = phone.goto(f"/public/committees/rsvp/{token}/")
    phone.tab_to("#join-live")
    mine.keyboard.press("Enter")
    mine.wait_for_selector("#join-invitee")
    phone.check()
    phone.tab_to("#join-invitee")
    mine.keyboard.press("Enter")
    mine.wait_for_selector("#add-item")
    phone.check()
    for text in ["אין מקום לבני נוער", "חניה ברחובות", "תאורה חלשה", "<b>לכלוך</b> בפארק"]:
        phone.tab_to("#id_text")
        mine.keyboard.type(text)
        phone.tab_to("#add-item-submit")
        mine.keyboard.press("Enter")
        mine.wait_for_function(
            "t => [...document.querySelectorAll('#my-items li')].some(li => li.textContent === t)",
            arg=text,
        )
    # Each reached the board without a reload, escaped.
    board.wait_for_function(
        "() => document.querySelectorAll('#board-items .live-item').length === 4", timeout=5000
    )
    assert "<b>לכלוך</b> בפארק" in board.locator("#board-items").inner_text()
    assert (
        "מרים סלאמה" not in board.locator("#board-items").inner_text()
    )  # authors hidden by default
    projector.check()

    # A walk-in joins by the code on the board, with a name, as a guest.
    guest = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    joined = guest.goto("/j/")
    joined.fill("#id_code", session.code.lower())
    joined.fill("#id_name", "יוסי אורח")
    joined.click("#join-submit")
    joined.wait_for_selector("#add-item")
    guest.check()
    for text in ["מעט פעילות לקשישים", "אין מקום לבני נוער בערב", "תחבורה ציבורית"]:
        joined.fill("#id_text", text)
        joined.click("#add-item-submit")
        joined.wait_for_function(
            "t => [...document.querySelectorAll('#my-items li')].some(li => li.textContent === t)",
            arg=text,
        )
    assert Participant.objects.filter(session=session, is_guest=True).count() == 1

    # The facilitator clusters: a heading, a duplicate merged.
    page.goto(page.url)
    page.click("#phase-cluster")
    page.wait_for_selector("#cluster-form")
    page.fill("#id_title", "צעירים")
    page.click("#cluster-submit")
    youth = Item.objects.get(text="אין מקום לבני נוער")
    duplicate = Item.objects.get(text="אין מקום לבני נוער בערב")
    page.select_option(f"#merge-{duplicate.pk}", str(youth.pk))
    page.click(f"#merge-submit-{duplicate.pk}")
    page.wait_for_selector(f"#item-{duplicate.pk}", state="detached")
    page.select_option(f"#group-{youth.pk}", label="צעירים")
    page.click(f"#group-submit-{youth.pk}")
    desk.check()
    board.wait_for_function(
        "() => [...document.querySelectorAll('.live-group h3')].some(h => h.textContent.includes('צעירים'))"
    )
    projector.check()

    # The vote: three dots each; the invitee puts two on one item and one on another, by keyboard.
    # The guest's script says with each poll what it has of its own (its items) and its page's pass.
    polls = []
    joined.on("request", lambda r: "/poll/phone/" in r.url and polls.append(r.headers))
    page.fill("#id_dots", "3")
    page.click("#phase-vote")
    page.wait_for_selector("#phase-vote[aria-current=step]")
    mine.wait_for_selector("#vote", timeout=10000)
    phone.check()
    parking = Item.objects.get(text="חניה ברחובות")
    focused = "t => !!document.activeElement && document.activeElement.matches(t)"
    for target in [f"#more-{youth.pk}", f"#more-{youth.pk}", f"#more-{parking.pk}"]:
        before = mine.locator("#dots-left").inner_text()
        if not mine.evaluate(focused, target):  # the button pressed keeps the focus: press it again
            phone.tab_to(target)
        mine.keyboard.press("Enter")
        mine.wait_for_function(
            "b => document.querySelector('#dots-left').innerText !== b", arg=before
        )
        if target == f"#more-{youth.pk}":
            assert mine.evaluate(focused, target)
    assert mine.locator(f"#more-{youth.pk}").is_disabled()  # no dots left
    phone.check()
    joined.wait_for_selector("#vote")
    assert any(
        h.get("x-live-own", "").startswith("hand=0 items=1 dots=") and h.get("x-live-pass")
        for h in polls
    ), polls
    joined.click(f"#more-{youth.pk}")
    joined.wait_for_selector(f"#less-{youth.pk}:not([disabled])")
    board.wait_for_function(
        "() => [...document.querySelectorAll('.live-dots [aria-hidden]')].some(d => d.textContent === '3')"
    )
    projector.check()

    # A hand raised on the phone, the floor given, the speaker and the timer on the board.
    phone.tab_to("#raise-hand")
    mine.keyboard.press("Enter")
    mine.wait_for_selector("#my-hand")
    page.goto(page.url)
    page.locator("#hands button").first.click()
    board.wait_for_selector("#board-speaker")
    assert "מרים סלאמה" in board.locator("#board-speaker").inner_text()
    mine.wait_for_selector("#my-floor")
    phone.check()

    # Deciding: the top five proposed in order, recorded as the program's focus challenges.
    page.click("#phase-decide")
    page.wait_for_selector("#focus-form")
    desk.check()
    page.click("#focus-submit")
    page.wait_for_selector("#focus-form")
    titles = list(
        FocusChallenge.objects.filter(municipality=municipality).values_list("title", flat=True)
    )
    assert len(titles) == 5 and titles[0] == "אין מקום לבני נוער"
    page.fill("#id_notes", "רוב המשתתפים הצביעו על בני הנוער.")
    page.click("#notes-submit")
    page.wait_for_selector("#notes")
    page.click("#close-session")
    page.wait_for_url(re.compile(r"/minutes/"))
    desk.check()
    minutes = Minutes.objects.get(meeting=meeting)
    assert "אין מקום לבני נוער" in minutes.decisions
    assert "רוב המשתתפים" in minutes.summary and minutes.note_taker == "רונית לוי"
    invitation.refresh_from_db()
    assert invitation.attended

    # The phones and the board learn it closed; a late item is refused with a clear message.
    mine.wait_for_selector("#phone-closed", timeout=10000)
    phone.check()
    board.wait_for_selector("#board-closed", timeout=10000)
    projector.check()
