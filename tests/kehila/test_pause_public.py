"""HQ pauses a municipality: its public pages (personal links, the open call, the hackathon's forms,
joining by invitation) refuse every write with the notice and change nothing; their GETs still show,
with the notice in the form's place; once reopened they write again."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from committees import links as committee_links
from committees import services as committee_services
from committees.models import Application, Invitation, MinutesCorrection
from kehila import invitations
from kehila.models import Role
from kehila.pausing import municipality_pause, municipality_reopen, refuse_if_paused
from live import services as live_services
from pilots import links as pilot_links
from pilots.models import Initiative, InitiativeStatus, Participant, ProgressReport
from tests.committees.factories import CommitteeFactory, InvitationFactory, MeetingFactory
from tests.helpers import assert_nothing_changed
from tests.kehila.invitation_helpers import _signed
from tests.pilots.factories import HackathonFactory, InitiativeFactory
from tests.urlmap import all_routes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
NOTICE = "is paused for now"

# Public routes that write nothing a pause must stop: pages that only read, calendar feeds, and
# revoking one's own calendar feed (it only stops a leaked link; a pause must not keep a leak open).
NOT_WRITES = {
    "committees_public:member",
    "committees_public:member_feed",
    "committees_public:committee_feed",
    "committees_public:member_feed_revoke",
    "committees_public:apply_thanks",
    "pilots_public:hackathon",
    "pilots_public:thanks",
    "strategy_public:plan",
    "live_public:phone",  # a phone's page and its poll only read
    "live_public:phone_poll",
}


def public_routes():
    """Every page reached without an account's role in the municipality: the stage apps' public
    pages and the invitation links."""
    return [
        r
        for r in all_routes()
        if r.name.split(":")[0].endswith("_public") or r.route.startswith("invitations/")
    ]


WRITE_ROUTES = sorted(r.name for r in public_routes() if r.name not in NOT_WRITES)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(frozen, municipality, manager):
    """One object behind every public form of `municipality`, and a valid form for each."""
    committee = CommitteeFactory(municipality=municipality)
    upcoming = MeetingFactory(committee=committee, starts_at=NOW + timedelta(days=7))
    rsvp = InvitationFactory(meeting=upcoming, person__municipality=municipality)
    held = MeetingFactory(committee=committee, starts_at=NOW - timedelta(hours=3))
    attendee = InvitationFactory(meeting=held, person__municipality=municipality, attended=True)
    minutes = committee_services.minutes_save(
        meeting=held, actor=manager, note_taker="N", summary="S"
    )
    committee_services.minutes_circulate(minutes=minutes, actor=manager)
    hackathon = HackathonFactory(municipality=municipality)
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
    invitation = invitations.invite(
        actor=manager, municipality=municipality, email="new@example.org", role=Role.TEAM
    )
    initiative_token = pilot_links.initiative_token(initiative)
    initiative_form = {
        "title": "A street library",
        "team_name": "Readers",
        "team_members": "",
        "contact_name": "Noam",
        "contact_email": "noam@example.org",
        "contact_phone": "",
        "description": "An open bookcase",
        "focus_challenge": "",
        "track": "social",
        "neighbourhood": "Hagefen",
        "money_amount": "",
        "website": "",
    }
    signed = _signed(invitation)
    live = live_services.session_open(meeting=upcoming, actor=manager, note_taker="N")
    forms = {
        "live_public:join": (reverse("live_public:join"), {"code": live.code, "name": "Walk-in"}),
        "live_public:by_invitation": (
            reverse("live_public:by_invitation", args=[committee_links.rsvp_token(rsvp)]),
            {},
        ),
        "live_public:phone_act": (
            reverse("live_public:phone_act", args=[live.code, "item"]),
            {"text": "An idea"},
        ),
        "committees_public:rsvp": (
            reverse("committees_public:rsvp", args=[committee_links.rsvp_token(rsvp)]),
            {"response": "yes", "note": ""},
        ),
        "committees_public:member_correct": (
            reverse(
                "committees_public:member_correct",
                args=[committee_links.member_token(attendee.person), minutes.pk],
            ),
            {"text": "The decision is missing"},
        ),
        "committees_public:apply": (
            reverse("committees_public:apply", args=[municipality.slug]),
            {
                "full_name": "Ronit Cohen",
                "email": "ronit@example.org",
                "sector": "residents",
                "is_resident": "on",
                "motivation": "I am active in the neighbourhood",
            },
        ),
        "pilots_public:register": (
            reverse("pilots_public:register", args=[hackathon.pk]),
            {"full_name": "Dana", "email": "dana@example.org", "website": ""},
        ),
        "pilots_public:submit": (
            reverse("pilots_public:submit", args=[hackathon.pk]),
            initiative_form,
        ),
        "pilots_public:initiative": (
            reverse("pilots_public:initiative", args=[initiative_token]),
            {**initiative_form, "title": "A renamed library"},
        ),
        "pilots_public:progress": (
            reverse("pilots_public:progress", args=[initiative_token]),
            {"text": "We opened the bookcase"},
        ),
        "kehila:invitation_accept": (
            reverse("kehila:invitation_accept", args=[signed]),
            {
                "first_name": "Noa",
                "last_name": "Bar",
                "password1": "a long and unusual passphrase",
                "password2": "a long and unusual passphrase",
            },
        ),
        "kehila:invitation_request": (
            reverse("kehila:invitation_request", args=[signed]),
            {"email": "new@example.org"},
        ),
    }
    return {"forms": forms, "rsvp": rsvp, "minutes": minutes, "attendee": attendee}


def _pause(municipality, hq_user):
    hq_user.first_name, hq_user.last_name = "Dana", "Levi"
    hq_user.save(update_fields=["first_name", "last_name"])
    municipality_pause(municipality=municipality, reason="Elections", actor=hq_user)
    municipality.refresh_from_db()


# --- the walk -------------------------------------------------------------------------------------


def test_every_public_route_is_known_as_a_write_or_not(world):
    """A public route added later must be sorted here: its form is either walked below or named in
    NOT_WRITES with the reason it may write while paused."""
    names = {r.name for r in public_routes()}
    assert NOT_WRITES <= names
    assert set(WRITE_ROUTES) == set(world["forms"]), set(WRITE_ROUTES) ^ set(world["forms"])


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_every_public_write_is_refused_while_paused_and_changes_nothing(
    name, world, client, municipality, hq_user
):
    url, data = world["forms"][name]
    _pause(municipality, hq_user)
    with assert_nothing_changed():
        response = client.post(url, data)
    assert response.status_code == 403, (name, response.status_code)
    page = response.content.decode()
    assert 'id="public-paused-refusal"' in page
    assert f"The program of {municipality.name} {NOTICE}" in page
    # A resident is not told who at HQ paused it, nor HQ's reason.
    assert "Elections" not in page
    assert "Dana Levi" not in page


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_the_same_write_is_not_refused_when_the_municipality_is_open(name, world, client):
    """The clean case of the walk: nothing paused, no notice (whatever the form's own answer)."""
    url, data = world["forms"][name]
    response = client.post(url, data)
    assert response.status_code != 403, name
    assert NOTICE not in response.content.decode()


def test_another_municipality_s_pause_does_not_refuse(world, client, other_municipality, hq_user):
    _pause(other_municipality, hq_user)
    url, data = world["forms"]["committees_public:rsvp"]
    assert client.post(url, data).status_code == 302


# --- the pages still show -------------------------------------------------------------------------


GET_PAGES = [
    "committees_public:rsvp",
    "committees_public:apply",
    "pilots_public:register",
    "pilots_public:submit",
    "pilots_public:initiative",
    "kehila:invitation_accept",
]


@pytest.mark.parametrize("name", GET_PAGES)
def test_the_pages_still_open_while_paused(name, world, client, municipality, hq_user):
    url, _data = world["forms"][name]
    _pause(municipality, hq_user)
    with assert_nothing_changed():
        response = client.get(url)
    assert response.status_code == 200, name


@pytest.mark.parametrize(
    "name",
    ["committees_public:rsvp", "committees_public:apply", "pilots_public:register"],
)
def test_a_form_is_replaced_by_the_notice_while_paused_and_back_once_reopened(
    name, world, client, municipality, hq_user
):
    url, _data = world["forms"][name]
    _pause(municipality, hq_user)
    page = client.get(url).content.decode()
    assert 'id="public-paused"' in page and NOTICE in page
    assert 'method="post"' not in page.split("</header>", 1)[1].split("<footer", 1)[0]
    municipality_reopen(municipality=municipality, actor=hq_user)
    page = client.get(url).content.decode()
    assert 'id="public-paused"' not in page
    assert 'method="post"' in page


def test_the_member_page_hides_the_correction_form_while_paused(
    world, client, municipality, hq_user
):
    page_url = reverse(
        "committees_public:member", args=[committee_links.member_token(world["attendee"].person)]
    )
    correct = f'id="send-correction-{world["minutes"].pk}"'
    assert correct in client.get(page_url).content.decode()
    _pause(municipality, hq_user)
    page = client.get(page_url).content.decode()
    assert correct not in page and 'id="public-paused"' in page


def test_the_lead_s_page_hides_both_forms_while_paused(world, client, municipality, hq_user):
    url, _data = world["forms"]["pilots_public:initiative"]
    assert "Send the report" in client.get(url).content.decode()
    _pause(municipality, hq_user)
    page = client.get(url).content.decode()
    assert "Send the report" not in page and "Save the changes" not in page
    assert 'id="public-paused"' in page


# --- reopened -------------------------------------------------------------------------------------


def test_rsvp_and_the_open_call_work_again_after_reopening(world, client, municipality, hq_user):
    _pause(municipality, hq_user)
    municipality_reopen(municipality=municipality, actor=hq_user)
    url, data = world["forms"]["committees_public:rsvp"]
    assert client.post(url, data).status_code == 302
    assert Invitation.objects.get(pk=world["rsvp"].pk).response == "yes"
    url, data = world["forms"]["committees_public:apply"]
    assert client.post(url, data).status_code == 302
    assert Application.objects.filter(email="ronit@example.org").exists()


def test_corrections_registration_submission_and_progress_work_again_after_reopening(
    world, client, municipality, hq_user
):
    _pause(municipality, hq_user)
    municipality_reopen(municipality=municipality, actor=hq_user)
    for name in (
        "committees_public:member_correct",
        "pilots_public:register",
        "pilots_public:submit",
        "pilots_public:progress",
    ):
        url, data = world["forms"][name]
        assert client.post(url, data).status_code == 302, name
    assert MinutesCorrection.objects.filter(text="The decision is missing").exists()
    assert Participant.objects.filter(email="dana@example.org").exists()
    assert Initiative.objects.filter(title="A street library").exists()
    assert ProgressReport.objects.filter(text="We opened the bookcase").exists()


# --- the helper -----------------------------------------------------------------------------------


def test_the_helper_refuses_only_a_paused_municipality(municipality, hq_user):
    from kehila.pausing import ProgramPaused

    refuse_if_paused(None)
    refuse_if_paused(municipality)
    _pause(municipality, hq_user)
    with pytest.raises(ProgramPaused) as caught:
        refuse_if_paused(municipality)
    assert caught.value.municipality == municipality
