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
    "kehila.municipality_views.onboarding_panel",
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
    return stage_facts_of([municipality.pk]).get(municipality.pk, StageFacts())


def stage_facts_of(municipality_ids) -> dict[int, StageFacts]:
    """The tracker's facts of many municipalities at once (HQ's overview): the same six queries, grouped
    by municipality, whatever their number. Municipalities with no facts at all are left out."""
    from collections import defaultdict

    from committees.models import Committee
    from partners.models import Engagement
    from pilots.models import Initiative, InitiativeStatus
    from strategy.approvals import VersionStatus
    from strategy.models import AgreementVersion, FocusChallenge, PlanVersion

    ids = list(municipality_ids)
    facts: dict[int, dict] = defaultdict(
        lambda: {"circles": set(), "bodies": set(), "findings": [], "decided": []}
    )
    for mid, circle in (
        Engagement.objects.filter(municipality_id__in=ids)
        .exclude(circle="")
        .values_list("municipality_id", "circle")
        .distinct()
    ):
        facts[mid]["circles"].add(circle)
    for mid, kind in (
        Committee.objects.filter(municipality_id__in=ids, members__isnull=False)
        .values_list("municipality_id", "kind")
        .distinct()
    ):
        facts[mid]["bodies"].add(kind)
    for mid, findings_count in (
        FocusChallenge.objects.filter(municipality_id__in=ids)
        .annotate(findings_count=Count("findings"))
        .values_list("municipality_id", "findings_count")
    ):
        facts[mid]["findings"].append(findings_count)
    for mid, status in Initiative.objects.filter(
        municipality_id__in=ids,
        status__in=[
            InitiativeStatus.SELECTED,
            InitiativeStatus.ACTIVE,
            InitiativeStatus.CONTINUED,
            InitiativeStatus.STOPPED,
        ],
    ).values_list("municipality_id", "status"):
        facts[mid]["decided"].append(status)
    in_force = set(
        AgreementVersion.objects.filter(
            municipality_id__in=ids, status=VersionStatus.IN_FORCE
        ).values_list("municipality_id", flat=True)
    )
    approved = set(
        PlanVersion.objects.filter(
            municipality_id__in=ids,
            status__in=[VersionStatus.APPROVED, VersionStatus.IN_FORCE],
        ).values_list("municipality_id", flat=True)
    )
    reviewed = {InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED}
    result = {}
    for mid in set(facts) | in_force | approved:
        f = facts[mid]
        result[mid] = StageFacts(
            agreement_in_force=mid in in_force,
            circles_with_people=len(f["circles"]),
            bodies_with_members=frozenset(f["bodies"]),
            challenges=len(f["findings"]),
            challenges_with_findings=sum(1 for n in f["findings"] if n),
            plan_approved=mid in approved,
            initiatives_selected=len(f["decided"]),
            initiatives_reviewed=sum(1 for s in f["decided"] if s in reviewed),
        )
    return result


def current_stages(municipality_ids) -> dict[int, str]:
    """Each municipality's current stage as the tracker derives it (HQ's overview column)."""
    facts = stage_facts_of(municipality_ids)
    return {mid: stages.current(facts.get(mid, StageFacts())) for mid in municipality_ids}


def stage_tracker(municipality) -> list[dict]:
    return stages.tracker(stage_facts(municipality))
