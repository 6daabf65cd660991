"""Helpers for the pages that draw many rows (the stakeholder list, the timeline, the HQ overview, the
public plan): per row, a `{% url %}` and a `|date` cost more than the rest of such a page, so these do
each once per page and the template writes the rows. No list is written as HTML in Python any more:
choosing one of many people or organisations is a picker (kehila.widgets) that draws only the chosen
option, long lists are paged, and every select renders through templates/django/forms/widgets/select.html
(Django's own, without an include per option)."""

from django.urls import reverse
from django.utils.formats import date_format, get_format

_MARKER = 987654321  # fits both the int and the slug converters


def url_maker(name: str, param: str, **kwargs):
    """A function from one URL parameter's value to the named page's URL: one reverse() for a page of
    rows (slugs and ids need no quoting, which reverse() would not have done either)."""
    head, _marker, tail = reverse(name, kwargs={**kwargs, param: _MARKER}).rpartition(str(_MARKER))
    return lambda value: f"{head}{value}{tail}"


def date_formatter(format_name: str = "SHORT_DATE_FORMAT"):
    """A function that writes dates as the active language's `format_name` does. A format of day, month
    and year digits (the short date, 14.9.2026) becomes one str.format pattern; any other is Django's,
    once per distinct date."""
    fmt = get_format(format_name)
    codes = {"d": "{0:02d}", "j": "{0}", "m": "{1:02d}", "n": "{1}", "Y": "{2}", "y": "{3:02d}"}
    if all(c in codes or not c.isalpha() for c in fmt):
        pattern = "".join(codes.get(c, c.replace("{", "{{").replace("}", "}}")) for c in fmt)
        return lambda day: (
            pattern.format(day.day, day.month, day.year, day.year % 100) if day else ""
        )
    memo: dict = {}

    def formatted(day) -> str:
        if not day:
            return ""
        if day not in memo:
            memo[day] = date_format(day, format_name)
        return memo[day]

    return formatted
