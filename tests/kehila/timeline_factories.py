"""Helpers for the timeline tests: a program with a scope decision, laid out through the services."""

from datetime import date

from kehila import scheduling
from kehila.models import Milestone

T0 = date(2027, 1, 10)  # a Sunday


def plan_program(municipality, *, t0: date = T0, tracks=("social", "urban"), actor=None):
    """Record the scope decision through the service, as the manager's form does (after the agreement
    is in force: nothing begins before it)."""
    from tests.strategy.plan_factories import an_agreement_in_force

    an_agreement_in_force(municipality)
    program = municipality.program
    scheduling.program_scope_decide(
        program=program, decided_on=t0, tracks=list(tracks), actor=actor
    )
    program.refresh_from_db()
    return program


def milestone(program, key: str) -> Milestone:
    return Milestone.objects.get(program=program, key=key)


def planned(program) -> dict:
    return dict(Milestone.objects.filter(program=program).values_list("key", "planned"))
