"""Sample objects for the tenancy test's walk over the URL map (see tests/kehila/test_tenancy.py)."""

from decimal import Decimal

from pilots.models import Grant, InitiativeStatus
from tests.factories import UserFactory
from tests.pilots.factories import HackathonFactory, InitiativeFactory, seat


def _hackathon(municipality):
    return HackathonFactory(municipality=municipality)


def _initiative(municipality):
    return InitiativeFactory(hackathon=_hackathon(municipality))


def _grant(municipality):
    initiative = InitiativeFactory(
        hackathon=_hackathon(municipality), status=InitiativeStatus.ACTIVE
    )
    return Grant.objects.create(
        municipality=municipality, initiative=initiative, amount=Decimal(10)
    )


def _seat(municipality):
    return seat(_hackathon(municipality), UserFactory())


SAMPLES = {
    "hackathon_id": lambda municipality: _hackathon(municipality).pk,
    "initiative_id": lambda municipality: _initiative(municipality).pk,
    "grant_id": lambda municipality: _grant(municipality).pk,
    "seat_id": lambda municipality: _seat(municipality).pk,
}
