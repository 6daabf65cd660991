"""The log of access to residents' contact details (issue 14 §4): every page or export that shows a
person's e-mail address or phone number writes one row, no other page writes any, the manager reads their
municipality's log, HQ everyone's, nobody else; rows older than the retention period go."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from committees.models import Application
from kehila.models import AuditLog, ContactAccess
from kehila.privacy import contact_access_record, contact_log_purge
from kehila.tasks import purge_contact_log
from partners.models import Person
from pilots.models import Initiative, Participant
from tests.committees.factories import CommitteeFactory, InvitationFactory, MemberFactory
from tests.helpers import roles_refused
from tests.kehila.test_tenancy import build_url, sample_makers
from tests.partners.factories import PersonFactory
from tests.pilots.factories import HackathonFactory, InitiativeFactory, ParticipantFactory
from tests.urlmap import municipality_routes

NOW = timezone.datetime(2027, 3, 1, 9, 0, tzinfo=timezone.get_current_timezone())


def _contact_values(municipality) -> set[str]:
    """Every e-mail address and phone number of a resident or partner the municipality holds."""
    values = set()
    for model, fields in [
        (Person, ("email", "phone")),
        (Application, ("email", "phone")),
        (Participant, ("email", "phone")),
        (Initiative, ("contact_email", "contact_phone")),
    ]:
        for row in model.objects.filter(municipality=municipality).values_list(*fields):
            values.update(v for v in row if v)
    return values


@pytest.fixture
def residents(municipality):
    """One of everything that holds contact details, so that every page has some to show."""
    person = PersonFactory(municipality=municipality, phone="052-7654321", municipal_role="mayor")
    committee = CommitteeFactory(municipality=municipality)
    MemberFactory(committee=committee, person=person)
    InvitationFactory(meeting__committee=committee, person=person)
    Application.objects.create(
        municipality=municipality,
        committee=committee,
        full_name="מועמדת",
        email="applicant@example.org",
        phone="053-1112222",
        sector="residents",
        motivation="רוצה לעזור",
    )
    hackathon = HackathonFactory(municipality=municipality)
    ParticipantFactory(hackathon=hackathon, phone="054-3334444")
    InitiativeFactory(hackathon=hackathon, contact_phone="055-5556666")
    return person


ROUTES = municipality_routes()


@pytest.mark.parametrize("role", ["manager", "team", "mayor_office"])
def test_every_page_that_shows_contact_details_logs_it_and_no_other_page_does(
    role, users_by_role, client, municipality, residents
):
    """Walks the whole URL map, so a page added later that shows an e-mail address or a phone number
    without logging it fails here. A page counts as showing contact details when its response contains
    one of the municipality's addresses or numbers."""
    client.force_login(users_by_role[role])
    missing, extra = [], []
    for route in ROUTES:
        url = build_url(route, municipality.slug, municipality, sample_makers(route))
        before = ContactAccess.objects.count()
        response = client.get(url)
        written = list(ContactAccess.objects.order_by("pk")[before:])
        body = response.content.decode("utf-8", errors="ignore")
        shown = sorted(v for v in _contact_values(municipality) if v in body)
        if shown and response.status_code == 200 and not written:
            missing.append(f"{route.name} ({url}) shows {shown[:3]} and logs nothing")
        if written and not shown:
            extra.append(f"{route.name} ({url}) logs {written[0].where} and shows no contact")
        for row in written:
            assert row.municipality_id == municipality.pk
            assert row.user == users_by_role[role]
            assert row.count == len(row.people) > 0
    assert not missing, "\n".join(missing)
    assert not extra, "\n".join(extra)


def test_a_person_page_logs_who_saw_which_person_where(client, manager, municipality, residents):
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        response = client.get(f"/m/{municipality.slug}/partners/{residents.pk}/")
    assert residents.email in response.content.decode()
    row = ContactAccess.objects.get()
    assert (row.user, row.username, row.where, row.purpose, row.at) == (
        manager,
        "manager",
        "partners:person_detail",
        ContactAccess.Purpose.VIEW,
        NOW,
    )
    assert row.people == [f"partners.person:{residents.pk}"]


def test_the_stakeholder_export_logs_every_person_in_one_row(
    client, manager, municipality, residents
):
    PersonFactory.create_batch(3, municipality=municipality)
    client.force_login(manager)
    response = client.get(f"/m/{municipality.slug}/partners/export/?format=csv")
    assert response.status_code == 200
    row = ContactAccess.objects.get()
    assert (row.where, row.purpose, row.count) == ("partners.export", "export", 4)
    assert set(row.people) == {
        f"partners.person:{pk}" for pk in Person.objects.values_list("pk", flat=True)
    }


