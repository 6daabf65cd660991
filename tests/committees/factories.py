from datetime import timedelta

import factory
from django.utils import timezone

from committees.models import AgendaItem, Committee, CommitteeMember, Invitation, Meeting
from partners.models import Person
from tests.factories import MunicipalityFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"תושב.ת {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "he"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = Committee.Kind.DESIGN
    name = "ועדה מעצבת"
    feed_token = factory.Sequence(lambda n: f"committee-feed-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    municipality = factory.SelfAttribute("committee.municipality")
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
    role = CommitteeMember.Role.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    municipality = factory.SelfAttribute("committee.municipality")
    title = factory.Sequence(lambda n: f"מפגש {n}")
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=7 + n))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2, minutes=30))
    place = "אולם המועצה"

    class Params:
        # A meeting that has started: only then are attendance and minutes recorded (the minutes gate).
        started = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    municipality = factory.SelfAttribute("meeting.municipality")
    title = factory.Sequence(lambda n: f"נושא {n}")
    order = factory.Sequence(lambda n: n + 1)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    municipality = factory.SelfAttribute("meeting.municipality")
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..municipality"))
