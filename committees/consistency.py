"""The committees' rules of data that never contradicts itself, registered with
kehila.consistency in CommitteesConfig.ready().

Each check reads one municipality with a fixed number of queries (one, or two where a gate's overrides
are read) and compares in Python what needs the meetings' time zone. "Today" is the day the check is
run for: a meeting starting on a later day has certainly not started, so only that is a contradiction
(a meeting later today may or may not have started, and is left alone).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.consistency import Contradiction, local_date, overridden_ids, register_check
from kehila.models import Milestone
from kehila.scheduling import MEETING_TZ

from .models import (
    ActionItem,
    Application,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    Meeting,
    Minutes,
    MinutesCorrection,
)
from .services import MINUTES_RECORD_GATE

TOOK_PLACE = (Meeting.Status.HELD, Meeting.Status.MINUTED)


def _day(moment: datetime) -> date:
    return moment.astimezone(MEETING_TZ).date()


def _end_of(today: date) -> datetime:
    """The first moment after `today` in the meetings' time zone: what starts then has not started."""
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=MEETING_TZ)


def _meeting_url(meeting: Meeting, municipality) -> str:
    return reverse(
        "committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting.pk}
    )


def _minutes_url(meeting_id: int, municipality) -> str:
    return reverse(
        "committees:meeting_minutes", kwargs={"slug": municipality.slug, "meeting_id": meeting_id}
    )


def _committee_url(committee_id: int, municipality) -> str:
    return reverse(
        "committees:detail", kwargs={"slug": municipality.slug, "committee_id": committee_id}
    )


def _linked_meetings(municipality):
    return (
        Meeting.objects.filter(municipality=municipality, milestone__isnull=False)
        .select_related("milestone")
        .order_by("starts_at", "pk")
    )


# --- a meeting and its milestone share one date -------------------------------------------------


def meeting_milestone_date(municipality, today: date):
    """A meeting that is a timeline milestone is on the milestone's date: the planned one, or the
    actual one once held. A cancelled meeting or milestone no longer claims a date."""
    for meeting in _linked_meetings(municipality).exclude(status=Meeting.Status.CANCELLED):
        milestone = meeting.milestone
        if milestone.status == Milestone.Status.CANCELLED:
            continue
        held = milestone.status == Milestone.Status.HELD
        wanted = milestone.actual if held else milestone.planned
        if _day(meeting.starts_at) == wanted:
            continue
        if held:
            text = gettext(
                "The meeting “%(meeting)s” is on %(day)s, but its milestone %(milestone)s is "
                "recorded as held on %(date)s"
            )
        else:
            text = gettext(
                "The meeting “%(meeting)s” is on %(day)s, but its milestone %(milestone)s is "
                "planned for %(date)s"
            )
        yield Contradiction(
            "committees.meeting_milestone_date",
            text
            % {
                "meeting": meeting.title,
                "day": local_date(_day(meeting.starts_at)),
                "milestone": milestone.title,
                "date": local_date(wanted),
            },
            _meeting_url(meeting, municipality),
        )


def meeting_milestone_held(municipality, today: date):
    """A held milestone's meeting took place (not cancelled, not still to come); a meeting that took
    place has its milestone held (the service holds it with the meeting, the tick catches up)."""
    end = _end_of(today)
    for meeting in _linked_meetings(municipality):
        milestone = meeting.milestone
        held = milestone.status == Milestone.Status.HELD
        text = None
        if held and meeting.status == Meeting.Status.CANCELLED:
            text = gettext(
                "The meeting “%(meeting)s” was cancelled, but its milestone %(milestone)s is "
                "recorded as held"
            )
        elif held and meeting.starts_at >= end:
            text = gettext(
                "The milestone %(milestone)s is recorded as held, but its meeting “%(meeting)s” "
                "is still to come on %(day)s"
            )
        elif meeting.status in TOOK_PLACE and milestone.status == Milestone.Status.PLANNED:
            text = gettext(
                "The meeting “%(meeting)s” of %(day)s took place, but its milestone %(milestone)s "
                "is still planned"
            )
        if text:
            yield Contradiction(
                "committees.meeting_milestone_held",
                text
                % {
                    "meeting": meeting.title,
                    "milestone": milestone.title,
                    "day": local_date(_day(meeting.starts_at)),
                },
                _meeting_url(meeting, municipality),
            )


# --- nothing is recorded for a meeting that has not started --------------------------------------