# --- the log page ------------------------------------------------------------------------------------


@pytest.fixture
def two_logs(municipality, other_municipality, manager, outsider, residents):
    ours = contact_access_record(
        municipality=municipality, user=manager, people=[residents], where="partners:person_detail"
    )
    theirs = contact_access_record(
        municipality=other_municipality,
        user=outsider,
        people=["partners.person:999999"],
        where="partners:list",
    )
    return ours, theirs


def test_the_manager_reads_their_municipalitys_log_only(client, manager, municipality, two_logs):
    client.force_login(manager)
    response = client.get(f"/m/{municipality.slug}/privacy/log/")
    assert response.status_code == 200
    assert [r.pk for r in response.context["rows"]] == [two_logs[0].pk]
    page = response.content.decode()
    assert "partners.person:999999" not in page
    assert "A person&#x27;s page" in page or "דף של אדם" in page


def test_hq_reads_every_municipalitys_log(client, hq_user, two_logs):
    client.force_login(hq_user)
    response = client.get("/hq/privacy/log/")
    assert response.status_code == 200
    assert {r.pk for r in response.context["rows"]} == {two_logs[0].pk, two_logs[1].pk}


@pytest.mark.parametrize("role", roles_refused("view_contact_log"))
def test_other_roles_may_not_read_the_log_and_nothing_changes(
    role, users_by_role, client, municipality, two_logs
):
    client.force_login(users_by_role[role])
    before = (ContactAccess.objects.count(), AuditLog.objects.count())
    assert client.get(f"/m/{municipality.slug}/privacy/log/").status_code == 403
    assert client.get("/hq/privacy/log/").status_code == 403
    assert (ContactAccess.objects.count(), AuditLog.objects.count()) == before


def test_the_log_filters_by_person_and_by_user(
    client, manager, team_member, municipality, residents
):
    other = PersonFactory(municipality=municipality)
    mine = contact_access_record(
        municipality=municipality, user=manager, people=[residents], where="partners:list"
    )
    theirs = contact_access_record(
        municipality=municipality, user=team_member, people=[other], where="partners:list"
    )
    # A key that only starts like ours must not match: the filter looks for the whole quoted key.
    contact_access_record(
        municipality=municipality,
        user=team_member,
        people=[f"partners.person:{residents.pk}0"],
        where="partners:list",
    )
    client.force_login(manager)
    url = f"/m/{municipality.slug}/privacy/log/"
    by_person = client.get(url, {"person": f"partners.person:{residents.pk}"})
    assert [r.pk for r in by_person.context["rows"]] == [mine.pk]
    by_user = client.get(url, {"user": team_member.pk, "person": f"partners.person:{other.pk}"})
    assert [r.pk for r in by_user.context["rows"]] == [theirs.pk]


