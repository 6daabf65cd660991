"""Reads of the committees app: each carries its own joins and counts, so templates never query in loops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehila.models import SentMessage
from kehila.search import text_filter
from partners.models import Person

from .models import (
    ActionItem,
    Application,
    Challenge,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    ManagersMeeting,
    Meeting,
    MemberCalendar,
    Sector,
)

WORK_TEAM_MIN, WORK_TEAM_MAX = 10, 15


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": today})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def committees_of(municipality):
    return Committee.objects.filter(municipality=municipality).annotate(
        member_count=Count("members", filter=_active_q("members__"), distinct=True),
        upcoming_count=Count(
            "meetings",
            filter=Q(meetings__starts_at__gte=timezone.now())
            & ~Q(meetings__status=Meeting.Status.CANCELLED),
            distinct=True,
        ),
    )


def active_members(committee):
    return (
        CommitteeMember.objects.filter(committee=committee)
        .filter(_active_q())
        .select_related("person")
        .order_by("role", "person__full_name")
    )


@dataclass(frozen=True)
class CompositionRow:
    sector: str
    label: str
    count: int
    percent: int
    target: int | None

    @property
    def short(self) -> bool:
        return self.target is not None and self.percent < self.target


def _counts_as(member: CommitteeMember, sector: str) -> bool:
    if sector == Sector.RESIDENTS:
        return member.sector == Sector.RESIDENTS or member.person.is_resident
    return member.sector == sector


def composition_targets(municipality, committee_kind: str) -> dict[str, int]:
    """The municipality's (an instance or its id) target share of each sector for one kind of committee:
    {sector: percent}."""
    return dict(
        CompositionTarget.objects.filter(
            municipality=municipality, committee_kind=committee_kind
        ).values_list("sector", "percent")
    )


def composition(committee, members: list[CommitteeMember]) -> list[CompositionRow]:
    """Each sector's share of the voting members against the municipality's target for this kind of
    committee. Residents count whether they sit for the residents' sector or simply live in town."""
    targets = composition_targets(committee.municipality_id, committee.kind)
    total = len(members)
    rows = []
    for value, label in Sector.choices:
        count = sum(1 for m in members if _counts_as(m, value))
        percent = round(100 * count / total) if total else 0
        rows.append(CompositionRow(value, str(label), count, percent, targets.get(value)))
    return rows


def size_warning(committee, member_count: int) -> bool:
    return committee.kind == Committee.Kind.WORK_TEAM and not (
        WORK_TEAM_MIN <= member_count <= WORK_TEAM_MAX
    )


def meetings_of(committee):
    return (
        Meeting.objects.filter(committee=committee)
        .annotate(
            yes_count=Count(
                "invitations",
                filter=Q(invitations__response="yes", invitations__waitlisted=False),
            ),
            invited_count=Count("invitations"),
        )
        .order_by("-starts_at")
    )


@dataclass(frozen=True)
class RsvpCounts:
    yes: int
    no: int
    maybe: int
    none: int
    waitlisted: int
    attended: int

    @property
    def total(self) -> int:
        return self.yes + self.no + self.maybe + self.none + self.waitlisted


