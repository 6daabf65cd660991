"""iCalendar output: one meeting (e-mail attachment) or a feed (a member's, a committee's).

A calendar client updates an event in place only when the UID stays the same and SEQUENCE grows, so the
UID derives from the meeting's id alone and every change to the meeting raises `Meeting.sequence`.
"""

import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

TZ = ZoneInfo("Asia/Jerusalem")
PRODID = "-//Kehila Metiva portal//committees//HE"


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@kehila-metiva"


def _event(meeting) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(TZ))
    event.add("dtend", meeting.ends_at.astimezone(TZ))
    event.add("summary", f"{meeting.title} · {meeting.committee.name}")
    event.add("sequence", meeting.sequence)
    cancelled = meeting.status == meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    if meeting.purpose:
        event.add("description", meeting.purpose)
    return event


def calendar_for(meetings: Iterable, *, name: str = "", method: str = "PUBLISH") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    _add_missing_timezones(cal)
    return cal.to_ical()


def _add_missing_timezones(cal: Calendar) -> None:
    """`Calendar.add_missing_timezones`, with each VTIMEZONE built once per process: it spans decades of
    transitions (15 ms for Asia/Jerusalem) and is the same in every calendar (one goes with every e-mail)."""
    position = len(cal.timezones)
    for tzid in cal.get_missing_tzids():
        timezone_component = _timezone(tzid)
        if timezone_component is not None:
            cal.subcomponents.insert(position, timezone_component)
            position += 1


@functools.lru_cache(maxsize=32)
def _timezone(tzid: str) -> Timezone | None:
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:  # unknown to the time zone database: left out, as icalendar does
        return None


def meeting_ics(meeting) -> bytes:
    return calendar_for([meeting], name=meeting.committee.name)
