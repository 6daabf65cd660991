"""The onboarding checklist (kehila.onboarding): each item ticks from its fact, never by hand."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import Committee
from kehila import onboarding
from kehila.models import Role
from strategy.models import KickoffStep, KickoffStepKind
from tests.committees.factories import CommitteeFactory, MemberFactory
from tests.factories import member
from tests.kehila.timeline_factories import plan_program
from tests.partners.factories import PersonFactory
from tests.strategy.factories import a_kickoff_step, draft_agreement

pytestmark = pytest.mark.django_db


def done(municipality) -> dict[str, bool]:
    return {item.key: item.done for item in onboarding.checklist(municipality)}


def test_every_app_registers_its_items_in_order():
    assert onboarding.registered_keys() == [
        "manager_joined",
        "mayor_office",
        "agreements_meeting",
        "agreement_drafted",
        "stakeholders_imported",
        "steering_committee",
        "design_committee",
        "timeline",
    ]


def test_a_new_municipality_has_nothing_ticked(municipality):
    assert not any(done(municipality).values())


def test_the_manager_has_joined_once_they_logged_in(municipality):
    manager = member(municipality, Role.MANAGER)
    assert not done(municipality)["manager_joined"]
    manager.last_login = timezone.now()
    manager.save()
    assert done(municipality)["manager_joined"]


def test_another_role_logging_in_is_not_the_manager_joining(municipality):
    team = member(municipality, Role.TEAM)
    team.last_login = timezone.now()
    team.save()
    assert not done(municipality)["manager_joined"]


def test_the_mayor_s_office_is_ticked_by_its_membership(municipality, other_municipality):
    member(other_municipality, Role.MAYOR_OFFICE)
    assert not done(municipality)["mayor_office"]
    member(municipality, Role.MAYOR_OFFICE)
    assert done(municipality)["mayor_office"]


def test_the_agreements_meeting_is_ticked_when_its_step_has_a_date(municipality):
    a_kickoff_step(municipality)
    assert not done(municipality)["agreements_meeting"]
    KickoffStep.objects.filter(municipality=municipality, step=KickoffStepKind.PARTNERSHIP).update(
        date=date(2027, 2, 1)
    )
    assert done(municipality)["agreements_meeting"]


def test_the_agreement_is_ticked_once_drafted(municipality):
    draft_agreement(municipality, with_content=False)
    assert done(municipality)["agreement_drafted"]


def test_stakeholders_tick_with_the_first_person(municipality, other_municipality):
    PersonFactory(municipality=other_municipality)
    assert not done(municipality)["stakeholders_imported"]
    PersonFactory(municipality=municipality)
    assert done(municipality)["stakeholders_imported"]


def test_a_committee_is_formed_once_it_has_members(municipality):
    steering = CommitteeFactory(municipality=municipality, kind=Committee.Kind.STEERING)
    CommitteeFactory(municipality=municipality, kind=Committee.Kind.DESIGN, feed_token="d")
    assert not done(municipality)["steering_committee"]
    MemberFactory(committee=steering)
    facts = done(municipality)
    assert facts["steering_committee"] and not facts["design_committee"]


def test_the_timeline_ticks_with_the_scope_decision(municipality):
    assert not done(municipality)["timeline"]
    plan_program(municipality)
    assert done(municipality)["timeline"]


def test_an_app_may_register_an_item_and_replace_it(municipality):
    from kehila.models import Municipality

    try:
        onboarding.register_item(
            "extra", "Extra", lambda m: Municipality.objects.filter(pk=m), order=1
        )
        assert onboarding.registered_keys()[0] == "extra"
        assert done(municipality)["extra"] is True
        onboarding.register_item("extra", "Extra", lambda m: Municipality.objects.none(), order=1)
        assert done(municipality)["extra"] is False
    finally:
        onboarding._ITEMS.pop("extra", None)


def test_the_checklist_is_one_query_whatever_the_size_and_the_number_of_items(municipality):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            onboarding.checklist(municipality)
        return len(ctx.captured_queries)

    small = count()
    steering = CommitteeFactory(municipality=municipality, kind=Committee.Kind.STEERING)
    for _ in range(5):
        MemberFactory(committee=steering)
        PersonFactory(municipality=municipality)
        member(municipality, Role.TEAM)
    assert count() == small == 1
    assert len(onboarding.registered_keys()) > 1


# --- who sees it ----------------------------------------------------------------------------------


def test_the_manager_and_hq_see_the_panel_others_do_not(
    client, municipality, manager, team_member, mayor_office, hq_user
):
    url = f"/m/{municipality.slug}/"
    for who, sees in [
        (manager, True),
        (hq_user, True),
        (team_member, False),
        (mayor_office, False),
    ]:
        client.force_login(who)
        page = client.get(url).content.decode()
        assert ('id="onboarding-panel"' in page) is sees, who.username


def test_the_panel_is_gone_once_everything_is_done(client, municipality, manager, monkeypatch):
    client.force_login(manager)
    monkeypatch.setattr(onboarding, "is_complete", lambda items: True)
    assert 'id="onboarding-panel"' not in client.get(f"/m/{municipality.slug}/").content.decode()


def test_hq_sees_the_checklist_on_its_municipality_page(client, municipality, hq_user, manager):
    PersonFactory(municipality=municipality)
    client.force_login(hq_user)
    page = client.get(f"/hq/m/{municipality.slug}/").content.decode()
    assert 'data-key="stakeholders_imported"' in page
    assert "Onboarding checklist" in page or "רשימת" in page
    client.force_login(manager)
    assert client.get(f"/hq/m/{municipality.slug}/").status_code == 403


def test_the_dashboard_draws_the_panel_without_a_query_of_its_own(
    client, municipality, manager, monkeypatch
):
    """The facts come annotated on the program the dashboard loads anyway."""
    client.force_login(manager)
    calls = []
    real = onboarding.checklist
    monkeypatch.setattr(
        onboarding, "checklist", lambda m, facts=None: calls.append(facts) or real(m, facts)
    )
    assert 'id="onboarding-panel"' in client.get(f"/m/{municipality.slug}/").content.decode()
    assert calls and calls[0] is not None
