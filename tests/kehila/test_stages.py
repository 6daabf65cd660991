"""The stage tracker is derived from facts (issue 15 §1): no stage shows as done that is not. The rule
(kehila.stages) is tested per stage on plain facts; the selector (kehila.dashboard.stage_facts) on real
rows, with a fixed query count; the dashboard shows what they derive, not Program.stage."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kehila import dashboard, stages
from kehila.models import Program, Stage
from kehila.stages import StageFacts

pytestmark = pytest.mark.django_db

ALL = StageFacts(
    agreement_in_force=True,
    circles_with_people=3,
    bodies_with_members=frozenset({"steering", "design", "team"}),
    challenges=5,
    challenges_with_findings=5,
    plan_approved=True,
    initiatives_selected=2,
    initiatives_reviewed=2,
)

# Each stage with the one fact change that keeps it from being done.
NOT_YET = {
    Stage.KICKOFF: {"agreement_in_force": False},
    Stage.HEARTS: {"circles_with_people": 2},
    Stage.BODIES: {"bodies_with_members": frozenset({"steering", "design"})},
    Stage.MAPPING: {"challenges_with_findings": 4},
    Stage.STRATEGY: {"plan_approved": False},
    Stage.PILOT: {"initiatives_reviewed": 1},
}


def test_with_no_facts_nothing_is_done_and_kickoff_is_current():
    rows = stages.tracker(StageFacts())
    assert not any(r["done"] for r in rows)
    assert [r["value"] for r in rows if r["current"]] == [Stage.KICKOFF]


@pytest.mark.parametrize("stage", list(NOT_YET))
def test_each_stage_is_done_only_when_its_facts_hold(stage):
    assert stages.stages_done(ALL)[stage] is True
    done = stages.stages_done(replace(ALL, **NOT_YET[stage]))
    assert done[stage] is False
    assert all(done[other] for other in NOT_YET if other != stage)


def test_no_challenges_or_no_initiatives_is_not_done():
    done = stages.stages_done(replace(ALL, challenges=0, challenges_with_findings=0))
    assert done[Stage.MAPPING] is False
    done = stages.stages_done(replace(ALL, initiatives_selected=0, initiatives_reviewed=0))
    assert done[Stage.PILOT] is False


def test_implementation_is_never_done_and_is_current_when_all_else_is():
    rows = stages.tracker(ALL)
    assert [r["value"] for r in rows if not r["done"]] == [Stage.IMPLEMENTATION]
    assert [r["value"] for r in rows if r["current"]] == [Stage.IMPLEMENTATION]


def test_a_later_stage_done_first_still_leaves_the_earlier_one_current():
    rows = stages.tracker(StageFacts(plan_approved=True))
    by_value = {r["value"]: r for r in rows}
    assert by_value[Stage.STRATEGY]["done"] and by_value[Stage.KICKOFF]["current"]


# --- the selector, on real rows -------------------------------------------------------------------


def build(municipality, n=1):
    """Rows that make every stage's facts hold; n widens the data without changing the facts."""
    from committees.models import Committee
    from pilots.models import InitiativeStatus
    from strategy.approvals import VersionStatus
    from strategy.models import AgreementVersion, MappingFinding, PlanVersion
    from tests.committees.factories import CommitteeFactory, MemberFactory
    from tests.partners.factories import EngagementFactory, PersonFactory
    from tests.pilots.factories import FocusChallengeFactory, HackathonFactory, InitiativeFactory
    from tests.strategy.factories import draft_agreement
    from tests.strategy.plan_factories import a_plan_version

    Program.objects.get_or_create(municipality=municipality)
    version = draft_agreement(municipality)
    AgreementVersion.objects.filter(pk=version.pk).update(status=VersionStatus.IN_FORCE)
    for _ in range(n):
        for circle in ("residents", "role_holders", "influence"):
            EngagementFactory(person=PersonFactory(municipality=municipality), circle=circle)
    for kind in (Committee.Kind.STEERING, Committee.Kind.DESIGN, Committee.Kind.WORK_TEAM):
        committee = CommitteeFactory(municipality=municipality, kind=kind)
        for _ in range(n):
            MemberFactory(committee=committee)
    for number in range(1, 6):
        challenge = FocusChallengeFactory(municipality=municipality, number=number)
        for i in range(n):
            MappingFinding.objects.create(
                municipality=municipality,
                challenge=challenge,
                indicator=f"i{i}",
                value=1,
                source="s",
                measured_on=datetime.date(2027, 1, 1),
            )
    plan_version = a_plan_version(municipality)
    PlanVersion.objects.filter(pk=plan_version.pk).update(status=VersionStatus.APPROVED)
    hackathon = HackathonFactory(municipality=municipality)
    for _ in range(n):
        InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.CONTINUED)
        InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.STOPPED)
        InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.NOT_SELECTED)


def test_the_selector_reads_every_stages_facts(municipality):
    assert dashboard.stage_facts(municipality) == StageFacts()
    build(municipality)
    assert dashboard.stage_facts(municipality) == ALL


def test_an_agreement_only_approved_is_not_kickoff_done(municipality):
    from strategy.approvals import VersionStatus
    from strategy.models import AgreementVersion
    from tests.strategy.factories import draft_agreement

    version = draft_agreement(municipality)
    AgreementVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    assert dashboard.stage_facts(municipality).agreement_in_force is False


def test_an_initiative_still_active_keeps_the_pilot_open(municipality):
    from pilots.models import InitiativeStatus
    from tests.pilots.factories import HackathonFactory, InitiativeFactory

    hackathon = HackathonFactory(municipality=municipality)
    InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.CONTINUED)
    InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
    facts = dashboard.stage_facts(municipality)
    assert (facts.initiatives_selected, facts.initiatives_reviewed) == (2, 1)
    assert stages.stages_done(facts)[Stage.PILOT] is False


def test_the_selector_reads_in_a_fixed_number_of_queries(municipality):
    with CaptureQueriesContext(connection) as empty:
        dashboard.stage_facts(municipality)
    build(municipality, n=3)
    with CaptureQueriesContext(connection) as full:
        dashboard.stage_facts(municipality)
    assert len(empty) == len(full) == 6


def test_the_dashboard_shows_the_derived_stages_not_the_stored_one(
    client_for, manager, municipality
):
    Program.objects.filter(municipality=municipality).update(stage=Stage.MAPPING)
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    # Program.stage says mapping, but no agreement is in force: the tracker says kickoff, nothing done.
    assert '<strong id="current-stage">התנעה ברשות</strong>' in page
    assert "(הושלם)" not in page and 'class="done"' not in page


def test_the_dashboard_marks_done_what_holds(client_for, manager, municipality):
    from strategy.approvals import VersionStatus
    from strategy.models import AgreementVersion
    from tests.strategy.factories import draft_agreement

    version = draft_agreement(municipality)
    AgreementVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.IN_FORCE, in_force_at=timezone.now()
    )
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert page.count('class="done"') == 1
    assert '<strong id="current-stage">הכשרת הלבבות</strong>' in page
