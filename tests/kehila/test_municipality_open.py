"""HQ opens a municipality: its program, calendar and manager invitation, all or nothing; the
service, then the form."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehila import invitations
from kehila.models import AuditLog, Invitation, Municipality, Program, Role, SentMessage
from tests.helpers import assert_nothing_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_clock")]


# --- the service --------------------------------------------------------------------------------------


def _open(actor, **overrides):
    values = {
        "actor": actor,
        "name": "כפר חדש",
        "name_en": "Kfar Hadash",
        "name_ar": "كفر حداش",
        "slug": "kfar-hadash",
        "default_language": "ar",
        "communities": ["muslim", "christian"],
        "start_date": date(2027, 4, 1),
        "manager_email": "Manager@Kfar.example.org",
    }
    return invitations.municipality_open(**values | overrides)


def test_hq_opens_a_municipality_with_its_program_calendar_and_manager_invitation(hq_user):
    municipality, invitation = _open(hq_user)
    assert (municipality.name_en, municipality.name_ar) == ("Kfar Hadash", "كفر حداش")
    assert municipality.default_language == "ar"
    assert municipality.calendar_communities == ["christian", "muslim"]
    assert Program.objects.get(municipality=municipality).start_date == date(2027, 4, 1)
    assert (invitation.email, invitation.role, invitation.language) == (
        "manager@kfar.example.org",
        Role.MANAGER,
        "ar",
    )
    assert SentMessage.objects.get().to == "manager@kfar.example.org"
    assert AuditLog.objects.filter(action="municipality.opened").count() == 1


def test_a_double_submit_opens_one_municipality(hq_user):
    first = _open(hq_user)
    assert _open(hq_user) == first
    assert Municipality.objects.count() == 1 and Invitation.objects.count() == 1


def test_a_taken_slug_writes_nothing(hq_user, municipality):
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _open(hq_user, slug=municipality.slug)
    assert "slug" in refusal.value.message_dict


def test_a_refused_calendar_or_invitation_writes_nothing(hq_user, settings):
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _open(hq_user, communities=[])
    settings.KEHILA_INVITATIONS_PER_ACTOR_HOUR = 0
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _open(hq_user)
    assert not Municipality.objects.filter(slug="kfar-hadash").exists()


def test_only_hq_opens_a_municipality(manager):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        _open(manager)


# --- the form -----------------------------------------------------------------------------------------


def test_hq_opens_a_municipality_from_the_form(client_for, hq_user):
    client = client_for(hq_user)
    assert 'href="/hq/municipalities/new/"' in client.get("/hq/").content.decode()
    assert client.get("/hq/municipalities/new/").status_code == 200
    data = {
        "name": "כפר חדש",
        "name_en": "Kfar Hadash",
        "name_ar": "",
        "slug": "kfar-hadash",
        "default_language": "he",
        "communities": ["jewish", "druze"],
        "start_date": "2027-04-01",
        "manager_email": "boss@example.org",
    }
    response = client.post("/hq/municipalities/new/", data)
    assert response["Location"] == "/m/kfar-hadash/people/"
    assert client.post("/hq/municipalities/new/", data).status_code == 302  # the double submit
    assert Municipality.objects.filter(slug="kfar-hadash").count() == 1
    assert Invitation.objects.filter(email="boss@example.org").count() == 1
    with assert_nothing_changed():
        taken = client.post(
            "/hq/municipalities/new/", data | {"manager_email": "other@example.org"}
        )
        no_community = client.post(
            "/hq/municipalities/new/", data | {"slug": "b", "communities": []}
        )
    assert taken.status_code == 400
    assert 'id="id_slug"' in taken.content.decode() and "is-invalid" in taken.content.decode()
    assert no_community.status_code == 400


def test_only_hq_reaches_the_open_form(client_for, client, manager):
    assert client.get("/hq/municipalities/new/")["Location"].startswith("/accounts/login/")
    member_client = client_for(manager)
    with assert_nothing_changed():
        assert member_client.get("/hq/municipalities/new/").status_code == 403
        response = member_client.post(
            "/hq/municipalities/new/",
            {
                "name": "x",
                "slug": "x",
                "default_language": "he",
                "communities": ["jewish"],
                "manager_email": "a@example.org",
            },
        )
    assert response.status_code == 403
