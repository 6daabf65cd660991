"""The pilot's panel on the municipality dashboard: funnel and budget of the latest hackathon (4 queries)."""

from django.urls import reverse

from kehila.permissions import can

from . import selectors


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None or not can(request.user, "view_pilot", municipality):
        return None
    hackathon = selectors.current_hackathon(municipality)
    context = {
        "hackathon": hackathon,
        "url": reverse("pilots:dashboard", kwargs={"slug": municipality.slug}),
    }
    if hackathon:
        context.update(funnel=selectors.funnel(hackathon), budget=selectors.budget(hackathon))
    return {"template": "pilots/dashboard_panel.html", "context": context, "order": 60}
