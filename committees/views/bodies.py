"""A municipality's committees: the list, a committee's page and settings, its members, and the
composition targets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import selectors, services
from ..forms import (
    CommitteeForm,
    CommitteeNamesForm,
    CommitteeTimesForm,
    MemberForm,
    TargetsForm,
)
from ..models import (
    Committee,
    CommitteeMember,
    Sector,
)


@municipality_view("view_committees")
def committee_list(request):
    municipality = request.municipality
    context = {
        "committees": list(selectors.committees_of(municipality)),
        "pending_applications": (
            selectors.pending_applications(municipality).count()
            if can(request.user, "manage_committees", municipality)
            else 0
        ),
        "form": CommitteeForm(),
    }
    return render(request, "committees/list.html", context)


@municipality_view("manage_committees")
def committee_create(request):
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                municipality=request.municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The committee was created."))
            return redirect(
                "committees:detail", slug=request.municipality.slug, committee_id=committee.pk
            )
    return render(request, "committees/committee_form.html", {"form": form})


@municipality_view("view_committees")
def committee_detail(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    return _committee_page(request, committee)


def _committee_page(request, committee, times_form=None, names_form=None):
    members = list(selectors.active_members(committee))
    voting = [m for m in members if m.has_vote]
    rows = selectors.composition(committee, voting)
    may_manage = can(request.user, "manage_committees", request.municipality)
    context = {
        "committee": committee,
        "members": members,
        "composition": rows,
        "short_rows": [r for r in rows if r.short],
        "size_warning": selectors.size_warning(committee, len(members)),
        "size_min": selectors.WORK_TEAM_MIN,
        "size_max": selectors.WORK_TEAM_MAX,
        "meetings": list(selectors.meetings_of(committee)),
        "member_form": MemberForm(municipality=request.municipality) if may_manage else None,
        "times_form": (times_form or CommitteeTimesForm(instance=committee))
        if may_manage
        else None,
        "names_form": (names_form or CommitteeNamesForm(instance=committee))
        if may_manage
        else None,
        "may_manage": may_manage,
        "feed_url": request.build_absolute_uri(
            reverse(
                "committees_public:committee_feed",
                kwargs={"token": services.committee_feed_token(committee=committee)},
            )
        ),
    }
    return render(request, "committees/committee_detail.html", context)


@municipality_view("manage_committees")
def committee_sharing(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.committee_set_attendance_sharing(
        committee=committee,
        shared=request.POST.get("members_see_attendance") == "on",
        actor=request.user,
    )
    messages.success(request, _("The committee's sharing setting was saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def committee_times(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        # The address a refused form re-rendered at: opened again (or in another language), it is the
        # committee's page.
        return _committee_page(request, committee)
    form = CommitteeTimesForm(request.POST, instance=Committee.objects.get(pk=committee.pk))
    if not form.is_valid():
        # The page again, with what was typed and why it was refused.
        return _committee_page(request, committee, times_form=form)
    services.committee_set_times(committee=committee, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The committee's days were saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def committee_names(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        return _committee_page(request, committee)
    form = CommitteeNamesForm(request.POST, instance=Committee.objects.get(pk=committee.pk))
    if not form.is_valid():
        return _committee_page(request, committee, names_form=form)
    services.committee_rename(committee=committee, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The committee's names were saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def member_add(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    form = MemberForm(request.POST or None, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member was added."))
            return redirect(
                "committees:detail", slug=request.municipality.slug, committee_id=committee.pk
            )
    return render(request, "committees/member_form.html", {"committee": committee, "form": form})


@municipality_view("manage_committees")
def member_end(request, member_id):
    member = get_for_municipality(CommitteeMember.objects, request.municipality, pk=member_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.member_end(member=member, actor=request.user)
    messages.success(request, _("The membership has ended."))
    return redirect(
        "committees:detail", slug=request.municipality.slug, committee_id=member.committee_id
    )


@municipality_view("manage_committees")
def targets(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or Committee.Kind.DESIGN
    if kind not in Committee.Kind.values:
        kind = Committee.Kind.DESIGN
    current = selectors.composition_targets(request.municipality, kind)
    form = TargetsForm(request.POST or None, initial_percents=current)
    if request.method == "POST" and form.is_valid():
        services.composition_targets_set(
            municipality=request.municipality,
            committee_kind=kind,
            percents={s: form.cleaned_data.get(s) for s in Sector.values},
            actor=request.user,
        )
        messages.success(request, _("The composition targets were saved."))
        return redirect(
            reverse("committees:targets", kwargs={"slug": request.municipality.slug})
            + f"?kind={kind}"
        )
    return render(
        request,
        "committees/targets.html",
        {"form": form, "kind": kind, "kinds": Committee.Kind.choices},
    )
