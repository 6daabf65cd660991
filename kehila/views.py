from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from . import dashboard as dashboard_panels
from . import national, onboarding
from .consistency import contradictions, rule_label
from .models import Membership, Milestone, Municipality, Program, Stage, milestone_title
from .permissions import is_hq, require
from .rows import date_formatter, url_maker
from .tenancy import municipality_view
from .timeline import slip_days, slip_severity


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
    # One query: the next milestone not yet held, counted from today (kehila.timeline.next_not_held: an
    # overdue one is overdue, not next), and the earliest overdue one, whose slip grows every day, come in
    # as annotations through the program's (program, status, planned) index. The rows are tuples with
    # their links, labels and dates written here: 257 municipalities nationally, and a model instance, two
    # {% url %} and two |date per row cost more than the rest of the page.
    today = timezone.localdate()
    open_milestones = Milestone.objects.filter(
        program=OuterRef("program"), status=Milestone.Status.PLANNED
    ).order_by("planned", "key")
    upcoming = open_milestones.filter(planned__gte=today)
    overdue = open_milestones.filter(planned__lt=today)
    municipalities = (
        Municipality.objects.annotate(
            next_key=Subquery(upcoming.values("key")[:1]),
            next_planned=Subquery(upcoming.values("planned")[:1]),
            next_baseline=Subquery(upcoming.values("baseline")[:1]),
            late_baseline=Subquery(overdue.values("baseline")[:1]),
        )
        .order_by("name")
        .values_list(
            "id",
            "name",
            "slug",
            "program__start_date",
            "program__scope_decision_date",
            "next_key",
            "next_planned",
            "next_baseline",
            "late_baseline",
            "slip_alert_days",
            "paused_at",
        )
    )
    dashboard_url = url_maker("kehila:dashboard", "slug")
    timeline_url = url_maker("kehila:timeline", "slug")
    stages = dict(Stage.choices)
    all_held = gettext("All milestones held")
    no_plan = gettext("No plan: no scope decision yet")
    only_overdue = gettext("Only overdue milestones are left")
    # Many municipalities share a milestone or a date: each is written once.
    titles = {}
    long_date, short_date = date_formatter("DATE_FORMAT"), date_formatter()

    municipalities = list(municipalities)
    # The stage is derived from the facts, as on each dashboard (kehila.stages), not Program.stage.
    current = dashboard_panels.current_stages([values[0] for values in municipalities])
    check_url = url_maker("kehila:hq_check", "slug")
    settings_url = url_maker("kehila:hq_municipality", "slug")

    rows = []
    for row_values in municipalities:
        (
            mid,
            name,
            slug,
            start,
            scope_decided,
            key,
            planned,
            baseline,
            late_baseline,
            alert_days,
            paused_at,
        ) = row_values
        stage = current.get(mid)
        row = {
            "name": name,
            "url": dashboard_url(slug),
            "check_url": check_url(slug),
            "settings_url": settings_url(slug),
            "paused": paused_at is not None,
            "stage": stages.get(stage, stage) if stage else None,
            "start": long_date(start),
            "next": None,
            "slip": None,
        }
        if key:
            if key not in titles:
                titles[key] = milestone_title(key)
            row["next"] = {
                "title": titles[key],
                "date": short_date(planned),
                "url": timeline_url(slug),
            }
        elif late_baseline is not None:
            row["note"] = only_overdue
        else:
            row["note"] = all_held if scope_decided else no_plan
        # The slip (one definition: kehila.timeline.slip_days) of whichever is later: the overdue one,
        # which slips a day for every day it is not held, or the next one.
        slips = []
        if late_baseline:
            slips.append(slip_days(baseline=late_baseline, planned=today, actual=None, today=today))
        if key and baseline:
            slips.append(slip_days(baseline=baseline, planned=planned, actual=None, today=today))
        if slips:
            row["slip"] = max(slips)
            row["alarm"] = slip_severity(row["slip"], alert_days=alert_days) == "alarm"
        rows.append(row)
    # The national picture: stages and slips from what is read above, the next month in one query.
    context = {
        "rows": rows,
        "stage_count": len(Stage.choices),
        "by_stage": national.by_stage(current),
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
