"""Helpers for the pages that write long lists in Python instead of the template language (the stakeholder
filter, the timeline, the HQ overview, the public plan). Per row, a `{% url %}`, a `|date` and an
`{% include %}` cost more than the rest of such a page; these do each once per page. Choosing one of
many people is a picker (kehila.widgets) and the meeting's invitees are paged in a template: only the
stakeholder filter's organisations still use PlainSelect. Every other select still renders through
templates/django/forms/widgets/select.html, Django's own without an include per option."""

# Django's escape() is this plus lazy-string checks: too slow by the thousand.
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


def options_html(choices, selected=()) -> str:
    """`<option>`s for (value, label) pairs, escaped, the first one whose value is in `selected` marked
    (as Django's Select does)."""
    parts, marked = [], False
    for value, label in choices:
        value = "" if value is None else str(value)
        is_selected = not marked and value in selected
        marked = marked or is_selected
        parts.append(
            f'<option value="{escape(value)}"{" selected" if is_selected else ""}>'
            f"{escape(str(label))}</option>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value and label is escaped


class PlainSelect(forms.Select):
    """Django's single select with its options written by options_html(): the same HTML, without a
    template render per option (a picker of a thousand people, the stakeholder filter's hundreds)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 - the name and attributes through format_html, options escaped
            format_html('<select name="{}"{}>', name, flatatt(attrs))
            + "\n"
            + options_html(self.choices, self.format_value(value))
            + "\n</select>"
        )
