"""Phones, keyboards and paper (issue 17 §6). On a 360-pixel touch phone the member's page, the RSVP, the
public forms and the manager's main pages never scroll sideways (AccessiblePage checks the width in every
language) and pass axe with the WCAG 2.1 A/AA rules and the 24-pixel target size of WCAG 2.2. By keyboard:
a failed submit puts the focus on the error summary, and the focus ring is a solid outline of at least 3:1.
On paper the meeting page carries its content and none of its controls."""

import pytest
from django.core.cache import cache

from tests.browser.conftest import AXE_TAGS
from tests.committees.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)
from tests.pilots.factories import FocusChallengeFactory, HackathonFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_AXE_TAGS = (*AXE_TAGS, "wcag22aa")  # wcag22aa adds target-size: 24 by 24 CSS pixels


@pytest.fixture
def design_meeting(municipality):
    committee = CommitteeFactory(municipality=municipality, name="ועדה מעצבת")
    meeting = MeetingFactory(committee=committee, title="מפגש ועדה מעצבת 1")
    AgendaItemFactory(meeting=meeting, title="פתיחה", guiding_questions="מה הביא אותך?")
    for i in range(3):
        member = MemberFactory(committee=committee, person__full_name=f"חבר.ת ועדה {i}")
        InvitationFactory(meeting=meeting, person=member.person, response="yes" if i else "")
    return meeting


def test_the_member_page_and_the_rsvp_fit_a_small_phone(
    a11y, municipality, committee_member, design_meeting
):
    person = PersonFactory(municipality=municipality, user=committee_member, full_name="מרים סלאמה")
    MemberFactory(committee=design_meeting.committee, person=person)
    InvitationFactory(meeting=design_meeting, person=person)

    web = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    web.login(committee_member)
    page = web.goto(f"/m/{municipality.slug}/committees/me/")
    assert "ועדה מעצבת" in page.locator("#my-committees").inner_text()
    page.locator("main details summary").first.click()  # the agenda, unfolded
    web.check()
    page.locator("main a[href*='/public/committees/rsvp/']").first.click()
    page.wait_for_url("**/public/committees/rsvp/**")
    web.check()


def test_the_public_forms_fit_a_small_phone_and_a_failed_submit_focuses_the_errors(
    a11y, municipality
):
    cache.clear()  # the public forms' rate limits count per address
    hackathon = HackathonFactory(municipality=municipality, title="האקתון עין הגליל")
    FocusChallengeFactory(municipality=municipality, number=1, title="מרחב ציבורי מזמין")

    web = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    page = web.goto(f"/public/committees/apply/{municipality.slug}/")
    web.tab_to("form button[type=submit]")
    page.keyboard.press("Enter")  # nothing filled in
    page.wait_for_selector("[data-error-summary]")
    web.check()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    # Each error in the summary leads to its field.
    assert page.locator("[data-error-summary] a[href='#id_full_name']").count() == 1

    page = web.goto(f"/public/pilot/{hackathon.pk}/")
    page = web.goto(f"/public/pilot/{hackathon.pk}/submit/")
    page.fill("#id_title", "ספסלים מוצלים בכיכר")
    web.tab_to("#initiative-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-error-summary]")
    web.check()
    focused = page.evaluate(
        "document.activeElement.hasAttribute('data-error-summary')"
        " || document.activeElement.getAttribute('aria-invalid') === 'true'"
    )
    assert focused, "the focus stayed at the top of the page after a failed submit"
    assert page.input_value("#id_title") == "ספסלים מוצלים בכיכר"  # what was typed is kept


def test_the_managers_main_pages_fit_a_small_phone(a11y, municipality, manager, design_meeting):
    committee = design_meeting.committee
    web = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    web.login(manager)
    slug = municipality.slug
    for path in (
        f"/m/{slug}/",
        f"/m/{slug}/committees/",
        f"/m/{slug}/committees/{committee.pk}/",
        f"/m/{slug}/committees/meetings/{design_meeting.pk}/",
        f"/m/{slug}/committees/actions/",
        f"/m/{slug}/committees/applications/",
        f"/m/{slug}/people/",
        "/accounts/",
    ):
        web.goto(path)
    # The members' table scrolls inside its own container, which the keyboard can reach and which has a name.
    page = web.goto(f"/m/{slug}/committees/{committee.pk}/")
    region = page.locator("[role=region]:has(table)").last
    assert region.get_attribute("tabindex") == "0"
    assert page.locator("#" + region.get_attribute("aria-labelledby")).inner_text()


# --- the focus ring ---------------------------------------------------------------------------

_FOCUS_STYLE = """el => {
    const style = getComputedStyle(el);
    let back = el.parentElement, colour = 'rgba(0, 0, 0, 0)';
    while (back) {  // what the outline is drawn on: the nearest ancestor with a background
        colour = getComputedStyle(back).backgroundColor;
        if (!/rgba\\(.*, 0\\)$/.test(colour)) break;
        back = back.parentElement;
    }
    return {width: parseFloat(style.outlineWidth), style: style.outlineStyle,
            colour: style.outlineColor, background: back ? colour : 'rgb(255, 255, 255)'};
}"""


def _luminance(rgb: str) -> float:
    parts = [float(p) for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (p / 255 for p in parts)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(255, 255, 255)", "rgb(255, 255, 255)") == pytest.approx(1)
    assert contrast("rgb(11, 83, 148)", "rgb(255, 255, 255)") == pytest.approx(7.8, abs=0.1)


def test_the_focus_ring_is_clearly_visible_in_the_navbar_and_on_the_page(a11y, municipality):
    web = a11y()
    web.goto(f"/public/committees/apply/{municipality.slug}/")
    for selector in ("nav.navbar a.navbar-brand", "nav.navbar a.nav-link", "main button.btn"):
        focused = web.tab_to(selector)
        ring = focused.evaluate(_FOCUS_STYLE)
        assert ring["style"] == "solid" and ring["width"] >= 2, (selector, ring)
        ratio = contrast(ring["colour"], ring["background"])
        assert ratio >= 3, (
            f"{selector}: focus ring {ring['colour']} on {ring['background']} is {ratio:.1f}:1"
        )


# --- paper ------------------------------------------------------------------------------------


def test_the_printed_meeting_page_carries_content_not_controls(
    a11y, municipality, manager, design_meeting
):
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{design_meeting.pk}/")
    controls = "main button, main input:not([type=hidden]), main select, main textarea, main .btn"
    assert page.locator(controls).count() > 3  # on screen the page is full of controls
    page.emulate_media(media="print")
    shown = page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
            .filter(el => getComputedStyle(el).display !== 'none' && el.checkVisibility())
            .map(el => el.outerHTML.slice(0, 80))""",
        controls,
    )
    assert shown == []
    assert not page.locator("header nav").is_visible() and not page.locator("footer").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_text("חבר.ת ועדה 1").first.is_visible()  # the invitees' table stays
    page.emulate_media(media="screen")
    assert page.locator("main button").first.is_visible()


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_member_account_sees_its_committee_and_meeting(a11y):
    from django.contrib.auth import get_user_model

    from kehila.demo import load_demo

    load_demo()
    member = get_user_model().objects.get(username="member")
    web = a11y(phone=True, axe_tags=PHONE_AXE_TAGS)
    web.login(member)
    page = web.goto("/m/ein-hagalil/committees/me/")
    assert "ועדה מעצבת" in page.locator("#my-committees").inner_text()
    assert page.get_by_role("heading", name="מפגש ועדה מעצבת 1: אתגרי המיקוד").is_visible()
