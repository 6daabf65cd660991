"""Generated pilots rows for `manage.py generate_demo` (see kehila/generate.py for the rules).

Per municipality, at scale 1 (`batch.count`): the program's year-1 hackathon with 300 participants and
200 initiatives; a selection committee of three seats (manager, team, committee member) whose members
scored every decided initiative on the five criteria; connections, a grant with its payments, progress
reports and the six-month measurements for the initiatives that became active; the nine-month review
for those that continued or stopped. Then the year-2 hackathon, whose registration and submissions are
open for OPEN_FOR_DAYS after the generated "today" (so the public forms answer), with 60 participants
and 20 initiatives submitted so far. The pilot's dashboard shows the newest hackathon (year 2); the
year-1 hackathon is the one with the history (and the lower id).

An initiative's status follows its position in STATUSES (never the random generator), and the first
position is an active initiative with every kind of support, so the richest initiative page looks the
same at every scale. Undecided initiatives are scored by the committee member only, so the manager (who
sits on the committee) sees the blind-scoring rows; the team's seat declared a conflict of interest with
the first one of year 2. Focus challenges come from the strategy generator
(it runs first); organisations for the connections from the partners generator, when it wrote any.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Value, When
from django.utils import timezone

from kehila.generate import paragraph, person_name, sentence
from kehila.models import Role

from .models import (
    REACHED_ACTIVE,
    REACHED_SELECTED,
    CommitteeSeat,
    Connection,
    Criterion,
    Disbursement,
    Grant,
    Hackathon,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Participant,
    ProgressReport,
    Score,
    ScoringConflict,
)

BATCH_SIZE = 2000

# Rows per municipality at scale 1: the year-1 hackathon, then the year-2 one still taking entries.
PARTICIPANTS = 300
INITIATIVES = 200
OPEN_PARTICIPANTS = 60
OPEN_INITIATIVES = 20
# How far ahead the open hackathon is: its registration stays open that long after the data is written.
OPEN_FOR_DAYS = 120

# Status by position, repeating: four in ten reach support, one waits for its decision.
STATUSES = (
    InitiativeStatus.ACTIVE,
    InitiativeStatus.NOT_SELECTED,
    InitiativeStatus.SUBMITTED,
    InitiativeStatus.CONTINUED,
    InitiativeStatus.SELECTED,
    InitiativeStatus.STOPPED,
    InitiativeStatus.NOT_SELECTED,
    InitiativeStatus.ACTIVE,
    InitiativeStatus.NOT_SELECTED,
    InitiativeStatus.NOT_SELECTED,
)
CRITERIA = Criterion.values
SEAT_ROLES = (Role.MANAGER, Role.TEAM, Role.COMMITTEE_MEMBER)
INDICATORS = (
    ("משתתפים בפעילות", "אנשים"),
    ("מתנדבים שהצטרפו", "אנשים"),
    ("שביעות רצון המשתתפים", "ציון"),
)
NEIGHBOURHOODS = ("מרכז העיר", "הרקפות", "הגפן", "נווה שאנן", "הוותיקה", "גבעת הזיתים", "שכונה ד")
TEAMS = ("שכנים ירוקים", "בית חם", "יוצרות הגליל", "סטודנטים למען השכונה", "הורים פעילים")
CONNECTIONS = ("מחלקת הרווחה", "המתנ״ס", "קרן קהילתית", "לשכת התעסוקה", "בית הספר השכונתי")


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _bulk(model, rows: list, counts: dict) -> list:
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)
    return rows


def _challenges(batch) -> dict[int, list]:
    from strategy.models import FocusChallenge

    found: dict[int, list] = {}
    for challenge in FocusChallenge.objects.filter(municipality__in=batch.municipalities).order_by(
        "number"
    ):
        found.setdefault(challenge.municipality_id, []).append(challenge)
    return found


def _organisations(batch) -> dict[int, list[str]]:
    from partners.models import Organisation

    names: dict[int, list[str]] = {}
    for municipality_id, name in (
        Organisation.objects.filter(municipality__in=batch.municipalities)
        .order_by("pk")
        .values_list("municipality_id", "name")
    ):
        names.setdefault(municipality_id, []).append(name)
    return names


class _Rows(dict):
    """Rows to write, by model, in the order they must be written (parents first), and the moments
    to stamp on them afterwards (see `stamp`)."""

    def __init__(self):
        super().__init__()
        self.stamps: dict[tuple, dict[int, datetime]] = {}

    def add(self, row):
        self.setdefault(type(row), []).append(row)
        return row

    def stamp(self, model, field: str, year: int, municipality, moment: datetime) -> None:
        """`field` of every `model` row of the municipality's hackathon of `year` is `moment`.

        The recorded-at fields are auto_now(_add), which bulk_create fills with the moment of writing;
        the pilot's history needs its own days (a score between the deadline and the decision, a grant
        after the selection), so one UPDATE per model and field sets them for the whole batch."""
        self.stamps.setdefault((model, field, year), {})[municipality.pk] = moment

    def write_stamps(self) -> None:
        for (model, field, year), moments in self.stamps.items():
            hackathon = "hackathon" if model is Initiative else "initiative__hackathon"
            model.objects.filter(
                **{f"{hackathon}__year": year, "municipality_id__in": list(moments)}
            ).update(
                **{
                    field: Case(
                        *[When(municipality_id=m, then=Value(v)) for m, v in moments.items()],
                        output_field=model._meta.get_field(field),
                    )
                }
            )


def generate(batch) -> dict[str, int]:
    challenges = _challenges(batch)
    organisations = _organisations(batch)
    rows = _Rows()
    for municipality in batch.municipalities:
        town = _Town(batch, municipality, challenges.get(municipality.pk, []))
        _past_hackathon(town, rows, organisations.get(municipality.pk) or list(CONNECTIONS))
        _open_hackathon(town, rows)
    counts: dict[str, int] = {}
    for model in (
        Hackathon,
        Participant,
        CommitteeSeat,
        Indicator,
        Initiative,
        Score,
        ScoringConflict,
        Connection,
        Grant,
        Disbursement,
        ProgressReport,
        Measurement,
    ):
        _bulk(model, rows.get(model, []), counts)
    rows.write_stamps()
    return counts


class _Town:
    def __init__(self, batch, municipality, challenges):
        self.municipality = municipality
        self.program = batch.programs[municipality.pk]
        self.users = batch.users[municipality.pk]
        self.manager = self.users[Role.MANAGER]
        self.seat_users = [self.users[role] for role in SEAT_ROLES]
        self.tracks = list(self.program.tracks) or ["social"]
        self.challenges = challenges
        self.rng = batch.rng(municipality, "pilots")
        self.today = batch.today
        self.t0 = self.program.scope_decision_date or batch.start
        self.count = batch.count


def _hackathon(town, rows, *, year: int, day: date, registration: tuple[date, date], deadline):
    m = town.municipality
    hackathon = rows.add(
        Hackathon(
            municipality=m,
            program=town.program,
            title=f"האקתון קהילה מיטיבה {m.name} {year}",
            year=year,
            date=day,
            place="המתנ״ס העירוני, אולם גדול",
            vision=paragraph(town.rng, 1),
            registration_opens_at=_moment(registration[0], 9),
            registration_closes_at=_moment(registration[1], 23),
            submission_deadline=_moment(deadline, 23),
        )
    )
    for user in town.seat_users:
        rows.add(CommitteeSeat(municipality=m, hackathon=hackathon, user=user))
    return hackathon


def _participants(town, rows, hackathon, count: int) -> None:
    rng, m = town.rng, town.municipality
    for i in range(count):
        first, last = person_name(rng)
        rows.add(
            Participant(
                municipality=m,
                hackathon=hackathon,
                full_name=f"{first} {last}",
                email=f"participant{i + 1}.{hackathon.year}@{m.slug}.example.org",
                phone=f"05{rng.randrange(0, 10)}-{rng.randrange(1000000, 9999999)}",
                neighbourhood=rng.choice(NEIGHBOURHOODS),
                team_name="" if i % 4 == 3 else TEAMS[i % len(TEAMS)],
                language="en" if i % 10 == 9 else "he",
            )
        )


def _initiative(town, rows, hackathon, i: int, status: str) -> Initiative:
    rng, m = town.rng, town.municipality
    first, last = person_name(rng)
    needs_money = i % 4 != 1
    return rows.add(
        Initiative(
            municipality=m,
            hackathon=hackathon,
            title=sentence(rng, rng.randint(3, 6)),
            team_name=TEAMS[i % len(TEAMS)],
            team_members=", ".join(" ".join(person_name(rng)) for _ in range(3)),
            contact_name=f"{first} {last}",
            contact_email=f"lead{i + 1}.{hackathon.year}@{m.slug}.example.org",
            contact_phone=f"05{rng.randrange(0, 10)}-{rng.randrange(1000000, 9999999)}",
            language="en" if i % 10 == 9 else "he",
            description=paragraph(rng, 2),
            focus_challenge=town.challenges[i % len(town.challenges)] if town.challenges else None,
            track=town.tracks[i % len(town.tracks)],
            neighbourhood=rng.choice(NEIGHBOURHOODS),
            needs_connections=i % 2 == 0,
            needs_mentoring=i % 3 == 0,
            needs_money=needs_money,
            money_amount=Decimal(rng.randrange(2, 30) * 1000) if needs_money else None,
            status=status,
        )
    )


def _score(town, rows, initiative, judge, *, strong: bool) -> None:
    rng = town.rng
    values = {c: min(5, max(1, (4 if strong else 2) + rng.randint(-1, 1))) for c in CRITERIA}
    rows.add(
        Score(
            municipality=town.municipality,
            initiative=initiative,
            member=judge,
            comment=sentence(rng, 6),
            # Score.compute_total's average, without re-reading the criteria for every row.
            total=(Decimal(sum(values.values())) / len(CRITERIA)).quantize(Decimal("0.01")),
            **values,
        )
    )


def _past_hackathon(town, rows, partners: list[str]) -> None:
    """Year 1: held in the middle of the program's history, decided, supported and reviewed."""
    rng, m, manager = town.rng, town.municipality, town.manager
    day = town.t0 + (town.today - town.t0) * 45 // 100
    deadline = day + timedelta(days=10)
    decided = day + timedelta(days=20)
    reviewed = min(day + timedelta(days=270), town.today - timedelta(days=1))
    today = town.today
    hackathon = _hackathon(
        town,
        rows,
        year=1,
        day=day,
        registration=(day - timedelta(days=60), day - timedelta(days=2)),
        deadline=deadline,
    )
    # The order the pilot's own services keep: submitted by the deadline, scored after it (the
    # committee scores what can no longer change), decided, then granted; nothing after today. The
    # youngest program's hackathon is a month before today, its decision two weeks (see _core's ages).
    rows.stamp(Initiative, "submitted_at", 1, m, _moment(day + timedelta(days=1), 12))
    rows.stamp(Score, "created_at", 1, m, _moment(deadline + timedelta(days=4)))
    rows.stamp(Grant, "created_at", 1, m, _moment(decided + timedelta(days=3)))
    rows.stamp(
        ProgressReport, "created_at", 1, m, _moment(min(decided + timedelta(days=45), today))
    )
    rows.stamp(Measurement, "recorded_at", 1, m, _moment(min(day + timedelta(days=180), today)))
    _participants(town, rows, hackathon, town.count(PARTICIPANTS))
    indicators = [
        rows.add(Indicator(municipality=m, hackathon=hackathon, track=track, name=name, unit=unit))
        for track in town.tracks
        for name, unit in INDICATORS
    ]
    committed = Decimal(0)
    for i in range(town.count(INITIATIVES)):
        status = STATUSES[i % len(STATUSES)]
        initiative = _initiative(town, rows, hackathon, i, status)
        if status != InitiativeStatus.SUBMITTED:
            initiative.decision_reason = sentence(rng, 10)
            initiative.decided_at = _moment(decided)
            initiative.decided_by = manager
        if status in REACHED_ACTIVE:
            initiative.mentor = " ".join(person_name(rng))
        if status in (InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED):
            initiative.review_reason = sentence(rng, 10)
            initiative.review_objectives = sentence(rng, 6)
            initiative.reviewed_at = _moment(reviewed)
            initiative.year_two = status == InitiativeStatus.CONTINUED
        # Blind scoring: what is still undecided only the committee member has scored so far.
        judges = town.seat_users if status != InitiativeStatus.SUBMITTED else town.seat_users[-1:]
        for judge in judges:
            _score(town, rows, initiative, judge, strong=status in REACHED_SELECTED)
        if status not in REACHED_ACTIVE:
            continue
        for k in range(1 + i % 2):
            rows.add(
                Connection(
                    municipality=m,
                    initiative=initiative,
                    with_whom=partners[(i + k) % len(partners)],
                    note=sentence(rng, 6),
                    made_on=min(decided + timedelta(days=7 + 14 * k), today),
                )
            )
        amount = initiative.money_amount or Decimal(5000)
        committed += amount
        grant = rows.add(
            Grant(
                municipality=m,
                initiative=initiative,
                amount=amount,
                note="מענק פתיחה",
                created_by=manager,
            )
        )
        payments = 1 + i % 3
        for k in range(payments):
            rows.add(
                Disbursement(
                    municipality=m,
                    grant=grant,
                    # Together the payments stay below the grant: the last part is still owed.
                    amount=(amount / (payments + 1)).quantize(Decimal("0.01")),
                    paid_on=min(decided + timedelta(days=10 + 30 * k), today),
                    note=f"תשלום {k + 1}",
                )
            )
        for _report in range(1 + i % 3):
            rows.add(ProgressReport(municipality=m, initiative=initiative, text=paragraph(rng, 2)))
        for indicator in indicators:
            if indicator.track == initiative.track:
                rows.add(
                    Measurement(
                        municipality=m,
                        initiative=initiative,
                        indicator=indicator,
                        value=Decimal(rng.randrange(1, 200)),
                        learning=sentence(rng, 8),
                    )
                )
    # A budget with room left: a quarter more than the grants, in round thousands.
    hackathon.pilot_budget = (committed * Decimal("1.25") / 1000).quantize(Decimal(1)) * 1000


