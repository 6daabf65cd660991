"""The committees' objects for a request: found inside the municipality, then decided by the rule table
(kehila.tenancy.access)."""

from kehila.tenancy import access

from .models import ActionItem


def access_action_item(request, action_id: int, action: str) -> ActionItem:
    return access(request, ActionItem.objects.select_related("owner"), action, pk=action_id)
