"""Demo committees for Ein HaGalil: the bodies, members drawn from the municipality's people, an upcoming
design-committee meeting with its agenda and answers, and a past steering meeting with minutes.
Idempotent: committees by kind/track, members by (committee, person), meetings by idempotency key."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from kehila.models import Milestone
from kehila.permissions import SYSTEM
from partners.models import Person

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    Meeting,
    Minutes,
)

EXTRA_PEOPLE = [
    # name, neighbourhood, resident
    ("עדי ברק", "הרקפות", True),
    ("סמיר חורי", "הגפן", True),
    ("ליאת שמעוני", "מרכז", True),
    ("מוחמד עיסא", "הגפן", True),
    ("טל אוחיון", "הרקפות", True),
    ("אורית נחום", "", False),
]

TARGETS = {"residents": 40, "public": 20, "social": 15, "business": 10, "academia": 10}

AGENDA = [
    ("פתיחה והיכרות", "מנהלת התוכנית", 20, "מה הביא אותך לוועדה?\nמה היית רוצה שישתנה בעיר?"),
    (
        "בחירת חמשת אתגרי המיקוד",
        "מלווה הקהילות",
        75,
        "אילו אתגרים חוזרים בשיחות עם תושבים?\nעל מה יש לנו נתונים ועל מה חסרים?",
    ),
    ("הצעדים הבאים ותכנון המיפוי", "ראש הרשות", 30, ""),
    ("סיכום וסבב אחרון", "", 25, ""),
]


def _local(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _working_day(day):
    while day.weekday() in (4, 5):  # Friday, Saturday
        day += timedelta(days=1)
    return day


def _member_person(municipality, user):
    """The demo's committee-member account is a resident of the municipality sitting on the design
    committee, so that logging in as `member` shows a member page with a committee and a meeting.
    People linked to accounts stay out of the generic draw below, so a second run adds nothing."""
    if user is None:
        return None
    person, _created = Person.objects.get_or_create(
        municipality=municipality,
        user=user,
        defaults={
            "full_name": user.get_full_name() or user.get_username(),
            "email": user.email,
            "neighbourhood": "הרקפות",
            "is_resident": True,
        },
    )
    return person


def load(program, users):
    municipality = program.municipality
    for i, (name, neighbourhood, resident) in enumerate(EXTRA_PEOPLE, start=1):
        Person.objects.get_or_create(
            municipality=municipality,
            full_name=name,
            defaults={
                "neighbourhood": neighbourhood,
                "is_resident": resident,
                "email": f"committee-member-{i}@demo.kehila.example",
            },
        )
    member_person = _member_person(municipality, users.get("committee_member"))
    people = list(
        Person.objects.filter(municipality=municipality).exclude(user__isnull=False).order_by("pk")
    )

    steering = services.committee_for_kind(municipality=municipality, kind="steering")
    design = services.committee_for_kind(municipality=municipality, kind="design")
    program_team = services.committee_for_kind(municipality=municipality, kind="program_team")
    teams = [
        services.committee_for_kind(municipality=municipality, kind="team", track=track)
        for track in program.tracks
    ]
    for sector, percent in TARGETS.items():
        CompositionTarget.objects.get_or_create(
            municipality=municipality,
            committee_kind=Committee.Kind.DESIGN,
            sector=sector,
            defaults={"percent": percent},
        )

    sectors = ["residents", "public", "social", "business", "academia", "residents"]

    def add(committee, person, role="member", sector=""):
        CommitteeMember.objects.get_or_create(
            committee=committee,
            person=person,
            defaults={
                "municipality": municipality,
                "role": role,
                "sector": sector or ("residents" if person.is_resident else "public"),
                "represents_neighbourhood": person.neighbourhood,
            },
        )

    for i, person in enumerate(people[:14]):
        role = "chair" if i == 0 else ("note_taker" if i == 1 else "member")
        add(design, person, role, sectors[i % len(sectors)])
    if member_person is not None:
        add(design, member_person, "member", "residents")
    for i, person in enumerate(people[:6]):
        add(steering, person, "chair" if i == 0 else "member", "public")
    for person in people[-3:]:
        add(program_team, person)
    for t, team in enumerate(teams):
        for i, person in enumerate(people[t * 3 : t * 3 + 8]):
            add(team, person, "track_lead" if i == 0 else "member")

    today = timezone.localdate()
    upcoming_day = _working_day(today + timedelta(days=12))
    meeting = services.meeting_schedule(
        committee=design,
        title="מפגש ועדה מעצבת 1: אתגרי המיקוד",
        starts_at=_local(upcoming_day, 17),
        ends_at=_local(upcoming_day, 17) + timedelta(hours=2, minutes=30),
        place="אולם המועצה, קומה 2",
        purpose="לבחור יחד את חמשת אתגרי המיקוד של התוכנית.",
        idempotency_key=f"demo:{municipality.slug}:design-1",
        actor=SYSTEM,
    )
    if not meeting.agenda_items.exists():
        for order, (title, presenter, minutes, questions) in enumerate(AGENDA, start=1):
            AgendaItem.objects.create(
                municipality=municipality,
                meeting=meeting,
                order=order,
                title=title,
                presenter=presenter,
                minutes_allotted=minutes,
                guiding_questions=questions,
            )
    answers = ["yes", "yes", "no", "maybe", "yes", ""]
    for i, member in enumerate(design.members.select_related("person")):
        Invitation.objects.get_or_create(
            meeting=meeting,
            person=member.person,
            defaults={
                "municipality": municipality,
                "response": answers[i % len(answers)],
                "responded_at": timezone.now() if answers[i % len(answers)] else None,
            },
        )
    if meeting.status == Meeting.Status.PLANNED:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.INVITED)

    past_day = _working_day(today - timedelta(days=20))
    past = services.meeting_schedule(
        committee=steering,
        title="ועדת היגוי: החלטת היקף",
        starts_at=_local(past_day, 10),
        ends_at=_local(past_day, 12),
        place="לשכת ראש הרשות",
        idempotency_key=f"demo:{municipality.slug}:steering-scope",
        actor=SYSTEM,
    )
    if not Minutes.objects.filter(meeting=past).exists():
        Minutes.objects.create(
            municipality=municipality,
            meeting=past,
            note_taker="יוסי לוי",
            summary="הוועדה דנה בהיקף התוכנית, במיקוד הגיאוגרפי ובאפיקים שייבחרו בשנה הראשונה.",
            decisions="נבחרו האפיק החברתי והאפיק האורבני; המיקוד: שכונת הרקפות ושכונת הגפן.",
            challenges="חשש מעומס על צוותי הרווחה; צורך בנתונים עדכניים על צעירים.",
            next_steps="כינוס הוועדה המעצבת בתוך שבועיים והקמת צוותי העבודה.",
            # Circulated to the attendees the day after; the body approves it at its next meeting.
            state=Minutes.State.CIRCULATED,
            circulated_at=_local(past_day + timedelta(days=1), 9),
            corrections_until=past_day + timedelta(days=1 + steering.corrections_days),
        )
        Meeting.objects.filter(pk=past.pk).update(status=Meeting.Status.MINUTED)
        owner = people[0] if people else None
        ActionItem.objects.create(
            municipality=municipality,
            meeting=past,
            title="לגייס נציגי תושבים לוועדה המעצבת",
            owner=owner,
            due_on=today + timedelta(days=7),
        )
        ActionItem.objects.create(
            municipality=municipality,
            meeting=past,
            title="להכין תמונת נתונים ראשונית לשכונות המיקוד",
            owner=people[1] if len(people) > 1 else None,
            due_on=today + timedelta(days=14),
        )


MANAGERS_AGENDA = [
    ("פתיחה: ראש הרשות", "ראש הרשות", 10, ""),
    (
        "מה מעסיק את היחידות שלכם",
        "מנהלת התוכנית",
        50,
        "מהו האתגר המרכזי של התושבים שהיחידה שלך פוגשת?\nאיפה העבודה עם יחידות אחרות נתקעת?",
    ),
    ("סיכום, תודה ומה הלאה", "מנהלת התוכנית", 15, ""),
]


def load_managers_meeting(program, users):
    """The all-managers meeting as the guidance describes it (DOMAIN.md): scheduled through the
    service, which draws the invitation list from the mapping under the mayor's patronage; an agenda with
    guiding questions; a note-taker named before the discussion. Nothing is e-mailed: the manager looks at
    the list and sends the invitations. Once per municipality."""
    from .managers_meeting import managers_meeting_create, managers_meeting_name_note_taker
    from .models import ManagersMeeting

    municipality = program.municipality
    if ManagersMeeting.objects.filter(municipality=municipality).exists():
        return
    day = _working_day(timezone.localdate() + timedelta(days=26))
    managers_meeting = managers_meeting_create(
        municipality=municipality,
        title="מפגש מנהלי הרשות: קהילה מיטיבה",
        starts_at=_local(day, 9),
        ends_at=_local(day, 11),
        place="אולם המועצה",
        purpose="להכיר את התוכנית, לשמוע את האתגרים של כל יחידה ולהסכים על הצעדים הבאים.",
        actor=SYSTEM,
    )
    for order, (title, presenter, minutes, questions) in enumerate(MANAGERS_AGENDA, start=1):
        AgendaItem.objects.create(
            municipality=municipality,
            meeting=managers_meeting.meeting,
            order=order,
            title=title,
            presenter=presenter,
            minutes_allotted=minutes,
            guiding_questions=questions,
        )
    note_taker = Person.objects.filter(municipality=municipality).order_by("pk")[1:2].first()
    if note_taker is not None:
        managers_meeting_name_note_taker(
            managers_meeting=managers_meeting, person=note_taker, actor=SYSTEM
        )


def link_timeline(program, users):
    """The demo's design meeting 1 is the timeline's design_1: linked, the milestone takes its day, so
    the timeline and the committee tell one story. Idempotent: linked once, then dates already agree."""
    meeting = Meeting.objects.filter(
        idempotency_key=f"demo:{program.municipality.slug}:design-1"
    ).first()
    milestone = Milestone.objects.filter(program=program, key="design_1").first()
    if meeting is None or milestone is None:
        return
    services.meeting_link_milestone(
        meeting=meeting, milestone=milestone, actor=users.get("manager") or SYSTEM
    )