def rsvp_counts(meeting) -> RsvpCounts:
    data = Invitation.objects.filter(meeting=meeting).aggregate(
        yes=Count("pk", filter=Q(response="yes", waitlisted=False)),
        waitlisted=Count("pk", filter=Q(response="yes", waitlisted=True)),
        no=Count("pk", filter=Q(response="no")),
        maybe=Count("pk", filter=Q(response="maybe")),
        none=Count("pk", filter=Q(response="")),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return RsvpCounts(**data)


def meeting_invitations(meeting):
    return Invitation.objects.filter(meeting=meeting).select_related("person")


class InviteeRow(NamedTuple):
    pk: int
    name: str
    response: str
    note: str
    waitlisted: bool
    attended: bool | None


def meeting_invitee_rows(meeting) -> list[InviteeRow]:
    """The meeting page's invitee table as plain rows: it lists hundreds, and model instances (with
    their person joined in full) cost more to build than the page spends on everything else."""
    return [
        InviteeRow._make(values)
        for values in Invitation.objects.filter(meeting=meeting)
        .order_by("person__full_name")
        .values_list("pk", "person__full_name", "response", "note", "waitlisted", "attended")
    ]


def invitee_rows_for(committee, rows: list[InviteeRow], *, organiser: bool) -> list[InviteeRow]:
    """The invitee rows a viewer may see. Organisers see every answer and note. Anyone else sees who
    is coming (a confirmed 'yes'), and only where the committee shares that: a 'no' or a 'maybe' is
    said to the organisers, and a note is never another member's to read."""
    if organiser:
        return rows
    if not committee.members_see_attendance:
        return []
    return [
        row._replace(note="")
        for row in rows
        if row.response == Invitation.Response.YES and not row.waitlisted
    ]


INVITEES_PER_PAGE = 50


class _Counted:
    """Rows whose number is already known (from the meeting's counts): the paginator slices them
    without a COUNT query of its own."""

    def __init__(self, rows, count: int):
        self.rows, self._count = rows, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.rows[key]


def invitee_page(meeting, counts: RsvpCounts, *, organiser: bool, number=None):
    """One page of the invitee rows a viewer may see (invitee_rows_for's rule, asked of the database):
    a meeting may have a thousand invitees, and the page draws fifty. `counts` are the meeting's
    (rsvp_counts), which also number the rows: one query for the page, none to count it."""
    rows = Invitation.objects.filter(meeting=meeting).order_by("person__full_name", "pk")
    if organiser:
        total = counts.total
    elif meeting.committee.members_see_attendance:
        rows, total = rows.filter(response=Invitation.Response.YES, waitlisted=False), counts.yes
    else:
        rows, total = rows.none(), 0
    rows = rows.values_list("pk", "person__full_name", "response", "note", "waitlisted", "attended")
    page = Paginator(_Counted(rows, total), INVITEES_PER_PAGE).get_page(number)
    page.object_list = [
        InviteeRow._make(values) if organiser else InviteeRow._make(values)._replace(note="")
        for values in page.object_list
    ]
    return page


def rsvp_counts_of(rows: list[InviteeRow]) -> RsvpCounts:
    """rsvp_counts for invitations already loaded (all of one meeting's), without another query."""
    yes = waitlisted = no = maybe = none = attended = 0
    for row in rows:
        if row.response == Invitation.Response.YES:
            if row.waitlisted:
                waitlisted += 1
            else:
                yes += 1
        elif row.response == Invitation.Response.NO:
            no += 1
        elif row.response == Invitation.Response.MAYBE:
            maybe += 1
        elif row.response == Invitation.Response.NONE:
            none += 1
        if row.attended is True:
            attended += 1
    return RsvpCounts(
        yes=yes, no=no, maybe=maybe, none=none, waitlisted=waitlisted, attended=attended
    )


def meeting_people(meeting):
    """The meeting's invitees as people: the room the all-managers meeting's note-taker and the owners
    of its follow-up items come from."""
    return Person.objects.filter(meeting_invitations__meeting=meeting).order_by("full_name", "pk")


def meeting_people_matching(meeting, query: str, *, limit: int) -> list[dict]:
    """The invitees whose name, title or neighbourhood hold every word of `query`, for a picker: what
    tells two namesakes apart, never their contact details."""
    people = text_filter(
        meeting_people(meeting).filter(erased_at__isnull=True),
        ["full_name", "title", "neighbourhood"],
        query,
    )
    return list(people.values("id", "full_name", "title", "neighbourhood")[:limit])


def open_action_items(municipality, *, limit: int | None = None):
    qs = (
        ActionItem.objects.filter(municipality=municipality)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("owner", "meeting__committee")
        .order_by("due_on", "id")
    )
    return qs[:limit] if limit else qs


def action_items_for(municipality, *, user, who: str = "all", state: str = "open"):
    """Action items of a municipality: `who` is "assigned" (the owner is the user's person), "created"
    (the user wrote them into the minutes) or "all"; `state` is "open", "done" or "all". One query."""
    qs = ActionItem.objects.filter(municipality=municipality)
    if who == "assigned":
        qs = qs.filter(owner__user=user)
    elif who == "created":
        qs = qs.filter(created_by=user)
    if state == "open":
        qs = qs.exclude(status=ActionItem.Status.DONE)
    elif state == "done":
        qs = qs.filter(status=ActionItem.Status.DONE)
    return qs.select_related("owner", "meeting__committee").order_by(
        F("due_on").asc(nulls_last=True), "id"
    )


def member_minutes_for_correction(person):
    """Circulated minutes of meetings the person attended, whose corrections are still open, with the
    person's own corrections: what the member page offers to correct."""
    from .models import Minutes, MinutesCorrection

    return (
        Minutes.objects.filter(
            state=Minutes.State.CIRCULATED,
            corrections_until__gte=timezone.localdate(),
            meeting__invitations__person=person,
            meeting__invitations__attended=True,
        )
        .select_related("meeting__committee")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=MinutesCorrection.objects.filter(person=person),
                to_attr="my_corrections",
            )
        )
        .order_by("-meeting__starts_at")
    )


def pending_applications(municipality):
    return Application.objects.filter(
        municipality=municipality, status=Application.Status.PENDING
    ).select_related("committee")


def decided_applications(municipality, *, limit: int = 50):
    return (
        Application.objects.filter(municipality=municipality)
        .exclude(status=Application.Status.PENDING)
        .select_related("committee")[:limit]
    )


