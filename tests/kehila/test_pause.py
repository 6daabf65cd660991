"""HQ pauses a municipality (kehila.pausing): read-only, nothing sent, no tick; reopening restores it."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from committees.models import Meeting
from kehila import scheduling
from kehila.mail import outbox_drain, send_once
from kehila.models import AuditLog, Municipality, SentMessage
from kehila.pausing import municipality_pause, municipality_reopen
from kehila.permissions import (
    ALLOWED_WHILE_PAUSED,
    RULES,
    SYSTEM,
    MunicipalityPaused,
    PermissionDenied,
    can,
)
from kehila.tasks import daily_tick
from tests.helpers import assert_nothing_changed
from tests.kehila.test_tenancy import ROUTES, build_url, sample_makers
from tests.kehila.timeline_factories import plan_program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _pause(municipality, hq_user, reason="Elections: the council is not sitting"):
    with time_machine.travel(NOW, tick=False):
        municipality_pause(municipality=municipality, reason=reason, actor=hq_user)
    municipality.refresh_from_db()
    return municipality


def _send(municipality, key="k1"):
    return send_once(
        key=key,
        to="resident@example.org",
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.html",
        context={"protocol": "https", "domain": "x", "uid": "MQ", "token": "t-t"},
        municipality=municipality,
    )


# --- the rule -------------------------------------------------------------------------------------


def test_every_pause_exemption_is_a_known_action():
    assert ALLOWED_WHILE_PAUSED <= set(RULES)


def test_a_paused_municipality_refuses_writes_and_allows_reads(municipality, manager, hq_user):
    assert can(manager, "manage_timeline", municipality)
    _pause(municipality, hq_user)
    assert not can(manager, "manage_timeline", municipality)
    assert not can(hq_user, "manage_calendar", municipality)
    assert not can(SYSTEM, "manage_committees", municipality)
    assert can(manager, "view_program", municipality)
    assert can(manager, "view_timeline", municipality)
    # HQ can still reopen it
    assert can(hq_user, "pause_municipality", municipality)


def test_a_service_refuses_with_who_paused_and_since_when(municipality, manager, hq_user):
    hq_user.first_name, hq_user.last_name = "Dana", "Levi"
    hq_user.save()
    _pause(municipality, hq_user)
    with assert_nothing_changed(), pytest.raises(MunicipalityPaused) as caught:
        scheduling.municipality_slip_threshold_set(municipality=municipality, days=3, actor=manager)
    assert "Dana Levi" in str(caught.value)
    assert "2027" in str(caught.value)


def test_a_role_that_may_not_act_anyway_gets_the_ordinary_refusal(
    municipality, committee_member, hq_user
):
    _pause(municipality, hq_user)
    with pytest.raises(PermissionDenied) as caught:
        scheduling.municipality_slip_threshold_set(
            municipality=municipality, days=3, actor=committee_member
        )
    assert not isinstance(caught.value, MunicipalityPaused)


def test_another_municipality_is_not_paused_with_it(
    municipality, other_municipality, outsider, hq_user
):
    _pause(municipality, hq_user)
    assert can(outsider, "manage_timeline", other_municipality)


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_write_route_of_a_paused_municipality_refuses_and_changes_nothing(
    route, client, municipality, manager, hq_user
):
    url = build_url(route, municipality.slug, municipality, sample_makers(route))
    _pause(municipality, hq_user)
    answers = {}
    with assert_nothing_changed():
        for who in (manager, hq_user):
            client.force_login(who)
            answers[who.username] = client.post(url).status_code
    assert answers == {"manager": 403, "hq": 403}, url


def test_a_valid_form_is_refused_while_paused_and_accepted_once_reopened(
    client, municipality, manager, hq_user
):
    url = f"/m/{municipality.slug}/timeline/slip-threshold/"
    _pause(municipality, hq_user)
    client.force_login(manager)
    with assert_nothing_changed():
        response = client.post(url, {"slip_alert_days": "3"})
    assert response.status_code == 403
    assert "is paused since" in response.content.decode()
    municipality_reopen(municipality=municipality, actor=hq_user)
    client.force_login(manager)
    response = client.post(url, {"slip_alert_days": "3"})
    assert response.status_code in (200, 302)
    municipality.refresh_from_db()
    assert municipality.slip_alert_days == 3


READ_PAGES = [
    "",
    "timeline/",
    "partners/",
    "committees/",
    "strategy/agreement/",
    "strategy/plan/",
    "pilot/",
    "privacy/log/",
]


def test_the_read_pages_still_open_with_the_banner(client, municipality, manager, hq_user):
    _pause(municipality, hq_user)
    client.force_login(manager)
    for page in READ_PAGES:
        response = client.get(f"/m/{municipality.slug}/{page}")
        assert response.status_code == 200, page
        assert 'id="paused-banner"' in response.content.decode(), page


def test_every_page_answers_a_get_as_before_or_with_the_pause_s_reason(
    client, municipality, manager, hq_user
):
    """Reading is untouched; a page that exists to change something (an edit form) explains the pause."""
    client.force_login(manager)
    urls = [
        build_url(route, municipality.slug, municipality, sample_makers(route)) for route in ROUTES
    ]
    before = {url: client.get(url).status_code for url in urls}
    _pause(municipality, hq_user)
    client.force_login(manager)
    changed = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == before[url]:
            continue
        if response.status_code == 403 and "is paused since" in response.content.decode():
            continue
        changed[url] = (before[url], response.status_code)
    assert changed == {}
    assert sum(1 for status in before.values() if status == 200) > 20


def test_an_open_municipality_has_no_banner(client, municipality, manager):
    client.force_login(manager)
    assert 'id="paused-banner"' not in client.get(f"/m/{municipality.slug}/").content.decode()


def test_a_write_page_opened_while_paused_says_why(client, municipality, manager, hq_user):
    _pause(municipality, hq_user)
    client.force_login(manager)
    response = client.get(f"/m/{municipality.slug}/timeline/reschedule/")
    assert response.status_code == 403
    assert "is paused since" in response.content.decode()


# --- the outbox and the tick ----------------------------------------------------------------------


def test_the_outbox_holds_a_paused_municipality_s_mail_and_sends_it_once_reopened(
    municipality, other_municipality, hq_user
):
    _pause(municipality, hq_user)
    assert _send(municipality, "held")
    assert _send(other_municipality, "other")
    assert _send(None, "portal")
    mail.outbox.clear()
    outbox_drain()
    assert len(mail.outbox) == 2
    held = SentMessage.objects.get(idempotency_key="held")
    assert held.state == SentMessage.State.QUEUED and held.attempts == 0 and not held.last_error
    municipality_reopen(municipality=municipality, actor=hq_user)
    outbox_drain()
    held.refresh_from_db()
    assert held.state == SentMessage.State.SENT


def test_the_daily_tick_passes_a_paused_municipality_by(municipality, hq_user):
    plan_program(municipality)
    _pause(municipality, hq_user)
    with time_machine.travel(datetime(2027, 1, 20, 8, tzinfo=UTC)):
        daily_tick()
        municipality.program.refresh_from_db()
        assert scheduling.program_tick(program=municipality.program, today=NOW.date()) == {
            "moved": 0,
            "emails": 0,
        }
    assert not Meeting.objects.filter(municipality=municipality).exists()
    municipality_reopen(municipality=municipality, actor=hq_user)
    with time_machine.travel(datetime(2027, 1, 20, 8, tzinfo=UTC)):
        daily_tick()
    assert Meeting.objects.filter(municipality=municipality).exists()


# --- HQ's page ------------------------------------------------------------------------------------


def test_only_hq_pauses(client, municipality, manager, mayor_office):
    url = f"/hq/m/{municipality.slug}/"
    for who in (manager, mayor_office):
        client.force_login(who)
        with assert_nothing_changed():
            assert client.post(url, {"do": "pause", "reason": "x"}).status_code == 403
        with pytest.raises(PermissionDenied):
            municipality_pause(municipality=municipality, reason="x", actor=who)
    assert Municipality.objects.get(pk=municipality.pk).paused_at is None


def test_hq_pauses_and_reopens_from_its_page_audited(client, municipality, hq_user):
    client.force_login(hq_user)
    url = f"/hq/m/{municipality.slug}/"
    response = client.post(url, {"do": "pause", "reason": "Elections"})
    assert response.status_code == 302 and response["Location"] == url
    municipality.refresh_from_db()
    assert municipality.paused_at is not None and municipality.paused_by == hq_user
    assert municipality.pause_reason == "Elections"
    page = client.get(url).content.decode()
    assert "Reopen the municipality" in page and "Elections" in page
    overview = client.get("/hq/").content.decode()
    assert "badge text-bg-warning" in overview
    assert client.post(url, {"do": "reopen"}).status_code == 302
    municipality.refresh_from_db()
    assert municipality.paused_at is None and municipality.paused_by is None
    assert list(
        AuditLog.objects.filter(municipality=municipality).values_list("action", flat=True)
    ) == ["municipality.reopen", "municipality.pause"]
    assert "Pause the municipality" in client.get(url).content.decode()


def test_a_pause_needs_a_reason(client, municipality, hq_user):
    client.force_login(hq_user)
    with assert_nothing_changed():
        response = client.post(f"/hq/m/{municipality.slug}/", {"do": "pause", "reason": " "})
    assert response.status_code == 200


def test_pausing_twice_or_reopening_an_open_one_is_refused(municipality, hq_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        municipality_reopen(municipality=municipality, actor=hq_user)
    _pause(municipality, hq_user)
    with pytest.raises(ValidationError):
        municipality_pause(municipality=municipality, reason="again", actor=hq_user)
