"""Factories of the pilot. Time-sensitive rows are built relative to now, so tests move the clock, not the data."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from kehila.models import Program
from pilots.models import CommitteeSeat, Hackathon, Initiative, InitiativeStatus, Participant
from strategy.models import FocusChallenge


class HackathonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hackathon

    municipality = None
    program = factory.LazyAttribute(
        lambda h: Program.objects.get_or_create(municipality=h.municipality)[0]
    )
    title = factory.Sequence(lambda n: f"האקתון {n}")
    year = factory.Sequence(lambda n: n + 1)
    place = "המתנ״ס"
    vision = "עיר שבה כולם שייכים"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    pilot_budget = Decimal("10000")

    class Params:
        # Submissions closed an hour ago: the committee may score (pilots.services.score_record).
        closed = factory.Trait(
            registration_opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
            registration_closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
            submission_deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )


def closed_hackathon(municipality, **kwargs):
    """A hackathon whose submissions are closed, so that its initiatives can be scored now."""
    return HackathonFactory(municipality=municipality, closed=True, **kwargs)


class FocusChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusChallenge
        django_get_or_create = ["municipality", "number"]

    number = 1
    title = factory.LazyAttribute(lambda c: f"אתגר {c.number}")
    description = "תיאור האתגר"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    hackathon = None
    municipality = factory.LazyAttribute(lambda i: i.hackathon.municipality)
    title = factory.Sequence(lambda n: f"יוזמה {n}")
    team_name = "צוות"
    contact_name = "רותם"
    contact_email = factory.Sequence(lambda n: f"lead{n}@example.org")
    description = "תיאור היוזמה"
    track = "social"
    neighbourhood = "הרקפות"
    status = InitiativeStatus.SUBMITTED


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    hackathon = None
    municipality = factory.LazyAttribute(lambda p: p.hackathon.municipality)
    full_name = "משתתפת"
    email = factory.Sequence(lambda n: f"p{n}@example.org")


def seat(hackathon, user):
    return CommitteeSeat.objects.create(
        municipality=hackathon.municipality, hackathon=hackathon, user=user
    )
