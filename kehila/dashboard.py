"""The dashboard reads every stage. This is the top layer of kehila: it may import stage apps.

Each stage app offers a `dashboard.panel(request) -> dict | None` returning {"template", "context",
"order"}, or {"html", "order"} when it renders (and caches) its card itself; the panel does its own
reads through its app's selectors, with a fixed number of queries. The stage tracker's facts are read
here too (`stage_facts`), and kehila.stages derives the tracker from them.
"""

from django.db.models import Count
from django.utils.module_loading import import_string

from . import stages
from .stages import StageFacts

PANEL_PROVIDERS: list[str] = [
    # "partners.dashboard.panel",
    "committees.dashboard.panel",
    "pilots.dashboard.panel",
    "partners.dashboard.panel",
    "strategy.dashboard.panel",
    "strategy.dashboard.plan_panel",
    "kehila.timeline_views.panel",
]


def panels(request) -> list[dict]:
    result = []
    for path in PANEL_PROVIDERS:
        panel = import_string(path)(request)
        if panel:
            result.append(panel)
    return sorted(result, key=lambda p: p.get("order", 100))


def stage_facts(municipality) -> StageFacts:
    """What kehila.stages derives the tracker from: six queries whatever the municipality's size."""
    from committees.models import Committee
    from partners.models import Engagement
    from pilots.models import Initiative, InitiativeStatus
    from strategy.agreements import AgreementVersion
    from strategy.approvals import VersionStatus
    from strategy.models import FocusChallenge
    from strategy.plan import PlanVersion

    circles = set(
        Engagement.objects.filter(municipality=municipality)
        .exclude(circle="")
        .values_list("circle", flat=True)
        .distinct()
    )
    bodies = set(
        Committee.objects.filter(municipality=municipality, members__isnull=False)
        .values_list("kind", flat=True)
        .distinct()
    )
    findings = list(
        FocusChallenge.objects.filter(municipality=municipality)
        .annotate(findings_count=Count("findings"))
        .values_list("findings_count", flat=True)
    )
    decided = list(
        Initiative.objects.filter(
            municipality=municipality,
            status__in=[
                InitiativeStatus.SELECTED,
                InitiativeStatus.ACTIVE,
                InitiativeStatus.CONTINUED,
                InitiativeStatus.STOPPED,
            ],
        ).values_list("status", flat=True)
    )
    reviewed = {InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED}
    return StageFacts(
        agreement_in_force=AgreementVersion.objects.filter(
            municipality=municipality, status=VersionStatus.IN_FORCE
        ).exists(),
        circles_with_people=len(circles),
        bodies_with_members=frozenset(bodies),
        challenges=len(findings),
        challenges_with_findings=sum(1 for n in findings if n),
        plan_approved=PlanVersion.objects.filter(
            municipality=municipality,
            status__in=[VersionStatus.APPROVED, VersionStatus.IN_FORCE],
        ).exists(),
        initiatives_selected=len(decided),
        initiatives_reviewed=sum(1 for s in decided if s in reviewed),
    )


def stage_tracker(municipality) -> list[dict]:
    return stages.tracker(stage_facts(municipality))