def test_the_log_is_paged(client, manager, municipality, residents):
    for _ in range(55):
        contact_access_record(
            municipality=municipality, user=manager, people=[residents], where="partners:list"
        )
    client.force_login(manager)
    first = client.get(f"/m/{municipality.slug}/privacy/log/")
    second = client.get(f"/m/{municipality.slug}/privacy/log/", {"page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5


# --- retention ---------------------------------------------------------------------------------------


def test_rows_older_than_the_retention_period_are_purged_nightly(
    settings, municipality, manager, residents
):
    settings.KEHILA_CONTACT_LOG_RETENTION_DAYS = 30
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        old = contact_access_record(
            municipality=municipality, user=manager, people=[residents], where="partners:list"
        )
    with time_machine.travel(NOW - timedelta(days=29), tick=False):
        recent = contact_access_record(
            municipality=municipality, user=manager, people=[residents], where="partners:list"
        )
    with time_machine.travel(NOW, tick=False):
        assert purge_contact_log.delay().get() == 1
    assert list(ContactAccess.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ContactAccess.objects.filter(pk=old.pk).exists()
    # A second run finds nothing more to remove.
    with time_machine.travel(NOW, tick=False):
        assert contact_log_purge() == 0


def test_the_default_retention_is_two_years_and_the_task_is_on_beat(settings):
    from kehila.celery import app

    assert settings.KEHILA_CONTACT_LOG_RETENTION_DAYS == 730
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "kehila.tasks.purge_contact_log" in tasks


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm what lives in the process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager", "hq"])
def test_the_log_page_names_the_people_in_a_fixed_number_of_queries(
    who, users_by_role, client, municipality, residents
):
    """Names come from each kind's app in one query per kind, not one per person or per row."""
    application = Application.objects.get()
    contact_access_record(
        municipality=municipality,
        user=users_by_role["manager"],
        people=[residents, application],
        where="committees:applications",
    )
    client.force_login(users_by_role[who])
    url = "/hq/privacy/log/" if who == "hq" else f"/m/{municipality.slug}/privacy/log/"
    page = client.get(url).content.decode()
    assert residents.full_name in page and "מועמדת" in page
    few = _queries(client, url)
    for _ in range(30):
        extra = PersonFactory(municipality=municipality)
        contact_access_record(
            municipality=municipality,
            user=users_by_role["manager"],
            people=[extra, application],
            where="partners:list",
        )
    assert _queries(client, url) == few


def test_the_admin_change_forms_of_rows_with_contact_details_log_their_opening(
    client, municipality, residents
):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123-xyz")
    client.force_login(root)
    rows = [
        residents,
        Application.objects.get(),
        Participant.objects.get(),
        Initiative.objects.get(),
    ]
    for row in rows:
        opts = row._meta
        response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}/change/")
        assert response.status_code == 200
        logged = ContactAccess.objects.latest("pk")
        assert (logged.where, logged.people, logged.municipality) == (
            f"admin:{opts.app_label}_{opts.model_name}_change",
            [f"{opts.label_lower}:{row.pk}"],
            municipality,
        )
    assert ContactAccess.objects.count() == len(rows)
    # Nobody edits or deletes the log itself, not even from the admin.
    assert client.get("/admin/kehila/contactaccess/add/").status_code == 403
    assert client.get("/admin/kehila/contactaccess/").status_code == 200


def _import(municipality, manager):
    from partners.models import StagedImport

    return StagedImport.objects.create(
        municipality=municipality,
        user=manager,
        filename="people.csv",
        rows=[
            {"full_name": "רינה", "email": "rina@example.org", "phone": "050-1231234"},
            {"full_name": "יואב", "email": "yoav@example.org"},
        ],
    )


def test_each_page_and_export_with_contact_details_names_its_people(
    client, manager, municipality, residents
):
    """The walk above covers the pages its sample objects reach; these need objects of their own."""
    staged = _import(municipality, manager)
    hackathon = Participant.objects.get().hackathon
    participant, initiative = Participant.objects.get(), Initiative.objects.get()
    application = Application.objects.get()
    base = f"/m/{municipality.slug}"
    cases = [
        (
            f"{base}/partners/import/{staged.pk}/",
            "partners:import_preview",
            [f"partners.stagedimport:{staged.pk}/1", f"partners.stagedimport:{staged.pk}/2"],
        ),
        (
            f"{base}/partners/import/{staged.pk}/rows/2/",
            "partners:import_row",
            [f"partners.stagedimport:{staged.pk}/2"],
        ),
        (
            f"{base}/partners/managers-meeting/",
            "partners:managers_meeting",
            [f"partners.person:{residents.pk}"],
        ),
        (
            f"{base}/partners/managers-meeting/?format=csv",
            "partners.managers_meeting_csv",
            [f"partners.person:{residents.pk}"],
        ),
        (
            f"{base}/partners/{residents.pk}/edit/",
            "partners:person_edit",
            [f"partners.person:{residents.pk}"],
        ),
        (
            f"{base}/pilot/hackathons/{hackathon.pk}/participants/",
            "pilots:participants",
            [f"pilots.participant:{participant.pk}"],
        ),
        (
            f"{base}/pilot/initiatives/{initiative.pk}/",
            "pilots:initiative",
            [f"pilots.initiative:{initiative.pk}"],
        ),
        (
            f"{base}/committees/applications/",
            "committees:applications",
            [f"committees.application:{application.pk}"],
        ),
    ]
    client.force_login(manager)
    for url, where, people in cases:
        before = ContactAccess.objects.count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert ContactAccess.objects.count() == before + 1, url
        row = ContactAccess.objects.latest("pk")
        assert (row.where, row.people) == (where, people), url


@pytest.mark.parametrize("value", ["two years", "0"])
def test_a_malformed_retention_stops_start_up_naming_it(value):
    from tests.kehila.test_deployment import _run_settings

    result = _run_settings({"KEHILA_CONTACT_LOG_RETENTION_DAYS": value})
    assert result.returncode != 0
    assert "KEHILA_CONTACT_LOG_RETENTION_DAYS" in result.stderr
    assert "ImproperlyConfigured" in result.stderr
