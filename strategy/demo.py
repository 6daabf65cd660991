"""Demo data: the demo municipality's agreements document, all eleven topics agreed, with budget lines and
milestones, signed and in force (nothing else in the program begins before it; a new version shows the
workflow again), a partly done kickoff checklist and two candidates for program manager. Idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import AgreementMilestone, BudgetLine, Candidate, SignatureSide, Topic, VersionStatus

SECTIONS = {
    Topic.GOALS: (
        "השותפות נועדה לחזק את החוסן הקהילתי ב**עין הגליל** ולבנות יחד עם התושבים "
        "אסטרטגיה עירונית אחת.\n\n- צמצום פערים בין השכונות\n- הגברת מעורבות התושבים",
        "agreed",
    ),
    Topic.OWNERSHIP: (
        "הרשות מובילה את התהליך. מנכ״ל הרשות עומד בראש ועדת ההיגוי, "
        "ומנהלת התוכנית כפופה ארגונית לאגף הרווחה.",
        "agreed",
    ),
    Topic.RECRUITING: (
        "ראשי האגפים, בעלי תפקידים בכירים, דמויות מובילות בקהילה ונציגי העסקים המקומיים "
        "יגויסו בשלב הכשרת הלבבות.",
        "agreed",
    ),
    Topic.BODIES: (
        "ועדת היגוי שמתכנסת פעם ברבעון, ועדה מעצבת רב־מגזרית וצוותי עבודה לפי האפיקים שנבחרו.",
        "agreed",
    ),
    Topic.STRATEGY: (
        "האסטרטגיה העירונית תיבנה לאורך האפיק החברתי והאפיק החינוכי, ובהמשך יתווספו האחרים.",
        "agreed",
    ),
    Topic.CONCEPTS: (
        "שינוי מערכתי, החלטות מבוססות נתונים, שיתוף ציבור ותשתית ארגונית קהילתית.",
        "agreed",
    ),
    Topic.ROUTINES: ("צוות התוכנית נפגש מדי שבוע; ועדת ההיגוי מקבלת דיווח רבעוני.", "agreed"),
    Topic.EVALUATION: (
        "לכל יעד מדד, ערך בסיס ויעד; המדידה נעשית פעמיים בשנה ומוצגת לוועדה המעצבת.",
        "agreed",
    ),
    Topic.TIMEFRAME: ("התוכנית תימשך שלוש שנים, עם נספח תקציבי שנתי.", "agreed"),
    Topic.PARTIES: (
        "עיריית עין הגליל והנהלת התוכנית, בשיתוף החברה למתנ״סים; כל צד רשאי לצאת בהודעה מראש.",
        "agreed",
    ),
    Topic.APPENDICES: (
        "מבנה השותפות, תהליכי היישום, אבני הדרך המרכזיות ועקרונות התקציב מצורפים למסמך.",
        "agreed",
    ),
}

BUDGET = [
    (2026, "municipality", "משרת מנהלת התוכנית", Decimal("180000")),
    (2026, "program", "ליווי מקצועי והכשרות", Decimal("90000")),
    (2027, "municipality", "משרת מנהלת התוכנית", Decimal("185000")),
    (2027, "partners", "קרן ליוזמות תושבים", Decimal("60000")),
    (2028, "program", "מדידה והערכה", Decimal("45000")),
]

MILESTONES = [
    ("החלטת ועדת ההיגוי על התיחום", date(2026, 10, 15), "scope_decision"),
    ("מפגש ראשון של הוועדה המעצבת", date(2026, 11, 1), "design_1"),
    ("כנס השקה עירוני", date(2027, 3, 10), "launch_conference"),
]


def load(program, users):
    municipality = program.municipality
    manager = users["manager"]
    agreement = services.agreement_start(municipality=municipality, user=manager, start_year=2026)
    version = agreement.versions.order_by("-number").first()
    if version.status == VersionStatus.DRAFT:
        for topic, (text, status) in SECTIONS.items():
            section = version.sections.get(topic=topic)
            if not section.text:
                services.section_update(
                    section=section, user=manager, text=text, owner=manager, status=status
                )
        if not version.operating_model:
            services.agreement_version_update(
                version=version,
                user=manager,
                title=version.title,
                term_start_year=version.term_start_year,
                term_end_year=version.term_end_year,
                operating_model="צוות התוכנית פועל מתוך אגף הרווחה ומדווח לוועדת ההיגוי.",
                parties="עיריית עין הגליל; הנהלת תוכנית קהילה מיטיבה.",
                partners="החברה למתנ״סים, מכללה אזורית ועמותות מקומיות.",
                exit_clause="כל צד רשאי לסיים את השותפות בהודעה מראש של שלושה חודשים.",
            )
        for year, source, description, amount in BUDGET:
            if not BudgetLine.objects.filter(
                version=version, year=year, source=source, description=description
            ).exists():
                services.budget_line_add(
                    version=version,
                    user=manager,
                    year=year,
                    source=source,
                    description=description,
                    amount=amount,
                )
        for title, due, key in MILESTONES:
            if not AgreementMilestone.objects.filter(version=version, title=title).exists():
                services.milestone_add(
                    version=version, user=manager, title=title, due_date=due, timeline_key=key
                )
    if version.status == VersionStatus.DRAFT:
        services.agreement_submit(version=version, user=manager)
        services.agreement_approve(version=version, user=users["mayor_office"])
        for side, signer in [
            (SignatureSide.MUNICIPALITY, "mayor_office"),
            (SignatureSide.PROGRAM, "hq"),
        ]:
            services.agreement_sign(version=version, user=users[signer], side=side)
    steps = services.kickoff_ensure_steps(municipality=municipality)
    days = (date(2026, 6, 3), date(2026, 6, 17), date(2026, 7, 1))
    for step, day in zip(steps[:3], days, strict=True):
        if not step.done:
            services.kickoff_step_update(
                step=step,
                user=manager,
                date=day,
                attendees=step.attendees,
                notes="התקיים כמתוכנן.",
                done=True,
            )
    for name in ("שירה בן דוד", "אמיר נסאר"):
        if not Candidate.objects.filter(municipality=municipality, name=name).exists():
            services.candidate_add(municipality=municipality, user=manager, name=name)
    load_plan(program, users)


# --- the strategic plan --------------------------------------------------------------------------

CHALLENGES = [
    (1, "בדידות של אזרחים ותיקים", "ותיקים רבים בשכונות הוותיקות חיים לבד ומתקשים להגיע לשירותים."),
    (2, "נוער בשעות הפנאי", "מעט מסגרות לבני נוער אחרי הצהריים ובחופשות."),
    (3, "מעורבות תושבים", "תושבים מעטים לוקחים חלק בהחלטות על השכונה."),
    (4, "מרחב ציבורי מוזנח", "גינות ומבני ציבור שאינם מתוחזקים ואינם מזמינים."),
    (5, "תעסוקת נשים", "שיעור נמוך של נשים עובדות בחלק מהיישובים."),
]

GOALS = [
    (
        "קהילה פעילה ומעורבת",
        [
            (
                "הגדלת מספר המתנדבים הפעילים",
                "מתנדבים פעילים",
                "אנשים",
                "120",
                "380",
                "social",
                ["160", "210"],
            ),
            (
                "יותר בני נוער במסגרות פנאי",
                "בני נוער משתתפים",
                "אחוז",
                "22",
                "45",
                "educational",
                ["27"],
            ),
        ],
    ),
    (
        "שכונות מזמינות",
        [("גינות קהילתיות פעילות", "גינות פעילות", "גינות", "2", "8", "social", ["3"])],
    ),
]

ACTIONS = [
    ("social", "מועדון שכונתי לוותיקים", date(2026, 11, 1), date(2027, 12, 31), "program",
     [(2027, "municipality", "60000"), (2026, "program", "15000")]),
    ("social", "שיקום שלוש גינות קהילתיות", date(2027, 3, 1), date(2028, 6, 30), "infrastructure",
     [(2027, "partners", "80000"), (2028, "municipality", "40000")]),
    ("educational", "מרחב נוער בשעות הערב", date(2027, 1, 1), date(2028, 12, 31), "investment",
     [(2027, "program", "50000"), (2028, "program", "50000")]),
]  # fmt: skip


BASELINE = date(2026, 9, 1)


def _reading_days(baseline: date, today: date, count: int) -> list[date]:
    """Days spread from the baseline to before today: an indicator is never read on a day still to
    come (strategy.consistency). If the baseline is too recent (or still ahead), they start earlier."""
    first = min(baseline, today - timedelta(days=count + 1))
    step = (today - first).days // (count + 1)
    return [first + timedelta(days=step * k) for k in range(1, count + 1)]


def load_plan(program, users):
    """Five challenges, vision, goals with measurable objectives and readings, two work plans and a
    signed first version, so the public page has something to show. Idempotent."""
    from . import plan_services
    from .models import Action, FocusChallenge, Goal, Objective

    municipality = program.municipality
    manager = users["manager"]
    for number, title, description in CHALLENGES:
        if not FocusChallenge.objects.filter(municipality=municipality, number=number).exists():
            plan_services.challenge_save(
                municipality=municipality,
                user=manager,
                number=number,
                title=title,
                description=description,
            )
    plan = plan_services.plan_for(municipality)
    if not plan.vision:
        plan_services.plan_update(
            plan=plan,
            user=manager,
            title="התוכנית האסטרטגית של עין הגליל",
            vision="עין הגליל: קהילה שבה כל תושבת ותושב מרגישים שייכים, מעורבים ובטוחים.",
            flexible_budget=Decimal("50000"),
        )
    objectives = {}
    for goal_title, items in GOALS:
        goal = Goal.objects.filter(plan=plan, title=goal_title).first()
        if goal is None:
            goal = plan_services.goal_add(plan=plan, user=manager, title=goal_title)
        for title, indicator, unit, baseline, target, track, readings in items:
            objective = Objective.objects.filter(goal=goal, title=title).first()
            if objective is None:
                objective = plan_services.objective_add(
                    goal=goal,
                    user=manager,
                    title=title,
                    indicator=indicator,
                    unit=unit,
                    baseline_value=Decimal(baseline),
                    baseline_date=BASELINE,
                    target_value=Decimal(target),
                    target_date=date(2029, 9, 1),
                    owner="צוות התוכנית",
                    track=track,
                )
            objectives[track] = objectives.get(track, objective)
            if objective.readings.exists():
                continue  # read once: a load on a later day adds no readings on new dates
            days = _reading_days(BASELINE, timezone.localdate(), len(readings))
            for day, value in zip(days, readings, strict=True):
                plan_services.reading_add(
                    objective=objective, user=manager, measured_on=day, value=Decimal(value)
                )
    for track, title, start, end, kind, lines in ACTIONS:
        if Action.objects.filter(plan=plan, title=title).exists():
            continue
        action = plan_services.action_add(
            plan=plan,
            user=manager,
            track=track,
            title=title,
            owner="צוות התוכנית",
            partners="החברה למתנ״סים",
            start=start,
            end=end,
            kind=kind,
            objective=objectives.get(track),
        )
        for year, source, amount in lines:
            plan_services.action_budget_add(
                action=action, user=manager, year=year, source=source, amount=Decimal(amount)
            )
    if not plan.versions.exists():
        version = plan_services.plan_assemble(plan=plan, user=manager)
        # The demo program has not held the design committee's fifth meeting: the plan goes on by
        # the manager's recorded exception, which the version's page shows (strategy.gates).
        plan_services.plan_submit_opening_gate(
            version=version,
            user=manager,
            reason="תוכנית לדוגמה, כדי שלעמוד הציבורי יהיה מה להציג.",
        )
        plan_services.plan_approve(version=version, user=users["mayor_office"])
        plan_services.plan_sign(
            version=version, user=users["mayor_office"], side=SignatureSide.MUNICIPALITY
        )
        plan_services.plan_sign(version=version, user=users["hq"], side=SignatureSide.PROGRAM)
