"""Demo rows for the pilot: a hackathon in the demo municipality with a few resident initiatives, one of
them selected, scored and funded. Built through the pilot's services, as users would build it, so the demo
keeps every rule they keep (pilots.consistency). Idempotent: natural keys, and each step only where it has
not happened yet, so a second run adds nothing.

The hackathon was held two weeks before the demo is loaded (just after the timeline's scope decision,
kehila.scheduling.demo_load) and its submissions closed a week ago, so its initiatives are scored and
decided on the day the demo is loaded, as the gates allow; only the days of submission, which the public
form records as it happens, are set afterwards to days inside the submission window."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from strategy.models import FocusChallenge

from . import services
from .models import Grant, Hackathon, Initiative, InitiativeStatus, Score

INITIATIVES = [
    # title, team, neighbourhood, track, challenge number, money, status
    (
        "גינה קהילתית בין הבניינים",
        "שכנים ירוקים",
        "הרקפות",
        "urban",
        1,
        Decimal("12000"),
        InitiativeStatus.ACTIVE,
    ),
    (
        "מועדון שיעורי בית לילדי השכונה",
        "סטודנטים למען הגפן",
        "הגפן",
        "educational",
        2,
        Decimal("8000"),
        InitiativeStatus.SUBMITTED,
    ),
    (
        "ארוחת שישי משותפת לוותיקים",
        "בית חם",
        "הרקפות",
        "social",
        3,
        Decimal("5000"),
        InitiativeStatus.SUBMITTED,
    ),
    (
        "שוק יוצרים מקומי פעם בחודש",
        "יוצרות הגליל",
        "מרכז העיר",
        "economic",
        4,
        Decimal("15000"),
        InitiativeStatus.NOT_SELECTED,
    ),
]


def _moment(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def load(program, users) -> None:
    municipality = program.municipality
    manager = users.get("manager")
    today = timezone.localdate()
    day = today - timedelta(days=14)
    hackathon, _ = Hackathon.objects.get_or_create(
        program=program,
        year=1,
        defaults={
            "municipality": municipality,
            "title": "האקתון קהילה מיטיבה עין הגליל",
            "date": day,
            "place": "המתנ״ס העירוני, אולם גדול",
            "vision": "עיר שבה כל תושבת ותושב מרגישים שייכים, שותפים ויכולים להשפיע על השכונה שלהם.",
            "registration_opens_at": _moment(day - timedelta(days=45), 9),
            "registration_closes_at": _moment(day - timedelta(days=2), 23, 59),
            "submission_deadline": _moment(day + timedelta(days=7), 23, 59),
            "pilot_budget": Decimal("100000"),
            # The demo's committee has two seats, and every decided initiative has both their scores.
            "required_scorers": 2,
        },
    )
    committee = [u for u in (manager, users.get("committee_member")) if u is not None]
    for user in committee:
        services.committee_seat_add(actor=manager, hackathon=hackathon, user=user)
    challenges = {c.number: c for c in FocusChallenge.objects.filter(municipality=municipality)}
    for n, (title, team, neighbourhood, track, challenge, money, status) in enumerate(INITIATIVES):
        # Submitted on the hackathon's day and the days after it, before the deadline.
        submitted = _moment(hackathon.date + timedelta(days=n), 20)
        initiative, made = services.initiative_submit(
            hackathon=hackathon,
            data={
                "title": title,
                "team_name": team,
                "contact_name": f"צוות {team}",
                "contact_email": f"initiative{n + 1}@demo.kehila.example",
                "description": f"{title}: יוזמה של תושבי שכונת {neighbourhood} שנולדה בהאקתון.",
                "focus_challenge": challenges.get(challenge),
                "track": track,
                "neighbourhood": neighbourhood,
                "needs_connections": True,
                "needs_mentoring": n % 2 == 0,
                "needs_money": True,
                "money_amount": money,
            },
            now=submitted,
        )
        if made:
            Initiative.objects.filter(pk=initiative.pk).update(submitted_at=submitted)
        if status == InitiativeStatus.SUBMITTED or initiative.status != InitiativeStatus.SUBMITTED:
            continue
        for k, user in enumerate(committee):
            if not Score.objects.filter(initiative=initiative, member=user).exists():
                services.score_record(
                    initiative=initiative,
                    member=user,
                    values={
                        "fit": 4 + (k + n) % 2,
                        "feasibility": 4,
                        "reach": 3 + k,
                        "partners": 3,
                        "cost": 4,
                    },
                )
        initiative = services.initiative_decide(
            actor=manager,
            initiative=initiative,
            selected=status != InitiativeStatus.NOT_SELECTED,
            reason="הציון הממוצע של הוועדה והתאמה לאתגרי המיקוד.",
        )
        if status == InitiativeStatus.ACTIVE:
            services.initiative_set_mentor(
                actor=manager, initiative=initiative, mentor="אביטל מרקוביץ"
            )
            if not Grant.objects.filter(initiative=initiative).exists():
                services.grant_record(
                    actor=manager, initiative=initiative, amount=money, note="מענק פתיחה"
                )
