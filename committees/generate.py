"""Generated committees rows for `manage.py generate_demo` (see kehila/generate.py for the rules).

Per municipality: the six bodies the program runs (steering and design committees, the program team, a
work team per program track and a conference), members drawn from the people partners.generate wrote,
design-committee composition targets and open-call applications; at scale 1, 150 meetings over the
generated years (past ones held, most with minutes; the future ones invited or planned), agenda items,
25 invitations per meeting with answers, and 400 action items from the minutes.

The load benchmark's "meeting with 200 invitees" is the conference's upcoming meeting, two weeks after
the generation day: `big_meeting(municipality)` finds it (idempotency key `generate:<slug>:conference`).
Its invitation list holds batch.count(200) people, the committee member's person first; an RSVP link to
any of its invitations is `committees.links.rsvp_url(invitation)` (links are signed, nothing is stored).
The municipality's `<slug>-committee_member` user is the person linked to that user: a design-committee
member, invited to the upcoming meetings, owner of open action items, so `committees:me` has content.

Past meetings of a body are paired, in date order, with the timeline's held milestones of that body
(kehila.Milestone.meeting, the scheduler's own idempotency key) so the timeline links to them.
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import translation

from kehila import timeline
from kehila.generate import paragraph, person_name, sentence
from kehila.models import Milestone, Role, milestone_title
from kehila.scheduling import MEETING_KINDS, MEETING_TZ, committee_of, meeting_times
from partners.models import Person

from .models import (
    ActionItem,
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    Meeting,
    MemberCalendar,
    Minutes,
)
from .services import DEFAULT_NAMES, TRACK_NAMES

BATCH_SIZE = 2000
MEETINGS, INVITATIONS, BIG_MEETING_INVITATIONS, ACTION_ITEMS, APPLICATIONS = 150, 25, 200, 400, 20

STEERING, DESIGN, PROGRAM_TEAM, TEAM_0, TEAM_1, CONFERENCE = range(6)
SIZES = {STEERING: 15, DESIGN: 25, PROGRAM_TEAM: 8, TEAM_0: 12, TEAM_1: 12, CONFERENCE: 0}
# Which body meets, by the meeting's position (the conference meets rarely; it has an invite list).
PAST_BODIES = (
    DESIGN,
    STEERING,
    TEAM_0,
    DESIGN,
    TEAM_1,
    PROGRAM_TEAM,
    DESIGN,
    TEAM_0,
    TEAM_1,
    CONFERENCE,
)
FUTURE_BODIES = (
    TEAM_0,
    DESIGN,
    STEERING,
    TEAM_1,
    PROGRAM_TEAM,
    DESIGN,
)  # position 0 is the conference
M = Meeting.Status
PAST_STATUSES = (M.MINUTED, M.MINUTED, M.MINUTED, M.HELD, M.MINUTED, M.MINUTED, M.CANCELLED)
FUTURE_INVITED = 3  # the first future meetings are within the three weeks when invitations go out
UNPUBLISHED_EVERY = 5  # one set of minutes in five is still a draft
PAST_ANSWERS = ("yes", "yes", "no", "yes", "maybe", "yes", "", "yes", "no", "yes")
FUTURE_ANSWERS = ("", "yes", "no", "yes", "maybe", "", "yes", "", "yes")
ACTION_STATUSES = (
    ActionItem.Status.OPEN,
    ActionItem.Status.DONE,
    ActionItem.Status.IN_PROGRESS,
    ActionItem.Status.DONE,
    ActionItem.Status.DONE,
    ActionItem.Status.OPEN,
    ActionItem.Status.IN_PROGRESS,
    ActionItem.Status.DONE,
)
MEMBER_SECTORS = (
    "residents",
    "public",
    "social",
    "business",
    "academia",
    "residents",
    "philanthropy",
)
TARGETS = {"residents": 40, "public": 20, "social": 15, "business": 10, "academia": 10}
APPLICATION_STATUSES = (
    Application.Status.PENDING,
    Application.Status.PENDING,
    Application.Status.ACCEPTED,
    Application.Status.DECLINED,
    Application.Status.PENDING,
)
PLACES = (
    "אולם המועצה, קומה 2",
    "המתנ״ס המרכזי",
    "לשכת ראש הרשות",
    "הספרייה העירונית",
    "מרכז הצעירים",
    "חדר הישיבות, אגף הרווחה",
)
MINUTES_ALLOTTED = (15, 20, 30, 45, 20)
USER_PERSON_ROLES = (Role.MANAGER, Role.TEAM, Role.MAYOR_OFFICE, Role.TRACK_LEAD)


def big_meeting_key(municipality) -> str:
    return f"generate:{municipality.slug}:conference"


def big_meeting(municipality) -> Meeting:
    """The upcoming conference with batch.count(200) invitees (the benchmark's big meeting page)."""
    return Meeting.objects.get(idempotency_key=big_meeting_key(municipality))


def _aware(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=MEETING_TZ)


def _free_day(day: date, used: set[date], *, before: date | None = None) -> date:
    """The first working day from `day` the body has no meeting on; back from `before` if it overshoots."""
    candidate = day
    while not timeline.is_working_day(candidate) or candidate in used:
        candidate += timedelta(days=1)
    if before is not None and candidate >= before:
        candidate = before - timedelta(days=1)
        while not timeline.is_working_day(candidate) or candidate in used:
            candidate -= timedelta(days=1)
    used.add(candidate)
    return candidate


class _Town:
    """One municipality's generated committees rows, built in memory before the bulk writes."""

    def __init__(self, batch, municipality, people: list[Person]):
        self.batch = batch
        self.municipality = municipality
        self.program = batch.programs[municipality.pk]
        by_user = {p.user_id: p for p in people if p.user_id}
        users = batch.users[municipality.pk]
        self.member_person = by_user[users[Role.COMMITTEE_MEMBER].pk]
        self.staff = [by_user[users[role].pk] for role in USER_PERSON_ROLES]
        self.people = people
        self.others = [p for p in people if not p.user_id]

    # --- bodies and members -------------------------------------------------------------------

    def committees(self) -> list[Committee]:
        tracks = self.program.tracks
        bodies = [
            (Committee.Kind.STEERING, ""),
            (Committee.Kind.DESIGN, ""),
            (Committee.Kind.PROGRAM_TEAM, ""),
            (Committee.Kind.WORK_TEAM, tracks[0]),
            (Committee.Kind.WORK_TEAM, tracks[1] if len(tracks) > 1 else tracks[0]),
            (Committee.Kind.GATHERING, ""),
        ]
        rng = self.batch.rng(self.municipality, "committees.committees")
        self.bodies = []
        for kind, track in bodies:
            if kind == Committee.Kind.WORK_TEAM:
                name = f"צוות עבודה – אפיק {TRACK_NAMES.get(track, track)}"
            elif kind == Committee.Kind.GATHERING:
                name = "כנס קהילה עירוני"
            else:
                name = DEFAULT_NAMES[kind]
            self.bodies.append(
                Committee(
                    municipality=self.municipality,
                    kind=kind,
                    track=track,
                    name=name,
                    description=sentence(rng, 12),
                    # A secret like committee_create's, not from the seeded generator.
                    feed_token=secrets.token_urlsafe(24),
                )
            )
        return self.bodies

    def members(self) -> list[CommitteeMember]:
        rng = self.batch.rng(self.municipality, "committees.members")
        manager, team, mayor_office, track_lead = self.staff
        fixed = {
            STEERING: [(manager, CommitteeMember.Role.MEMBER), (mayor_office, "member")],
            DESIGN: [(self.member_person, "member"), (team, CommitteeMember.Role.NOTE_TAKER)],
            PROGRAM_TEAM: [(manager, CommitteeMember.Role.CHAIR), (team, "member")]
            + [(mayor_office, "member"), (track_lead, "member")],
            TEAM_0: [(track_lead, CommitteeMember.Role.TRACK_LEAD)],
            TEAM_1: [],
        }
        joined = self.batch.start + timedelta(days=30)
        self.members_of: dict[int, list[Person]] = {}
        rows = []
        for body, firsts in fixed.items():
            size = max(SIZES[body] - len(firsts), 1)
            if body == STEERING:
                # The officials sit on the steering committee: the first people of the list.
                picked = self.others[:size]
            else:
                picked = rng.sample(self.others, min(size, len(self.others)))
            chosen = list(firsts)
            for k, person in enumerate(picked):
                role = "member"
                if k == 0 and body in (STEERING, DESIGN):
                    role = CommitteeMember.Role.CHAIR
                if k == 0 and body == TEAM_1:
                    role = CommitteeMember.Role.TRACK_LEAD
                chosen.append((person, role))
            self.members_of[body] = [person for person, _role in chosen]
            for m, (person, role) in enumerate(chosen):
                # One member in nine has left (fixed members stay: the pages rely on them).
                left = m >= len(firsts) and m % 9 == 8
                starts = joined + timedelta(days=rng.randrange(0, 60))
                rows.append(
                    CommitteeMember(
                        municipality_id=self.municipality.pk,
                        committee_id=self.bodies[body].pk,
                        person_id=person.pk,
                        role=role,
                        sector=MEMBER_SECTORS[m % len(MEMBER_SECTORS)]
                        if body == DESIGN
                        else ("residents" if person.is_resident else "public"),
                        represents_neighbourhood=person.neighbourhood if body == DESIGN else "",
                        starts_on=starts,
                        ends_on=starts + timedelta(days=200 + rng.randrange(0, 200))
                        if left
                        else None,
                        has_vote=role != CommitteeMember.Role.NOTE_TAKER,
                    )
                )
        self.members_of[CONFERENCE] = []
        return rows

    def targets(self) -> list[CompositionTarget]:
        return [
            CompositionTarget(
                municipality=self.municipality,
                committee_kind=Committee.Kind.DESIGN,
                sector=sector,
                percent=percent,
            )
            for sector, percent in TARGETS.items()
        ]

    def applications(self) -> list[Application]:
        rng = self.batch.rng(self.municipality, "committees.applications")
        rows = []
        for i in range(self.batch.count(APPLICATIONS)):
            status = APPLICATION_STATUSES[i % len(APPLICATION_STATUSES)]
            first, last = person_name(rng)
            rows.append(
                Application(
                    municipality=self.municipality,
                    committee=self.bodies[DESIGN],
                    full_name=f"{first} {last}",
                    email=f"{self.municipality.slug}.applicant{i + 1}@example.org",
                    sector=MEMBER_SECTORS[i % len(MEMBER_SECTORS)],
                    motivation=paragraph(rng, 2),
                    neighbourhood=rng.choice(self.others).neighbourhood,
                    status=status,
                    person=rng.choice(self.others)
                    if status == Application.Status.ACCEPTED
                    else None,
                    decided_at=_aware(self.batch.today - timedelta(days=1 + i % 30), 12)
                    if status != Application.Status.PENDING
                    else None,
                )
            )
        return rows

    def calendars(self) -> list[MemberCalendar]:
        seen = {p.pk: p for body in self.members_of.values() for p in body}
        return [
            MemberCalendar(
                municipality=self.municipality, person=person, token=secrets.token_urlsafe(24)
            )
            for person in seen.values()
        ]

    # --- meetings -----------------------------------------------------------------------------

    def meetings(self, milestones: list[Milestone]) -> list[Meeting]:
        """Meetings oldest first. Status, body and the invited/planned split follow the position."""
        rng = self.batch.rng(self.municipality, "committees.meetings")
        batch, today = self.batch, self.batch.today
        total = batch.count(MEETINGS)
        future = max(1, round(total / 10))
        past = total - future
        first_day = batch.start + timedelta(days=30)
        span = max((today - first_day).days - 2, 1)
        # Provisional days, then held milestones take over the days of the first past meetings of
        # their body; the remaining meetings move off the days their body already uses.
        plan = []  # (body, status, provisional day)
        for p in range(past):
            day = first_day + timedelta(days=int((p + 0.5) * span / past))
            plan.append(
                (PAST_BODIES[p % len(PAST_BODIES)], PAST_STATUSES[p % len(PAST_STATUSES)], day)
            )
        by_body: dict[int, list[int]] = {}
        for p, (body, status, _day) in enumerate(plan):
            if status != M.CANCELLED:
                by_body.setdefault(body, []).append(p)
        paired: dict[int, Milestone] = {}
        used: dict[int, set[date]] = {body: set() for body in range(len(self.bodies))}
        for body, rows in self._milestones_by_body(milestones).items():
            free = iter(by_body.get(body, []))
            for milestone in rows:
                if milestone.planned in used[body]:
                    continue  # one meeting a day per body: the committee cannot meet twice at once
                p = next(free, None)
                if p is None:
                    break
                paired[p] = milestone
                used[body].add(milestone.planned)

        self.meeting_rows, self.milestone_links = [], []
        for p, (body, status, day) in enumerate(plan):
            committee = self.bodies[body]
            milestone = paired.get(p)
            if milestone is not None:
                starts_at, ends_at = meeting_times(milestone.key, milestone.planned)
                with translation.override("he"):
                    title = milestone_title(milestone.key)
                key = f"milestone:{self.program.pk}:{milestone.key}"
            else:
                day = _free_day(day, used[body], before=today)
                starts_at = _aware(day, 10 if body == STEERING else 17)
                ends_at = starts_at + timedelta(hours=3 if body == CONFERENCE else 2)
                title = f"{committee.name}: {sentence(rng, rng.randint(2, 5))}"
                key = None
            meeting = self._meeting(rng, body, title, starts_at, ends_at, status, p, key)
            self.meeting_rows.append(meeting)
            if milestone is not None:
                self.milestone_links.append((milestone, meeting))

        for f in range(future):
            if f == 0:
                body, status = CONFERENCE, M.INVITED
                day = _free_day(today + timedelta(days=14), used[body])
                starts_at, ends_at = _aware(day, 17), _aware(day, 20)
                title = f"{self.bodies[body].name}: {sentence(rng, 3)}"
                key = big_meeting_key(self.municipality)
            else:
                body = FUTURE_BODIES[f % len(FUTURE_BODIES)]
                # The furthest is always still planned, so that both branches exist at any scale.
                last = f == future - 1
                status = M.INVITED if f < FUTURE_INVITED and not last else M.PLANNED
                day = _free_day(today + timedelta(days=2 + 7 * f), used[body])
                starts_at = _aware(day, 10 if body == STEERING else 17)
                ends_at = starts_at + timedelta(hours=2)
                title = f"{self.bodies[body].name}: {sentence(rng, rng.randint(2, 5))}"
                key = None
            meeting = self._meeting(rng, body, title, starts_at, ends_at, status, past + f, key)
            meeting.is_big, meeting.upcoming = f == 0, True
            self.meeting_rows.append(meeting)
        return self.meeting_rows

    def _milestones_by_body(self, milestones: list[Milestone]) -> dict[int, list[Milestone]]:
        tracks = [c.track for c in self.bodies[TEAM_0 : TEAM_1 + 1]]
        out: dict[int, list[Milestone]] = {}
        for milestone in milestones:
            kind = MEETING_KINDS.get(committee_of(milestone.key))
            if kind == "steering":
                body = STEERING
            elif kind == "design":
                body = DESIGN
            elif kind == "gathering":
                body = CONFERENCE
            elif kind == "team":
                track = timeline.parse_key(milestone.key).track
                if track not in tracks:
                    continue
                body = TEAM_0 + tracks.index(track)
            else:
                continue
            out.setdefault(body, []).append(milestone)
        return out

    def _meeting(self, rng, body, title, starts_at, ends_at, status, position, key) -> Meeting:
        meeting = Meeting(
            municipality=self.municipality,
            committee=self.bodies[body],
            title=title[:200],
            starts_at=starts_at,
            ends_at=ends_at,
            status=status,
            purpose=sentence(rng, rng.randint(8, 16)),
            place=rng.choice(PLACES),
            online_link=f"https://meet.example.org/{self.municipality.slug}-{position + 1}"
            if position % 4 == 1
            else "",
            idempotency_key=key,
        )
        meeting.body = body  # in-memory only: which members to invite
        meeting.is_big = meeting.upcoming = False
        return meeting

    def agenda(self) -> list[AgendaItem]:
        rng = self.batch.rng(self.municipality, "committees.agenda")
        rows = []
        for i, meeting in enumerate(self.meeting_rows):
            presenters = self.members_of[meeting.body] or self.staff
            for order in range(1, 4 + i % 3):
                questions = ""
                if order <= 2:
                    questions = "\n".join(
                        sentence(rng, rng.randint(4, 8)) + "?" for _ in range(1 + order % 2)
                    )
                rows.append(
                    AgendaItem(
                        municipality_id=self.municipality.pk,
                        meeting_id=meeting.pk,
                        order=order,
                        title=sentence(rng, rng.randint(2, 6))[:200],
                        presenter=rng.choice(presenters).full_name if order % 3 else "",
                        minutes_allotted=MINUTES_ALLOTTED[(i + order) % len(MINUTES_ALLOTTED)],
                        guiding_questions=questions,
                    )
                )
        return rows

    def invitations(self) -> list[Invitation]:
        rng = self.batch.rng(self.municipality, "committees.invitations")
        everyone = [self.member_person] + self.staff + self.others
        rows = []
        for meeting in self.meeting_rows:
            if meeting.status == M.PLANNED:
                continue  # invitations go out three weeks ahead
            wanted = INVITATIONS if not meeting.is_big else BIG_MEETING_INVITATIONS
            size = min(self.batch.count(wanted), len(everyone))
            if meeting.is_big:
                invitees = everyone[:size]
            else:
                members = self.members_of[meeting.body]
                invitees = members[:size]
                if len(invitees) < size:
                    # Guests beyond the members: a sample as large as the shortfall plus the members
                    # holds enough non-members, without filtering the whole list for every meeting.
                    chosen = {p.pk for p in invitees}
                    draw = rng.sample(everyone, size)
                    invitees += [p for p in draw if p.pk not in chosen][: size - len(invitees)]
            upcoming = meeting.upcoming
            answers = FUTURE_ANSWERS if upcoming else PAST_ANSWERS
            held = meeting.status in (M.HELD, M.MINUTED)
            for j, person in enumerate(invitees):
                response = answers[j % len(answers)]
                if upcoming:  # answered in the days before the generation day
                    answered = _aware(self.batch.today, 0) - timedelta(hours=1 + j % 72)
                else:
                    answered = meeting.starts_at - timedelta(days=1 + j % 10, hours=j % 7)
                rows.append(
                    Invitation(
                        municipality_id=self.municipality.pk,
                        meeting_id=meeting.pk,
                        person_id=person.pk,
                        response=response,
                        note=sentence(rng, 6) if response == "no" and j % 3 == 2 else "",
                        responded_at=answered if response else None,
                        attended=(response == "yes" and j % 7 != 6) if held else None,
                    )
                )
        return rows

    def minutes_and_actions(self) -> tuple[list[Minutes], list[ActionItem]]:
        rng = self.batch.rng(self.municipality, "committees.minutes")
        minuted = [m for m in self.meeting_rows if m.status == M.MINUTED]
        note_taker = self.staff[1].full_name  # the program team's person takes the minutes
        minutes = []
        for i, meeting in enumerate(minuted):
            published = i % UNPUBLISHED_EVERY != UNPUBLISHED_EVERY - 1
            minutes.append(
                Minutes(
                    municipality=self.municipality,
                    meeting=meeting,
                    note_taker=note_taker,
                    summary=paragraph(rng, rng.randint(2, 4)),
                    decisions=paragraph(rng, 2),
                    challenges=paragraph(rng, 1) if i % 2 == 0 else "",
                    next_steps=paragraph(rng, 1),
                    published_at=meeting.starts_at + timedelta(days=3) if published else None,
                )
            )
        actions = []
        if not minuted:
            return minutes, actions
        for i in range(self.batch.count(ACTION_ITEMS)):
            meeting = minuted[i % len(minuted)]
            if i % 50 == 0:
                owner = self.member_person  # so the member's page lists open items of their own
            elif i % 10 == 9:
                owner = None
            else:
                owner = rng.choice(self.members_of[meeting.body] or self.staff)
            due = meeting.starts_at.astimezone(MEETING_TZ).date() + timedelta(
                days=14 + rng.randrange(0, 60)
            )
            actions.append(
                ActionItem(
                    municipality_id=self.municipality.pk,
                    meeting_id=meeting.pk,
                    title=sentence(rng, rng.randint(4, 10))[:300],
                    owner_id=owner.pk if owner else None,
                    due_on=due,
                    status=ActionItem.Status.OPEN
                    if i % 50 == 0
                    else ACTION_STATUSES[i % len(ACTION_STATUSES)],
                )
            )
        return minutes, actions


def generate(batch) -> dict[str, int]:
    ids = [m.pk for m in batch.municipalities]
    people: dict[int, list[Person]] = {pk: [] for pk in ids}
    fields = ("id", "municipality_id", "full_name", "neighbourhood", "is_resident", "user_id")
    for person in Person.objects.filter(municipality_id__in=ids).only(*fields).order_by("pk"):
        people[person.municipality_id].append(person)
    held: dict[int, list[Milestone]] = {pk: [] for pk in ids}
    for milestone in Milestone.objects.filter(
        municipality_id__in=ids, status=Milestone.Status.HELD, meeting__isnull=True
    ).order_by("planned", "key"):
        held[milestone.municipality_id].append(milestone)

    towns = [_Town(batch, m, people[m.pk]) for m in batch.municipalities]
    committees = [c for town in towns for c in town.committees()]
    Committee.objects.bulk_create(committees, batch_size=BATCH_SIZE)
    members = [row for town in towns for row in town.members()]
    targets = [row for town in towns for row in town.targets()]
    applications = [row for town in towns for row in town.applications()]
    calendars = [row for town in towns for row in town.calendars()]
    CommitteeMember.objects.bulk_create(members, batch_size=BATCH_SIZE)
    CompositionTarget.objects.bulk_create(targets, batch_size=BATCH_SIZE)
    Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
    # `created_at` is stamped with the moment of writing: a decided application was submitted a week
    # before its decision (committees.consistency: not decided before it was submitted).
    Application.objects.filter(municipality_id__in=ids, decided_at__isnull=False).update(
        created_at=F("decided_at") - timedelta(days=7)
    )
    MemberCalendar.objects.bulk_create(calendars, batch_size=BATCH_SIZE)

    meetings = [row for town in towns for row in town.meetings(held[town.municipality.pk])]
    links = []
    for town in towns:
        for milestone, meeting in town.milestone_links:
            meeting.milestone = milestone  # the link is the meeting's: written with it
            links.append(milestone)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)

    agenda = [row for town in towns for row in town.agenda()]
    invitations = [row for town in towns for row in town.invitations()]
    AgendaItem.objects.bulk_create(agenda, batch_size=BATCH_SIZE)
    Invitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
    minutes, actions = [], []
    for town in towns:
        m, a = town.minutes_and_actions()
        minutes += m
        actions += a
    Minutes.objects.bulk_create(minutes, batch_size=BATCH_SIZE)
    ActionItem.objects.bulk_create(actions, batch_size=BATCH_SIZE)
    return {
        "committees": len(committees),
        "committees_members": len(members),
        "committees_targets": len(targets),
        "committees_applications": len(applications),
        "committees_calendars": len(calendars),
        "committees_meetings": len(meetings),
        "committees_milestone_links": len(links),
        "committees_agenda_items": len(agenda),
        "committees_invitations": len(invitations),
        "committees_minutes": len(minutes),
        "committees_action_items": len(actions),
    }
