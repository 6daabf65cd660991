"""Every municipality page starts here: the municipality comes from the URL once, and an outsider gets 404.

Use `@municipality_view(<action>)` on every view under /m/<slug>/. It resolves the slug, answers 404 when
the user has no membership there (the same answer as for a slug that does not exist, so nothing leaks),
403 when the user belongs but the role may not do `action`, and sets `request.municipality` and
`request.membership`. Objects are then fetched with an app's `access_<obj>(request, pk, action)` (built on
`access` below: looked up inside the municipality, then `require`d), or `get_for_municipality` for reads
the page's own action already covers; never by bare id.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Municipality
from .permissions import (
    MunicipalityPaused,
    can,
    membership_in,
    paused_message,
    refused_while_paused,
    require,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def paused_response(request, municipality):
    """403 with the reason: the municipality is paused, by whom and since when."""
    return render(
        request,
        "kehila/paused_refused.html",
        {"message": paused_message(municipality)},
        status=403,
    )


def municipality_view(action: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # With who paused it, for the banner and the refusal: a join, not a query per page.
            municipality = (
                Municipality.objects.select_related("paused_by").filter(slug=slug).first()
            )
            membership = membership_in(request.user, municipality) if municipality else None
            if membership is None:
                raise Http404("No such municipality")
            request.municipality = municipality
            request.membership = membership
            if not can(request.user, action, municipality):
                if refused_while_paused(action, municipality):
                    return paused_response(request, municipality)
                raise PermissionDenied
            # A paused municipality is read-only: can() refuses its write actions wherever they are
            # asked, and a form sent here is refused before the view reads it, so that no view that
            # validates its form before it asks can() answers anything but this refusal.
            if municipality.paused_at is not None and request.method not in SAFE_METHODS:
                return paused_response(request, municipality)
            try:
                return view(request, *args, **kwargs)
            except MunicipalityPaused:
                return paused_response(request, municipality)

        wrapper.kehila_action = action
        return wrapper

    return decorator


def get_for_municipality(queryset, municipality, **lookups):
    """Fetch one object that belongs to this municipality, or 404: the same for missing and foreign."""
    model = getattr(queryset, "model", queryset)
    manager = queryset if hasattr(queryset, "model") else model._default_manager
    return get_object_or_404(manager.filter(municipality=municipality), **lookups)


def access(request, queryset, action: str, **lookups):
    """The object, looked up inside the request's municipality (404 for a missing or another
    municipality's object: the same answer), and only if the user may do `action` on it (403).

    In the manner of Zulip's access_stream_by_id: one call both finds and decides, so a view cannot
    fetch an object and forget to ask."""
    obj = get_for_municipality(queryset, request.municipality, **lookups)
    require(request.user, action, obj)
    return obj
