"""The municipality's action items and their status."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.permissions import can
from kehila.tenancy import municipality_view

from .. import selectors, services
from ..access import access_action_item
from ..forms import ActionStatusForm

ACTION_FILTERS = {
    "who": {"all", "assigned", "created"},
    "state": {"open", "done", "all"},
}


@municipality_view("view_committees")
def action_items(request):
    """The municipality's action items, narrowed to those assigned to me or created by me, open or
    done. The team sees all; everyone else sees their own."""
    may_see_all = can(request.user, "take_minutes", request.municipality)
    who = request.GET.get("who", "all" if may_see_all else "assigned")
    state = request.GET.get("state", "open")
    if who not in ACTION_FILTERS["who"] or (who == "all" and not may_see_all):
        who = "assigned"
    if state not in ACTION_FILTERS["state"]:
        state = "open"
    items = list(
        selectors.action_items_for(request.municipality, user=request.user, who=who, state=state)
    )
    for item in items:
        # An owner updates their own item (kehila.permissions); the owner is already loaded, and the
        # municipality is the request's (the same row, not read again per item).
        item.municipality = request.municipality
        item.may_update = may_see_all or can(request.user, "update_action_item", item)
    return render(
        request,
        "committees/action_items.html",
        {
            "items": items,
            "who": who,
            "state": state,
            "may_see_all": may_see_all,
            "may_update": may_see_all,
        },
    )


@municipality_view("view_committees")
def action_item_status(request, action_id):
    item = access_action_item(request, action_id, "update_action_item")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            item=item, status=form.cleaned_data["status"], actor=request.user
        )
        messages.success(request, _("The action item was updated."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/m/") and "//" not in next_url:
        return redirect(next_url)
    return redirect(
        "committees:meeting", slug=request.municipality.slug, meeting_id=item.meeting_id
    )
