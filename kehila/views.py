from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import dashboard as dashboard_panels
from . import national, onboarding, selectors
from .consistency import contradictions, rule_label
from .models import Membership, Municipality, Program, Stage
from .permissions import is_hq, require
from .tenancy import municipality_view


@login_required
def home(request):
    """Send each user where their work is: HQ to the overview, a one-municipality user to its dashboard."""
    if is_hq(request.user):
        return redirect("kehila:hq")
    memberships = list(
        Membership.objects.filter(user=request.user, municipality__isnull=False)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    if len(memberships) == 1:
        return redirect(memberships[0].municipality.get_absolute_url())
    return render(request, "kehila/home.html", {"memberships": memberships})


@municipality_view("view_program")
def dashboard(request):
    # With the onboarding checklist's facts (kehila.onboarding), which its panel reads from here.
    program = get_object_or_404(
        Program.objects.annotate(**onboarding.fact_annotations("municipality")),
        municipality=request.municipality,
    )
    # The panels that need the program take it from here rather than loading it again.
    request.program = program
    stages = dashboard_panels.stage_tracker(request.municipality)
    context = {
        "program": program,
        "stages": stages,
        "current_stage": next((s for s in stages if s["current"]), None),
        "panels": dashboard_panels.panels(request),
    }
    return render(request, "kehila/dashboard.html", context)


@login_required
def hq(request):
    require(request.user, "view_hq")
    today = timezone.localdate()
    overview = selectors.hq_overview(today, dashboard_panels.current_stages)
    rows = overview["rows"]
    # The national picture: stages and slips from the rows already read, the next month in one query.
    context = {
        "rows": rows,
        "stage_count": len(Stage.choices),
        "by_stage": national.by_stage(overview["current_stages"]),
        "slips": national.slip_histogram([row["slip"] for row in rows]),
        "next_month": national.next_month(today),
    }
    return render(request, "kehila/hq.html", context)


def healthz(request):
    """For the container health check: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def accessibility(request):
    return render(request, "kehila/accessibility.html")


@login_required
def hq_check(request, slug):
    """HQ reads one municipality's contradictions, grouped by rule, as `check_program` prints them."""
    require(request.user, "view_hq")
    municipality = get_object_or_404(Municipality, slug=slug)
    groups: dict[str, dict] = {}
    for item in contradictions(municipality):
        group = groups.setdefault(item.rule, {"label": rule_label(item.rule), "items": []})
        group["items"].append(item)
    return render(
        request,
        "kehila/hq_check.html",
        {"municipality": municipality, "groups": list(groups.values())},
    )
