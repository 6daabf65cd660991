import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kehila.models import AuditLog
from partners import selectors, services
from partners.models import Engagement, MunicipalRole, Organisation, Person, StagedImport
from tests.helpers import roles_refused
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "full_name,email,phone,neighbourhood,organisations,sector,stage\n"


def stage(manager, municipality, text, name="people.csv"):
    return services.import_stage(
        user=manager,
        municipality=municipality,
        uploaded=SimpleUploadedFile(name, text.encode("utf-8")),
    )


def test_person_save_normalises_the_phone_and_records_the_engagement(manager, municipality):
    org = Organisation.objects.create(
        municipality=municipality, name="מתנ״ס", kind="community_centre"
    )
    person = services.person_save(
        actor=manager,
        municipality=municipality,
        data={"full_name": "רנא זועבי", "phone": "+972 52 700 0023", "email": "Rana@Example.org"},
        engagement={"sector": "social", "stage": "met"},
        organisations=[org],
    )
    assert person.phone == "052-7000023"
    assert person.email == "rana@example.org"
    assert Engagement.objects.get(person=person).stage == "met"
    assert list(person.organisations.all()) == [org]


def test_one_person_can_sit_in_several_organisations(municipality):
    person = PersonFactory(municipality=municipality)
    AffiliationFactory(person=person)
    AffiliationFactory(person=person)
    assert person.organisations.count() == 2


def test_staging_an_import_writes_no_person(manager, municipality):
    staged = stage(
        manager, municipality, HEADER + "דנה,d@example.org,0501234567,הגפן,,social,met\n"
    )
    assert Person.objects.count() == 0
    [row] = services.import_preview(staged)
    assert row.status == "new"


def test_confirming_writes_people_engagements_and_new_organisations(manager, municipality):
    staged = stage(
        manager,
        municipality,
        HEADER
        + "דנה,d@example.org,0501234567,הגפן,ועד הגפן; מתנ״ס,social,met\n"
        + "John Smith,j@example.org,+972-2-6234567,,,business,active\n",
    )
    counts = services.import_confirm(actor=manager, staged=staged)
    assert counts == {"new": 2, "update": 0, "unchanged": 0}
    dana = Person.objects.get(full_name="דנה")
    assert dana.phone == "050-1234567"
    assert sorted(dana.organisations.values_list("name", flat=True)) == ["ועד הגפן", "מתנ״ס"]
    assert Engagement.objects.get(person__full_name="John Smith").stage == "active"
    assert AuditLog.objects.filter(action="partners.import", actor=manager).exists()


def test_a_failed_import_writes_nothing(manager, municipality):
    staged = stage(manager, municipality, HEADER + "דנה,d@example.org,,,,,\nבלי טלפון,,123,,,,\n")
    with pytest.raises(services.ImportNotReady):
        services.import_confirm(actor=manager, staged=staged)
    assert Person.objects.count() == 0
    assert Organisation.objects.count() == 0
    staged.refresh_from_db()
    assert staged.confirmed_at is None


def test_a_confirmed_import_cannot_be_confirmed_twice(manager, municipality):
    staged = stage(manager, municipality, HEADER + "דנה,d@example.org,,,,,\n")
    services.import_confirm(actor=manager, staged=staged)
    with pytest.raises(services.ImportNotReady):
        services.import_confirm(actor=manager, staged=staged)
    assert Person.objects.count() == 1


def test_fixing_a_row_makes_the_import_possible(manager, municipality):
    staged = stage(manager, municipality, HEADER + "דנה,d@example.org,123,,,,\n")
    services.import_fix_row(
        staged=staged,
        number=1,
        raw={"full_name": "דנה", "email": "d@example.org", "phone": "050-1234567"},
    )
    assert services.import_confirm(actor=manager, staged=staged)["new"] == 1


def test_an_existing_person_found_by_phone_is_updated_not_duplicated(manager, municipality):
    person = PersonFactory(municipality=municipality, phone="050-1234567", email="")
    staged = stage(manager, municipality, HEADER + f"{person.full_name},,+972501234567,רקפות,,,\n")
    [row] = services.import_preview(staged)
    assert (row.status, row.match_id) == ("update", person.pk)
    services.import_confirm(actor=manager, staged=staged)
    person.refresh_from_db()
    assert person.neighbourhood == "רקפות"
    assert Person.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_shows_zero_changes(manager, municipality, fmt):
    people = [
        PersonFactory(municipality=municipality, full_name=name, phone=phone, email=email)
        for name, phone, email in [
            ("נועה כהן", "050-7000001", "noa@example.org"),
            ("محمد خوري", "02-6234567", ""),
            ('=HYPERLINK("x")', "", "evil@example.org"),
            ("Sarah Cohen", "", "sarah@example.org"),
        ]
    ]
    EngagementFactory(person=people[0], stage="active", influence=3, consent="active")
    AffiliationFactory(person=people[1])
    AffiliationFactory(person=people[1])
    content = services.people_export(actor=manager, municipality=municipality, fmt=fmt)
    assert AuditLog.objects.filter(action="partners.export", data__format=fmt).count() == 1
    if fmt == "csv":
        assert "'=HYPERLINK" in content.decode("utf-8-sig")
    staged = services.import_stage(
        user=manager,
        municipality=municipality,
        uploaded=SimpleUploadedFile(f"export.{fmt}", content),
    )
    results = services.import_preview(staged)
    assert [r.status for r in results] == ["unchanged"] * 4
    counts = services.import_confirm(actor=manager, staged=staged)
    assert counts == {"new": 0, "update": 0, "unchanged": 4}
    assert StagedImport.objects.get().confirmed_at is not None


