"""The public pages: no login, spam-resistant, and never a word about anyone else's submission."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from pilots import links
from pilots.models import Initiative, InitiativeStatus, Participant
from tests.pilots.factories import FocusChallengeFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "ספרייה ברחוב",
        "team_name": "קוראים",
        "team_members": "",
        "contact_name": "נועם",
        "contact_email": "noam@example.org",
        "contact_phone": "",
        "description": "ארון ספרים פתוח",
        "focus_challenge": "",
        "track": "social",
        "neighbourhood": "הגפן",
        "needs_mentoring": "on",
        "money_amount": "",
        "website": "",
    }
    data.update(overrides)
    return data


def submit_url(hackathon):
    return reverse("pilots_public:submit", kwargs={"hackathon_id": hackathon.pk})


def test_the_public_page_shows_the_challenges_and_the_vision(client, hackathon, municipality):
    FocusChallengeFactory(municipality=municipality, number=2, title="בדידות של ותיקים")
    response = client.get(reverse("pilots_public:hackathon", kwargs={"hackathon_id": hackathon.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "בדידות של ותיקים" in content
    assert hackathon.vision in content
    assert submit_url(hackathon) in content


def test_a_resident_submits_without_logging_in_and_gets_a_link(
    client, hackathon, municipality, django_capture_on_commit_callbacks
):
    challenge = FocusChallengeFactory(municipality=municipality, number=1)
    # The personal link is signed with the time: the e-mail is written when the initiative is submitted
    # and the test's link after it, so the clock stands still between them.
    with time_machine.travel(timezone.now(), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                submit_url(hackathon),
                form_data(focus_challenge=challenge.pk, needs_money="on", money_amount="2500"),
            )
        assert response.status_code == 302
        initiative = Initiative.objects.get()
        assert initiative.focus_challenge == challenge and initiative.money_amount == 2500
        assert initiative.language == "he"
        assert links.initiative_path(initiative) in mail.outbox[0].body


def test_the_form_offers_only_this_municipality_s_challenges(client, hackathon, other_municipality):
    foreign = FocusChallengeFactory(municipality=other_municipality, number=1, title="אתגר זר")
    assert "אתגר זר" not in client.get(submit_url(hackathon)).content.decode()
    response = client.post(submit_url(hackathon), form_data(focus_challenge=foreign.pk))
    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_errors_keep_what_was_typed(client, hackathon):
    response = client.post(submit_url(hackathon), form_data(description="", needs_money="on"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ספרייה ברחוב" in content
    assert not Initiative.objects.exists()


def test_a_filled_honeypot_looks_like_success_but_saves_nothing(client, hackathon):
    response = client.post(submit_url(hackathon), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Initiative.objects.exists()
    assert not mail.outbox


def test_too_many_submissions_from_one_address_are_refused(client, hackathon):
    for n in range(5):
        assert client.post(submit_url(hackathon), form_data(title=f"יוזמה {n}")).status_code == 302
    response = client.post(submit_url(hackathon), form_data(title="עוד אחת"))
    assert response.status_code == 429
    assert Initiative.objects.count() == 5


def test_registration_is_public_and_rate_limited(client, hackathon):
    url = reverse("pilots_public:register", kwargs={"hackathon_id": hackathon.pk})
    for n in range(5):
        data = {"full_name": "דנה", "email": f"d{n}@example.org", "website": ""}
        assert client.post(url, data).status_code == 302
    assert client.post(url, {"full_name": "x", "email": "x@example.org"}).status_code == 429
    assert Participant.objects.count() == 5
    assert (
        client.post(url, {"full_name": "בוט", "email": "b@example.org", "website": "x"}).status_code
        == 302
    )
    assert Participant.objects.count() == 5


def test_submissions_after_the_deadline_get_a_clear_refusal(client, hackathon):
    with time_machine.travel(hackathon.submission_deadline + timedelta(minutes=1)):
        response = client.post(submit_url(hackathon), form_data())
    assert response.status_code == 410
    assert (
        "הטופס סגור" in response.content.decode() or "closed" in response.content.decode().lower()
    )
    assert not Initiative.objects.exists()


def test_the_thank_you_page_and_the_form_reveal_no_other_submission(client, hackathon):
    InitiativeFactory(
        hackathon=hackathon, title="סוד של מישהו אחר", contact_email="other@example.org"
    )
    client.post(submit_url(hackathon), form_data())
    for url in (
        submit_url(hackathon),
        reverse("pilots_public:thanks", kwargs={"hackathon_id": hackathon.pk}),
        reverse("pilots_public:hackathon", kwargs={"hackathon_id": hackathon.pk}),
    ):
        content = client.get(url).content.decode()
        assert "סוד של מישהו אחר" not in content and "other@example.org" not in content
    own = Initiative.objects.get(contact_email="noam@example.org")
    content = client.get(links.initiative_path(own)).content.decode()
    assert "סוד של מישהו אחר" not in content


def test_a_duplicate_title_from_the_same_person_says_nothing_about_others(client, hackathon):
    InitiativeFactory(hackathon=hackathon, title="ספרייה ברחוב", contact_email="other@example.org")
    response = client.post(submit_url(hackathon), form_data())
    assert response.status_code == 302
    assert Initiative.objects.count() == 2


def test_the_personal_link_edits_the_initiative_until_the_deadline(client, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon)
    url = links.initiative_path(initiative)
    data = form_data(title="כותרת מתוקנת", contact_email=initiative.contact_email)
    assert client.post(url, data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "כותרת מתוקנת"
    with time_machine.travel(hackathon.submission_deadline + timedelta(minutes=1)):
        page = client.get(url)
        assert page.status_code == 200 and 'id="deadline-passed"' in page.content.decode()
        response = client.post(url, {**data, "title": "מאוחר מדי"})
    assert response.status_code == 410
    initiative.refresh_from_db()
    assert initiative.title == "כותרת מתוקנת"


def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon)
    token = links.initiative_token(initiative)
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(
        reverse("pilots_public:initiative", kwargs={"token": bad}), form_data(title="פריצה")
    )
    assert response.status_code == 400
    assert (
        "This link does not work" in response.content.decode()
        or "הקישור" in response.content.decode()
    )
    initiative.refresh_from_db()
    assert initiative.title != "פריצה"


def test_an_expired_link_says_so(client, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon)
    token = links.initiative_token(initiative)
    with time_machine.travel(timedelta(seconds=links.MAX_AGE + 60)):
        response = client.get(reverse("pilots_public:initiative", kwargs={"token": token}))
    assert response.status_code == 410


def test_a_link_signed_for_something_else_is_refused(client):
    token = signing.dumps({"i": 1}, salt="another.purpose")
    assert (
        client.get(reverse("pilots_public:initiative", kwargs={"token": token})).status_code == 400
    )


def test_a_selected_lead_reports_progress_through_the_link(client, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    token = links.initiative_token(initiative)
    response = client.post(
        reverse("pilots_public:progress", kwargs={"token": token}), {"text": "פתחנו את הגינה"}
    )
    assert response.status_code == 302
    assert initiative.progress_reports.get().text == "פתחנו את הגינה"
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACTIVE
    assert "פתחנו את הגינה" in client.get(links.initiative_path(initiative)).content.decode()


def test_a_double_click_on_submit_saves_one_initiative_and_sends_one_e_mail(
    client, hackathon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(hackathon), form_data())
        client.post(submit_url(hackathon), form_data())
    assert Initiative.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_registration_is_confirmed_by_e_mail(
    client, hackathon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("pilots_public:register", kwargs={"hackathon_id": hackathon.pk}),
            {"full_name": "דנה", "email": "dana@example.org", "team_name": "הצוות"},
        )
    assert Participant.objects.get().team_name == "הצוות"
    assert mail.outbox[0].to == ["dana@example.org"]
    assert hackathon.title in mail.outbox[0].subject