def recorded_before_start(municipality, today: date):
    """Attendance, minutes (beyond an empty draft) and a held status record what happened at a meeting:
    not for one that has not started, unless the minutes gate was opened for it with a reason. (Action
    items are not counted: an all-managers meeting's follow-ups may be prepared ahead.)"""
    opened = overridden_ids(municipality, MINUTES_RECORD_GATE, Meeting)
    written = (
        Minutes.objects.filter(meeting=OuterRef("pk"))
        .filter(
            ~Q(state=Minutes.State.DRAFT)
            | ~Q(summary="")
            | ~Q(decisions="")
            | ~Q(challenges="")
            | ~Q(next_steps="")
        )
        .values("pk")
    )
    meetings = (
        Meeting.objects.filter(municipality=municipality, starts_at__gte=_end_of(today))
        .annotate(
            has_attendance=Exists(
                Invitation.objects.filter(meeting=OuterRef("pk"), attended__isnull=False)
            ),
            has_minutes=Exists(written),
        )
        .filter(Q(has_attendance=True) | Q(has_minutes=True) | Q(status__in=TOOK_PLACE))
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        if str(meeting.pk) in opened:
            continue
        what = []
        if meeting.status in TOOK_PLACE:
            what.append(gettext("marked as held"))
        if meeting.has_attendance:
            what.append(gettext("attendance"))
        if meeting.has_minutes:
            what.append(gettext("minutes"))
        yield Contradiction(
            "committees.recorded_before_start",
            gettext(
                "The meeting “%(meeting)s” starts on %(day)s, yet it has what only a meeting that "
                "took place has: %(what)s"
            )
            % {
                "meeting": meeting.title,
                "day": local_date(_day(meeting.starts_at)),
                "what": ", ".join(what),
            },
            _meeting_url(meeting, municipality),
        )


# --- the minutes' lifecycle: draft, circulated, approved -----------------------------------------


def minutes_lifecycle(municipality, today: date):
    """Minutes are circulated after the meeting started and approved after they were circulated, at a
    meeting that had started by then; each state carries its dates, and no date is still to come."""
    end = _end_of(today)
    rows = (
        Minutes.objects.filter(municipality=municipality)
        .select_related("meeting", "approved_at_meeting")
        .order_by("meeting__starts_at", "pk")
    )
    for minutes in rows:
        meeting = minutes.meeting
        circulated, approved = minutes.circulated_at, minutes.approved_at
        problems = []
        if minutes.state != Minutes.State.DRAFT and circulated is None:
            problems.append(gettext("they are past the draft but were never circulated"))
        if minutes.state == Minutes.State.CIRCULATED and minutes.corrections_until is None:
            problems.append(gettext("they are circulated with no last day for corrections"))
        if minutes.state == Minutes.State.APPROVED and approved is None:
            problems.append(gettext("they are approved with no date of approval"))
        if minutes.state != Minutes.State.APPROVED and (
            approved is not None or minutes.approved_at_meeting_id
        ):
            problems.append(gettext("they carry an approval but are not approved"))
        if circulated is not None and circulated < meeting.starts_at:
            problems.append(gettext("they were circulated before the meeting started"))
        if circulated is not None and approved is not None and approved < circulated:
            problems.append(gettext("they were approved before they were circulated"))
        if (
            circulated is not None
            and minutes.corrections_until is not None
            and minutes.corrections_until < timezone.localdate(circulated)
        ):
            problems.append(gettext("the time for corrections ends before they were circulated"))
        following = minutes.approved_at_meeting
        if following is not None and approved is not None and following.starts_at > approved:
            problems.append(gettext("they were approved at a meeting that had not started"))
        if following is not None and following.starts_at <= meeting.starts_at:
            problems.append(gettext("they were approved at a meeting that came before theirs"))
        if (circulated is not None and circulated >= end) or (
            approved is not None and approved >= end
        ):
            problems.append(gettext("they are dated on a day that has not come yet"))
        for problem in problems:
            yield Contradiction(
                "committees.minutes_lifecycle",
                gettext("The minutes of “%(meeting)s”: %(problem)s")
                % {"meeting": meeting.title, "problem": problem},
                _minutes_url(meeting.pk, municipality),
            )


def minutes_corrections(municipality, today: date):
    """A correction is sent to circulated minutes, within their time for corrections, before the
    approval locked them."""
    rows = (
        MinutesCorrection.objects.filter(municipality=municipality)
        .select_related("minutes__meeting")
        .order_by("created_at", "pk")
    )
    for correction in rows:
        minutes = correction.minutes
        sent = correction.created_at
        problem = None
        if minutes.circulated_at is None:
            problem = gettext("it corrects minutes that were never circulated")
        elif sent < minutes.circulated_at:
            problem = gettext("it was sent before the minutes were circulated")
        elif minutes.approved_at is not None and sent > minutes.approved_at:
            problem = gettext("it was sent after the minutes were approved")
        elif (
            minutes.corrections_until is not None
            and timezone.localdate(sent) > minutes.corrections_until
        ):
            problem = gettext("it was sent after the time for corrections ended")
        if problem:
            yield Contradiction(
                "committees.minutes_corrections",
                gettext("The correction by %(author)s to the minutes of “%(meeting)s”: %(problem)s")
                % {
                    "author": correction.author_name,
                    "meeting": minutes.meeting.title,
                    "problem": problem,
                },
                _minutes_url(minutes.meeting_id, municipality),
            )


# --- composition, membership, action items, the open call ----------------------------------------


def composition_targets(municipality, today: date):
    """The sectors' target shares of one kind of committee are parts of one whole: at most 100%."""
    url = reverse("committees:targets", kwargs={"slug": municipality.slug})
    kinds = dict(Committee.Kind.choices)
    totals = (
        CompositionTarget.objects.filter(municipality=municipality)
        .values("committee_kind")
        .annotate(total=Sum("percent"))
        .filter(total__gt=100)
        .order_by("committee_kind")
    )
    for row in totals:
        yield Contradiction(
            "committees.composition_targets",
            gettext("The composition targets of the %(kind)s add up to %(total)s%%")
            % {
                "kind": kinds.get(row["committee_kind"], row["committee_kind"]),
                "total": row["total"],
            },
            url,
        )


def membership_dates(municipality, today: date):
    """A membership does not end before it starts."""
    rows = (
        CommitteeMember.objects.filter(
            municipality=municipality,
            starts_on__isnull=False,
            ends_on__isnull=False,
        )
        .filter(ends_on__lt=F("starts_on"))
        .select_related("person", "committee")
        .order_by("committee_id", "pk")
    )
    for member in rows:
        yield Contradiction(
            "committees.membership_dates",
            gettext(
                "%(person)s's membership of %(committee)s ends on %(ends)s, before it starts on "
                "%(starts)s"
            )
            % {
                "person": member.person.full_name,
                "committee": member.committee.name,
                "ends": local_date(member.ends_on),
                "starts": local_date(member.starts_on),
            },
            _committee_url(member.committee_id, municipality),
        )


def action_items(municipality, today: date):
    """An action item comes out of its meeting: it is not due before that meeting, and its owner is one
    of the municipality's people."""
    rows = (
        ActionItem.objects.filter(municipality=municipality)
        .select_related("meeting", "owner")
        .order_by("meeting__starts_at", "pk")
    )
    for item in rows:
        meeting_day = _day(item.meeting.starts_at)
        problem = None
        if item.due_on is not None and item.due_on < meeting_day:
            problem = gettext(
                "The action item “%(item)s” is due on %(due)s, before the meeting “%(meeting)s” of "
                "%(day)s that decided it"
            )
        elif item.owner is not None and item.owner.municipality_id != municipality.pk:
            problem = gettext(
                "The owner of the action item “%(item)s” of the meeting “%(meeting)s” belongs to "
                "another municipality"
            )
        if problem:
            values = {
                "item": item.title,
                "meeting": item.meeting.title,
                "due": local_date(item.due_on) if item.due_on else "",
                "day": local_date(meeting_day),
            }
            yield Contradiction(
                "committees.action_items",
                problem % values,
                _meeting_url(item.meeting, municipality),
            )


def applications(municipality, today: date):
    """An open-call application is decided after it was submitted; a pending one has no decision; an
    accepted one names the person it became."""
    url = reverse("committees:applications", kwargs={"slug": municipality.slug})
    rows = Application.objects.filter(municipality=municipality).order_by("created_at", "pk")
    for application in rows:
        problem = None
        if application.status == Application.Status.PENDING and application.decided_at:
            problem = gettext(
                "The application of %(name)s waits for review but has a decision date"
            )
        elif application.status != Application.Status.PENDING and application.decided_at is None:
            problem = gettext("The application of %(name)s is decided but has no decision date")
        elif application.decided_at and application.decided_at < application.created_at:
            problem = gettext("The application of %(name)s was decided before it was submitted")
        elif application.status == Application.Status.ACCEPTED and application.person_id is None:
            problem = gettext("The application of %(name)s is accepted but names no person")
        if problem:
            yield Contradiction(
                "committees.applications", problem % {"name": application.full_name}, url
            )


register_check(
    "committees.meeting_milestone_date",
    _("A meeting and its timeline milestone share one date"),
    meeting_milestone_date,
)
register_check(
    "committees.meeting_milestone_held",
    _("A milestone is held exactly when its meeting took place"),
    meeting_milestone_held,
)
register_check(
    "committees.recorded_before_start",
    _("Attendance and minutes are recorded only for a meeting that has started"),
    recorded_before_start,
)
register_check(
    "committees.minutes_lifecycle",
    _("Minutes are circulated after the meeting, and approved after they were circulated"),
    minutes_lifecycle,
)
register_check(
    "committees.minutes_corrections",
    _("Corrections reach circulated minutes within their time, before the approval"),
    minutes_corrections,
)
register_check(
    "committees.composition_targets",
    _("A committee's composition targets add up to at most 100%"),
    composition_targets,
)
register_check(
    "committees.membership_dates",
    _("A committee membership ends after it starts"),
    membership_dates,
)
register_check(
    "committees.action_items",
    _("An action item is due after the meeting that decided it"),
    action_items,
)
register_check(
    "committees.applications",
    _("An open-call application is decided after it was submitted"),
    applications,
)
