"""The municipality's pilot pages: who may open what, what the pages say, what they change, query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kehila.models import AuditLog
from pilots import services
from pilots.dashboard import panel
from pilots.models import CommitteeSeat, Grant, Hackathon, Initiative, InitiativeStatus
from tests.helpers import assert_nothing_changed, roles_refused
from tests.pilots.factories import InitiativeFactory, seat
from tests.querycount import assert_constant_queries

VALUES = {"fit": "5", "feasibility": "4", "reach": "3", "partners": "4", "cost": "2"}


def url(name, municipality, **kwargs):
    return reverse(f"pilots:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 200),
        ("track_lead", 200),
        ("hq", 200),
        ("committee_member", 403),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_pilot_dashboard(
    client_for, users_by_role, municipality, hackathon, role, status
):
    response = client_for(users_by_role[role]).get(url("dashboard", municipality))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 403),
        ("track_lead", 403),
        ("hq", 403),
        ("committee_member", 403),
    ],
)
def test_only_the_program_team_creates_hackathons(
    client_for, users_by_role, municipality, role, status
):
    client = client_for(users_by_role[role])
    assert client.get(url("hackathon_create", municipality)).status_code == status
    if status == 403:
        with assert_nothing_changed():
            response = client.post(url("hackathon_create", municipality), {"title": "האקתון"})
        assert response.status_code == 403


def test_the_manager_creates_a_hackathon(client_for, manager, municipality):
    response = client_for(manager).post(
        url("hackathon_create", municipality),
        {
            "title": "האקתון 2027",
            "year": "1",
            "date": "2027-03-12",
            "place": "המתנ״ס",
            "vision": "חזון",
            "registration_opens_at": "2027-01-01T09:00",
            "registration_closes_at": "2027-03-10T09:00",
            "submission_deadline": "2027-03-20T23:00",
            "pilot_budget": "50000",
        },
    )
    hackathon = Hackathon.objects.get()
    assert response.status_code == 302
    assert hackathon.municipality == municipality and hackathon.pilot_budget == 50000
    assert hackathon.date.isoformat() == "2027-03-12"


def test_a_hackathon_with_closing_before_opening_is_refused_with_the_input_kept(
    client_for, manager, municipality
):
    response = client_for(manager).post(
        url("hackathon_create", municipality),
        {
            "title": "האקתון הפוך",
            "year": "1",
            "registration_opens_at": "2027-03-01T09:00",
            "registration_closes_at": "2027-01-01T09:00",
            "submission_deadline": "2027-03-20T23:00",
            "pilot_budget": "1",
        },
    )
    assert response.status_code == 200
    assert "האקתון הפוך" in response.content.decode()
    assert not Hackathon.objects.exists()


def test_the_manager_chooses_the_selection_committee(
    client_for, manager, committee_member, outsider, municipality, hackathon
):
    client = client_for(manager)
    response = client.post(
        url("committee", municipality, hackathon_id=hackathon.pk), {"user": committee_member.pk}
    )
    assert response.status_code == 302
    assert CommitteeSeat.objects.filter(hackathon=hackathon, user=committee_member).exists()
    response = client.post(
        url("committee", municipality, hackathon_id=hackathon.pk), {"user": outsider.pk}
    )
    assert (
        response.status_code == 200
    )  # not a choice: users of another municipality are not offered
    assert hackathon.seats.count() == 1
    seat_ = hackathon.seats.get()
    client.post(url("committee_remove", municipality, seat_id=seat_.pk))
    assert not hackathon.seats.exists()
    assert AuditLog.objects.filter(action="pilots.committee_seat_remove").exists()


def test_blind_scoring_a_member_sees_others_scores_only_after_scoring(
    client_for, manager, committee_member, municipality, closed_hackathon
):
    initiative = InitiativeFactory(hackathon=closed_hackathon, title="גינה")
    seat(closed_hackathon, manager)
    seat(closed_hackathon, committee_member)
    services.score_record(
        initiative=initiative,
        member=manager,
        values={k: int(v) for k, v in VALUES.items()} | {"cost": 1},
        comment="",
    )
    client = client_for(committee_member)
    page = client.get(url("score", municipality, initiative_id=initiative.pk)).content.decode()
    assert 'id="scores"' not in page
    assert "3.40" not in page
    response = client.post(url("score", municipality, initiative_id=initiative.pk), VALUES)
    assert response.status_code == 302
    page = client.get(url("score", municipality, initiative_id=initiative.pk)).content.decode()
    assert 'id="scores"' in page and "3.40" in page and "3.60" in page


def test_the_ranking_hides_scores_from_a_member_who_has_not_scored(
    client_for, track_lead, manager, municipality, closed_hackathon
):
    initiative = InitiativeFactory(hackathon=closed_hackathon, title="גינה")
    seat(closed_hackathon, manager)
    seat(closed_hackathon, track_lead)
    services.score_record(
        initiative=initiative,
        member=manager,
        values={"fit": 5, "feasibility": 5, "reach": 5, "partners": 5, "cost": 4},
    )
    page = (
        client_for(track_lead)
        .get(url("hackathon", municipality, hackathon_id=closed_hackathon.pk))
        .content.decode()
    )
    assert "4.80" not in page
    detail = (
        client_for(track_lead)
        .get(url("initiative", municipality, initiative_id=initiative.pk))
        .content.decode()
    )
    assert "4.80" not in detail and 'id="scores"' not in detail


def test_the_ranking_shows_averages_and_spread_in_order(
    client_for, manager, team_member, mayor_office, municipality, closed_hackathon
):
    low = InitiativeFactory(hackathon=closed_hackathon, title="נמוכה")
    high = InitiativeFactory(hackathon=closed_hackathon, title="גבוהה")
    for member in (team_member, mayor_office):
        seat(closed_hackathon, member)
    services.score_record(
        initiative=high,
        member=team_member,
        values={c: 5 for c in ("fit", "feasibility", "reach", "partners", "cost")},
    )
    services.score_record(
        initiative=high,
        member=mayor_office,
        values={c: 3 for c in ("fit", "feasibility", "reach", "partners", "cost")},
    )
    services.score_record(
        initiative=low,
        member=team_member,
        values={c: 2 for c in ("fit", "feasibility", "reach", "partners", "cost")},
    )
    page = (
        client_for(manager)
        .get(url("hackathon", municipality, hackathon_id=closed_hackathon.pk))
        .content.decode()
    )
    assert page.index("גבוהה") < page.index("נמוכה")
    assert "4.00" in page and "2.00" in page  # high: average 4, spread 5 - 3 = 2


def test_a_second_score_and_an_out_of_range_score_are_refused_on_the_page(
    client_for, committee_member, municipality, closed_hackathon
):
    initiative = InitiativeFactory(hackathon=closed_hackathon)
    seat(closed_hackathon, committee_member)
    client = client_for(committee_member)
    response = client.post(
        url("score", municipality, initiative_id=initiative.pk), {**VALUES, "fit": "9"}
    )
    assert response.status_code == 400
    client.post(url("score", municipality, initiative_id=initiative.pk), VALUES)
    response = client.post(
        url("score", municipality, initiative_id=initiative.pk), {**VALUES, "fit": "1"}
    )
    assert response.status_code == 400
    assert initiative.scores.get().fit == 5


def test_someone_off_the_committee_cannot_score(
    client_for, committee_member, municipality, hackathon
):
    initiative = InitiativeFactory(hackathon=hackathon)
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post(url("score", municipality, initiative_id=initiative.pk), VALUES)
    assert response.status_code == 403


def test_my_scoring_lists_the_initiatives_of_my_committee(
    client_for, committee_member, municipality, hackathon
):
    InitiativeFactory(hackathon=hackathon, title="לניקוד")
    seat(hackathon, committee_member)
    page = client_for(committee_member).get(url("scoring", municipality)).content.decode()
    assert "לניקוד" in page


def test_the_team_decides_and_the_applicant_is_told(
    client_for,
    team_member,
    committee_member,
    municipality,
    hackathon,
    django_capture_on_commit_callbacks,
):
    initiative = InitiativeFactory(hackathon=hackathon, contact_email="lead@example.org")
    seat(hackathon, committee_member)
    # Submissions closed an hour ago, and one scorer is what this hackathon requires.
    hackathon.registration_closes_at = timezone.now() - timedelta(hours=2)
    hackathon.submission_deadline = timezone.now() - timedelta(hours=1)
    hackathon.required_scorers = 1
    hackathon.save()
    services.score_record(
        initiative=initiative,
        member=committee_member,
        values={k: int(v) for k, v in VALUES.items()},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(team_member).post(
            url("decide", municipality, initiative_id=initiative.pk),
            {"selected": "yes", "reason": "מתאימה"},
        )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SELECTED
    assert mail.outbox[-1].to == ["lead@example.org"]


def test_a_decision_without_a_reason_is_refused(client_for, team_member, municipality, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon)
    response = client_for(team_member).post(
        url("decide", municipality, initiative_id=initiative.pk), {"selected": "yes"}
    )
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


@pytest.mark.parametrize("role", roles_refused("manage_pilot"))
def test_others_may_not_decide_or_grant(client_for, users_by_role, municipality, hackathon, role):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    client = client_for(users_by_role[role])
    decide = url("decide", municipality, initiative_id=initiative.pk)
    grant = url("grant_add", municipality, initiative_id=initiative.pk)
    with assert_nothing_changed():
        assert client.post(decide, {"selected": "yes", "reason": "x"}).status_code == 403
        assert client.post(grant, {"grant-amount": "10"}).status_code == 403


def test_an_overspending_grant_is_refused_on_the_page(
    client_for, team_member, municipality, hackathon
):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    response = client_for(team_member).post(
        url("grant_add", municipality, initiative_id=initiative.pk),
        {"grant-amount": "10001", "grant-override": "on"},
    )
    assert response.status_code == 400
    assert "10,000" in response.content.decode() or "10000" in response.content.decode()
    assert not Grant.objects.exists()


def test_the_manager_may_override_the_budget_and_it_is_logged(
    client_for, manager, municipality, hackathon
):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    client = client_for(manager)
    client.post(
        url("open_grant_gate", municipality, initiative_id=initiative.pk),
        {"gate-reason": "The municipality adds to the budget"},
    )
    response = client.post(
        url("grant_add", municipality, initiative_id=initiative.pk), {"grant-amount": "12000"}
    )
    assert response.status_code == 302
    assert Grant.objects.get().over_budget
    assert AuditLog.objects.filter(action="pilots.grant_over_budget", actor=manager).exists()


def test_support_payment_and_review_through_the_pages(client_for, manager, municipality, hackathon):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    client = client_for(manager)
    client.post(url("mentor", municipality, initiative_id=initiative.pk), {"mentor": "אביטל"})
    client.post(
        url("connection_add", municipality, initiative_id=initiative.pk),
        {"conn-with_whom": "המתנ״ס"},
    )
    client.post(
        url("grant_add", municipality, initiative_id=initiative.pk), {"grant-amount": "1000"}
    )
    grant = Grant.objects.get()
    client.post(
        url("disbursement_add", municipality, grant_id=grant.pk),
        {"pay-amount": "400", "pay-paid_on": "2026-12-01"},
    )
    refused = client.post(
        url("disbursement_add", municipality, grant_id=grant.pk),
        {"pay-amount": "700", "pay-paid_on": "2026-12-02"},
    )
    assert refused.status_code == 400
    response = client.post(
        url("review", municipality, initiative_id=initiative.pk),
        {"keep_going": "continue", "reason": "מקדמת את המטרות", "objectives": "יעד 1.2"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.mentor == "אביטל"
    assert initiative.connections.get().with_whom == "המתנ״ס"
    assert grant.disbursements.get().amount == Decimal("400")
    assert initiative.status == InitiativeStatus.CONTINUED and initiative.year_two
    page = client.get(url("initiative", municipality, initiative_id=initiative.pk)).content.decode()
    assert "מקדמת את המטרות" in page and "יעד 1.2" in page


def test_the_measurement_round_records_values_per_track(
    client_for, manager, track_lead, municipality, hackathon
):
    initiative = InitiativeFactory(
        hackathon=hackathon, status=InitiativeStatus.ACTIVE, title="מועדון"
    )
    client = client_for(manager)
    client.post(
        url("measurement", municipality, hackathon_id=hackathon.pk),
        {"ind-track": "social", "ind-name": "משתתפים", "ind-unit": ""},
    )
    indicator = hackathon.indicators.get()
    client.post(
        url("measurement", municipality, hackathon_id=hackathon.pk),
        {
            "val-initiative": initiative.pk,
            "val-indicator": indicator.pk,
            "val-value": "25",
            "val-learning": "לומדים",
        },
    )
    assert initiative.measurements.get().value == 25
    page = (
        client_for(track_lead)
        .get(url("measurement", municipality, hackathon_id=hackathon.pk))
        .content.decode()
    )
    assert "משתתפים" in page and "לומדים" in page
    client = client_for(track_lead)
    with assert_nothing_changed():
        response = client.post(
            url("measurement", municipality, hackathon_id=hackathon.pk),
            {"ind-name": "מתנדבים", "ind-track": "social", "ind-unit": "אנשים"},
        )
    assert response.status_code == 403


def test_the_dashboard_shows_the_funnel_budget_and_neighbourhoods(
    client_for, manager, municipality, hackathon
):
    InitiativeFactory(hackathon=hackathon, neighbourhood="הגפן")
    InitiativeFactory(hackathon=hackathon, neighbourhood="הגפן", status=InitiativeStatus.CONTINUED)
    active = InitiativeFactory(
        hackathon=hackathon, neighbourhood="הרקפות", status=InitiativeStatus.ACTIVE
    )
    Grant.objects.create(municipality=municipality, initiative=active, amount=Decimal("2500"))
    response = client_for(manager).get(url("dashboard", municipality))
    funnel = {row["key"]: row["count"] for row in response.context["funnel"]}
    assert funnel == {
        "registered": 0,
        "submitted": 3,
        "scored": 0,
        "selected": 2,
        "funded": 1,
        "continued": 1,
    }
    assert response.context["budget"].committed == Decimal("2500")
    page = response.content.decode()
    assert "<svg" in page and "הגפן" in page
    assert [i.pk for i in response.context["outcomes"]] == [
        i.pk for i in Initiative.objects.filter(status=InitiativeStatus.CONTINUED)
    ]
    assert [r["neighbourhood"] for r in response.context["neighbourhoods"]] == ["הגפן", "הרקפות"]


def test_the_dashboard_panel_summarises_the_latest_hackathon(rf, manager, municipality, hackathon):
    InitiativeFactory(hackathon=hackathon)
    request = rf.get("/")
    request.user = manager
    request.municipality = municipality
    result = panel(request)
    assert result["template"] == "pilots/dashboard_panel.html"
    steps = {row["key"]: row["count"] for row in result["context"]["funnel"]}
    assert steps["submitted"] == 1 and steps["registered"] == 0


def test_the_main_dashboard_shows_the_pilot_panel(client_for, manager, municipality, hackathon):
    page = (
        client_for(manager)
        .get(reverse("kehila:dashboard", kwargs={"slug": municipality.slug}))
        .content.decode()
    )
    assert "pilot-panel-heading" in page


def _grow(hackathon, committee_user=None):
    def grow():
        for n in range(6):
            initiative = InitiativeFactory(
                hackathon=hackathon, neighbourhood=f"שכונה {n}", status=InitiativeStatus.ACTIVE
            )
            Grant.objects.create(
                municipality=hackathon.municipality, initiative=initiative, amount=Decimal(10)
            )
            if committee_user:
                services.score_record(
                    initiative=InitiativeFactory(hackathon=hackathon),
                    member=committee_user,
                    values={c: 3 for c in ("fit", "feasibility", "reach", "partners", "cost")},
                )

    return grow


def test_the_dashboard_keeps_a_constant_number_of_queries(
    client_for, manager, municipality, hackathon
):
    InitiativeFactory(hackathon=hackathon)
    assert_constant_queries(client_for(manager), url("dashboard", municipality), _grow(hackathon))


def test_the_ranking_keeps_a_constant_number_of_queries(
    client_for, manager, municipality, closed_hackathon
):
    seat(closed_hackathon, manager)
    InitiativeFactory(hackathon=closed_hackathon)
    assert_constant_queries(
        client_for(manager),
        url("hackathon", municipality, hackathon_id=closed_hackathon.pk),
        _grow(closed_hackathon, manager),
    )


def test_my_scoring_keeps_a_constant_number_of_queries(
    client_for, committee_member, municipality, closed_hackathon
):
    seat(closed_hackathon, committee_member)
    InitiativeFactory(hackathon=closed_hackathon)
    assert_constant_queries(
        client_for(committee_member),
        url("scoring", municipality),
        _grow(closed_hackathon, committee_member),
    )


def test_the_initiative_page_keeps_a_constant_number_of_queries(
    client_for, manager, municipality, hackathon
):
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
    # One grant from the start: Django skips the prefetch of payments when there is no grant at all.
    Grant.objects.create(municipality=municipality, initiative=initiative, amount=Decimal(100))

    def grow():
        for n in range(4):
            grant = Grant.objects.create(
                municipality=municipality, initiative=initiative, amount=Decimal(100)
            )
            services.disbursement_record(actor=manager, grant=grant, amount=Decimal(10))
            services.connection_add(actor=manager, initiative=initiative, with_whom=f"שותף {n}")
            services.progress_report(initiative=initiative, text=f"דיווח {n}")

    assert_constant_queries(
        client_for(manager), url("initiative", municipality, initiative_id=initiative.pk), grow
    )


def test_the_measurement_page_keeps_a_constant_number_of_queries(
    client_for, manager, municipality, hackathon
):
    indicator = services.indicator_add(
        actor=manager, hackathon=hackathon, track="social", name="משתתפים"
    )
    InitiativeFactory(
        hackathon=hackathon, status=InitiativeStatus.ACTIVE
    )  # else nothing to prefetch

    def grow():
        for _ in range(4):
            initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
            services.measurement_record(
                actor=manager, initiative=initiative, indicator=indicator, value=Decimal(3)
            )

    assert_constant_queries(
        client_for(manager), url("measurement", municipality, hackathon_id=hackathon.pk), grow
    )


def test_initiatives_of_another_municipality_stay_out_of_the_pages(
    client_for, manager, municipality, other_municipality, hackathon
):
    from tests.pilots.factories import HackathonFactory

    foreign = InitiativeFactory(
        hackathon=HackathonFactory(municipality=other_municipality), title="יוזמה זרה"
    )
    client = client_for(manager)
    assert client.get(url("initiative", municipality, initiative_id=foreign.pk)).status_code == 404
    assert "יוזמה זרה" not in client.get(url("dashboard", municipality)).content.decode()
    assert Initiative.objects.count() == 1


def test_a_committee_member_finds_their_scoring_on_the_main_dashboard(
    client_for, committee_member, municipality, hackathon
):
    client = client_for(committee_member)
    dashboard = reverse("kehila:dashboard", kwargs={"slug": municipality.slug})
    assert url("scoring", municipality) not in client.get(dashboard).content.decode()
    seat(hackathon, committee_member)
    assert url("scoring", municipality) in client.get(dashboard).content.decode()
