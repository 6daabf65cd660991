"""The agreement's pages: what they show, who may act (allowed and 403), what changes in the database."""

from decimal import Decimal

import pytest
from django.urls import reverse

from strategy import services
from strategy.models import (
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    SectionComment,
    Topic,
    VersionStatus,
)
from tests.helpers import assert_nothing_changed
from tests.querycount import assert_constant_queries
from tests.strategy.factories import draft_agreement

ROLES = ["manager", "team", "mayor_office", "track_lead", "committee_member", "hq"]


def url(municipality, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.fixture
def draft(municipality, manager):
    return draft_agreement(municipality, user=manager)


@pytest.mark.parametrize("role", ROLES)
def test_the_agreement_page_is_open_to_staff_and_hq_only(role, draft, users_by_role, client_for):
    response = client_for(users_by_role[role]).get(url(draft.municipality, "agreement"))
    if role == "committee_member":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert "קהילה מיטיבה" in page and "200,000.50" in page


def test_the_page_offers_to_start_the_document_and_starting_creates_eleven_sections(
    municipality, manager, client_for
):
    client = client_for(manager)
    assert "start-agreement" in client.get(url(municipality, "agreement")).content.decode()
    response = client.post(url(municipality, "agreement_start"))
    assert response.status_code == 302
    version = AgreementVersion.objects.get(municipality=municipality)
    assert version.sections.count() == 11
    client.post(url(municipality, "agreement_start"))  # a double submit does one thing
    assert AgreementVersion.objects.filter(municipality=municipality).count() == 1


def test_the_manager_edits_a_section_and_the_page_renders_its_markdown_safely(
    draft, manager, client_for
):
    section = draft.sections.get(topic=Topic.ROUTINES)
    client = client_for(manager)
    response = client.post(
        url(draft.municipality, "section", section_id=section.pk),
        {
            "text": "**פגישה שבועית**<script>alert(1)</script>",
            "owner": manager.pk,
            "status": "agreed",
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.status == "agreed" and section.owner == manager
    page = client.get(url(draft.municipality, "agreement")).content.decode()
    assert "<strong>פגישה שבועית</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_comments_are_added_per_section(draft, mayor_office, client_for):
    section = draft.sections.get(topic=Topic.GOALS)
    client = client_for(mayor_office)
    client.post(
        url(draft.municipality, "section_comment", section_id=section.pk), {"text": "מצוין"}
    )
    comment = SectionComment.objects.get()
    assert comment.topic == Topic.GOALS and comment.author == mayor_office
    page = client.get(url(draft.municipality, "section", section_id=section.pk)).content.decode()
    assert "מצוין" in page


@pytest.mark.parametrize(
    "data,field",
    [
        ({"year": 2027, "source": "municipality", "description": "x", "amount": "-5"}, "amount"),
        ({"year": 2027, "source": "municipality", "description": "x", "amount": "abc"}, "amount"),
        ({"year": 2035, "source": "municipality", "description": "x", "amount": "5"}, "year"),
        ({"year": 2026, "source": "program", "description": "x", "amount": "5"}, "year"),
        ({"year": 2027, "source": "lottery", "description": "x", "amount": "5"}, "source"),
    ],
)
def test_bad_budget_lines_get_field_errors_and_keep_the_input(
    data, field, draft, manager, client_for
):
    before = BudgetLine.objects.count()
    response = client_for(manager).post(
        url(draft.municipality, "budget_add", version_id=draft.pk), data
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert BudgetLine.objects.count() == before
    assert str(data["description"]) in response.content.decode()


def test_a_good_budget_line_is_added_and_totals_follow(draft, manager, client_for):
    client = client_for(manager)
    client.post(
        url(draft.municipality, "budget_add", version_id=draft.pk),
        {"year": 2029, "source": "partners", "description": "קרן", "amount": "1000"},
    )
    assert BudgetLine.objects.filter(version=draft).count() == 3
    page = client.get(url(draft.municipality, "agreement")).content.decode()
    assert "201,000.50" in page


def test_the_whole_workflow_through_the_pages(draft, manager, mayor_office, hq_user, client_for):
    m = draft.municipality
    client_for(manager).post(url(m, "version_submit", version_id=draft.pk))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    inbox = client_for(mayor_office).get(url(m, "inbox")).content.decode()
    assert f"inbox-agreement-{draft.pk}" in inbox
    response = client_for(mayor_office).post(
        url(m, "version_approve", version_id=draft.pk), {"next": url(m, "inbox")}
    )
    assert response["Location"] == url(m, "inbox")
    client_for(mayor_office).post(
        url(m, "version_sign", version_id=draft.pk), {"side": "municipality"}
    )
    client_for(hq_user).post(url(m, "version_sign", version_id=draft.pk), {"side": "program"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_FORCE
    page = client_for(manager).get(url(m, "agreement")).content.decode()
    assert 'id="in-force"' in page and draft.content_hash in page


@pytest.mark.parametrize("role", ROLES)
def test_approving_through_the_page_needs_the_mayors_office(
    role, draft, manager, users_by_role, client_for
):
    services.agreement_submit(version=draft, user=manager)
    client = client_for(users_by_role[role])
    approve = url(draft.municipality, "version_approve", version_id=draft.pk)
    if role == "mayor_office":
        response = client.post(approve)
        draft.refresh_from_db()
        assert response.status_code == 302 and draft.status == VersionStatus.APPROVED
    else:
        with assert_nothing_changed():
            response = client.post(approve)
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox_is_the_mayors_offices(role, municipality, users_by_role, client_for):
    response = client_for(users_by_role[role]).get(url(municipality, "inbox"))
    assert response.status_code == (200 if role == "mayor_office" else 403)


def test_returning_from_the_inbox_records_the_comment(draft, manager, mayor_office, client_for):
    services.agreement_submit(version=draft, user=manager)
    client_for(mayor_office).post(
        url(draft.municipality, "version_return", version_id=draft.pk),
        {"comment": "נא לפרט את תקציב השותפים", "next": url(draft.municipality, "inbox")},
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.RETURNED
    page = client_for(manager).get(url(draft.municipality, "agreement")).content.decode()
    assert "נא לפרט את תקציב השותפים" in page


def test_signing_twice_through_the_page_shows_a_message_and_changes_nothing(
    draft, manager, mayor_office, client_for
):
    services.agreement_submit(version=draft, user=manager)
    services.agreement_approve(version=draft, user=mayor_office)
    client = client_for(mayor_office)
    sign_url = url(draft.municipality, "version_sign", version_id=draft.pk)
    client.post(sign_url, {"side": "municipality"})
    response = client.post(sign_url, {"side": "municipality"}, follow=True)
    assert AgreementSignature.objects.count() == 1
    assert any("already signed" in str(m) or "כבר" in str(m) for m in response.context["messages"])


def test_editing_a_locked_version_through_the_page_is_refused(draft, manager, client_for):
    services.agreement_submit(version=draft, user=manager)
    section = draft.sections.get(topic=Topic.GOALS)
    before = section.text
    client = client_for(manager)
    response = client.post(
        url(draft.municipality, "section", section_id=section.pk),
        {"text": "שינוי", "status": "draft"},
        follow=True,
    )
    section.refresh_from_db()
    assert section.text == before
    assert response.context["messages"]
    response = client.post(
        url(draft.municipality, "budget_add", version_id=draft.pk),
        {"year": 2027, "source": "municipality", "description": "x", "amount": "5"},
    )
    assert response.status_code == 302 and BudgetLine.objects.count() == 2


def test_the_pdf_downloads_for_any_version(draft, hq_user, client_for):
    response = client_for(hq_user).get(url(draft.municipality, "version_pdf", version_id=draft.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_diff_page_compares_two_versions(draft, manager, client_for):
    services.agreement_submit(version=draft, user=manager)
    v2 = services.agreement_new_version(agreement=draft.agreement, user=manager)
    services.budget_line_add(
        version=v2,
        user=manager,
        year=2029,
        source="partners",
        description="קרן חדשה",
        amount=Decimal(7),
    )
    page = (
        client_for(manager)
        .get(url(draft.municipality, "diff") + f"?a={draft.pk}&b={v2.pk}")
        .content.decode()
    )
    assert "<ins>" in page and "קרן חדשה" in page


def test_the_agreement_page_keeps_a_constant_number_of_queries(draft, manager, client_for):
    def grow():
        for year in (2027, 2028, 2029):
            services.budget_line_add(
                version=draft,
                user=manager,
                year=year,
                source="partners",
                description=f"שורה {year}",
                amount=Decimal(year),
            )
        for topic in (Topic.BODIES, Topic.ROUTINES):
            services.section_update(
                section=draft.sections.get(topic=topic), user=manager, text="x", owner=manager
            )

    assert_constant_queries(client_for(manager), url(draft.municipality, "agreement"), grow)


def test_the_dashboard_shows_kickoff_progress(municipality, manager, client_for):
    services.kickoff_ensure_steps(municipality=municipality)
    step = municipality.kickoff_steps.first()
    services.kickoff_step_update(step=step, user=manager, done=True)
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert "kickoff-panel-heading" in page
    assert "1" in page


def test_a_milestone_links_to_a_timeline_milestone(draft, manager, client_for):
    client = client_for(manager)
    response = client.post(
        url(draft.municipality, "milestone_add", version_id=draft.pk),
        {"title": "כנס", "due_date": "2027-03-10", "timeline_key": "launch_conference"},
    )
    assert response.status_code == 302
    assert draft.milestones.get().timeline_key == "launch_conference"
    response = client.post(
        url(draft.municipality, "milestone_add", version_id=draft.pk),
        {"title": "x", "due_date": "2027-03-10", "timeline_key": "nonsense"},
    )
    assert "timeline_key" in response.context["form"].errors


def test_the_inbox_keeps_a_constant_number_of_queries(municipality, mayor_office, client_for):
    from kehila.models import Municipality

    def grow():
        for i in range(3):
            other = Municipality.objects.create(name=f"x{i}", slug=f"x{i}")
            version = draft_agreement(other)
            AgreementVersion.objects.filter(pk=version.pk).update(status="submitted")
        version = draft_agreement(municipality)
        services.agreement_submit(version=version, user=version.created_by)

    assert_constant_queries(client_for(mayor_office), url(municipality, "inbox"), grow)


def test_the_admin_cannot_change_a_version(admin_client, draft):
    response = admin_client.post(
        f"/admin/strategy/agreementversion/{draft.pk}/change/", {"title": "x"}
    )
    draft.refresh_from_db()
    assert draft.title != "x"
    assert response.status_code in (200, 403)


def test_the_dashboard_tells_the_mayors_office_what_awaits_it(
    draft, manager, mayor_office, client_for
):
    services.agreement_submit(version=draft, user=manager)
    page = client_for(mayor_office).get(f"/m/{draft.municipality.slug}/").content.decode()
    assert url(draft.municipality, "inbox") in page
