import factory

from partners.models import Affiliation, Engagement, Organisation, Person
from tests.factories import UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"אדם {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = factory.Sequence(lambda n: f"050-{1000000 + n:07d}")
    neighbourhood = "הגפן"
    title = "פעיל.ה"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"ארגון {n}")
    kind = Organisation.Kind.CIVIL_SOCIETY


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, municipality=factory.SelfAttribute("..person.municipality")
    )
    municipality = factory.SelfAttribute("person.municipality")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    person = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("person.municipality")
    program = factory.LazyAttribute(lambda e: e.person.municipality.program)
    sector = "social"
    circle = "residents"
    consent = "passive"
    stage = "identified"


def staged_import(municipality, rows=None):
    from partners.models import StagedImport

    user = UserFactory(username="stager")
    return StagedImport.objects.create(
        municipality=municipality,
        user=user,
        filename="x.csv",
        rows=rows or [{"full_name": "א"}],
    )
