from django.conf import settings

from . import navigation
from .permissions import is_hq


def portal(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(request),
        "current_municipality": getattr(request, "municipality", None),
        "user_is_hq": bool(user and is_hq(user)),
        "site_url": settings.SITE_URL,
    }
