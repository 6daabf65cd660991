from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import dashboard as dashboard_panels
from .models import Membership, Milestone, Municipality, Program, Stage, milestone_title
from .permissions import is_hq
from .tenancy import municipality_view


@login_required
def home(request):
    """Send each user where their work is: HQ to the overview, a one-municipality user to its dashboard."""
    if is_hq(request.user):
        return redirect("kehila:hq")
    memberships = list(
        Membership.objects.filter(user=request.user, municipality__isnull=False).select_related(
            "municipality"
        )
    )
    if len(memberships) == 1:
        return redirect(memberships[0].municipality.get_absolute_url())
    return render(request, "kehila/home.html", {"memberships": memberships})


def _stages(program):
    current = program.stage_index
    return [
        {"value": value, "label": label, "done": i < current, "current": i == current}
        for i, (value, label) in enumerate(Stage.choices)
    ]


@municipality_view("view_program")
def dashboard(request):
    program, _created = Program.objects.get_or_create(municipality=request.municipality)
    # The panels that need the program take it from here rather than loading it again.
    request.program = program
    context = {
        "program": program,
        "stages": _stages(program),
        "panels": dashboard_panels.panels(request),
    }
    return render(request, "kehila/dashboard.html", context)


@login_required
def hq(request):
    if not is_hq(request.user):
        raise PermissionDenied
    # One query: the next open milestone (overdue ones first, they are the earliest) comes in as annotations.
    upcoming = Milestone.objects.filter(
        municipality=OuterRef("pk"), status=Milestone.Status.PLANNED
    ).order_by("planned", "key")
    municipalities = (
        Municipality.objects.select_related("program")
        .annotate(
            next_key=Subquery(upcoming.values("key")[:1]),
            next_planned=Subquery(upcoming.values("planned")[:1]),
            next_baseline=Subquery(upcoming.values("baseline")[:1]),
        )
        .order_by("name")
    )
    today = timezone.localdate()
    rows = []
    for m in municipalities:
        program = getattr(m, "program", None)
        row = {"municipality": m, "program": program, "next": None, "slip": None}
        if m.next_key:
            row["next"] = {"title": milestone_title(m.next_key), "date": m.next_planned}
            if m.next_baseline:
                # An overdue milestone slips a day for every day it is not held.
                row["slip"] = (max(m.next_planned, today) - m.next_baseline).days
        rows.append(row)
    return render(request, "kehila/hq.html", {"rows": rows, "stage_count": len(Stage.choices)})


def healthz(request):
    """For the container health check: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def accessibility(request):
    return render(request, "kehila/accessibility.html")
