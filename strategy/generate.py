"""Generated strategy rows for `manage.py generate_demo` (see kehila/generate.py for the rules).

Per municipality, at scale 1 (`batch.count`): the agreements document in three versions (1 returned with
the mayor's office's comments, 2 signed by both sides and since superseded, 3 signed by both sides and in
force), each with its eleven sections, budget appendix lines and main milestones (from the timeline), and
comments on the sections; the six kickoff steps (done); an approved scope decision on the program's T0 and
tracks; five focus challenges; the strategic plan with goals, 40 objectives, 2,000 indicator readings
over the years, 500 actions over the program's tracks with their budget lines, 150 mapping findings and a
logic model per track; three plan versions (1 signed and superseded, 2 returned, 3 signed and in force);
three candidates for program manager with an interview, both sides' score sheets and the recorded decision.

Documents have a fixed number of versions, sections, steps and challenges at every scale (they are the
shape of the pages); the rows that grow with the data (actions, readings, findings, budget lines,
comments) follow `batch.count`.

The public plan page `/public/strategy/<slug>/plan/` (strategy.views.public.public_plan) shows the newest
plan version whose status is "in force": here version 3 of every generated municipality. Its content is
`plan_content()` of the written parts, and every version's SHA-256 is computed as the workflow computes it
(`sha256_of` of the snapshot), so signing checks and exports see consistent documents.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from kehila.generate import paragraph, person_name, sentence
from kehila.models import GateOverride, Milestone, Role, milestone_title

from . import gates
from .models import (
    Action,
    ActionBudget,
    ActionKind,
    Agreement,
    AgreementMilestone,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    Candidate,
    Competency,
    CompetencyScore,
    FocusChallenge,
    FundingSource,
    Goal,
    HiringDecision,
    IndicatorReading,
    Interview,
    KickoffStep,
    KickoffStepKind,
    LogicModel,
    MappingFinding,
    Objective,
    PanelSide,
    Plan,
    PlanSignature,
    PlanVersion,
    ScopeDecision,
    ScoreSheet,
    SectionComment,
    SectionStatus,
    SignatureSide,
    Topic,
    VersionStatus,
)
from .models.approvals import sha256_of
from .models.kickoff import suggested_attendees
from .plan_content import action_data, budget_sums, mapping_data

BATCH_SIZE = 2000
# Choices' `values` build a new list on every read; these are read once per row.
SOURCES_OF_FUNDS = FundingSource.values
TOPICS = Topic.values
ACTION_KINDS = ActionKind.values

# Rows per municipality at scale 1.
BUDGET_LINES = 30  # per agreement version
SECTION_COMMENTS = 60
GOALS = 8
OBJECTIVES = 40
READINGS = 2000
ACTIONS = 500
FINDINGS = 150
CANDIDATES = 3
# Days from writing an agreements version to its being in force (sent after 7, decided after 14).
AGREEMENT_SIGNED_AFTER = 21

# The agreements document's history, oldest first: what became of each version.
AGREEMENT_HISTORY = (VersionStatus.RETURNED, VersionStatus.SUPERSEDED, VersionStatus.IN_FORCE)
# The plan's: the first was signed and later replaced; the second was returned; the third is in force.
PLAN_HISTORY = (VersionStatus.SUPERSEDED, VersionStatus.RETURNED, VersionStatus.IN_FORCE)
SIGNED = (VersionStatus.SUPERSEDED, VersionStatus.IN_FORCE)
# Why a plan went to the steering committee before the design committee's fifth meeting.
PLAN_EARLY_REASON = (
    "ועדת ההיגוי ביקשה לאשר את התוכנית לפני המפגש החמישי של הוועדה המעצבת, "
    "כדי שהיישום יתחיל במקביל לפיילוט."
)
# Timeline milestones the agreement names as its main milestones.
AGREEMENT_MILESTONE_KEYS = (
    "scope_decision",
    "launch_conference",
    "plan_approval",
    "hackathon",
    "pilot_measurement",
    "pilot_review",
)

CHALLENGES = (
    "בדידות של אזרחים ותיקים",
    "נוער בשעות הפנאי",
    "מעורבות תושבים בהחלטות",
    "מרחב ציבורי מוזנח",
    "תעסוקת נשים",
    "פערים בין שכונות",
    "ביטחון אישי בשכונות",
    "קליטת עולים חדשים",
    "נגישות לשירותי רווחה",
    "עסקים קטנים במרכז העיר",
)
INDICATORS = (
    ("מתנדבים פעילים", "אנשים"),
    ("בני נוער במסגרות פנאי", "אחוז"),
    ("גינות קהילתיות פעילות", "גינות"),
    ("תושבים במפגשי שכונה", "אנשים"),
    ("שביעות רצון מהמרחב הציבורי", "ציון"),
    ("נשים מועסקות", "אחוז"),
    ("עסקים חדשים", "עסקים"),
    ("פניות למוקד הרווחה", "פניות"),
)
NEIGHBOURHOODS = ("מרכז העיר", "הרקפות", "הגפן", "נווה שאנן", "הוותיקה", "גבעת הזיתים", "שכונה ד")
SOURCES = ("הלשכה המרכזית לסטטיסטיקה", "סקר תושבים", "נתוני הרשות", "מחלקת הרווחה", "משרד החינוך")
OWNERS = ("מנהלת התוכנית", "מחלקת הרווחה", "אגף החינוך", "מחלקת הנדסה", "המתנ״ס", "היחידה לעסקים")
PARTNERS = ("החברה למתנ״סים", "עמותת שכנים", "מכללה אזורית", "קרן קהילתית", "לשכת התעסוקה")


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _between(first: date, last: date, share: float) -> date:
    return first + timedelta(days=int((last - first).days * share))


def _money(rng, low: int, high: int) -> Decimal:
    """A round amount in NIS (thousands), as budgets are written."""
    return Decimal(rng.randrange(low, high + 1) * 1000)


def _bulk(model, rows: list, counts: dict, batch_size: int = BATCH_SIZE) -> list:
    model.objects.bulk_create(rows, batch_size=batch_size)
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)
    return rows


def _cache(obj, **related) -> None:
    """Hand a row its children as if prefetched, so `snapshot()` hashes them without a query."""
    obj._prefetched_objects_cache = dict(related)


def _organisation_names(batch) -> dict[int, list[str]]:
    """Organisations the partners generator wrote (if it ran): real names for the plan's partners."""
    from partners.models import Organisation

    names: dict[int, list[str]] = {}
    rows = Organisation.objects.filter(municipality__in=batch.municipalities).values_list(
        "municipality_id", "name"
    )
    for municipality_id, name in rows.order_by("pk"):
        names.setdefault(municipality_id, []).append(name)
    return names


