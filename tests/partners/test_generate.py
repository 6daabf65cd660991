"""The generated stakeholder mapping (`manage.py generate_demo`): sizes, determinism and tenancy."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

import kehila.generate
from kehila.models import Municipality, Role
from partners.models import (
    Affiliation,
    Engagement,
    EngagementStage,
    HistoryNote,
    Interaction,
    MunicipalRole,
    Organisation,
    Person,
    SensitiveRelationship,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_partners(monkeypatch):
    # The other apps' generators are theirs to test; this file checks the partners rows.
    monkeypatch.setattr(kehila.generate, "GENERATORS", ["partners.generate.generate"])


def _generate(scale, **kwargs):
    return kehila.generate.generate(
        municipalities=2, scale=scale, years=2, today=timezone.localdate(), **kwargs
    )


def test_each_municipality_gets_people_organisations_and_interactions_in_proportion(only_partners):
    totals = _generate(0.05)
    for municipality in Municipality.objects.filter(slug__startswith="gen-"):
        people = Person.objects.filter(municipality=municipality)
        # 50 people at this scale plus the five program users.
        assert people.count() == 55
        assert people.filter(user__isnull=False).count() == 5
        organisations = Organisation.objects.filter(municipality=municipality)
        assert organisations.count() == 15
        assert set(organisations.values_list("kind", flat=True)) == set(Organisation.Kind.values)
        engaged = Engagement.objects.filter(municipality=municipality)
        assert 0.85 * 55 <= engaged.count() < 55  # most people, not all
        assert set(engaged.values_list("stage", flat=True)) == set(EngagementStage.values)
        affiliations = Affiliation.objects.filter(municipality=municipality)
        assert 0.8 * 55 <= affiliations.count() <= 1.3 * 55
        per_person = Counter(affiliations.values_list("person_id", flat=True))
        assert max(per_person.values()) >= 2  # some sit in several organisations
        interactions = Interaction.objects.filter(municipality=municipality)
        assert interactions.count() == 250
        per_person = Counter(interactions.values_list("person_id", flat=True))
        assert len(per_person) == 55 and min(per_person.values()) >= 4
        assert HistoryNote.objects.filter(municipality=municipality).count() == 1
        assert SensitiveRelationship.objects.filter(municipality=municipality).count() == 1
        assert people.filter(municipal_role=MunicipalRole.MAYOR).count() == 1
    assert totals["partners_people"] == 110 and totals["partners_interactions"] == 500


def test_the_committee_member_user_is_a_person_of_their_municipality(only_partners):
    _generate(0.01)
    municipality = Municipality.objects.get(slug="gen-002")
    person = Person.objects.get(user__username="gen-002-committee_member")
    assert person.municipality == municipality
    assert person.user.memberships.get().role == Role.COMMITTEE_MEMBER


def _snapshot():
    """Everything the generator chose, by natural keys (ids and timestamps differ between runs)."""
    return {
        "people": list(
            Person.objects.order_by("pk").values_list(
                "municipality__slug",
                "full_name",
                "email",
                "phone",
                "neighbourhood",
                "municipal_role",
                "user__username",
            )
        ),
        "organisations": list(Organisation.objects.order_by("pk").values_list("name", "kind")),
        "affiliations": list(
            Affiliation.objects.order_by("pk").values_list(
                "person__email", "person__full_name", "organisation__name", "role", "is_head"
            )
        ),
        "engagements": list(
            Engagement.objects.order_by("pk").values_list(
                "person__full_name", "sector", "consent", "stage", "influence", "owner__username"
            )
        ),
        "interactions": list(
            Interaction.objects.order_by("pk").values_list(
                "person__full_name", "kind", "date", "note"
            )
        ),
        "ties": list(
            SensitiveRelationship.objects.order_by("pk").values_list(
                "person_a__full_name", "organisation_b__name", "level", "note"
            )
        ),
    }


class _Rollback(Exception):
    pass


def test_the_same_seed_writes_the_same_data(only_partners):
    try:
        with transaction.atomic():
            _generate(0.02, seed=7)
            first = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Person.objects.exists()
    _generate(0.02, seed=7)
    assert _snapshot() == first
    assert first["people"]  # not two empty lists


def test_another_seed_writes_other_names(only_partners):
    try:
        with transaction.atomic():
            _generate(0.02, seed=1)
            first = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    _generate(0.02, seed=2)
    second = _snapshot()
    assert [p[1] for p in second["people"]] != [p[1] for p in first["people"]]
    # Position decides the shape, the seed only the values.
    assert [p[5] for p in second["people"]] == [p[5] for p in first["people"]]


def test_every_row_belongs_to_the_municipality_of_its_parents(only_partners):
    _generate(0.02)
    assert Person.objects.count() > 0
    assert not Person.objects.exclude(user__memberships__municipality=F("municipality")).filter(
        user__isnull=False
    )
    assert not Affiliation.objects.exclude(municipality=F("person__municipality"))
    assert not Affiliation.objects.exclude(municipality=F("organisation__municipality"))
    assert not Engagement.objects.exclude(municipality=F("person__municipality"))
    assert not Engagement.objects.exclude(municipality=F("program__municipality"))
    assert not Engagement.objects.exclude(owner__isnull=True).exclude(
        owner__memberships__municipality=F("municipality")
    )
    assert not Interaction.objects.exclude(municipality=F("person__municipality"))
    assert not Interaction.objects.exclude(created_by__memberships__municipality=F("municipality"))
    burnt = HistoryNote.burnt.through.objects
    assert burnt.exists()
    assert not burnt.exclude(historynote__municipality=F("person__municipality"))
    ties = SensitiveRelationship.objects
    for side in ("person_a", "person_b", "organisation_a", "organisation_b"):
        assert not ties.filter(**{f"{side}__isnull": False}).exclude(
            municipality=F(f"{side}__municipality")
        )
    for tie in ties.all():
        tie.clean()  # exactly one person or organisation per side, two different sides


def test_every_generated_row_passes_the_models_validation(only_partners):
    # bulk_create skips full_clean: choices, lengths and the models' own clean() are checked here.
    _generate(0.02)
    for model in (Person, Organisation, Affiliation, Engagement, Interaction, HistoryNote):
        rows = list(model.objects.all())
        assert rows, model
        for row in rows:
            row.full_clean()
    for tie in SensitiveRelationship.objects.all():
        tie.full_clean()