def member_person():
    """People as the member page needs them: the few fields it shows, and the calendar feed's token
    (None until the feed exists) read in the same query."""
    token = MemberCalendar.objects.filter(person=OuterRef("pk")).values("token")[:1]
    return Person.objects.only("id", "municipality_id", "full_name").annotate(
        feed_token=Subquery(token)
    )


def member_committees(person):
    """The bodies a person sits on today, with their role, for the member page."""
    return (
        CommitteeMember.objects.filter(person=person)
        .filter(_active_q())
        .select_related("committee")
        .only("role", "committee__name")
        .order_by("committee__name")
    )


def member_upcoming(person):
    """A person's invitations to meetings that have not ended, with the agenda, oldest first."""
    return (
        Invitation.objects.filter(person=person, meeting__ends_at__gte=timezone.now())
        .select_related("meeting__committee")
        .only(
            "response",
            "waitlisted",
            "meeting__title",
            "meeting__starts_at",
            "meeting__ends_at",
            "meeting__place",
            "meeting__status",
            "meeting__committee__name",
        )
        .prefetch_related(Prefetch("meeting__agenda_items"))
        .order_by("meeting__starts_at")
    )


def member_action_items(person):
    return (
        ActionItem.objects.filter(owner=person)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("meeting__committee")
        .only("title", "due_on", "status", "meeting__committee__name")
    )


def member_meetings_for_feed(person):
    return (
        Meeting.objects.filter(Q(invitations__person=person) | Q(committee__members__person=person))
        .select_related("committee")
        .order_by("starts_at")
        .distinct()
    )


def member_published_minutes(person, *, limit: int = 10):
    """Published minutes of the committees the person sits on (or sat on), newest first."""
    from .models import Minutes

    # The committees by subquery rather than a join: a join repeats each minutes once per membership
    # and needed a DISTINCT over all the minutes' long texts.
    committees = CommitteeMember.objects.filter(person=person).values("committee_id")
    return (
        Minutes.objects.filter(published_at__isnull=False, meeting__committee__in=committees)
        .select_related("meeting__committee")
        .only(
            "summary",
            "decisions",
            "challenges",
            "next_steps",
            "meeting__title",
            "meeting__starts_at",
            "meeting__committee__name",
        )
        .order_by("-meeting__starts_at")[:limit]
    )


# --- a meeting's e-mails ----------------------------------------------------------------------

MAIL_KINDS = {
    "committees:invite": _("Invitation"),
    "committees:reminder": _("Reminder"),
    "committees:update": _("Change of the meeting's details"),
    "committees:cancel": _("Cancellation"),
    "committees:promoted": _("Place from the waiting list"),
}


class InviteeMail(NamedTuple):
    invitation: Invitation
    messages: list


def meeting_mail(meeting: Meeting) -> list[InviteeMail]:
    """Each invitee with the e-mails queued for them about this meeting, oldest first, in two queries.
    The bodies stay in the database: the page shows state, time and reason only."""
    invitations = list(
        meeting.invitations.select_related("person").order_by("person__full_name", "pk")
    )
    by_invitation: dict[str, list] = {}
    rows = (
        SentMessage.objects.filter(about=f"committees.meeting:{meeting.pk}")
        .only(
            "recipient_ref",
            "topic",
            "to",
            "state",
            "attempts",
            "queued_at",
            "sent_at",
            "last_error",
        )
        .order_by("queued_at", "pk")
    )
    for row in rows:
        row.kind_label = MAIL_KINDS.get(row.topic, row.topic)
        by_invitation.setdefault(row.recipient_ref, []).append(row)
    return [
        InviteeMail(i, by_invitation.get(f"committees.invitation:{i.pk}", [])) for i in invitations
    ]


# --- the all-managers meeting -----------------------------------------------------------------


def managers_meetings_of(municipality):
    """The municipality's all-managers meetings, newest first, for the partners' list page."""
    return (
        ManagersMeeting.objects.filter(municipality=municipality)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def managers_meeting_follow_ups(managers_meeting):
    return managers_meeting.meeting.action_items.select_related("owner").order_by("due_on", "pk")


def follow_up_progress(items) -> tuple[int, int]:
    """(done, total) of follow-up items already loaded."""
    return sum(1 for i in items if i.status == ActionItem.Status.DONE), len(items)


def member_challenges(person, *, limit: int = 20):
    """Challenges recorded at all-managers meetings the person was invited to, newest meeting first:
    the guidance writes them where everyone sees them, and that includes after the meeting."""
    return (
        Challenge.objects.filter(managers_meeting__meeting__invitations__person=person)
        .select_related("managers_meeting__meeting")
        .only("text", "managers_meeting__meeting__title", "managers_meeting__meeting__starts_at")
        .order_by("-managers_meeting__meeting__starts_at", "created_at", "pk")[:limit]
    )
