from django import template

from kehila import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    """{% can "edit_partners" request.municipality as may_edit %}: templates ask the permissions module."""
    return permissions.can(context["request"].user, action, obj)


@register.filter
def shekels(value):
    """{{ amount|shekels }}: 180,000 ₪ (kehila.formatting, the one place amounts are written)."""
    from kehila.formatting import shekels as format_shekels

    return format_shekels(value)


@register.filter
def hebrew_date(value):
    """{{ meeting.starts_at|hebrew_date }}: the Hebrew calendar date on Hebrew pages, else empty."""
    from kehila.formatting import hebrew_date as format_hebrew_date

    return format_hebrew_date(value)
