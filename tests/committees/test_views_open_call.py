"""The open call's pages: applying, the manager's review, the honeypot and the rate limit."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from committees import services
from committees.models import Application, CommitteeMember
from tests.helpers import assert_nothing_changed

from .view_helpers import url

pytestmark = pytest.mark.django_db


APPLY = {
    "full_name": "רונית כהן",
    "email": "ronit@example.org",
    "sector": "residents",
    "is_resident": "on",
    "motivation": "אני פעילה בשכונה",
}


def test_the_open_call_takes_an_application_and_the_manager_accepts_it(
    client, manager, client_for, municipality, django_capture_on_commit_callbacks
):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    assert client.get(apply_url).status_code == 200
    response = client.post(apply_url, APPLY)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.committee.kind == "design"
    manager_client = client_for(manager)
    assert "רונית כהן" in manager_client.get(url("applications", municipality)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            url("application_decide", municipality, application_id=application.pk),
            {"decision": "accept"},
        )
    member = CommitteeMember.objects.get()
    assert member.person.full_name == "רונית כהן"
    assert member.person.municipality == municipality
    assert mail.outbox[0].to == ["ronit@example.org"]


def test_a_declined_applicant_gets_an_email(
    manager, client_for, municipality, django_capture_on_commit_callbacks
):
    application = services.application_submit(
        municipality=municipality,
        full_name="א",
        email="a@example.org",
        sector="business",
        motivation="x",
    ).application
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(
            url("application_decide", municipality, application_id=application.pk),
            {"decision": "decline"},
        )
    application.refresh_from_db()
    assert application.status == "declined"
    assert len(mail.outbox) == 1
    assert not CommitteeMember.objects.exists()


def test_the_honeypot_stores_nothing(client, municipality):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    response = client.post(apply_url, {**APPLY, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_the_open_call_is_rate_limited(client, municipality):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    for _ in range(5):
        client.post(apply_url, {**APPLY, "email": "bad"})
    response = client.post(apply_url, APPLY)
    assert response.status_code == 429
    assert not Application.objects.exists()


def test_a_member_of_the_committee_role_cannot_review_applications(
    committee_member, client_for, municipality
):
    from tests.committees.tenancy_samples import SAMPLES

    application_id = SAMPLES["application_id"](municipality)
    client = client_for(committee_member)
    assert client.get(url("applications", municipality)).status_code == 403
    decide = url("application_decide", municipality, application_id=application_id)
    with assert_nothing_changed():
        assert client.post(decide, {"decision": "accept"}).status_code == 403
