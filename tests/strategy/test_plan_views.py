"""Pages of the strategic plan: who sees and edits what, the Gantt, the inbox, and the public page."""

import datetime

import pytest
import time_machine

from strategy import plan_services as services
from strategy.models import Action, PlanVersion, SignatureSide, VersionStatus
from tests.helpers import assert_nothing_changed
from tests.querycount import assert_constant_queries
from tests.strategy.plan_factories import (
    a_plan_version,
    a_scope_decision,
    an_action,
    an_objective,
)

pytestmark = pytest.mark.django_db


def base(municipality):
    return f"/m/{municipality.slug}/strategy/plan"


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 200),
        ("track_lead", 200),
        ("hq", 200),
        ("committee_member", 403),
    ],
)
def test_the_plan_page_is_for_staff(role, status, municipality, users_by_role, client_for):
    response = client_for(users_by_role[role]).get(base(municipality) + "/")
    assert response.status_code == status


def test_the_plan_page_shows_goals_budget_and_warnings(municipality, manager, client_for):
    an_action(municipality)
    services.scope_decision_save(
        municipality=municipality,
        user=manager,
        decided_on=datetime.date(2027, 1, 1),
        tracks=["social", "urban", "economic", "educational"],
    )
    page = client_for(manager).get(base(municipality) + "/").content.decode()
    assert "הגדלת ההתנדבות" in page
    assert 'id="budget-total">75,000\u00a0₪<' in page
    assert 'id="scope-warning"' in page
    assert 'id="challenge-warning"' in page


def test_the_scope_form_saves_and_warns_at_one_track(municipality, manager, client_for):
    response = client_for(manager).post(
        base(municipality) + "/scope/",
        {"decided_on": "2027-02-01", "tracks": ["social"], "geographic_focus": "צפון"},
        follow=True,
    )
    assert response.status_code == 200
    assert "alert-warning" in response.content.decode()


def test_a_track_lead_adds_an_action_to_their_track_and_is_refused_elsewhere(
    municipality, track_lead, client_for
):
    client = client_for(track_lead)
    data = {
        "title": "חוגי נוער",
        "owner": "רכז נוער",
        "partners": "",
        "start": "2027-03-01",
        "end": "2027-09-01",
        "kind": "program",
    }
    response = client.post(base(municipality) + "/work-plan/add/?track=social", data)
    assert response.status_code == 302
    action = Action.objects.get(title="חוגי נוער")
    assert action.track == "social"
    with assert_nothing_changed():
        response = client.post(base(municipality) + "/work-plan/add/?track=urban", data)
    assert response.status_code == 403
    assert client.get(base(municipality) + "/work-plan/add/?track=urban").status_code == 403
    track = client.get(base(municipality) + "/work-plan/?track=social").content.decode()
    assert "<svg" in track and "חוגי נוער" in track


def test_an_action_ending_before_it_starts_shows_the_error_on_the_end_field(
    municipality, manager, client_for
):
    response = client_for(manager).post(
        base(municipality) + "/work-plan/add/?track=social",
        {"title": "x", "owner": "y", "start": "2027-03-01", "end": "2027-01-01", "kind": "program"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Action.objects.exists()


def test_the_inbox_lists_the_scope_decision_and_the_plan(
    municipality, manager, mayor_office, client_for
):
    services.scope_decision_submit(decision=a_scope_decision(municipality), user=manager)
    services.plan_submit(version=a_plan_version(municipality), user=manager)
    page = client_for(mayor_office).get(f"/m/{municipality.slug}/strategy/inbox/").content.decode()
    assert 'id="inbox-scope-' in page and 'id="inbox-plan-' in page


def test_the_mayors_office_approves_the_scope_from_the_inbox(
    municipality, manager, mayor_office, client_for
):
    decision = a_scope_decision(municipality)
    services.scope_decision_submit(decision=decision, user=manager)
    client_for(mayor_office).post(base(municipality) + f"/scope/{decision.pk}/approve/")
    municipality.program.refresh_from_db()
    assert municipality.program.scope_decision_date == datetime.date(2027, 1, 10)


def _sign(version, manager, mayor_office, hq_user):
    services.plan_submit(version=version, user=manager)
    services.plan_approve(version=version, user=mayor_office)
    services.plan_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.plan_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)


def test_the_public_page_shows_nothing_unpublished(municipality, manager, client):
    version = a_plan_version(municipality)
    url = f"/public/strategy/{municipality.slug}/plan/"
    page = client.get(url).content.decode()
    assert 'id="nothing-published"' in page
    assert "קהילה מיטיבה לכל תושביה" not in page
    services.plan_submit(version=version, user=manager)
    assert "מרכז קהילתי" not in client.get(url).content.decode()


@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_public_page_shows_the_signed_version_only_without_personal_data(
    municipality, manager, mayor_office, hq_user, client
):
    version = a_plan_version(municipality)
    _sign(version, manager, mayor_office, hq_user)
    an_action(municipality, title="פעולה שלא פורסמה")
    objective = an_objective(municipality)
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2027, 6, 1), value=200
    )
    page = client.get(f"/public/strategy/{municipality.slug}/plan/").content.decode()
    assert "קהילה מיטיבה לכל תושביה" in page
    assert "מרכז קהילתי" in page
    assert "פעולה שלא פורסמה" not in page
    assert "מנהלת המתנ״ס" not in page and "רכזת התנדבות" not in page
    assert "50%" in page
    assert 'class="line-chart"' in page and f'id="indicator-{objective.pk}"' in page


