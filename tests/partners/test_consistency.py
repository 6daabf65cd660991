"""The partners' consistency rules (partners/consistency.py): each finds its contradiction, the clean
case finds nothing, and the demo and the generated country obey them all."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

import kehila.generate
from kehila.consistency import CHECKS, contradictions
from kehila.models import Municipality
from kehila.scheduling import MEETING_TZ
from partners import consistency
from partners.models import (
    Affiliation,
    Engagement,
    Interaction,
    Person,
    SensitiveRelationship,
    StagedImport,
)
from tests.partners.factories import (
    AffiliationFactory,
    EngagementFactory,
    OrganisationFactory,
    PersonFactory,
    staged_import,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

TODAY = date(2027, 3, 10)
NOW = datetime.combine(TODAY, time(12), tzinfo=MEETING_TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def found(municipality, rule):
    """The rule's contradictions, in English (the assertions read the sentences; the Hebrew catalogue is
    checked complete by tests/kehila/test_i18n.py)."""
    assert rule in CHECKS
    return [c for c in contradictions(municipality, today=TODAY) if c.rule == rule]


def person_url(person):
    return f"/m/{person.municipality.slug}/partners/{person.pk}/"


def test_interactions_up_to_today_are_no_contradiction(municipality):
    person = PersonFactory(municipality=municipality)
    for day in (TODAY, TODAY - timedelta(days=40)):
        Interaction.objects.create(municipality=municipality, person=person, kind="met", date=day)
    assert found(municipality, "partners.interaction_in_future") == []


def test_an_interaction_dated_ahead_is_found(municipality):
    person = PersonFactory(municipality=municipality)
    Interaction.objects.create(
        municipality=municipality, person=person, kind="called", date=TODAY + timedelta(days=1)
    )
    [item] = found(municipality, "partners.interaction_in_future")
    assert person.full_name in item.text and item.url == person_url(person)


def erased(municipality, **fields):
    person = PersonFactory(municipality=municipality)
    values = {"email": "", "phone": "", "title": "", "languages": "", "notes": ""}
    values["erased_at"] = NOW - timedelta(days=1)
    values.update(fields)
    Person.objects.filter(pk=person.pk).update(**values)
    person.refresh_from_db()
    return person


def test_an_erased_person_without_their_data_is_no_contradiction(municipality):
    erased(municipality)
    PersonFactory(municipality=municipality)  # not erased: keeps their details
    assert found(municipality, "partners.erased_keeps_data") == []


@pytest.mark.parametrize("field", ["email", "phone", "notes"])
def test_an_erased_person_who_keeps_personal_data_is_found(municipality, field):
    person = erased(municipality, **{field: "050-1234567" if field == "phone" else "x@example.org"})
    [item] = found(municipality, "partners.erased_keeps_data")
    assert person.full_name in item.text and item.url == person_url(person)


def test_a_person_erased_on_a_day_to_come_is_found(municipality):
    person = erased(municipality, erased_at=NOW + timedelta(days=2))
    [item] = found(municipality, "partners.erased_keeps_data")
    assert "has not come yet" in item.text and person.full_name in item.text


def test_engagements_and_affiliations_of_one_municipality_are_no_contradiction(municipality):
    EngagementFactory(person=PersonFactory(municipality=municipality))
    AffiliationFactory(person=PersonFactory(municipality=municipality))
    assert found(municipality, "partners.other_municipality") == []


def test_an_engagement_with_another_municipalitys_person_is_found(municipality, other_municipality):
    engagement = EngagementFactory(person=PersonFactory(municipality=municipality))
    stranger = PersonFactory(municipality=other_municipality)
    Engagement.objects.filter(pk=engagement.pk).update(person=stranger)
    [item] = found(municipality, "partners.other_municipality")
    assert stranger.full_name in item.text


def test_an_affiliation_with_another_municipalitys_organisation_is_found(
    municipality, other_municipality
):
    affiliation = AffiliationFactory(person=PersonFactory(municipality=municipality))
    Affiliation.objects.filter(pk=affiliation.pk).update(
        organisation=OrganisationFactory(municipality=other_municipality)
    )
    [item] = found(municipality, "partners.other_municipality")
    assert affiliation.person.full_name in item.text
    assert item.url == person_url(affiliation.person)


def tie(municipality, **sides):
    return SensitiveRelationship.objects.create(municipality=municipality, level=2, **sides)


def test_a_relationship_between_two_sides_is_no_contradiction(municipality):
    a, b = PersonFactory(municipality=municipality), PersonFactory(municipality=municipality)
    tie(municipality, person_a=a, organisation_b=OrganisationFactory(municipality=municipality))
    tie(municipality, person_a=a, person_b=b)
    assert found(municipality, "partners.relationship_sides") == []


@pytest.mark.parametrize("problem", ["both and not neither", "to itself", "another municipality"])
def test_a_relationship_whose_sides_contradict_is_found(municipality, other_municipality, problem):
    a = PersonFactory(municipality=municipality)
    if problem == "both and not neither":
        tie(
            municipality,
            person_a=a,
            organisation_a=OrganisationFactory(municipality=municipality),
            person_b=PersonFactory(municipality=municipality),
        )
    elif problem == "to itself":
        tie(municipality, person_a=a, person_b=a)
    else:
        tie(municipality, person_a=a, person_b=PersonFactory(municipality=other_municipality))
    [item] = found(municipality, "partners.relationship_sides")
    assert problem in item.text and a.full_name in item.text
    assert item.url == f"/m/{municipality.slug}/partners/context/"


def test_imports_confirmed_and_emptied_after_their_upload_are_no_contradiction(municipality):
    staged = staged_import(municipality)
    StagedImport.objects.filter(pk=staged.pk).update(
        confirmed_at=NOW + timedelta(minutes=5), purged_at=NOW + timedelta(days=30), rows=[]
    )
    staged_import(municipality)  # waiting for its confirmation, rows kept
    assert found(municipality, "partners.staged_imports") == []


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"purged_at": NOW + timedelta(days=1)}, "still holds its rows"),
        ({"confirmed_at": NOW - timedelta(days=1)}, "before it was uploaded"),
        ({"purged_at": NOW - timedelta(days=1), "rows": []}, "before it was uploaded"),
    ],
)
def test_an_import_whose_dates_or_rows_contradict_is_found(municipality, fields, problem):
    staged = staged_import(municipality)
    StagedImport.objects.filter(pk=staged.pk).update(**fields)
    [item] = found(municipality, "partners.staged_imports")
    assert problem in item.text and "x.csv" in item.text
    assert item.url == f"/m/{municipality.slug}/partners/import/{staged.pk}/"


def test_each_check_reads_with_a_fixed_number_of_queries(municipality, other_municipality):
    checks = [
        consistency.interactions_in_future,
        consistency.erased_people,
        consistency.other_municipality,
        consistency.relationship_sides,
        consistency.staged_imports,
    ]

    def add_rows(n):
        for _ in range(n):
            person = erased(municipality, email="x@example.org")
            Interaction.objects.create(
                municipality=municipality, person=person, kind="met", date=TODAY + timedelta(days=3)
            )
            stranger = PersonFactory(municipality=other_municipality)
            engagement = EngagementFactory(person=PersonFactory(municipality=municipality))
            Engagement.objects.filter(pk=engagement.pk).update(person=stranger)
            tie(municipality, person_a=person, person_b=stranger)
            staged = staged_import(municipality)
            StagedImport.objects.filter(pk=staged.pk).update(purged_at=NOW)

    def counts():
        out = []
        for check in checks:
            with CaptureQueriesContext(connection) as queries:
                assert list(check(municipality, TODAY))
            out.append(len(queries))
        return out

    add_rows(1)
    small = counts()
    add_rows(4)
    assert counts() == small
    assert all(n <= 2 for n in small), small


def own(municipality):
    found = contradictions(municipality, today=TODAY)
    return [f"{c.rule}: {c.text}" for c in found if c.rule.startswith("partners.")]


def test_the_demo_contradicts_none_of_the_rules():
    from kehila.demo import load_demo

    load_demo()
    load_demo()  # a second run keeps it so
    for municipality in Municipality.objects.all():
        assert own(municipality) == []


def test_a_generated_country_contradicts_none_of_the_rules():
    kehila.generate.generate(municipalities=3, scale=0.05, years=3, seed=1, prefix="chk")
    municipalities = Municipality.objects.filter(slug__startswith="chk-")
    assert municipalities.count() == 3
    for municipality in municipalities:
        assert own(municipality) == []
