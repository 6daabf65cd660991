from django import template

from strategy.rendering import money as format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value)


@register.filter
def track_label(value):
    """A track's name in the active language (plan snapshots store the value)."""
    from kehila.models import Track

    return dict(Track.choices).get(value, value)


@register.filter
def kind_label(value):
    from strategy.models import ActionKind

    return dict(ActionKind.choices).get(value, value)


@register.filter
def iso_date(value):
    """An ISO date string from a plan snapshot, shown as the language's short date (14.9.2026)."""
    import datetime

    from django.utils.formats import date_format

    try:
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return value


@register.filter
def shekels(value):
    """An amount with thousands separated and the shekel sign: 12,500 ₪."""
    from strategy.charts import shekels as format_shekels

    return format_shekels(value)


@register.filter
def source_label(value):
    from strategy.models import FundingSource

    return dict(FundingSource.choices).get(value, value)
