"""A person's data on request (issue 14 §4): everything the portal holds about them as one document in
their language, and erasure: contact details removed everywhere, the person kept under an anonymous label
so that counts, attendance and minutes stay whole; audited, logged, final."""

from datetime import date

import pytest
from django.forms.models import model_to_dict

from committees.models import Application, CommitteeMember, Invitation, MemberCalendar, Minutes
from kehila.audit import log_action
from kehila.models import AuditLog, ContactAccess, SentMessage
from partners.models import Interaction, Person
from pilots.models import Initiative, Participant
from tests.committees.factories import CommitteeFactory, InvitationFactory, MemberFactory
from tests.helpers import roles_refused
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory
from tests.pilots.factories import HackathonFactory, InitiativeFactory, ParticipantFactory

EMAIL = "dana.levi@example.org"
PHONE = "052-7654321"


@pytest.fixture
def dana(municipality, manager):
    """A resident in every app: mapping, a committee, a meeting's answer, the open call, the hackathon."""
    person = PersonFactory(
        municipality=municipality,
        full_name="דנה לוי",
        email=EMAIL,
        phone=PHONE,
        notes="גרה ליד המתנ״ס",
        language="en",
    )
    AffiliationFactory(person=person, organisation__name="ועד השכונה", role="יו״ר")
    EngagementFactory(person=person)
    Interaction.objects.create(
        municipality=municipality, person=person, kind="met", date=date(2027, 1, 5), note="פגישה"
    )
    committee = CommitteeFactory(municipality=municipality, name="Design committee")
    MemberFactory(committee=committee, person=person)
    invitation = InvitationFactory(
        meeting__committee=committee,
        meeting__title="Meeting about parks",
        person=person,
        response="yes",
        note="I'll bring my neighbour",
        attended=True,
    )
    Minutes.objects.create(
        municipality=municipality,
        meeting=invitation.meeting,
        note_taker="רון",
        summary="Dana proposed a park",
    )
    MemberCalendar.objects.create(municipality=municipality, person=person, token="secret-feed")
    Application.objects.create(
        municipality=municipality,
        committee=committee,
        full_name="Dana Levi",
        email=EMAIL.upper(),  # the open call stores what the resident typed
        phone=PHONE,
        sector="residents",
        motivation="I love my neighbourhood",
    )
    hackathon = HackathonFactory(municipality=municipality, title="Hackathon 2027")
    ParticipantFactory(hackathon=hackathon, full_name="Dana L.", email=EMAIL, phone=PHONE)
    InitiativeFactory(
        hackathon=hackathon, title="Shade for the park", contact_name="Dana", contact_email=EMAIL
    )
    SentMessage.objects.create(
        municipality=municipality,
        idempotency_key="pilots:registration:1",
        to=EMAIL,
        subject="Registered",
        language="en",
        body_text="Dear Dana L., you are registered.",
    )
    return person


def _everything(municipality) -> str:
    """Every row of every app that could hold the person's details, as one string."""
    rows = []
    for model in (
        Person,
        Application,
        Participant,
        Initiative,
        Invitation,
        Interaction,
        SentMessage,
    ):
        for row in model.objects.filter(municipality=municipality):
            rows.append(repr(model_to_dict(row)))
    return "\n".join(rows).lower()


def _state(municipality):
    return (
        _everything(municipality),
        AuditLog.objects.count(),
        ContactAccess.objects.count(),
        MemberCalendar.objects.count(),
    )


# --- export ------------------------------------------------------------------------------------------


