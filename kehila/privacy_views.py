"""The log of access to contact details: a municipality's for its manager, every one's for HQ."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import ContactAccess
from .permissions import can
from .privacy import contact_log_for, names_for, place_label
from .tenancy import municipality_view

PAGE_SIZE = 50
KEYS_SHOWN = 10  # an export names hundreds of people: the row shows a few, the count says how many


def _log_page(request, *, municipality):
    person = request.GET.get("person", "").strip()[:100]
    try:
        user_id = int(request.GET.get("user", ""))
    except ValueError:
        user_id = None
    rows = contact_log_for(municipality=municipality, person=person, user_id=user_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = names_for(key for row in page for key in row.people[:KEYS_SHOWN])
    for row in page:
        row.place = place_label(row.where)
        row.shown = [(key, names.get(key, key)) for key in row.people[:KEYS_SHOWN]]
        row.more = len(row.people) > KEYS_SHOWN
    everyone = ContactAccess.objects.exclude(user=None)
    if municipality is not None:
        everyone = everyone.filter(municipality=municipality)
    users = everyone.values_list("user_id", "username").distinct().order_by("username")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kehila/contact_log.html",
        {
            "page": page,
            "rows": page.object_list,
            "person": person,
            "user_id": user_id,
            "users": list(users),
            "query": query.urlencode(),
            "show_municipality": municipality is None,
            "retention_days": settings.KEHILA_CONTACT_LOG_RETENTION_DAYS,
        },
    )


@municipality_view("view_contact_log")
def contact_log(request):
    return _log_page(request, municipality=request.municipality)


@login_required
def hq_contact_log(request):
    if not can(request.user, "view_hq"):
        raise PermissionDenied
    return _log_page(request, municipality=None)
