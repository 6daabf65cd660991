"""The pilot's objects for a request: found inside the municipality, then decided by the rule table
(kehila.tenancy.access)."""

from kehila.tenancy import access

from .models import Initiative


def access_initiative(request, initiative_id: int, action: str) -> Initiative:
    return access(
        request,
        Initiative.objects.select_related("hackathon", "focus_challenge"),
        action,
        pk=initiative_id,
    )
