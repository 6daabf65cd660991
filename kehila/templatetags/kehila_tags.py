from django import template

from kehila import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    """{% can "edit_partners" request.municipality as may_edit %}: templates ask the permissions module."""
    return permissions.can(context["request"].user, action, obj)
