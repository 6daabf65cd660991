"""Demo data: a drafted agreements document for the demo municipality, with some sections, budget lines
and milestones, a partly done kickoff checklist and two candidates for program manager. Idempotent."""

from datetime import date
from decimal import Decimal

from . import services
from .agreements import AgreementMilestone, BudgetLine, Topic
from .approvals import VersionStatus
from .hiring import Candidate

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
    Topic.BODIES: (
        "ועדת היגוי שמתכנסת פעם ברבעון, ועדה מעצבת רב־מגזרית וצוותי עבודה לפי האפיקים שנבחרו.",
        "draft",
    ),
    Topic.TIMEFRAME: ("התוכנית תימשך שלוש שנים, עם נספח תקציבי שנתי.", "draft"),
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
