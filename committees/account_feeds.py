"""Committees answers the account page's calendar questions (kehila.signals): the personal feeds of the
committee people who share the account's e-mail address, in the municipalities where the account holds a
role. Only feeds that exist are listed (the account page is a GET); revoking gives each a new address."""

from django.conf import settings
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext

from kehila.models import Membership

from . import services
from .models import MemberCalendar


def _calendars(user):
    address = (user.email or "").strip().lower()
    if not address:
        return MemberCalendar.objects.none()
    municipalities = Membership.objects.filter(user=user, municipality__isnull=False).values(
        "municipality_id"
    )
    return (
        MemberCalendar.objects.filter(municipality_id__in=municipalities)
        .annotate(address=Lower("person__email"))
        .filter(address=address)
        .select_related("person", "municipality")
        .order_by("municipality__name", "pk")
    )


def feeds(sender, user, **kwargs):
    return [
        {
            "label": gettext("My meetings in %(municipality)s")
            % {"municipality": calendar.municipality.name},
            "url": settings.SITE_URL.rstrip("/")
            + reverse("committees_public:member_feed", kwargs={"token": calendar.token}),
        }
        for calendar in _calendars(user)
    ]


def revoke(sender, user, **kwargs):
    calendars = list(_calendars(user))
    for calendar in calendars:
        services.member_calendar_revoke(person=calendar.person)
    return len(calendars)
