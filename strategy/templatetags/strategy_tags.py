from django import template

from strategy.rendering import money as format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value)