def _milestone_dates(batch) -> dict[int, dict[str, date]]:
    dates: dict[int, dict[str, date]] = {}
    for municipality_id, key, planned in Milestone.objects.filter(
        municipality__in=batch.municipalities, key__in=AGREEMENT_MILESTONE_KEYS
    ).values_list("municipality_id", "key", "planned"):
        dates.setdefault(municipality_id, {})[key] = planned
    return dates


def generate(batch) -> dict[str, int]:
    counts: dict[str, int] = {}
    towns = [_Town(batch, m) for m in batch.municipalities]
    organisations = _organisation_names(batch)
    _agreements(batch, towns, organisations, counts)
    _kickoff_and_scope(towns, counts)
    _plans(batch, towns, organisations, counts)
    _hiring(batch, towns, counts)
    return counts


class _Town:
    """One municipality of the batch and the dates its story hangs on."""

    def __init__(self, batch, municipality):
        self.batch = batch
        self.municipality = municipality
        self.program = batch.programs[municipality.pk]
        self.users = batch.users[municipality.pk]
        self.hq = batch.hq
        self.start = batch.start
        self.today = batch.today
        self.t0 = self.program.scope_decision_date or _between(batch.start, batch.today, 0.25)
        self.tracks = list(self.program.tracks) or ["social"]
        # The plan's parts, kept to assemble its versions without reading them back.
        self.scope = self.plan = None
        self.challenges, self.goals, self.actions, self.logic_models = [], [], [], []

    def rng(self, part: str):
        return self.batch.rng(self.municipality, f"strategy:{part}")

    def before_t0(self, share: float) -> date:
        return _between(self.start, self.t0, share)

    def after_t0(self, share: float) -> date:
        return _between(self.t0, self.today, share)


# --- the agreements document ---------------------------------------------------------------------


