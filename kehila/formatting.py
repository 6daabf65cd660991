"""One voice for numbers: every amount of money the portal shows, sends or prints is written here.

Thousands are separated with a comma and the shekel sign follows the number after a no-break space
("12,500 ₪") in Hebrew, Arabic and English alike: the way Israeli municipal documents and the Bank of
Israel write it, and one form a reader meets on every page, e-mail, PDF and chart. Agorot show only when
there are some.
"""

from decimal import Decimal, InvalidOperation


def money(value) -> str:
    """A number with thousands separated: 180,000 (or 1,250.50)."""
    try:
        value = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def shekels(value) -> str:
    """An amount of money: 180,000 ₪, never wrapped between number and sign."""
    if value is None or value == "":
        return "—"
    return f"{money(value)}\u00a0₪"


def hebrew_date(value, language: str | None = None) -> str:
    """The Hebrew calendar date ("כ״ב כסלו תשפ״ז") beside the Gregorian one, where Israelis expect it: on
    Hebrew pages and e-mails (a meeting's invitation, its page). Other languages get nothing: an Arabic
    or English reader keeps one date, in their own calendar's words."""
    import datetime

    from django.utils import timezone, translation
    from pyluach import dates

    language = (language or translation.get_language() or "he")[:2]
    if language != "he" or value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.GregorianDate(value.year, value.month, value.day).to_heb().hebrew_date_string()
