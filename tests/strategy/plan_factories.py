"""Factories of the strategic plan, built through the services as users would."""

import datetime
from decimal import Decimal

from kehila.models import Role
from strategy import plan_services
from strategy.models import Action, FocusChallenge, Goal, Objective, ScopeDecision
from tests.factories import member
from tests.strategy.factories import an_editor


def an_agreement_in_force(municipality):
    """Setup shortcut past the signing workflow (tested on its own): the scope decision needs it."""
    from django.utils import timezone

    from strategy.models import AgreementVersion, VersionStatus
    from tests.strategy.factories import draft_agreement

    version = AgreementVersion.objects.filter(municipality=municipality).first()
    version = version or draft_agreement(municipality, with_content=False)
    AgreementVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.IN_FORCE, in_force_at=timezone.now()
    )
    return version


def a_scope_decision(municipality, *, tracks=("social", "educational")):
    existing = ScopeDecision.objects.filter(municipality=municipality).first()
    if existing:
        return existing
    an_agreement_in_force(municipality)
    decision, _warning = plan_services.scope_decision_save(
        municipality=municipality,
        user=an_editor(municipality),
        decided_on=datetime.date(2027, 1, 10),
        tracks=list(tracks),
        geographic_focus="שכונת הגפן",
        boundaries="שלוש שנים",
    )
    return decision


def a_challenge(municipality, number=1):
    return FocusChallenge.objects.get_or_create(
        municipality=municipality, number=number, defaults={"title": f"אתגר {number}"}
    )[0]


def a_goal(municipality, title="חיזוק הקהילה"):
    plan = plan_services.plan_for(municipality)
    existing = Goal.objects.filter(plan=plan, title=title).first()
    return existing or plan_services.goal_add(plan=plan, user=an_editor(municipality), title=title)


def an_objective(municipality, *, track="social", title="הגדלת ההתנדבות"):
    goal = a_goal(municipality)
    existing = Objective.objects.filter(goal=goal, title=title).first()
    return existing or plan_services.objective_add(
        goal=goal,
        user=an_editor(municipality),
        title=title,
        indicator="מתנדבים פעילים",
        unit="אנשים",
        baseline_value=Decimal("100"),
        baseline_date=datetime.date(2027, 1, 1),
        target_value=Decimal("300"),
        target_date=datetime.date(2029, 12, 31),
        owner="רכזת התנדבות",
        track=track,
    )


def an_action(municipality, *, track="social", title="מרכז קהילתי", budget=True):
    plan = plan_services.plan_for(municipality)
    existing = Action.objects.filter(plan=plan, title=title).first()
    if existing:
        return existing
    user = an_editor(municipality)
    action = plan_services.action_add(
        plan=plan,
        user=user,
        track=track,
        title=title,
        owner="מנהלת המתנ״ס",
        partners="עמותת שכנים",
        start=datetime.date(2027, 3, 1),
        end=datetime.date(2028, 6, 30),
        kind="infrastructure",
        objective=an_objective(municipality, track=track),
    )
    if budget:
        plan_services.action_budget_add(
            action=action, user=user, year=2027, source="municipality", amount=Decimal("50000")
        )
        plan_services.action_budget_add(
            action=action, user=user, year=2028, source="program", amount=Decimal("25000")
        )
    return action


def design_meeting_5_held(municipality, *, held=True):
    """The timeline's design_5 step, marked held (or planned): the plan's gate waits for it."""
    from kehila.models import Milestone, Program

    program, _created = Program.objects.get_or_create(municipality=municipality)
    status = Milestone.Status.HELD if held else Milestone.Status.PLANNED
    milestone, _created = Milestone.objects.update_or_create(
        program=program,
        key="design_5",
        defaults={
            "municipality": municipality,
            "planned": datetime.date(2027, 9, 1),
            "status": status,
            "actual": datetime.date(2027, 9, 1) if held else None,
        },
    )
    return milestone


def a_plan_version(municipality, *, design_5_held=True):
    """A draft version; by default the design committee's fifth meeting was held, so it may be sent on."""
    if design_5_held:
        design_meeting_5_held(municipality)
    plan = plan_services.plan_for(municipality)
    existing = plan.versions.first()
    if existing:
        return existing
    plan.vision = "קהילה מיטיבה לכל תושביה"
    plan.save()
    an_action(municipality)
    return plan_services.plan_assemble(plan=plan, user=an_editor(municipality))


def an_hq_user(municipality):
    return member(None, Role.HQ)