def test_managers_meeting_invitees_are_heads_companies_mayor_and_elected(
    municipality, other_municipality
):
    mayor = PersonFactory(municipality=municipality, municipal_role=MunicipalRole.MAYOR)
    council = PersonFactory(municipality=municipality, municipal_role=MunicipalRole.COUNCIL_MEMBER)
    welfare_head = AffiliationFactory(
        person__municipality=municipality, organisation__kind="department", is_head=True
    ).person
    company_head = AffiliationFactory(
        person__municipality=municipality, organisation__kind="municipal_company", is_head=True
    ).person
    AffiliationFactory(person__municipality=municipality, organisation__kind="department")
    PersonFactory(municipality=municipality)
    PersonFactory(municipality=other_municipality, municipal_role=MunicipalRole.MAYOR)
    invitees = set(selectors.managers_meeting_invitees(municipality))
    assert invitees == {mayor, council, welfare_head, company_head}


def test_a_sensitive_relationship_needs_two_different_sides(municipality, manager):
    from django.core.exceptions import ValidationError

    person = PersonFactory(municipality=municipality)
    with pytest.raises(ValidationError):
        services.relationship_create(
            actor=manager, municipality=municipality, person_a=person, person_b=person, level=2
        )
    with pytest.raises(ValidationError):
        services.relationship_create(
            actor=manager, municipality=municipality, person_a=person, level=2
        )


def test_the_grid_and_coverage_count_by_influence_consent_sector_and_neighbourhood(municipality):
    EngagementFactory(
        person__municipality=municipality, influence=3, consent="opposed", stage="active"
    )
    EngagementFactory(person__municipality=municipality, influence=3, consent="opposed")
    EngagementFactory(
        person__municipality=municipality,
        person__neighbourhood="הזיתים",
        sector="business",
        stage="active",
    )
    program = municipality.program
    grid = selectors.influence_consent_grid(program, with_names=False)
    high = grid["rows"][0]
    assert high["cells"][0]["count"] == 2 and high["cells"][0]["priority"]
    coverage = selectors.sector_coverage(program)
    assert coverage["neighbourhoods"] == ["הגפן", "הזיתים"]
    social = next(r for r in coverage["rows"] if r["sector"] == "social")
    assert social["cells"] == [1, 0]
    assert "אקדמיה" in [str(label) for label in coverage["uncovered"]]


def test_the_demo_loads_once(municipality, manager, team_member):
    from partners import demo

    users = {"manager": manager, "team": team_member}
    demo.load(municipality.program, users)
    counts = (Person.objects.count(), Engagement.objects.count(), Organisation.objects.count())
    demo.load(municipality.program, users)
    assert counts == (
        Person.objects.count(),
        Engagement.objects.count(),
        Organisation.objects.count(),
    )
    assert counts[0] == 30
    assert len(selectors.managers_meeting_invitees(municipality)) >= 10


# person_save and the others: edit_partners; people_export: export_partners; stage: import_partners.
@pytest.mark.parametrize(
    "role", roles_refused("edit_partners", "export_partners", "import_partners")
)
def test_the_partners_write_services_refuse_whoever_may_not_edit_the_mapping(
    role, municipality, users_by_role
):
    """The services decide through the rule table themselves: a task or the shell calling them with
    the wrong actor is refused as the page would be, and nothing is written."""
    import datetime

    from kehila.permissions import PermissionDenied
    from tests.helpers import assert_nothing_changed
    from tests.partners.factories import PersonFactory

    actor = users_by_role[role]
    person = PersonFactory(municipality=municipality)
    calls = [
        lambda: services.person_save(
            actor=actor, municipality=municipality, data={"full_name": "רנא"}
        ),
        lambda: services.organisation_create(
            actor=actor, municipality=municipality, name="מתנ״ס", kind="community_centre"
        ),
        lambda: services.interaction_record(
            actor=actor, person=person, kind="met", on=datetime.date(2026, 11, 1)
        ),
        lambda: services.history_note_create(
            actor=actor, municipality=municipality, title="2019", body="נכשלה"
        ),
        lambda: services.people_export(actor=actor, municipality=municipality, fmt="csv"),
        lambda: stage(actor, municipality, HEADER),
    ]
    for call in calls:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            call()
