"""The dashboard reads every stage. This is the top layer of kehila: it may import stage apps.

Each stage app offers a `dashboard.panel(request) -> dict | None` returning {"template", "context",
"order"}, or {"html", "order"} when it renders (and caches) its card itself; the panel does its own
reads through its app's selectors, with a fixed number of queries.
"""

from django.utils.module_loading import import_string

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
