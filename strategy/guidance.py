"""The program guidance's recommendations that the scope and challenge pages warn about: warnings only,
the work may go on (the gates that block are strategy/gates.py).
"""

from django.utils.translation import gettext_lazy as _

FOCUS_CHALLENGE_COUNT = 5


def track_count_warning(tracks) -> str:
    """The guidance recommends two or three tracks: one is too narrow, four spreads the program thin."""
    count = len(tracks)
    if count == 1:
        return str(_("Only one track: the guidance recommends choosing two or three tracks."))
    if count == 4:
        return str(_("All four tracks: the guidance recommends focusing on two or three tracks."))
    return ""


def challenge_count_warning(count: int) -> str:
    if count != FOCUS_CHALLENGE_COUNT:
        return str(
            _(
                "The design committee should settle exactly five focus challenges; there are %(count)s."
            )
            % {"count": count}
        )
    return ""
