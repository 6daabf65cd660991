"""My account (issue 16): the profile, e-mail choices, changing the e-mail address by a signed link, the
list of sessions and signing out elsewhere, the language choice, and the password reset's answers."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from kehila import profile
from kehila.models import AuditLog, Profile, SentMessage
from kehila.tasks import program_tick
from tests.factories import UserFactory
from tests.helpers import assert_nothing_changed
from tests.kehila.timeline_factories import plan_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The assertions read English sentences: pages without a language cookie fall back to English
    here (the Hebrew catalogue is checked complete by tests/kehila/test_i18n.py)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


NOW = datetime(2027, 3, 14, 8, 0, tzinfo=UTC)


# --- wants() and language_of() ----------------------------------------------------------------------


def test_a_user_without_a_profile_wants_everything_in_hebrew(committee_member, settings):
    settings.LANGUAGE_CODE = "he"  # the portal's own default, which the fixture above changed
    for kind in profile.KINDS:
        assert profile.wants(committee_member, kind)
    assert profile.language_of(committee_member) == "he"
    assert not Profile.objects.exists()  # reading made no row


def test_a_switched_off_kind_is_refused_by_user_and_by_address_whatever_the_case(
    committee_member,
):
    profile.notifications_update(
        user=committee_member,
        meeting_reminders=False,
        reminder_days_before=5,
        digests=True,
        action_item_reminders=False,
    )
    committee_member.refresh_from_db()
    assert not profile.wants(committee_member, profile.MEETING_REMINDER)
    assert not profile.wants(committee_member, profile.ACTION_ITEM_REMINDER)
    assert profile.wants(committee_member, profile.DIGEST)
    assert not profile.wants(committee_member.email.upper(), profile.MEETING_REMINDER)
    assert profile.reminder_days_before(committee_member) == 5
    # Invitations cannot be switched off.
    assert profile.wants(committee_member, profile.INVITATION)
    assert profile.refusing(
        [committee_member.email, "nobody@example.org"], profile.MEETING_REMINDER
    ) == {committee_member.email.lower()}


def test_an_address_without_an_account_is_not_refused():
    assert profile.wants("resident@example.org", profile.MEETING_REMINDER)
    assert profile.refusing(["resident@example.org"], profile.DIGEST) == set()


def test_an_unknown_kind_is_an_error(committee_member):
    with pytest.raises(ValueError):
        profile.wants(committee_member, "newsletter")


def test_a_language_the_portal_does_not_speak_falls_back_to_the_portals(committee_member, settings):
    settings.LANGUAGE_CODE = "he"  # the portal's own default, which the fixture above changed
    profile.profile_update(
        user=committee_member, first_name="א", last_name="ב", language="ar", phone=""
    )
    committee_member.refresh_from_db()
    assert committee_member.profile.language == "ar"
    assert profile.language_of(committee_member) == "ar"  # the portal speaks Arabic (issue 17)
    settings.LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "ar"]
    assert profile.language_of(committee_member) == "he"


def test_the_phone_is_checked_and_kept_without_separators(committee_member):
    saved = profile.profile_update(
        user=committee_member, first_name="", last_name="", language="en", phone="050-123 4567"
    )
    assert saved.phone == "0501234567"
    with pytest.raises(profile.ValidationError):
        profile.profile_update(
            user=committee_member, first_name="", last_name="", language="en", phone="call me"
        )


# --- the pages ---------------------------------------------------------------------------------------


def test_the_account_page_shows_every_section_and_writes_nothing(client_for, committee_member):
    client = client_for(committee_member)
    with assert_nothing_changed():
        page = client.get("/accounts/").content.decode()
    for anchor in ("profile", "email", "notifications", "security", "sessions", "calendar"):
        assert f'id="{anchor}"' in page
    assert "/accounts/password_change/" in page
    assert "/accounts/two-factor/enrol/" in page
    assert "/accounts/calendar/revoke/" not in page  # no stage app answers with a feed here
    assert not Profile.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/accounts/", "/accounts/email/confirm/x/"):
        assert client.get(path)["Location"].startswith("/accounts/login/")
    with assert_nothing_changed():
        response = client.post("/accounts/notifications/", {"reminder_days_before": 3})
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_turns_off_reminders(client_for, committee_member):
    client = client_for(committee_member)
    response = client.post(
        "/accounts/notifications/", {"reminder_days_before": "7", "digests": "on"}
    )
    assert response.status_code == 302
    saved = Profile.objects.get(user=committee_member)
    assert (saved.meeting_reminders, saved.reminder_days_before) == (False, 7)
    assert (saved.digests, saved.action_item_reminders) == (True, False)
    assert AuditLog.objects.filter(action="notifications_updated").count() == 1


def test_bad_notification_input_is_refused_and_changes_nothing(client_for, committee_member):
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post("/accounts/notifications/", {"reminder_days_before": "99"})
    assert response.status_code == 400


def test_the_profile_is_saved_and_the_language_changes_the_interface(client_for, committee_member):
    client = client_for(committee_member)
    response = client.post(
        "/accounts/profile/",
        {"first_name": "Dana", "last_name": "Levi", "language": "en", "phone": ""},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    committee_member.refresh_from_db()
    assert committee_member.get_full_name() == "Dana Levi"
    page = client.get("/accounts/").content.decode()
    assert 'lang="en"' in page and "My account" in page
    client.post("/accounts/profile/", {"first_name": "", "last_name": "", "language": "he"})
    assert 'lang="he"' in client.get("/accounts/").content.decode()


def test_the_phone_is_shown_to_its_owner_only_on_their_page(client_for, committee_member):
    profile.profile_update(
        user=committee_member, first_name="", last_name="", language="he", phone="0501234567"
    )
    client = client_for(committee_member)
    assert "0501234567" in client.get("/accounts/").content.decode()
    other = UserFactory()
    client.force_login(other)
    assert "0501234567" not in client.get("/accounts/").content.decode()


def test_a_bad_phone_is_refused_and_changes_nothing(client_for, committee_member):
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post(
            "/accounts/profile/",
            {"first_name": "x", "last_name": "y", "language": "he", "phone": "?"},
        )
    assert response.status_code == 400
    committee_member.refresh_from_db()
    assert committee_member.first_name != "x"


def test_logging_in_sets_the_chosen_language(committee_member):
    committee_member.set_password("a long pass phrase 1")
    committee_member.save()
    profile.profile_update(
        user=committee_member, first_name="", last_name="", language="en", phone=""
    )
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": committee_member.username, "password": "a long pass phrase 1"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get("/accounts/").content.decode()


def test_logging_in_without_a_choice_leaves_the_language_alone(committee_member):
    committee_member.set_password("a long pass phrase 1")
    committee_member.save()
    response = Client().post(
        "/accounts/login/",
        {"username": committee_member.username, "password": "a long pass phrase 1"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- changing the e-mail address ----------------------------------------------------------------------


def _link(message) -> str:
    return re.search(r"https?://\S+(/accounts/email/confirm/\S+/)", message.body).group(1)


def test_changing_the_email_asks_the_new_address_and_tells_the_old(client_for, committee_member):
    old = committee_member.email
    client = client_for(committee_member)
    response = client.post("/accounts/email/", {"email": "new@example.org"})
    assert response.status_code == 302
    committee_member.refresh_from_db()
    assert committee_member.email == old  # nothing changes before the link is opened
    (sent,) = mail.outbox
    assert sent.to == ["new@example.org"]
    link = _link(sent)
    with assert_nothing_changed():
        page = client.get(link)  # a mail scanner's GET changes nothing
    assert page.status_code == 200 and "new@example.org" in page.content.decode()
    committee_member.refresh_from_db()
    assert committee_member.email == old
    assert client.post(link).status_code == 302
    committee_member.refresh_from_db()
    assert committee_member.email == "new@example.org"
    assert [m.to for m in mail.outbox][-1] == [old]
    assert AuditLog.objects.filter(action="email_changed").count() == 1


def test_the_email_change_is_sent_in_the_persons_language(client_for, committee_member):
    profile.profile_update(
        user=committee_member, first_name="", last_name="", language="en", phone=""
    )
    client_for(committee_member).post("/accounts/email/", {"email": "new@example.org"})
    assert SentMessage.objects.get(to="new@example.org").language == "en"
    assert "Confirm your new e-mail address" in mail.outbox[0].subject


def test_a_used_link_changes_nothing_the_second_time(client_for, committee_member):
    client = client_for(committee_member)
    client.post("/accounts/email/", {"email": "new@example.org"})
    link = _link(mail.outbox[0])
    client.post(link)
    committee_member.refresh_from_db()
    committee_member.email = "back@example.org"
    committee_member.save(update_fields=["email"])
    with assert_nothing_changed():
        response = client.post(link)
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    committee_member.refresh_from_db()
    assert committee_member.email == "back@example.org"


def test_an_expired_link_explains_itself(client_for, committee_member):
    with time_machine.travel(NOW, tick=False) as clock:
        client = client_for(committee_member)
        client.post("/accounts/email/", {"email": "new@example.org"})
        link = _link(mail.outbox[0])
        clock.shift(profile.EMAIL_CHANGE_MAX_AGE + timedelta(minutes=1))
        client = Client()  # the old session ended while idle: signed in afresh
        client.force_login(committee_member)
        response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    committee_member.refresh_from_db()
    assert committee_member.email != "new@example.org"


def test_a_tampered_link_is_refused(client_for, committee_member):
    client = client_for(committee_member)
    client.post("/accounts/email/", {"email": "new@example.org"})
    link = _link(mail.outbox[0])
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.post(tampered)
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    committee_member.refresh_from_db()
    assert committee_member.email != "new@example.org"


def test_another_users_link_does_not_change_either_account(client, committee_member):
    other = UserFactory()
    other_email = other.email
    client.force_login(committee_member)
    client.post("/accounts/email/", {"email": "new@example.org"})
    link = _link(mail.outbox[0])
    client.force_login(other)
    with assert_nothing_changed():
        response = client.post(link)
    assert response.status_code == 400
    assert "another account" in response.content.decode()
    other.refresh_from_db()
    committee_member.refresh_from_db()
    assert other.email == other_email and committee_member.email != "new@example.org"


def test_an_address_of_another_account_is_answered_alike_and_refused_at_the_link(
    client_for, committee_member
):
    taken = UserFactory(email="taken@example.org")
    client = client_for(committee_member)
    free = client.post("/accounts/email/", {"email": "free@example.org"}, follow=True)
    used = client.post("/accounts/email/", {"email": "taken@example.org"}, follow=True)

    def said(response):
        return [
            str(m).replace("free", "X").replace("taken", "X") for m in response.context["messages"]
        ]

    assert said(free) == said(used)
    link = _link(next(m for m in mail.outbox if m.to == [taken.email]))
    response = client.post(link)
    assert response.status_code == 400
    committee_member.refresh_from_db()
    assert committee_member.email != "taken@example.org"


# --- sessions ----------------------------------------------------------------------------------------


def test_sign_out_everywhere_else_ends_the_other_sessions_and_keeps_this_one(committee_member):
    here, phone, laptop = Client(), Client(), Client()
    for browser in (here, phone, laptop):
        browser.force_login(committee_member)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert len(profile.sessions_of(committee_member)) == 3
    page = here.get("/accounts/").content.decode()
    assert "/accounts/sessions/end-others/" in page
    response = here.post("/accounts/sessions/end-others/")
    assert response.status_code == 302
    assert [s["key"] for s in profile.sessions_of(committee_member)] == [here.session.session_key]
    assert here.get("/accounts/").status_code == 200
    assert phone.get("/accounts/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/accounts/")["Location"].startswith("/accounts/login/")
    assert stranger.get("/accounts/").status_code == 200  # someone else's session is untouched
    entry = AuditLog.objects.get(action="sessions_ended_elsewhere")
    assert entry.data == {"ended": 2}


def test_the_list_holds_only_the_persons_live_sessions(committee_member):
    Client().force_login(committee_member)
    Client().force_login(UserFactory())
    Session.objects.filter(expire_date__gt=NOW - timedelta(days=999)).update(
        expire_date=datetime(2000, 1, 1, tzinfo=UTC)
    )
    assert profile.sessions_of(committee_member) == []
    Client().force_login(committee_member)
    (only,) = profile.sessions_of(committee_member)
    assert Session.objects.get(session_key=only["key"]).get_decoded()[SESSION_KEY] == str(
        committee_member.pk
    )


# --- calendar feeds ----------------------------------------------------------------------------------


def test_the_calendar_feeds_come_from_the_signal_and_revoke_goes_through_it(
    client_for, committee_member
):
    from kehila.signals import account_calendar_feeds, account_calendar_feeds_revoke

    revoked = []

    def feeds(sender, user, **kwargs):
        return [{"label": "Committees", "url": f"https://example.org/{user.pk}.ics"}]

    def revoke(sender, user, **kwargs):
        revoked.append(user.pk)
        return 1

    account_calendar_feeds.connect(feeds)
    account_calendar_feeds_revoke.connect(revoke)
    try:
        client = client_for(committee_member)
        page = client.get("/accounts/").content.decode()
        assert f"https://example.org/{committee_member.pk}.ics" in page
        assert client.post("/accounts/calendar/revoke/").status_code == 302
    finally:
        account_calendar_feeds.disconnect(feeds)
        account_calendar_feeds_revoke.disconnect(revoke)
    assert revoked == [committee_member.pk]
    assert AuditLog.objects.get(action="calendar_feeds_revoked").data == {"revoked": 1}


def test_without_a_feed_the_page_says_so(client_for, committee_member):
    page = client_for(committee_member).get("/accounts/").content.decode()
    assert "/accounts/calendar/revoke/" not in page


# --- the timeline digest respects the choice ----------------------------------------------------------


def test_a_manager_who_turned_digests_off_gets_the_warnings_but_not_the_digest(
    municipality, manager
):
    plan_program(municipality)
    profile.notifications_update(
        user=manager,
        meeting_reminders=True,
        reminder_days_before=3,
        digests=False,
        action_item_reminders=True,
    )
    with time_machine.travel(date(2027, 1, 31)):  # a Sunday: the digest's day
        program_tick(municipality.program.pk, "2027-01-31")
    keys = set(SentMessage.objects.values_list("idempotency_key", flat=True))
    assert any(key.startswith("overdue:") for key in keys)
    assert not any(key.startswith("digest:") for key in keys)


def test_a_manager_with_digests_on_gets_it_in_their_language(municipality, manager):
    plan_program(municipality)
    profile.profile_update(user=manager, first_name="", last_name="", language="en", phone="")
    with time_machine.travel(date(2027, 1, 31)):
        program_tick(municipality.program.pk, "2027-01-31")
    digest = SentMessage.objects.get(idempotency_key__startswith="digest:")
    assert digest.language == "en"


# --- password reset ----------------------------------------------------------------------------------


def _reset(client, email, address="10.0.0.1"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_the_reset_answers_alike_whether_or_not_the_address_has_an_account(
    client, committee_member
):
    known = _reset(client, committee_member.email)
    unknown = _reset(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[committee_member.email]]


def test_the_reset_is_rate_limited_per_address_and_still_answers_alike(client, committee_member):
    from kehila.accounts import RESET_LIMIT_PER_EMAIL

    answers = set()
    with time_machine.travel(NOW, tick=False) as clock:
        for n in range(RESET_LIMIT_PER_EMAIL + 2):
            # A minute apart: each request's token (and so its e-mail) is a new one.
            clock.shift(timedelta(minutes=1))
            answers.add(_reset(client, committee_member.email, f"10.0.0.{n}")["Location"])
    assert len(answers) == 1
    assert len(mail.outbox) == RESET_LIMIT_PER_EMAIL


def test_the_reset_is_rate_limited_per_client_address(client):
    from kehila.accounts import RESET_LIMIT_PER_CLIENT

    users = [UserFactory() for _ in range(RESET_LIMIT_PER_CLIENT + 2)]
    for user in users:
        _reset(client, user.email, "10.9.9.9")
    assert len(mail.outbox) == RESET_LIMIT_PER_CLIENT
    _reset(client, users[-1].email, "10.9.9.8")  # another machine is not held back
    assert len(mail.outbox) == RESET_LIMIT_PER_CLIENT + 1
