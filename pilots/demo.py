"""Demo rows for the pilot: a hackathon in the demo municipality with a few resident initiatives, one of
them selected, scored and funded. Idempotent: natural keys and get_or_create, so a second run adds nothing."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from strategy.models import FocusChallenge

from .models import CommitteeSeat, Grant, Hackathon, Initiative, InitiativeStatus, Score

TZ = ZoneInfo("Asia/Jerusalem")

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


def load(program, users) -> None:
    municipality = program.municipality
    hackathon, _ = Hackathon.objects.get_or_create(
        program=program,
        year=1,
        defaults={
            "municipality": municipality,
            "title": "האקתון קהילה מיטיבה עין הגליל",
            "date": date(2027, 3, 12),
            "place": "המתנ״ס העירוני, אולם גדול",
            "vision": "עיר שבה כל תושבת ותושב מרגישים שייכים, שותפים ויכולים להשפיע על השכונה שלהם.",
            "registration_opens_at": datetime(2026, 11, 1, 9, 0, tzinfo=TZ),
            "registration_closes_at": datetime(2027, 3, 10, 23, 59, tzinfo=TZ),
            "submission_deadline": datetime(2027, 3, 20, 23, 59, tzinfo=TZ),
            "pilot_budget": Decimal("100000"),
            # The demo's committee has two seats, and every decided initiative has both their scores.
            "required_scorers": 2,
        },
    )
    committee = [users.get("manager"), users.get("committee_member")]
    for user in committee:
        if user is not None:
            CommitteeSeat.objects.get_or_create(
                hackathon=hackathon, user=user, defaults={"municipality": municipality}
            )
    challenges = {c.number: c for c in FocusChallenge.objects.filter(municipality=municipality)}
    for n, (title, team, neighbourhood, track, challenge, money, status) in enumerate(INITIATIVES):
        initiative, made = Initiative.objects.get_or_create(
            hackathon=hackathon,
            contact_email=f"initiative{n + 1}@demo.kehila.example",
            title=title,
            defaults={
                "municipality": municipality,
                "team_name": team,
                "contact_name": f"צוות {team}",
                "description": f"{title}: יוזמה של תושבי שכונת {neighbourhood} שנולדה בהאקתון.",
                "focus_challenge": challenges.get(challenge),
                "track": track,
                "neighbourhood": neighbourhood,
                "needs_connections": True,
                "needs_mentoring": n % 2 == 0,
                "needs_money": True,
                "money_amount": money,
                "status": status,
                "decision_reason": ""
                if status == InitiativeStatus.SUBMITTED
                else "הציון הממוצע של הוועדה והתאמה לאתגרי המיקוד.",
                "mentor": "אביטל מרקוביץ" if status == InitiativeStatus.ACTIVE else "",
            },
        )
        if not made or status == InitiativeStatus.SUBMITTED:
            continue
        for k, user in enumerate(u for u in committee if u is not None):
            values = {
                "fit": 4 + (k + n) % 2,
                "feasibility": 4,
                "reach": 3 + k,
                "partners": 3,
                "cost": 4,
            }
            score = Score(municipality=municipality, initiative=initiative, member=user, **values)
            score.total = score.compute_total()
            score.save()
        if status == InitiativeStatus.ACTIVE:
            Grant.objects.create(
                municipality=municipality,
                initiative=initiative,
                amount=money,
                note="מענק פתיחה",
                created_by=users.get("manager"),
            )
