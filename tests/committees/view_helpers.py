"""Helpers for the committees' page tests."""

from zoneinfo import ZoneInfo

from django.urls import reverse

TZ = ZoneInfo("Asia/Jerusalem")


def url(name, municipality, **kwargs):
    return reverse(f"committees:{name}", kwargs={"slug": municipality.slug, **kwargs})