def test_the_export_holds_the_persons_data_from_every_app_in_their_language(
    client, team_member, municipality, dana
):
    client.force_login(team_member)
    client.get(f"/m/{municipality.slug}/partners/{dana.pk}/")  # a view of her contact details
    response = client.get(f"/m/{municipality.slug}/partners/{dana.pk}/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{dana.pk}-data.html"'
    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page
    for expected in [
        "Personal details",
        EMAIL,
        PHONE,
        "גרה ליד המתנ״ס",  # notes
        "ועד השכונה",  # organisation
        "Interaction log",
        "Committee memberships",
        "Design committee",
        "Meeting about parks",
        "Coming",  # the RSVP answer, in English
        "I&#x27;ll bring my neighbour",
        "Open-call applications",
        "I love my neighbourhood",
        "Hackathon registrations",
        "Hackathon 2027",
        "Shade for the park",
        "Access to contact details",  # the log of who saw her details, without their names
        "A person&#x27;s page",
    ]:
        assert expected in page, expected
    assert team_member.username not in page
    row = ContactAccess.objects.latest("pk")
    assert (row.where, row.purpose, row.people) == (
        "partners.person_data",
        "person_export",
        [f"partners.person:{dana.pk}"],
    )
    assert AuditLog.objects.filter(
        action="privacy.person_exported", object_id=str(dana.pk)
    ).exists()


def test_a_hebrew_speakers_export_is_in_hebrew(client, manager, municipality, dana):
    Person.objects.filter(pk=dana.pk).update(language="he")
    client.force_login(manager)
    page = client.get(f"/m/{municipality.slug}/partners/{dana.pk}/data/").content.decode()
    assert '<html lang="he" dir="rtl">' in page
    assert "פרטים אישיים" in page  # "Personal details"
    assert "מגיע.ה" in page  # the RSVP answer "Coming"


# --- erasure -----------------------------------------------------------------------------------------


def _erase(client, municipality, person, **data):
    return client.post(
        f"/m/{municipality.slug}/partners/{person.pk}/erase/",
        {"reason": "Her request by e-mail of 3 March", "confirm": "on", **data},
    )


def test_erasure_removes_the_contact_details_everywhere_and_keeps_what_counts(
    client, manager, municipality, dana
):
    members, invitations, minutes = (
        CommitteeMember.objects.count(),
        list(Invitation.objects.values_list("pk", "response", "attended")),
        list(Minutes.objects.values_list("summary", "note_taker")),
    )
    log_action(actor=manager, action="committees.member_add", obj=CommitteeMember.objects.get())
    log_action(actor=manager, action="committees.application_accept", obj=Application.objects.get())
    client.force_login(manager)
    client.get(f"/m/{municipality.slug}/partners/{dana.pk}/data/")  # audited under her name
    response = _erase(client, municipality, dana)
    assert response.status_code == 302

    dana.refresh_from_db()
    assert dana.full_name == f"אדם שנמחק {dana.pk}"
    assert (dana.email, dana.phone, dana.notes) == ("", "", "")
    assert dana.erased_at is not None
    everything = _everything(municipality)
    for gone in [
        EMAIL,
        PHONE,
        "dana levi",
        "dana l.",
        "i love my neighbourhood",
        "bring my neighbour",
    ]:
        assert gone not in everything, gone
    assert not MemberCalendar.objects.exists()
    # The rows that counts, composition, attendance and minutes stand on are all still there.
    assert CommitteeMember.objects.count() == members
    assert list(Invitation.objects.values_list("pk", "response", "attended")) == invitations
    assert list(Minutes.objects.values_list("summary", "note_taker")) == minutes
    assert Initiative.objects.get().title == "Shade for the park"
    assert Interaction.objects.filter(person=dana).count() == 1
    # The once-only record stays; what was still waiting to go to her never goes.
    sent = SentMessage.objects.get()
    assert sent.idempotency_key == "pilots:registration:1"
    assert sent.state == SentMessage.State.FAILED

    audit = AuditLog.objects.get(action="privacy.person_erased")
    assert audit.actor == manager
    assert audit.data["reason"] == "Her request by e-mail of 3 March"
    assert audit.data["pilots"] == {"participants": 1, "initiatives": 1}
    assert EMAIL not in repr(audit.data)
    # The trail keeps every entry about her, but no longer shows her name.
    reprs = list(AuditLog.objects.values_list("object_repr", flat=True))
    assert len(reprs) == 4
    assert not [r for r in reprs if "דנה" in r or "dana" in r.lower()], reprs
    row = ContactAccess.objects.get(purpose="erasure")
    assert row.people == [f"partners.person:{dana.pk}"]

    page = client.get(f"/m/{municipality.slug}/partners/{dana.pk}/").content.decode()
    assert 'id="person-erased"' in page
    assert "/erase/" not in page


def test_a_second_erasure_does_nothing(client, manager, municipality, dana):
    client.force_login(manager)
    _erase(client, municipality, dana)
    before = _state(municipality)
    response = _erase(client, municipality, dana, reason="again")
    assert response.status_code == 302
    assert _state(municipality) == before
    assert AuditLog.objects.filter(action="privacy.person_erased").count() == 1


def test_an_erased_person_cannot_be_filled_in_again(client, manager, municipality, dana):
    client.force_login(manager)
    _erase(client, municipality, dana)
    before = _state(municipality)
    response = client.post(
        f"/m/{municipality.slug}/partners/{dana.pk}/edit/",
        {"person-full_name": "Dana Levi", "person-email": EMAIL, "person-language": "he"},
    )
    assert response.status_code == 302
    assert _state(municipality) == before


@pytest.mark.parametrize("data", [{"confirm": ""}, {"reason": "  "}])
def test_erasure_needs_a_confirmation_and_a_reason(client, manager, municipality, dana, data):
    client.force_login(manager)
    before = _state(municipality)
    assert _erase(client, municipality, dana, **data).status_code == 400
    assert _state(municipality) == before


@pytest.mark.parametrize("role", roles_refused("export_person_data", "erase_person"))
def test_other_roles_may_neither_export_nor_erase_and_nothing_changes(
    role, users_by_role, client, municipality, dana
):
    client.force_login(users_by_role[role])
    before = _state(municipality)
    assert client.get(f"/m/{municipality.slug}/partners/{dana.pk}/data/").status_code == 403
    assert _erase(client, municipality, dana).status_code == 403
    assert _state(municipality) == before
