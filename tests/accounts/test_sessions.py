"""Sessions end: after KEHILA_IDLE_TIMEOUT_MINUTES without a request, and everywhere else when the
password is reset."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from kehila.accounts import LAST_ACTIVITY_KEY
from kehila.models import SentMessage

pytestmark = pytest.mark.django_db

START = datetime(2027, 3, 14, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _thirty_minutes(settings):
    settings.KEHILA_IDLE_TIMEOUT_MINUTES = 30


def test_an_idle_session_ends_and_the_login_page_says_why(client_for, mayor_office, municipality):
    dashboard = f"/m/{municipality.slug}/"
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(mayor_office)
        assert client.get(dashboard).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(dashboard).status_code == 200
        # Each request restarts the count: 29 more minutes are still within the limit.
        clock.shift(timedelta(minutes=29))
        assert client.get(dashboard).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(dashboard)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?idle=1&next=")
        assert SESSION_KEY not in client.session
        assert client.get(dashboard).url.startswith("/accounts/login/?next=")
        login = client.get(response.url).content.decode()
        assert 'id="idle-message"' in login


def test_the_timeout_applies_to_verified_staff_too(client_for, manager, municipality):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(manager)
        assert client.get(f"/m/{municipality.slug}/").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get(f"/m/{municipality.slug}/").status_code == 302
        assert SESSION_KEY not in client.session


def test_the_activity_stamp_is_written_at_most_once_a_minute(
    client_for, mayor_office, municipality
):
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(mayor_office)
        client.get(f"/m/{municipality.slug}/")
        first = client.session[LAST_ACTIVITY_KEY]
        clock.shift(timedelta(seconds=40))
        client.get(f"/m/{municipality.slug}/")
        assert client.session[LAST_ACTIVITY_KEY] == first
        clock.shift(timedelta(seconds=40))
        client.get(f"/m/{municipality.slug}/")
        assert client.session[LAST_ACTIVITY_KEY] == first + 80


def _reset_link(email: str) -> str:
    Client().post("/accounts/password_reset/", {"email": email})
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)


def test_a_password_reset_ends_the_persons_other_sessions(client_for, mayor_office, municipality):
    office, phone = Client(), Client()
    office.force_login(mayor_office)
    phone.force_login(mayor_office)
    dashboard = f"/m/{municipality.slug}/"
    assert office.get(dashboard).status_code == 200 and phone.get(dashboard).status_code == 200

    resetter = Client()
    form = resetter.get(_reset_link(mayor_office.email), follow=True)
    response = resetter.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-987", "new_password2": "a-brand-new-pass-987"},
    )
    assert response.status_code == 302 and response.url.endswith("/reset/done/")

    for client in (office, phone):
        response = client.get(dashboard)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    fresh = Client()
    assert (
        fresh.post(
            "/accounts/login/", {"username": "mayor", "password": "a-brand-new-pass-987"}
        ).status_code
        == 302
    )


def test_the_reset_email_goes_through_the_portals_mail_without_the_token_in_its_key(mayor_office):
    link = _reset_link(mayor_office.email)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    sent = SentMessage.objects.get()
    assert sent.to == mayor_office.email
    assert sent.idempotency_key.startswith("password-reset:")
    assert token not in sent.idempotency_key


def test_a_reset_for_an_unknown_address_sends_nothing(db):
    Client().post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert not mail.outbox and not SentMessage.objects.exists()