def _agreements(batch, towns, organisations, counts) -> None:
    milestone_dates = _milestone_dates(batch)
    agreements = _bulk(
        Agreement,
        [
            Agreement(municipality=t.municipality, created_at=_moment(t.before_t0(0.1)))
            for t in towns
        ],
        counts,
    )
    versions, sections, lines, milestones, comments, signatures = [], [], [], [], [], []
    for town, agreement in zip(towns, agreements, strict=True):
        rng = town.rng("agreement")
        m = town.municipality
        manager, mayor = town.users[Role.MANAGER], town.users[Role.MAYOR_OFFICE]
        owners = [manager, town.users[Role.TEAM], mayor]
        term_start = town.start.year
        term_end = max(term_start + 2, town.today.year)
        base_text = {topic: paragraph(rng, 3) for topic in Topic.values}
        base_lines = [
            (
                term_start + i % (term_end - term_start + 1),
                SOURCES_OF_FUNDS[i % len(SOURCES_OF_FUNDS)],
                sentence(rng, 4),
                _money(rng, 10, 250),
            )
            for i in range(batch.count(BUDGET_LINES))
        ]
        partners = organisations.get(m.pk) or list(PARTNERS)
        # Agreement work runs from the start to T0; the third version is signed after the plan, and
        # its signatures (three weeks after it is written) are not later than today.
        third = min(town.after_t0(0.8), town.today - timedelta(days=AGREEMENT_SIGNED_AFTER))
        created = [town.before_t0(0.2), town.before_t0(0.5), third]
        town_versions = []
        for n, status in enumerate(AGREEMENT_HISTORY, start=1):
            created_on = created[n - 1]
            version = AgreementVersion(
                municipality=m,
                agreement=agreement,
                number=n,
                status=status,
                title=f"מסמך ההסכמות · {m.name}",
                term_start_year=term_start,
                term_end_year=term_end,
                operating_model=paragraph(rng, 2),
                parties=f"{m.name}; הנהלת תוכנית קהילה מיטיבה.",
                partners=", ".join(partners[:3]),
                exit_clause="כל צד רשאי לסיים את השותפות בהודעה מראש של שלושה חודשים.",
                created_by=manager,
                created_at=_moment(created_on),
                submitted_at=_moment(created_on + timedelta(days=7)),
                submitted_by=manager,
                decided_at=_moment(created_on + timedelta(days=14)),
                decided_by=mayor,
                review_comment=sentence(rng, 10) if status == VersionStatus.RETURNED else "",
                in_force_at=_moment(created_on + timedelta(days=AGREEMENT_SIGNED_AFTER))
                if status in SIGNED
                else None,
            )
            town_versions.append(version)
            version_sections = [
                AgreementSection(
                    municipality=m,
                    version=version,
                    topic=topic,
                    # Each version rewrites a few topics, so the versions' diff has something to show.
                    text=base_text[topic] + (f"\n\n{sentence(rng)}." if topic % 3 == n % 3 else ""),
                    owner=owners[topic % len(owners)],
                    # Every version was sent to the mayor's office, which the submit gate allows only
                    # with all eleven topics agreed (strategy.gates, strategy.consistency).
                    status=SectionStatus.AGREED,
                )
                for topic in Topic.values
            ]
            version_lines = [
                BudgetLine(
                    municipality=m,
                    version=version,
                    year=year,
                    source=source,
                    description=description,
                    amount=amount * Decimal("1.1") if i % 4 == n else amount,
                )
                for i, (year, source, description, amount) in enumerate(base_lines)
            ]
            dates = milestone_dates.get(m.pk, {})
            with translation.override("he"):
                version_milestones = [
                    AgreementMilestone(
                        municipality=m,
                        version=version,
                        title=str(milestone_title(key)),
                        due_date=dates.get(key) or town.after_t0(0.1 * (i + 1)),
                        timeline_key=key,
                    )
                    for i, key in enumerate(AGREEMENT_MILESTONE_KEYS)
                ]
            _cache(
                version,
                sections=version_sections,
                budget_lines=version_lines,
                milestones=version_milestones,
            )
            sections += version_sections
            lines += version_lines
            milestones += version_milestones
        versions += town_versions
        for i in range(batch.count(SECTION_COMMENTS)):
            on = town_versions[i % len(town_versions)]
            comments.append(
                SectionComment(
                    municipality=m,
                    agreement=agreement,
                    version=on,
                    topic=TOPICS[i % len(TOPICS)],
                    author=owners[i % len(owners)],
                    text=sentence(rng, rng.randint(6, 16)),
                    created_at=on.created_at + timedelta(hours=1 + i),
                )
            )
    _bulk(AgreementVersion, versions, counts)
    _bulk(AgreementSection, sections, counts)
    _bulk(BudgetLine, lines, counts)
    _bulk(AgreementMilestone, milestones, counts)
    _bulk(SectionComment, comments, counts)
    # The hash covers the children, so it is taken once they are written (from the rows in hand).
    for version in versions:
        version.content_hash = version.compute_hash()
    AgreementVersion.objects.bulk_update(versions, ["content_hash"], batch_size=BATCH_SIZE)
    by_municipality = {t.municipality.pk: t for t in towns}
    for version in versions:
        if version.status in SIGNED:
            signatures += _signatures(
                AgreementSignature, version, by_municipality[version.municipality_id]
            )
    _bulk(AgreementSignature, signatures, counts)


