"""The plan's cached fragments rendered before the first visitor asks.

Every change to a plan gives its fragments a new generation (strategy/signals.py), so the first visitor
after a change renders them; the nightly warm-up (beat, before the working day) saves that render for the
municipalities nobody changed, which on a national install is nearly all of them on any given morning.
"""

from django.conf import settings
from django.utils import translation

from kehila.models import Municipality

from .dashboard import plan_panel_fragment
from .public_plan import public_plan_fragment


def plan_pages_warm(municipality_ids=None) -> int:
    """Render (where missing) every municipality's public plan body and dashboard plan card in every
    language; return how many fragments are now cached."""
    municipalities = Municipality.objects.order_by("pk")
    if municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=municipality_ids)
    warmed = 0
    for municipality in municipalities.iterator():
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                public_plan_fragment(municipality)
                plan_panel_fragment(municipality)
            warmed += 2
    return warmed
