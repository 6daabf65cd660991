"""The timeline in people's words, in the user's language: the engine's errors, why a day is kept
free, a rule's name."""

from __future__ import annotations

from datetime import date

import holidays
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from .. import timeline as engine
from ..models import milestone_title


def error_message(error: engine.TimelineError) -> str:
    """The engine's error in the user's language, rebuilt from its code and params."""
    p = error.params
    if error.code == "not_after_predecessor":
        return gettext(
            "“%(title)s” on %(date)s would come before or on the day of “%(predecessor)s” "
            "(%(predecessor_date)s): choose a later date."
        ) % {
            "title": milestone_title(p["key"]),
            "date": date_format(p["date"], "SHORT_DATE_FORMAT"),
            "predecessor": milestone_title(p["predecessor"]),
            "predecessor_date": date_format(p["predecessor_date"], "SHORT_DATE_FORMAT"),
        }
    if error.code == "unknown_keys":
        return gettext("Unknown milestone: %(keys)s") % {"keys": ", ".join(p.get("keys", []))}
    if error.code == "unknown_tracks":
        return gettext("Unknown track: %(tracks)s") % {
            "tracks": ", ".join(str(t) for t in p.get("tracks", []))
        }
    return gettext("The program's timeline settings are not valid: %(detail)s") % {
        "detail": error.message
    }


def _holiday_names() -> dict[str, str]:
    return {
        "rosh_hashanah": gettext("Rosh Hashanah"),
        "yom_kippur": gettext("Yom Kippur"),
        "pesach": gettext("Pesach"),
        "shavuot": gettext("Shavuot"),
        "sukkot": gettext("Sukkot"),
        "eid_al_fitr": gettext("Eid al-Fitr"),
        "eid_al_adha": gettext("Eid al-Adha"),
        "christmas": gettext("Christmas"),
        "orthodox_christmas": gettext("Orthodox Christmas"),
        "easter": gettext("Easter"),
        "orthodox_easter": gettext("Orthodox Easter"),
        "good_friday": gettext("Good Friday"),
        "orthodox_good_friday": gettext("Orthodox Good Friday"),
        "nabi_shuayb": gettext("Nabi Shu'ayb"),
        "remembrance_day": gettext("Remembrance Day"),
        "holocaust_remembrance_day": gettext("Holocaust Remembrance Day"),
        "tisha_bav": gettext("Tisha B'Av"),
    }


def day_off_text(day: date, off: engine.DayOff) -> str:
    """Why `day` is kept free, in the user's language ("eve of Yom Kippur", "Friday")."""
    if off.kind == "weekend":
        return date_format(day, "l")
    if off.kind == "public_holiday":
        # The holidays package names Israel's public holidays in Hebrew and English itself, not in Arabic:
        # in Arabic the portal's own name of the holiday, where it has one.
        if translation.get_language() == "ar" and off.holiday in _holiday_names():
            return _holiday_names()[off.holiday]
        language = "he" if translation.get_language() == "he" else "en_US"
        return holidays.country_holidays("IL", years=day.year, language=language).get(
            day, off.reason
        )
    name = _holiday_names()[off.holiday]
    if off.kind == "holiday_eve":
        return gettext("eve of %(holiday)s") % {"holiday": name}
    if off.kind == "chol_hamoed":
        return gettext("Chol HaMoed %(holiday)s") % {"holiday": name}
    return name


def rule_title(name: str) -> str:
    """A rule's name for people: the milestone it dates (team rules cover every chosen track)."""
    if name.startswith("team_"):
        return gettext("Work team meeting %(number)s (every track)") % {"number": name[5:]}
    return milestone_title(name)
