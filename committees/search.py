"""What the municipality's search page finds in the committees (kehila.search): meetings, minutes and
the papers attached to agendas. Each is seen by whoever sees the committees' pages (view_committees),
the same people the meeting page shows its minutes and papers to."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kehila.search import Hit, register_source, text_filter

from .models import AgendaItem, Meeting, Minutes


def _day(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


def _meeting_url(municipality, meeting_id) -> str:
    return reverse(
        "committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting_id}
    )


def find_meetings(municipality, query, user, limit):
    meetings = text_filter(
        Meeting.objects.filter(municipality=municipality).order_by("-starts_at", "pk"),
        ["title", "purpose", "place", "committee__name"],
        query,
    ).values("pk", "title", "starts_at", "committee__name")[:limit]
    return [
        Hit(
            m["title"],
            _meeting_url(municipality, m["pk"]),
            f"{m['committee__name']} · {_day(m['starts_at'])}",
        )
        for m in meetings
    ]


def find_minutes(municipality, query, user, limit):
    minutes = text_filter(
        Minutes.objects.filter(municipality=municipality).order_by("-meeting__starts_at", "pk"),
        ["summary", "decisions", "challenges", "next_steps"],
        query,
    ).values("meeting_id", "meeting__title", "meeting__starts_at", "meeting__committee__name")[
        :limit
    ]
    return [
        Hit(
            m["meeting__title"],
            _meeting_url(municipality, m["meeting_id"]) + "#minutes-heading",
            f"{m['meeting__committee__name']} · {_day(m['meeting__starts_at'])}",
        )
        for m in minutes
    ]


def find_papers(municipality, query, user, limit):
    items = text_filter(
        AgendaItem.objects.filter(municipality=municipality)
        .exclude(attachment="")
        .order_by("-meeting__starts_at", "pk"),
        ["title", "attachment", "meeting__title"],
        query,
    ).values("pk", "title", "attachment", "meeting__title")[:limit]
    return [
        Hit(
            f"{i['title']} ({i['attachment'].rsplit('/', 1)[-1]})",
            reverse(
                "committees:agenda_attachment",
                kwargs={"slug": municipality.slug, "item_id": i["pk"]},
            ),
            i["meeting__title"],
        )
        for i in items
    ]


register_source("committees.meetings", _("Meetings"), "view_committees", find_meetings)
register_source("committees.minutes", _("Minutes"), "view_committees", find_minutes)
register_source("committees.papers", _("Meeting papers"), "view_committees", find_papers)