def _signatures(model, version, town) -> list:
    """Both sides: the mayor's office for the municipality, HQ for the program, a day apart."""
    signed = version.decided_at
    return [
        model(
            municipality=town.municipality,
            version=version,
            side=SignatureSide.MUNICIPALITY,
            signed_by=town.users[Role.MAYOR_OFFICE],
            signed_at=signed + timedelta(days=3),
            sha256=version.content_hash,
        ),
        model(
            municipality=town.municipality,
            version=version,
            side=SignatureSide.PROGRAM,
            signed_by=town.hq,
            signed_at=signed + timedelta(days=4),
            sha256=version.content_hash,
        ),
    ]


# --- kickoff and the scope decision --------------------------------------------------------------


def _kickoff_and_scope(towns, counts) -> None:
    steps, decisions = [], []
    with translation.override("he"):
        for town in towns:
            for step in KickoffStepKind.values:
                steps.append(
                    KickoffStep(
                        municipality=town.municipality,
                        step=step,
                        date=town.before_t0(step / 8),
                        attendees=suggested_attendees(step),
                        notes="התקיים כמתוכנן.",
                        done=True,
                    )
                )
            town.scope = ScopeDecision(
                municipality=town.municipality,
                boundaries="התוכנית תפעל שלוש שנים בשכונות שנבחרו, עם ועדת היגוי רבעונית.",
                geographic_focus=town.program.geographic_focus,
                tracks=town.tracks,
                decided_on=town.t0,
                status=VersionStatus.APPROVED,
                submitted_at=_moment(town.t0, 12),
                submitted_by=town.users[Role.MANAGER],
                decided_at=_moment(town.t0 + timedelta(days=5)),
                created_at=_moment(town.t0),
            )
            decisions.append(town.scope)
    _bulk(KickoffStep, steps, counts)
    _bulk(ScopeDecision, decisions, counts)


# --- the strategic plan --------------------------------------------------------------------------


