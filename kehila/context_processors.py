from django.conf import settings

from . import navigation
from .models import Municipality, localized_name
from .permissions import is_hq, member_municipality_ids, paused_message


def switcher(request) -> list[dict]:
    """The user's municipalities for the navbar's switcher, each linking to its dashboard; empty for a
    user with one (or none). Read once per request: at most one query, and none for a user with one
    municipality (the memberships are already cached on the user)."""
    cached = getattr(request, "_kehila_switcher", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    ids = member_municipality_ids(user) if user is not None else []
    current = getattr(request, "municipality", None)
    cached = []
    if len(ids) > 1:
        for pk, name, name_en, name_ar, slug in (
            Municipality.objects.filter(pk__in=ids)
            .order_by("name")
            .values_list("pk", "name", "name_en", "name_ar", "slug")
        ):
            cached.append(
                {
                    "name": localized_name(
                        Municipality(name=name, name_en=name_en, name_ar=name_ar)
                    ),
                    "url": Municipality(slug=slug).get_absolute_url(),
                    "current": current is not None and current.pk == pk,
                }
            )
    request._kehila_switcher = cached
    return cached


def portal(request):
    user = getattr(request, "user", None)
    municipality = getattr(request, "municipality", None)
    return {
        "nav_items": navigation.items_for(request),
        "current_municipality": municipality,
        "user_is_hq": bool(user and is_hq(user)),
        "site_url": settings.SITE_URL,
        # A callable: the template reads it only where it draws the navbar.
        "my_municipalities": lambda: switcher(request),
        "paused_notice": paused_message(municipality)
        if municipality is not None and municipality.paused_at is not None
        else "",
    }
