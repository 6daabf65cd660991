"""The committees panel of the municipality dashboard: next meetings and open action items (2 queries, always).

The rows come in as tuples with their links and dates already written: the card is on every manager's
dashboard, and a model instance, a {% url %} and a |date per row cost more than the rest of it."""

from zoneinfo import ZoneInfo

from django.db.models import Count, Window
from django.utils import timezone

from kehila.permissions import can
from kehila.rows import url_maker

from . import selectors
from .models import Meeting

PANEL_ITEMS = 8
# The panel shows the meetings' times in the program's zone, whatever the server's.
LOCAL_ZONE = ZoneInfo("Asia/Jerusalem")


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None or not can(request.user, "view_committees", municipality):
        return None
    url = url_maker("committees:meeting", "meeting_id", slug=municipality.slug)
    meetings = []
    for pk, title, committee, starts_at in (
        Meeting.objects.filter(municipality=municipality, ends_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .values_list("pk", "title", "committee__name", "starts_at")[:5]
    ):
        local = timezone.localtime(starts_at, LOCAL_ZONE)
        meetings.append(
            {
                "url": url(pk),
                "title": title,
                "committee": committee,
                "when": f"{local.day}.{local.month} {local:%H:%M}",
            }
        )
    # The count of all open items rides on each of the first rows (a window over the whole filtered
    # set, taken before the LIMIT): one query, the same at any size.
    rows = list(
        selectors.open_action_items(municipality)
        .annotate(total=Window(Count("pk")))
        .values_list(
            "title", "owner__full_name", "due_on", "meeting_id", "meeting__title", "total"
        )[:PANEL_ITEMS]
    )
    total = rows[0][-1] if rows else 0
    items = []
    for title, owner, due_on, meeting_id, meeting_title, _total in rows:
        items.append(
            {
                "title": title,
                "owner": owner,
                "due": f"{due_on.day}.{due_on.month}.{due_on.year}" if due_on else "",
                "url": url(meeting_id),
                "meeting": meeting_title,
            }
        )
    return {
        "template": "committees/dashboard_panel.html",
        "context": {
            "slug": municipality.slug,
            "meetings": meetings,
            "action_items": items,
            "more": max(0, total - PANEL_ITEMS),
        },
        "order": 30,
    }
