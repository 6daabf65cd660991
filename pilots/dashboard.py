"""The pilot's panel on the municipality dashboard: funnel and budget of the latest hackathon (4 queries)."""

from django.urls import reverse

from kehila.permissions import can

from . import charts, selectors


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return None
    scoring_url = reverse("pilots:scoring", kwargs={"slug": municipality.slug})
    if not can(request.user, "view_pilot", municipality):
        # A committee member without the pilot's pages still needs the way to their scoring.
        if can(request.user, "score_initiatives", municipality) and selectors.sits_on_a_committee(
            request.user, municipality
        ):
            return {
                "template": "pilots/dashboard_panel_scoring.html",
                "context": {"url": scoring_url},
                "order": 60,
            }
        return None
    hackathon = selectors.current_hackathon(municipality)
    context = {
        "hackathon": hackathon,
        "url": reverse("pilots:dashboard", kwargs={"slug": municipality.slug}),
    }
    if hackathon:
        budget = selectors.budget(hackathon)
        context.update(
            funnel=selectors.funnel(hackathon), budget=budget, budget_bar=charts.budget_bar(budget)
        )
    return {"template": "pilots/dashboard_panel.html", "context": context, "order": 60}
