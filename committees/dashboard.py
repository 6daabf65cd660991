"""The committees panel of the municipality dashboard: next meetings and open action items (3 queries, always)."""

from django.utils import timezone

from kehila.permissions import can

from . import selectors
from .models import Meeting

PANEL_ITEMS = 8


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None or not can(request.user, "view_committees", municipality):
        return None
    meetings = list(
        Meeting.objects.filter(municipality=municipality, ends_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("committee")
        .order_by("starts_at")[:5]
    )
    # Counted every time, not only past a page's worth: the page's queries stay the same at any size.
    items = list(selectors.open_action_items(municipality)[:PANEL_ITEMS])
    more = max(0, selectors.open_action_items(municipality).count() - PANEL_ITEMS)
    return {
        "template": "committees/dashboard_panel.html",
        "context": {
            "slug": municipality.slug,
            "meetings": meetings,
            "action_items": items,
            "more": more,
        },
        "order": 30,
    }
