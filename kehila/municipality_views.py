"""HQ's page for one municipality: pause and reopen it, and follow its onboarding checklist.

Kept apart from /hq/check/<slug>/ (the data check). The onboarding panel of the dashboard is here too:
the manager sees the same checklist there while it is not complete."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import onboarding
from .models import AuditLog, Municipality
from .pausing import municipality_pause, municipality_reopen
from .permissions import can, paused_message, require


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it paused?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("The municipality's people see who paused it and since when."),
    )


@login_required
def hq_municipality(request, slug):
    require(request.user, "view_hq")
    municipality = get_object_or_404(Municipality.objects.select_related("paused_by"), slug=slug)
    form = PauseForm()
    if request.method == "POST":
        try:
            if request.POST.get("do") == "reopen":
                municipality_reopen(municipality=municipality, actor=request.user)
                messages.success(request, gettext("The municipality is open again."))
                return redirect("kehila:hq_municipality", slug=slug)
            form = PauseForm(request.POST)
            if form.is_valid():
                municipality_pause(
                    municipality=municipality,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
                messages.success(request, gettext("The municipality is paused."))
                return redirect("kehila:hq_municipality", slug=slug)
        except ValidationError as error:
            form.add_error(None, error)
    history = AuditLog.objects.filter(
        municipality=municipality, action__in=["municipality.pause", "municipality.reopen"]
    ).select_related("actor")[:10]
    return render(
        request,
        "kehila/hq_municipality.html",
        {
            "municipality": municipality,
            "form": form,
            "may_pause": can(request.user, "pause_municipality", municipality),
            "paused_text": paused_message(municipality) if municipality.is_paused else "",
            "checklist": onboarding.checklist(municipality),
            "history": history,
        },
    )


def onboarding_panel(request):
    """The dashboard's panel: the checklist, for the manager and HQ, while it is not complete."""
    municipality = request.municipality
    if not can(request.user, "view_onboarding", municipality):
        return None
    # The dashboard loads its program with the checklist's facts annotated: no query of its own.
    items = onboarding.checklist(municipality, facts=getattr(request, "program", None))
    if onboarding.is_complete(items):
        return None
    return {
        "template": "kehila/onboarding_panel.html",
        "context": {"items": items, "done": sum(1 for i in items if i.done), "total": len(items)},
        "order": 0,
    }