def _plans(batch, towns, organisations, counts) -> None:
    challenges, plans, goals, objectives, readings = [], [], [], [], []
    actions, action_lines, findings, logic_models = [], [], [], []
    for town in towns:
        m = town.municipality
        rng = town.rng("plan")
        titles = rng.sample(CHALLENGES, 5)
        town_challenges = [
            FocusChallenge(
                municipality=m, number=n, title=titles[n - 1], description=paragraph(rng, 1)
            )
            for n in range(1, 6)
        ]
        challenges += town_challenges
        town.challenges = town_challenges
        plan = town.plan = Plan(
            municipality=m,
            title=f"התוכנית האסטרטגית של {m.name}",
            vision=paragraph(rng, 2),
            flexible_budget=_money(rng, 50, 300),
        )
        plans.append(plan)
        town_goals = [
            Goal(municipality=m, plan=plan, title=sentence(rng, 5), description=paragraph(rng, 1))
            for _ in range(batch.count(GOALS))
        ]
        goals += town_goals
        town.goals = town_goals
        for goal in town_goals:
            _cache(goal, objectives=[])
        town_objectives = []
        for i in range(batch.count(OBJECTIVES)):
            indicator, unit = INDICATORS[i % len(INDICATORS)]
            baseline = Decimal(rng.randrange(10, 400))
            town_objectives.append(
                Objective(
                    municipality=m,
                    goal=town_goals[i % len(town_goals)],
                    title=sentence(rng, 6),
                    indicator=indicator,
                    unit=unit,
                    baseline_value=baseline,
                    baseline_date=town.t0,
                    target_value=baseline * Decimal(rng.choice(("1.5", "2", "2.5", "3"))),
                    target_date=town.today + timedelta(days=365),
                    owner=OWNERS[i % len(OWNERS)],
                    track=town.tracks[i % len(town.tracks)],
                )
            )
        objectives += town_objectives
        readings += _readings(rng, town, town_objectives, batch.count(READINGS))
        by_track: dict[str, list[Objective]] = {}
        for objective in town_objectives:
            by_track.setdefault(objective.track, []).append(objective)
        partners = organisations.get(m.pk) or list(PARTNERS)
        for i in range(batch.count(ACTIONS)):
            track = town.tracks[i % len(town.tracks)]
            start = town.after_t0(rng.uniform(0.2, 0.9))
            end = start + timedelta(days=rng.randrange(60, 720))
            linked = by_track.get(track)
            action = Action(
                municipality=m,
                plan=plan,
                track=track,
                title=sentence(rng, rng.randint(3, 7)),
                owner=OWNERS[i % len(OWNERS)],
                partners=", ".join(rng.sample(partners, min(2, len(partners)))),
                start=start,
                end=end,
                kind=ACTION_KINDS[i % len(ACTION_KINDS)],
                objective=linked[i % len(linked)] if linked else None,
            )
            actions.append(action)
            town.actions.append(action)
            years = list(range(start.year, end.year + 1))
            for k in range(1 + i % 3):
                action_lines.append(
                    ActionBudget(
                        municipality=m,
                        action=action,
                        year=years[k % len(years)],
                        source=SOURCES_OF_FUNDS[(i + k) % len(SOURCES_OF_FUNDS)],
                        amount=_money(rng, 5, 200),
                    )
                )
        for i in range(batch.count(FINDINGS)):
            indicator, unit = INDICATORS[(i // 5) % len(INDICATORS)]
            findings.append(
                MappingFinding(
                    municipality=m,
                    challenge=town_challenges[i % 5],
                    indicator=indicator,
                    value=Decimal(rng.randrange(5, 900)),
                    unit=unit,
                    source=rng.choice(SOURCES),
                    # One finding per challenge and day keeps the natural key unique.
                    measured_on=town.t0 + timedelta(days=i // 5),
                    neighbourhood=NEIGHBOURHOODS[(i // 5) % len(NEIGHBOURHOODS)],
                )
            )
        for track in town.tracks:
            town.logic_models.append(
                LogicModel(
                    municipality=m,
                    plan=plan,
                    track=track,
                    **{
                        stage: "\n".join(sentence(rng, 3) for _ in range(3))
                        for stage in LogicModel.STAGES
                    },
                )
            )
        logic_models += town.logic_models
    _bulk(FocusChallenge, challenges, counts)
    # The stated total is what the lines add up to, as plan_assemble checks it.
    totals: dict[int, Decimal] = {}
    for line in action_lines:
        totals[line.municipality.pk] = totals.get(line.municipality.pk, 0) + line.amount
    for plan in plans:
        plan.stated_total = totals.get(plan.municipality.pk, Decimal(0)) + plan.flexible_budget
    _bulk(Plan, plans, counts)
    _bulk(Goal, goals, counts)
    _bulk(Objective, objectives, counts)
    _bulk(IndicatorReading, readings, counts)
    _bulk(Action, actions, counts)
    _bulk(ActionBudget, action_lines, counts)
    _bulk(MappingFinding, findings, counts)
    _bulk(LogicModel, logic_models, counts)
    # Children in hand, in the order plan_content() reads them, for the versions' content.
    lines_of: dict[int, list[ActionBudget]] = {}
    for line in action_lines:
        lines_of.setdefault(id(line.action), []).append(line)
    for action in actions:
        lines = sorted(lines_of[id(action)], key=lambda b: (b.year, b.source, b.pk))
        _cache(action, budget_lines=lines)
    for objective in objectives:
        objective.goal._prefetched_objects_cache.setdefault("objectives", []).append(objective)
    _plan_versions(towns, counts)


def _readings(rng, town, objectives, count: int) -> list[IndicatorReading]:
    """Readings spread evenly from T0 to before today (none is read on a day still to come), each
    objective on its own path towards the target. One reading a day per objective: if T0 is too recent
    for that, they start earlier."""
    per_objective = math.ceil(count / len(objectives))
    first = min(town.t0, town.today - timedelta(days=per_objective + 1))
    step = (town.today - first).days // (per_objective + 1)
    paths = [
        (float(o.baseline_value), float(o.target_value - o.baseline_value), rng.uniform(0.3, 0.9))
        for o in objectives
    ]
    rows = []
    for j in range(count):
        n = j % len(objectives)
        k = j // len(objectives) + 1
        baseline, distance, pace = paths[n]
        value = baseline + distance * (pace * k / per_objective + rng.uniform(-0.05, 0.05))
        rows.append(
            IndicatorReading(
                municipality=town.municipality,
                objective=objectives[n],
                measured_on=first + timedelta(days=step * k),
                value=Decimal(f"{max(value, 0):.2f}"),
            )
        )
    return rows


def _decimal(value) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def _content(town, number: int) -> dict:
    """What `plan_content(plan, number=number)` reads back from the database, built from the rows in
    hand (tests/strategy/test_generate.py holds the two equal); the mapping is read, as its order
    follows the database's collation."""
    plan, scope = town.plan, town.scope
    return {
        "document": "plan",
        "municipality": town.municipality.pk,
        "number": number,
        "title": plan.title,
        "vision": plan.vision,
        "flexible_budget": _decimal(plan.flexible_budget),
        "stated_total": _decimal(plan.stated_total),
        "scope": {
            "decided_on": scope.decided_on.isoformat(),
            "tracks": list(scope.tracks),
            "geographic_focus": scope.geographic_focus,
            "boundaries": scope.boundaries,
        },
        "challenges": [
            {"number": c.number, "title": c.title, "description": c.description}
            for c in town.challenges
        ],
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "description": g.description,
                "objectives": [
                    {
                        "id": o.pk,
                        "title": o.title,
                        "indicator": o.indicator,
                        "unit": o.unit,
                        "baseline_value": _decimal(o.baseline_value),
                        "baseline_date": o.baseline_date.isoformat(),
                        "target_value": _decimal(o.target_value),
                        "target_date": o.target_date.isoformat(),
                        "owner": o.owner,
                        "track": o.track,
                    }
                    for o in sorted(g.objectives.all(), key=lambda o: o.pk)
                ],
            }
            for g in sorted(town.goals, key=lambda g: g.pk)
        ],
        "actions": [
            action_data(a) for a in sorted(town.actions, key=lambda a: (a.track, a.start, a.pk))
        ],
        "mapping": mapping_data(town.municipality),
        "logic_models": [
            {"track": m.track, **{stage: getattr(m, stage) for stage in LogicModel.STAGES}}
            for m in sorted(town.logic_models, key=lambda m: m.track)
        ],
    }


def _plan_versions(towns, counts) -> None:
    """Three versions frozen from the written parts: the way plan_assemble freezes them."""
    versions, signatures = [], []
    for town in towns:
        plan = town.plan
        latest = _content(town, number=len(PLAN_HISTORY))
        manager, mayor = town.users[Role.MANAGER], town.users[Role.MAYOR_OFFICE]
        for n, status in enumerate(PLAN_HISTORY, start=1):
            content = _earlier(latest, n) if n < len(PLAN_HISTORY) else latest
            created_on = town.after_t0(0.25 + 0.15 * n)
            version = PlanVersion(
                municipality=town.municipality,
                plan=plan,
                number=n,
                status=status,
                content=content,
                content_hash=sha256_of(content),
                created_by=manager,
                created_at=_moment(created_on),
                submitted_at=_moment(created_on + timedelta(days=3)),
                submitted_by=manager,
                decided_at=_moment(created_on + timedelta(days=10)),
                decided_by=mayor,
                review_comment="נא לחדד את יעדי המדידה של אפיק הקהילה."
                if status == VersionStatus.RETURNED
                else "",
                in_force_at=_moment(created_on + timedelta(days=14)) if status in SIGNED else None,
            )
            versions.append(version)
    # One row per INSERT: in a multi-row insert psycopg escapes the large JSON contents into an array
    # literal in Python, five times slower than sending each as its own parameter.
    _bulk(PlanVersion, versions, counts, batch_size=1)
    by_municipality = {t.municipality.pk: t for t in towns}
    for version in versions:
        if version.status in SIGNED:
            signatures += _signatures(
                PlanSignature, version, by_municipality[version.municipality_id]
            )
    _bulk(PlanSignature, signatures, counts)
    _plan_gate_overrides(towns, versions, counts)


def _plan_gate_overrides(towns, versions, counts) -> None:
    """A plan goes to the steering committee after the design committee's fifth meeting (strategy.gates).
    Where the timeline has not reached that meeting by today, the plan went on by the manager's
    recorded exception, as the gate lets a manager do: one override per version sent. One query per
    municipality, asked the gate's own way."""
    early = {
        t.municipality.pk: t for t in towns if not gates.design_meeting_5_held(t.municipality.pk)
    }
    content_type = ContentType.objects.get_for_model(PlanVersion)
    overrides = [
        GateOverride(
            municipality_id=version.municipality_id,
            gate=gates.PLAN_TO_STEERING,
            content_type=content_type,
            object_id=str(version.pk),
            reason=PLAN_EARLY_REASON,
            by=early[version.municipality_id].users[Role.MANAGER],
            at=version.submitted_at,
        )
        for version in versions
        if version.municipality_id in early and version.status != VersionStatus.DRAFT
    ]
    _bulk(GateOverride, overrides, counts)


def _earlier(content: dict, number: int) -> dict:
    """An earlier version: the same plan with fewer actions (the work plans grew version by version)."""
    actions = content["actions"][: len(content["actions"]) * number // len(PLAN_HISTORY) or 1]
    flexible = Decimal(content["flexible_budget"])
    total = budget_sums(actions).total + flexible
    return {
        **content,
        "number": number,
        "actions": actions,
        "stated_total": format(total.quantize(Decimal("0.01")), "f"),
    }


# --- hiring the program manager ------------------------------------------------------------------


def _hiring(batch, towns, counts) -> None:
    candidates, interviews, sheets, scores, decisions = [], [], [], [], []
    for town in towns:
        m = town.municipality
        rng = town.rng("hiring")
        manager = town.users[Role.MANAGER]
        town_candidates = []
        names = set()
        while len(names) < CANDIDATES:
            names.add(" ".join(person_name(rng)))
        for i, name in enumerate(sorted(names)):
            candidate = Candidate(
                municipality=m,
                name=name,
                email=f"candidate{i + 1}@{m.slug}.example.org",
                notes=sentence(rng, 8),
                created_at=_moment(town.before_t0(0.05)),
            )
            town_candidates.append(candidate)
            interviews.append(
                Interview(
                    municipality=m,
                    candidate=candidate,
                    starts_at=_moment(town.before_t0(0.1), 9 + i),
                    location="לשכת המנכ״ל",
                    notes=sentence(rng, 10),
                )
            )
            for member, side in ((manager, PanelSide.MUNICIPALITY), (town.hq, PanelSide.PROGRAM)):
                sheet = ScoreSheet(
                    municipality=m,
                    candidate=candidate,
                    member=member,
                    side=side,
                    submitted_at=_moment(town.before_t0(0.12)),
                )
                sheets.append(sheet)
                # The first candidate is the strongest: the one the panel chose.
                floor = 4 if i == 0 else 2
                scores += [
                    CompetencyScore(
                        municipality=m,
                        sheet=sheet,
                        competency=competency,
                        score=rng.randint(floor, 5),
                        note=sentence(rng, 5),
                    )
                    for competency in Competency.values
                ]
        candidates += town_candidates
        decided = _moment(town.before_t0(0.15))
        decisions.append(
            HiringDecision(
                municipality=m,
                candidate=town_candidates[0],
                rationale=paragraph(rng, 1),
                proposed_by=manager,
                proposed_at=decided,
                municipality_approved_by=town.users[Role.MAYOR_OFFICE],
                municipality_approved_at=decided + timedelta(days=1),
                program_approved_by=town.hq,
                program_approved_at=decided + timedelta(days=2),
                recorded_at=decided + timedelta(days=2),
            )
        )
    _bulk(Candidate, candidates, counts)
    _bulk(Interview, interviews, counts)
    _bulk(ScoreSheet, sheets, counts)
    _bulk(CompetencyScore, scores, counts)
    _bulk(HiringDecision, decisions, counts)
