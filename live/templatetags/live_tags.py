from django import template

register = template.Library()


@register.filter
def live_clock(seconds) -> str:
    """Seconds as m:ss, the way a speaker's timer reads."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"
