"""One address is one person: in the open call, in acceptance, and in every invitation that follows."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from committees import services
from committees.models import Application, Committee, CommitteeMember, Invitation
from partners.models import Person
from tests.kehila.test_concurrency import CSRF, Visitor

from .factories import MeetingFactory, MemberFactory, PersonFactory

APPLY = {
    "full_name": "רונית כהן",
    "email": "ronit@example.org",
    "sector": "residents",
    "is_resident": "on",
    "motivation": "אני פעילה בשכונה",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def apply_url(municipality):
    return reverse("committees_public:apply", kwargs={"slug": municipality.slug})


def submit(municipality, **overrides):
    data = {
        "full_name": "רונית כהן",
        "email": "ronit@example.org",
        "sector": "residents",
        "motivation": "אני פעילה בשכונה",
        **overrides,
    }
    return services.application_submit(municipality=municipality, **data)


def updated_sentence() -> str:
    with translation.override("he"):
        return translation.gettext(
            "We updated your earlier application: an address applies once, and what you sent now "
            "replaces what you sent before."
        )


@pytest.mark.django_db
def test_a_second_application_from_the_same_address_updates_the_first_and_says_so(
    client, municipality
):
    first = client.post(apply_url(municipality), APPLY, follow=True)
    assert updated_sentence() not in first.content.decode()

    again = {**APPLY, "email": "  Ronit@EXAMPLE.org ", "motivation": "כתבתי שוב, עם יותר פרטים"}
    response = client.post(apply_url(municipality), again, follow=True)

    assert response.status_code == 200
    assert updated_sentence() in response.content.decode()
    application = Application.objects.get()
    assert application.email == "ronit@example.org"
    assert application.motivation == "כתבתי שוב, עם יותר פרטים"


@pytest.mark.django_db
def test_five_applications_from_one_address_are_one_application(municipality):
    results = [submit(municipality, motivation=f"גרסה {n}") for n in range(5)]
    assert [r.updated for r in results] == [False, True, True, True, True]
    assert Application.objects.get().motivation == "גרסה 4"


@pytest.mark.django_db
def test_an_address_may_apply_again_after_its_application_was_decided(municipality, manager):
    first = submit(municipality).application
    services.application_decline(application=first, actor=manager)
    second = submit(municipality)
    assert not second.updated
    assert Application.objects.count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_application_from_one_address(municipality):
    first = submit(municipality).application
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            municipality=municipality,
            committee=first.committee,
            full_name="אחרת",
            email="RONIT@example.org",
            sector="business",
            motivation="x",
        )


@pytest.mark.django_db(transaction=True)
def test_ten_applications_at_once_from_one_address_leave_one(live_server, municipality):
    # The committee exists before the race, as it does once the call is open.
    services.committee_for_kind(municipality=municipality, kind=Committee.Kind.DESIGN)
    path = apply_url(municipality)
    barrier = threading.Barrier(10, timeout=120)

    def apply(n):
        visitor = Visitor(live_server.url)
        status, _location, text = visitor.request("GET", path)
        token = CSRF.search(text).group(1)
        barrier.wait()
        # Each from its own address as far as the rate limit knows: the limit counts per client
        # address, and all ten come from 127.0.0.1; clearing is racy, so the limit is lifted below.
        data = {**APPLY, "csrfmiddlewaretoken": token, "motivation": f"ניסיון {n}"}
        return visitor.request("POST", path, data)[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("committees.public_views.APPLY_LIMIT", 100)
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(apply, range(10)))

    assert statuses == [302] * 10
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_accepting_an_address_that_is_already_a_person_adds_that_person(
    municipality, manager, django_capture_on_commit_callbacks
):
    known = PersonFactory(municipality=municipality, email="Ronit@example.org")
    application = submit(municipality).application
    member = services.application_accept(application=application, actor=manager)
    assert member.person == known
    assert Person.objects.filter(municipality=municipality).count() == 1

    meeting = MeetingFactory(committee=application.committee)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, actor=manager)
    # The invitation (with its .ics) goes to the person already known, at the address as they wrote it;
    # the acceptance e-mail before it went to the application's own address.
    invitations = [m.to for m in mail.outbox if m.attachments]
    assert invitations == [["Ronit@example.org"]]


@pytest.mark.django_db
def test_two_people_with_one_address_get_one_invitation_and_one_email(
    municipality, manager, django_capture_on_commit_callbacks
):
    committee = services.committee_for_kind(municipality=municipality, kind=Committee.Kind.DESIGN)
    for email in ("dana@example.org", " DANA@example.org"):
        MemberFactory(
            committee=committee,
            person=PersonFactory(municipality=municipality, email=email),
        )
    meeting = MeetingFactory(committee=committee)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(meeting=meeting, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, actor=manager)
    assert sent == 1
    assert Invitation.objects.filter(meeting=meeting).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_second_person_with_an_invited_address_is_refused_and_nothing_changes(
    municipality, manager
):
    meeting = MeetingFactory(committee__municipality=municipality, municipality=municipality)
    first = PersonFactory(municipality=municipality, email="yael@example.org")
    twin = PersonFactory(municipality=municipality, email="Yael@Example.org")
    services.invitation_add(meeting=meeting, person=first, actor=manager)
    with pytest.raises(ValidationError):
        services.invitation_add(meeting=meeting, person=twin, actor=manager)
    assert list(Invitation.objects.values_list("person_id", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_minutes_go_once_to_an_address_two_members_share(
    municipality, manager, django_capture_on_commit_callbacks
):
    committee = services.committee_for_kind(municipality=municipality, kind=Committee.Kind.DESIGN)
    for email in ("omer@example.org", "Omer@example.org"):
        MemberFactory(
            committee=committee, person=PersonFactory(municipality=municipality, email=email)
        )
    meeting = MeetingFactory(committee=committee, started=True)
    with django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_save(
            meeting=meeting, note_taker="נ", summary="סיכום", actor=manager
        )
        services.minutes_publish(minutes=minutes, actor=manager)
    assert len(mail.outbox) == 1
    assert CommitteeMember.objects.filter(committee=committee).count() == 2