@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_public_page_keeps_a_fixed_number_of_queries(
    municipality, manager, mayor_office, hq_user, client
):
    version = a_plan_version(municipality)
    _sign(version, manager, mayor_office, hq_user)
    url = f"/public/strategy/{municipality.slug}/plan/"

    def grow():
        for i in range(8):
            an_action(municipality, title=f"פעולה {i}")
        objective = an_objective(municipality)
        for day in range(1, 6):
            services.reading_add(
                objective=objective,
                user=manager,
                measured_on=datetime.date(2027, 6, day),
                value=day,
            )
        v2 = services.plan_assemble(plan=version.plan, user=manager)
        _sign(v2, manager, mayor_office, hq_user)

    count = assert_constant_queries(client, url, grow, ceiling=6)
    assert PlanVersion.objects.filter(status=VersionStatus.IN_FORCE).count() == 1
    assert count <= 6


def test_the_plan_page_keeps_a_fixed_number_of_queries(municipality, manager, client_for):
    an_action(municipality)

    def grow():
        for i in range(6):
            an_action(municipality, title=f"פעולה {i}")

    assert_constant_queries(client_for(manager), base(municipality) + "/", grow, ceiling=30)


@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_dashboard_shows_progress_against_the_targets(municipality, manager, client_for):
    objective = an_objective(municipality)  # 100 -> 300
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2027, 6, 1), value=200
    )
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert 'id="plan-panel"' in page
    assert "הגדלת ההתנדבות" in page and "50%" in page


@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_dashboard_plan_panel_keeps_a_fixed_number_of_queries(
    municipality, manager, client_for
):
    objective = an_objective(municipality)

    def grow():
        for day in range(1, 8):
            services.reading_add(
                objective=objective,
                user=manager,
                measured_on=datetime.date(2027, 5, day),
                value=day,
            )
        for i in range(3):
            an_objective(municipality, title=f"יעד {i}")

    assert_constant_queries(client_for(manager), f"/m/{municipality.slug}/", grow, ceiling=60)


def test_a_plan_version_exports_to_pdf_and_xlsx(municipality, manager, client_for):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    version = a_plan_version(municipality)
    client = client_for(manager)
    pdf = client.get(base(municipality) + f"/v/{version.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "קהילה" in text or "הליהק" in text
    xlsx = client.get(base(municipality) + f"/v/{version.pk}/xlsx/")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    actions = workbook.worksheets[1]
    titles = [row[1] for row in actions.iter_rows(min_row=2, values_only=True)]
    assert titles == ["מרכז קהילתי", "מרכז קהילתי"]  # one row per budget line
    budget = workbook.worksheets[2]
    assert list(budget.iter_rows(values_only=True))[-3][-1] == 75000


def test_a_committee_member_cannot_export_the_plan(municipality, committee_member, client_for):
    version = a_plan_version(municipality)
    assert (
        client_for(committee_member).get(base(municipality) + f"/v/{version.pk}/xlsx/").status_code
        == 403
    )


def test_the_return_pages_name_what_is_returned(municipality, manager, mayor_office, client_for):
    decision = a_scope_decision(municipality)
    services.scope_decision_submit(decision=decision, user=manager)
    version = a_plan_version(municipality)
    services.plan_submit(version=version, user=manager)
    client = client_for(mayor_office)
    page = client.get(base(municipality) + f"/scope/{decision.pk}/return/").content.decode()
    assert "10.1.2027" in page
    response = client.post(
        base(municipality) + f"/v/{version.pk}/return/", {"comment": "חסר תקציב שותפים"}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.RETURNED
    client = client_for(manager)
    assert client.get(base(municipality) + f"/v/{version.pk}/return/").status_code == 403
    with assert_nothing_changed():
        response = client.post(base(municipality) + f"/v/{version.pk}/return/", {"comment": "x"})
    assert response.status_code == 403


def test_the_work_plan_page_keeps_a_fixed_number_of_queries(municipality, manager, client_for):
    an_action(municipality)

    def grow():
        for i in range(6):
            an_action(municipality, title=f"פעולה {i}")

    assert_constant_queries(
        client_for(manager), base(municipality) + "/work-plan/?track=social", grow, ceiling=25
    )


def test_the_track_lead_removes_a_budget_line_and_an_action_of_their_track(
    municipality, track_lead, client_for
):
    action = an_action(municipality, track="social")
    client = client_for(track_lead)
    line = action.budget_lines.first()
    client.post(base(municipality) + f"/budget/{line.pk}/delete/")
    assert action.budget_lines.count() == 1
    client.post(base(municipality) + f"/actions/{action.pk}/delete/")
    assert not Action.objects.filter(pk=action.pk).exists()


def test_someone_elses_track_cannot_be_removed(municipality, track_lead, client_for):
    action = an_action(municipality, track="urban", title="שיפוץ כיכר")
    client = client_for(track_lead)
    line = action.budget_lines.first()
    with assert_nothing_changed():
        assert client.post(base(municipality) + f"/actions/{action.pk}/delete/").status_code == 403
        assert client.post(base(municipality) + f"/budget/{line.pk}/delete/").status_code == 403
