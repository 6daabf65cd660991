"""The generated committees (`manage.py generate_demo`): sizes, the big meeting, determinism, tenancy."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import kehila.generate
from committees import links
from committees.generate import big_meeting
from committees.models import (
    ActionItem,
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    Invitation,
    Meeting,
    MemberCalendar,
    Minutes,
)
from kehila.generate import GENERATED_PASSWORD
from kehila.models import Milestone, Municipality
from kehila.scheduling import MEETING_TZ, committee_of
from partners.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_partners_and_committees(monkeypatch):
    # Committees draws its members from the generated people; the other apps test their own rows.
    monkeypatch.setattr(
        kehila.generate,
        "GENERATORS",
        ["partners.generate.generate", "committees.generate.generate"],
    )


def _generate(scale, **kwargs):
    return kehila.generate.generate(
        municipalities=2, scale=scale, years=2, today=timezone.localdate(), **kwargs
    )


def test_each_municipality_gets_its_bodies_meetings_and_actions_in_proportion():
    totals = _generate(0.1)
    now = timezone.now()
    for municipality in Municipality.objects.filter(slug__startswith="gen-"):
        committees = Committee.objects.filter(municipality=municipality)
        assert Counter(committees.values_list("kind", flat=True)) == {
            "steering": 1,
            "design": 1,
            "program_team": 1,
            "team": 2,
            "gathering": 1,
        }
        assert set(committees.filter(kind="team").values_list("track", flat=True)) == set(
            municipality.program.tracks
        )
        meetings = Meeting.objects.filter(municipality=municipality)
        assert meetings.count() == 15
        past, future = meetings.filter(starts_at__lt=now), meetings.filter(starts_at__gt=now)
        assert past.count() == 13 and future.count() == 2
        # Past meetings took place (a few were cancelled), the future ones are not held yet.
        assert set(past.values_list("status", flat=True)) == {"minuted", "held", "cancelled"}
        assert set(future.values_list("status", flat=True)) <= {"invited", "planned"}
        minuted = past.filter(status="minuted")
        assert Minutes.objects.filter(meeting__in=minuted).count() == minuted.count()
        assert not Minutes.objects.filter(municipality=municipality).exclude(meeting__in=minuted)
        assert ActionItem.objects.filter(municipality=municipality).count() == 40
        assert not ActionItem.objects.filter(municipality=municipality).exclude(meeting__in=minuted)
        agenda = Counter(
            AgendaItem.objects.filter(municipality=municipality).values_list(
                "meeting_id", flat=True
            )
        )
        assert len(agenda) == 15 and set(agenda.values()) == {3, 4, 5}
        invited = meetings.exclude(status="planned").annotate(n=Count("invitations"))
        # count(25) = 2 at this scale (rounded half to even), the big meeting count(200) = 20.
        assert sorted({m.n for m in invited}) == [2, 20]
        answers = set(
            Invitation.objects.filter(municipality=municipality).values_list("response", flat=True)
        )
        assert answers == {"yes", "no", "maybe", ""}
        assert CommitteeMember.objects.filter(municipality=municipality).count() > 30
        assert Application.objects.filter(municipality=municipality).count() == 2
    assert totals["committees_meetings"] == 30 and totals["committees_action_items"] == 80


def test_the_big_meeting_is_upcoming_with_its_invitees_and_open_for_answers():
    _generate(1 / 5)  # 200 people: the big meeting holds count(200) = 40 invitees
    municipality = Municipality.objects.get(slug="gen-001")
    meeting = big_meeting(municipality)
    assert meeting.starts_at > timezone.now() + timedelta(days=7)
    assert meeting.status == Meeting.Status.INVITED
    assert meeting.invitations.count() == 40
    # It is the largest upcoming meeting, which is how the benchmark may also find it.
    largest = (
        Meeting.objects.filter(municipality=municipality, starts_at__gt=timezone.now())
        .annotate(n=Count("invitations"))
        .order_by("-n")
        .first()
    )
    assert largest == meeting
    invitation = meeting.invitations.filter(response="").first()
    response = Client().post(links.rsvp_url(invitation, absolute=False), {"response": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == "yes"


def test_the_committee_member_user_finds_their_meetings_and_actions_on_the_member_page(client):
    _generate(0.01)
    municipality = Municipality.objects.get(slug="gen-002")
    person = Person.objects.get(user__username="gen-002-committee_member")
    assert CommitteeMember.objects.filter(person=person, committee__kind="design").exists()
    assert big_meeting(municipality).invitations.filter(person=person).exists()
    assert ActionItem.objects.filter(owner=person, status="open").exists()
    assert client.login(username="gen-002-committee_member", password=GENERATED_PASSWORD)
    page = client.get(reverse("committees:me", kwargs={"slug": municipality.slug}))
    assert page.status_code == 200
    assert page.context["person"] == person
    assert [i.meeting for i in page.context["invitations"]] == [big_meeting(municipality)]
    assert page.context["action_items"] and page.context["published_minutes"]


def test_the_manager_opens_the_big_meeting_page(client):
    _generate(0.01)
    municipality = Municipality.objects.get(slug="gen-001")
    meeting = big_meeting(municipality)
    assert client.login(username="gen-001-manager", password=GENERATED_PASSWORD)
    page = client.get(
        reverse("committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting.pk})
    )
    assert page.status_code == 200
    assert len(page.context["invitations"]) == meeting.invitations.count() == 2
    assert page.context["rsvp_open"]


def test_held_meetings_are_linked_to_the_timeline_milestones_of_their_body():
    _generate(0.1)
    linked = Milestone.objects.filter(meeting__isnull=False).select_related("meeting__committee")
    assert linked.exists()
    kinds = {"steering": "steering", "design": "design", "team": "team", "event": "gathering"}
    for milestone in linked:
        meeting = milestone.meeting
        assert meeting.committee.kind == kinds[committee_of(milestone.key)]
        assert meeting.status in ("held", "minuted") and milestone.status == "held"
        assert meeting.idempotency_key == f"milestone:{milestone.program_id}:{milestone.key}"
        assert meeting.starts_at.astimezone(MEETING_TZ).date() == milestone.planned


def test_no_body_has_two_meetings_at_once():
    _generate(0.3)
    for meeting in Meeting.objects.all():
        assert not Meeting.objects.filter(
            committee=meeting.committee,
            starts_at__lt=meeting.ends_at,
            ends_at__gt=meeting.starts_at,
        ).exclude(pk=meeting.pk)


def _snapshot():
    """Everything the generator chose, by natural keys (ids, timestamps and secrets differ)."""
    return {
        "committees": list(Committee.objects.order_by("pk").values_list("name", "kind", "track")),
        "members": list(
            CommitteeMember.objects.order_by("pk").values_list(
                "committee__name", "person__full_name", "role", "sector", "starts_on", "ends_on"
            )
        ),
        "meetings": [
            # The milestone key carries the program's id, which a second run does not reuse.
            (*row[:-1], re.sub(r"^milestone:\d+:", "milestone:", row[-1] or ""))
            for row in Meeting.objects.order_by("pk").values_list(
                "committee__name", "title", "starts_at", "status", "place", "idempotency_key"
            )
        ],
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "meeting__title", "person__full_name", "response", "responded_at", "attended"
            )
        ),
        "agenda": list(AgendaItem.objects.order_by("pk").values_list("title", "presenter")),
        "actions": list(
            ActionItem.objects.order_by("pk").values_list(
                "title", "owner__full_name", "due_on", "status"
            )
        ),
        "minutes": list(Minutes.objects.order_by("pk").values_list("summary", "published_at")),
    }


class _Rollback(Exception):
    pass


def test_the_same_seed_writes_the_same_committees():
    try:
        with transaction.atomic():
            _generate(0.05, seed=3)
            first = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Meeting.objects.exists()
    _generate(0.05, seed=3)
    assert _snapshot() == first
    assert first["invitations"] and first["actions"]


def test_every_row_belongs_to_the_municipality_of_its_parents():
    _generate(0.05)
    same = F("municipality")
    assert not CommitteeMember.objects.exclude(committee__municipality=same)
    assert not CommitteeMember.objects.exclude(person__municipality=same)
    assert not Meeting.objects.exclude(committee__municipality=same)
    assert not AgendaItem.objects.exclude(meeting__municipality=same)
    assert not Invitation.objects.exclude(meeting__municipality=same)
    assert not Invitation.objects.exclude(person__municipality=same)
    assert not Minutes.objects.exclude(meeting__municipality=same)
    assert not ActionItem.objects.exclude(meeting__municipality=same)
    assert not ActionItem.objects.filter(owner__isnull=False).exclude(owner__municipality=same)
    assert not MemberCalendar.objects.exclude(person__municipality=same)
    assert not Application.objects.exclude(committee__municipality=same)
    assert not Application.objects.filter(person__isnull=False).exclude(person__municipality=same)
    assert not Milestone.objects.filter(meeting__isnull=False).exclude(meeting__municipality=same)
    # An answer always says when it was given (the RSVP page and the waiting list order by it).
    assert not Invitation.objects.filter(~Q(response=""), responded_at__isnull=True)


def test_every_generated_row_passes_the_models_validation():
    # bulk_create skips full_clean: choices, lengths and the models' own clean() are checked here.
    _generate(0.02)
    models = (
        Committee,
        CommitteeMember,
        Meeting,
        AgendaItem,
        Invitation,
        Minutes,
        ActionItem,
        MemberCalendar,
        Application,
    )
    for model in models:
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            row.full_clean()
