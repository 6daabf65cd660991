"""The members picker's endpoint (kehila.widgets): the municipality's own members, 20 at a time."""

from django.contrib.auth import get_user_model
from django.http import HttpResponseBadRequest, JsonResponse

from .models import Membership
from .permissions import RULES, users_who_can
from .search import PICKER_LIMIT, text_filter
from .tenancy import municipality_view


def members_matching(municipality, query: str, *, may: str = "", limit: int = PICKER_LIMIT):
    """The members of `municipality` (HQ, who belongs everywhere, is none of its members) whose
    name or username holds every word of `query`; with `may`, only those whose role allows that action
    (the owner of a stakeholder follows them up: someone who may edit the mapping)."""
    if may:
        ids = users_who_can(may, municipality).values("pk")
    else:
        ids = Membership.objects.filter(municipality=municipality).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids)  # no DISTINCT to rank under on PostgreSQL
    users = text_filter(
        users.filter(is_active=True).order_by("first_name", "last_name", "username", "pk"),
        ["first_name", "last_name", "username"],
        query,
    )
    return list(users.values("pk", "first_name", "last_name", "username")[:limit])


@municipality_view("find_members")
def members_search(request):
    may = request.GET.get("may", "")
    if may and may not in RULES:
        return HttpResponseBadRequest("Unknown action")
    users = members_matching(request.municipality, request.GET.get("q", ""), may=may)
    return JsonResponse(
        [
            {
                "value": str(u["pk"]),
                "text": f"{u['first_name']} {u['last_name']}".strip() or u["username"],
            }
            for u in users
        ],
        safe=False,
    )