def _open_hackathon(town, rows) -> None:
    """Year 2: registration and submissions open today, so the public forms take entries; the first
    initiatives are in; nobody scores before submissions close (pilots.services.score_record)."""
    day = town.today + timedelta(days=OPEN_FOR_DAYS)
    hackathon = _hackathon(
        town,
        rows,
        year=2,
        day=day,
        registration=(town.today - timedelta(days=30), day - timedelta(days=2)),
        deadline=day + timedelta(days=10),
    )
    hackathon.pilot_budget = Decimal(200_000)
    # Submitted and scored in the days before "today", whenever the data is written.
    rows.stamp(
        Initiative, "submitted_at", 2, town.municipality, _moment(town.today - timedelta(days=2))
    )
    _participants(town, rows, hackathon, town.count(OPEN_PARTICIPANTS))
    for i in range(town.count(OPEN_INITIATIVES)):
        initiative = _initiative(town, rows, hackathon, i, InitiativeStatus.SUBMITTED)
        if i == 0:
            # One declared conflict of interest: the team's seat steps aside from the first initiative.
            rows.add(
                ScoringConflict(
                    municipality=town.municipality,
                    initiative=initiative,
                    member=town.seat_users[1],
                    reason="קרבה משפחתית לאחד מחברי הצוות",
                )
            )
