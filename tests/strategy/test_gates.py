"""Strategy's gates (issue 15 §1): the agreements document goes to the mayor's office only with all
eleven topics written (or not applicable, with a reason) and a complete budget appendix; the plan goes
to the steering committee only after the design committee's fifth meeting. Each refusal lists what is
missing with links and changes nothing; the manager or HQ may open the gate with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehila.gates import GateClosed
from kehila.models import AuditLog, GateOverride
from strategy import gates, plan_services, services
from strategy.models import (
    AgreementSection,
    AgreementVersion,
    BudgetLine,
    PlanVersion,
    SectionStatus,
    Topic,
    VersionStatus,
)
from tests.helpers import assert_nothing_changed, roles_allowed, roles_refused
from tests.strategy.factories import draft_agreement
from tests.strategy.plan_factories import a_plan_version, design_meeting_5_held

pytestmark = pytest.mark.django_db


def url(municipality, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.fixture
def complete(municipality, manager):
    return draft_agreement(municipality, user=manager)


@pytest.fixture
def incomplete(complete, manager):
    """Like the incident: topics still drafts, some of them empty."""
    AgreementSection.objects.filter(version=complete, topic__in=[3, 5]).update(
        text="", status=SectionStatus.DRAFT
    )
    AgreementSection.objects.filter(version=complete, topic=7).update(status=SectionStatus.DRAFT)
    return complete


def section_url(version, topic):
    section = version.sections.get(topic=topic)
    return url(version.municipality, "section", section_id=section.pk)


def test_a_complete_agreement_passes_the_gate(complete, manager):
    assert gates.agreement_missing(complete) == []
    services.agreement_submit(version=complete, user=manager)
    assert AgreementVersion.objects.get(pk=complete.pk).status == VersionStatus.SUBMITTED


def test_the_refusal_names_each_missing_topic_with_its_editor_and_changes_nothing(
    incomplete, manager
):
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        services.agreement_submit(version=incomplete, user=manager)
    missing = refused.value.missing
    assert [m.url for m in missing] == [section_url(incomplete, t) for t in (3, 5, 7)]
    texts = [str(m.text) for m in missing]
    assert "3." in texts[0] and "ריק" in texts[0]  # empty
    assert "7." in texts[2] and "בטיוטה" in texts[2]  # still a draft
    assert AgreementVersion.objects.get(pk=incomplete.pk).status == VersionStatus.DRAFT


@pytest.mark.parametrize("lines", ["none", "zero"])
def test_an_incomplete_budget_appendix_closes_the_gate(complete, manager, lines):
    if lines == "none":
        BudgetLine.objects.filter(version=complete).delete()
    else:
        BudgetLine.objects.filter(version=complete).update(amount=Decimal("0"))
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        services.agreement_submit(version=complete, user=manager)
    (missing,) = refused.value.missing
    assert "הנספח התקציבי" in str(missing.text) or "בנספח התקציבי" in str(missing.text)
    assert missing.url == url(complete.municipality, "agreement") + "#budget"


def test_not_applicable_needs_a_reason(complete, manager):
    section = complete.sections.get(topic=Topic.RECRUITING)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refused:
        services.section_update(
            section=section, user=manager, text="  ", status=SectionStatus.NOT_APPLICABLE
        )
    assert "text" in refused.value.message_dict


def test_a_topic_not_applicable_with_its_reason_passes(complete, manager):
    section = complete.sections.get(topic=Topic.RECRUITING)
    services.section_update(
        section=section,
        user=manager,
        text="The key players were recruited by the earlier program.",
        status=SectionStatus.NOT_APPLICABLE,
    )
    assert gates.agreement_missing(complete) == []


def test_the_manager_sends_it_on_with_a_reason_and_the_version_shows_it(
    incomplete, manager, client_for
):
    client = client_for(manager)
    response = client.post(
        url(incomplete.municipality, "version_open_gate", version_id=incomplete.pk),
        {"reason": "The mayor signs before the elections; topic 3 follows."},
    )
    assert response.status_code == 302
    assert AgreementVersion.objects.get(pk=incomplete.pk).status == VersionStatus.SUBMITTED
    override = GateOverride.objects.get()
    assert override.gate == "agreement_submit" and override.by == manager
    entry = AuditLog.objects.get(action="gate.override")
    assert entry.data["reason"].startswith("The mayor signs")
    page = client.get(incomplete.get_absolute_url()).content.decode()
    assert "The mayor signs before the elections" in page


def test_an_override_without_a_reason_changes_nothing(incomplete, manager, client_for):
    with assert_nothing_changed():
        response = client_for(manager).post(
            url(incomplete.municipality, "version_open_gate", version_id=incomplete.pk),
            {"reason": " "},
        )
    assert response.status_code == 200
    assert 'id="gate-missing"' in response.content.decode()


@pytest.mark.parametrize("role", roles_refused("override_gate"))
def test_nobody_else_opens_the_gate_and_nothing_changes(
    incomplete, users_by_role, client_for, role
):
    with assert_nothing_changed():
        response = client_for(users_by_role[role]).post(
            url(incomplete.municipality, "version_open_gate", version_id=incomplete.pk),
            {"reason": "Because"},
        )
    assert response.status_code == 403


def test_the_submit_page_lists_the_missing_topics_with_links_and_the_override_form(
    incomplete, manager, client_for
):
    with assert_nothing_changed():
        response = client_for(manager).post(
            url(incomplete.municipality, "version_submit", version_id=incomplete.pk), follow=True
        )
    page = response.content.decode()
    assert response.status_code == 200
    for topic in (3, 5, 7):
        assert f'href="{section_url(incomplete, topic)}"' in page
    assert 'id="open-gate"' in page


def test_the_team_sees_what_is_missing_without_the_override_form(
    incomplete, users_by_role, client_for
):
    with assert_nothing_changed():
        response = client_for(users_by_role["team"]).post(
            url(incomplete.municipality, "version_submit", version_id=incomplete.pk), follow=True
        )
    page = response.content.decode()
    assert f'href="{section_url(incomplete, 3)}"' in page
    assert 'id="open-gate"' not in page


# --- what is missing, shown before the button is pressed ----------------------------------------


def _submit_missing_links(page: str) -> list[str]:
    """The links of the list beside the submit button, in order (empty when the list is absent)."""
    import re

    block = re.search(
        r'<div class="alert alert-warning" id="submit-missing">(.*?)</div>', page, re.S
    )
    return re.findall(r'href="([^"]+)"', block.group(1)) if block else []


def test_the_document_page_lists_what_the_gate_would_refuse_for_before_submitting(
    incomplete, manager, client_for
):
    BudgetLine.objects.filter(version=incomplete).delete()
    with assert_nothing_changed():
        page = client_for(manager).get(url(incomplete.municipality, "agreement")).content.decode()
    budget = url(incomplete.municipality, "agreement") + "#budget"
    assert _submit_missing_links(page) == [
        *(section_url(incomplete, t) for t in (3, 5, 7)),
        budget,
    ]
    # The same list the gate refuses with, not a second copy of the rule.
    assert [m.url for m in gates.agreement_missing(incomplete)] == _submit_missing_links(page)
    for missing in gates.agreement_missing(incomplete):
        assert str(missing.text) in page
    assert 'id="submit-version"' in page  # the button stays; pressing it shows the refusal


def test_pressing_submit_with_items_missing_still_shows_the_gates_refusal(
    incomplete, manager, client_for
):
    client = client_for(manager)
    assert _submit_missing_links(
        client.get(url(incomplete.municipality, "agreement")).content.decode()
    )
    with assert_nothing_changed():
        response = client.post(
            url(incomplete.municipality, "version_submit", version_id=incomplete.pk), follow=True
        )
    assert 'id="gate-missing"' in response.content.decode()


def test_the_list_disappears_once_the_document_is_complete(complete, manager, client_for):
    page = client_for(manager).get(url(complete.municipality, "agreement")).content.decode()
    assert 'id="submit-missing"' not in page
    assert 'id="submit-version"' in page


def test_the_list_follows_the_mending_topic_by_topic(incomplete, manager, client_for):
    client = client_for(manager)
    for topic in (3, 5, 7):
        services.section_update(
            section=incomplete.sections.get(topic=topic),
            user=manager,
            text="נוסח מוסכם.",
            status=SectionStatus.AGREED,
        )
    BudgetLine.objects.filter(version=incomplete).update(amount=Decimal("0"))
    page = client.get(url(incomplete.municipality, "agreement")).content.decode()
    assert _submit_missing_links(page) == [url(incomplete.municipality, "agreement") + "#budget"]
    BudgetLine.objects.filter(version=incomplete).update(amount=Decimal("10"))
    page = client.get(url(incomplete.municipality, "agreement")).content.decode()
    assert 'id="submit-missing"' not in page


# Those who read the agreement but may not send it for approval.
@pytest.mark.parametrize("role", roles_allowed("view_agreement", refused=["submit_for_approval"]))
def test_who_may_not_submit_does_not_see_the_list(incomplete, users_by_role, client_for, role):
    page = client_for(users_by_role[role]).get(url(incomplete.municipality, "agreement"))
    assert page.status_code == 200
    assert 'id="submit-missing"' not in page.content.decode()


def test_a_submitted_version_shows_no_list(complete, manager, client_for):
    services.agreement_submit(version=complete, user=manager)
    page = client_for(manager).get(url(complete.municipality, "agreement")).content.decode()
    assert 'id="submit-missing"' not in page


# --- the plan to the steering committee ----------------------------------------------------------


def test_the_plan_waits_for_the_design_committees_fifth_meeting(municipality, manager):
    version = a_plan_version(municipality, design_5_held=False)
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        plan_services.plan_submit(version=version, user=manager)
    (missing,) = refused.value.missing
    assert missing.url == reverse("kehila:timeline", kwargs={"slug": municipality.slug})
    design_meeting_5_held(municipality, held=False)  # planned is not held
    with pytest.raises(GateClosed):
        plan_services.plan_submit(version=version, user=manager)
    design_meeting_5_held(municipality)
    plan_services.plan_submit(version=version, user=manager)
    assert PlanVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED


def test_the_plan_gate_opens_when_the_linked_meeting_was_held(municipality, manager):
    import datetime

    from django.utils import timezone

    from committees.models import Committee, Meeting

    version = a_plan_version(municipality, design_5_held=False)
    milestone = design_meeting_5_held(municipality, held=False)
    committee = Committee.objects.create(
        municipality=municipality, kind=Committee.Kind.DESIGN, name="design"
    )
    start = timezone.make_aware(datetime.datetime(2027, 9, 1, 18))
    meeting = Meeting.objects.create(
        municipality=municipality,
        committee=committee,
        title="5",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    meeting.milestone = milestone  # the meeting holds the link to its milestone
    meeting.save()
    assert not gates.design_meeting_5_held(municipality.pk)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTED)
    assert gates.design_meeting_5_held(municipality.pk)
    plan_services.plan_submit(version=version, user=manager)


def test_the_plan_page_refuses_and_the_manager_sends_it_on_with_a_reason(
    municipality, manager, client_for
):
    version = a_plan_version(municipality, design_5_held=False)
    client = client_for(manager)
    submit = url(municipality, "plan_version_submit", plan_version_id=version.pk)
    with assert_nothing_changed():
        page = client.post(submit, follow=True).content.decode()
    assert reverse("kehila:timeline", kwargs={"slug": municipality.slug}) in page
    client.post(
        url(municipality, "plan_version_open_gate", plan_version_id=version.pk),
        {"reason": "HQ agreed to a shorter design round."},
    )
    assert PlanVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    shown = client.get(url(municipality, "plan_version", plan_version_id=version.pk))
    assert "HQ agreed to a shorter design round." in shown.content.decode()
