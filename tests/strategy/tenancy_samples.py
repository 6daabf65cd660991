"""Sample objects for the URL parameters of the strategy app (see tests/kehila/test_tenancy.py)."""

from strategy.models import AgreementMilestone, BudgetLine
from tests.strategy.factories import a_candidate, a_kickoff_step, draft_agreement


def _version(municipality):
    from strategy.models import AgreementVersion

    existing = AgreementVersion.objects.filter(municipality=municipality).first()
    return existing or draft_agreement(municipality)


def _section(municipality):
    return _version(municipality).sections.first().pk


def _line(municipality):
    version = _version(municipality)
    line = BudgetLine.objects.filter(version=version).first()
    if line is None:
        line = BudgetLine.objects.create(
            municipality=municipality,
            version=version,
            year=version.term_start_year,
            source="municipality",
            description="x",
            amount=1,
        )
    return line.pk


def _milestone(municipality):
    import datetime

    version = _version(municipality)
    # The version may be signed (a generated one is): then it is taken as it is, never added to.
    milestone = AgreementMilestone.objects.filter(version=version).first()
    if milestone is None:
        milestone = AgreementMilestone.objects.create(
            municipality=municipality,
            version=version,
            title="השקה",
            due_date=datetime.date(2027, 3, 1),
        )
    return milestone.pk


SAMPLES = {
    "version_id": lambda municipality: _version(municipality).pk,
    "section_id": _section,
    "line_id": _line,
    "milestone_id": _milestone,
    "step_id": lambda municipality: a_kickoff_step(municipality).pk,
    "candidate_id": lambda municipality: a_candidate(municipality).pk,
}


def _plan_samples():
    from tests.strategy.plan_factories import (
        a_challenge,
        a_goal,
        a_plan_version,
        a_scope_decision,
        an_action,
        an_objective,
    )

    return {
        "decision_id": lambda m: a_scope_decision(m).pk,
        "challenge_id": lambda m: a_challenge(m).pk,
        "goal_id": lambda m: a_goal(m).pk,
        "objective_id": lambda m: an_objective(m).pk,
        "action_id": lambda m: an_action(m).pk,
        "plan_version_id": lambda m: a_plan_version(m).pk,
        "action_line_id": lambda m: an_action(m).budget_lines.first().pk,
    }


SAMPLES.update(_plan_samples())
