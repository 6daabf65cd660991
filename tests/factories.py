"""factory_boy factories of the core. Stage apps keep theirs in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from kehila.models import Membership, Municipality, Program, Role, Stage


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"רשות {n}")
    name_en = factory.Sequence(lambda n: f"Municipality {n}")
    slug = factory.Sequence(lambda n: f"municipality-{n}")
    program = factory.RelatedFactory(
        "tests.factories.ProgramFactory", factory_related_name="municipality"
    )


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    stage = Stage.BODIES
    tracks = factory.LazyFunction(lambda: ["social", "urban"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "ישראל"
    last_name = "ישראלי"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "secret-pass-123")
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.MANAGER


def member(municipality, role: str, **kwargs):
    """A user with `role` in `municipality` (HQ: in none, sees all)."""
    if role == Role.TRACK_LEAD:
        kwargs.setdefault("track", "social")
    membership = MembershipFactory(
        municipality=None if role == Role.HQ else municipality, role=role, **kwargs
    )
    return membership.user
