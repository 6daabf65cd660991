"""The stage tracker, derived from facts: a stage shows as done only when what ends it holds.
The rule is this one pure function; kehila.dashboard.stage_facts gathers the facts (the core does not
read the stage apps). Program.stage is what a manager or a workflow step last recorded; the tracker does
not trust it.

When each stage is done (DOMAIN.md, "The stages"):
- kickoff: an agreements document version is signed and in force;
- preparing the hearts: people are recorded in all three circles (residents, role holders, centres of
  influence);
- collaborative bodies: the steering committee, the design committee and at least one work team exist,
  each with members;
- mapping: there are focus challenges, and every one of them has at least one mapping finding;
- the strategic plan: a plan version is approved (awaiting signatures or in force);
- the pilot: initiatives were selected and every one of them has its review decision (continued into
  year two, or support stopped);
- implementation: never done; it runs for the rest of the program.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Stage

CIRCLES = 3


@dataclass(frozen=True)
class StageFacts:
    agreement_in_force: bool = False
    circles_with_people: int = 0
    bodies_with_members: frozenset[str] = frozenset()  # committee kinds that have members
    challenges: int = 0
    challenges_with_findings: int = 0
    plan_approved: bool = False
    initiatives_selected: int = 0
    initiatives_reviewed: int = 0


def stages_done(facts: StageFacts) -> dict[str, bool]:
    return {
        Stage.KICKOFF: facts.agreement_in_force,
        Stage.HEARTS: facts.circles_with_people >= CIRCLES,
        Stage.BODIES: {"steering", "design", "team"} <= facts.bodies_with_members,
        Stage.MAPPING: facts.challenges > 0 and facts.challenges_with_findings == facts.challenges,
        Stage.STRATEGY: facts.plan_approved,
        Stage.PILOT: facts.initiatives_selected > 0
        and facts.initiatives_reviewed == facts.initiatives_selected,
        Stage.IMPLEMENTATION: False,
    }


def current(facts: StageFacts) -> str | None:
    """The first stage that is not done (None: every stage that can end has ended)."""
    done = stages_done(facts)
    return next((value for value in Stage.values if not done[value]), None)


def tracker(facts: StageFacts) -> list[dict]:
    """The stages in order, each done or not; the current one is the first that is not done."""
    done = stages_done(facts)
    now = current(facts)
    return [
        {"value": value, "label": label, "done": done[value], "current": value == now}
        for value, label in Stage.choices
    ]
