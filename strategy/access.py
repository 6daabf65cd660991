"""The strategic plan's objects for a request: found inside the municipality, then decided by the rule
table (kehila.tenancy.access). Views call these instead of get_for_municipality followed by can()."""

from kehila.tenancy import access

from .models import Action, ActionBudget, Objective


def access_objective(request, objective_id: int, action: str) -> Objective:
    return access(request, Objective, action, pk=objective_id)


def access_action(request, action_id: int, action: str) -> Action:
    return access(request, Action, action, pk=action_id)


def access_action_budget(request, line_id: int, action: str) -> ActionBudget:
    return access(request, ActionBudget.objects.select_related("action"), action, pk=line_id)
