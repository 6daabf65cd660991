"""Israeli phone numbers in one canonical national form, so that duplicates are found however they were typed.

Canonical forms: mobiles and 07X numbers `05X-XXXXXXX` / `07X-XXXXXXX`, landlines `0X-XXXXXXX`. The
national form starts with 0, so an exported cell never starts with '+' (one less formula-injection case).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-().\u200e\u200f\u202a-\u202e]")
_TEN_DIGITS = re.compile(r"^0[57]\d{8}$")  # mobile 05X, VoIP/other 07X
_NINE_DIGITS = re.compile(r"^0[2-489]\d{7}$")  # landline area codes 02, 03, 04, 08, 09

INVALID = _("Enter an Israeli phone number, e.g. 050-1234567, 02-6234567 or +972 50 123 4567.")


def normalise_phone(raw: str) -> str:
    """Return the canonical form of an Israeli phone number, '' for an empty one; raise ValidationError."""
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        return ""
    if value.startswith("+972"):
        value = "0" + value[4:]
    elif value.startswith("00972"):
        value = "0" + value[5:]
    elif value.startswith("972") and len(value) in (11, 12):
        value = "0" + value[3:]
    if value.isdigit() and (
        (len(value) == 9 and value[0] in "57") or (len(value) == 8 and value[0] in "23489")
    ):
        value = "0" + value  # a spreadsheet dropped the leading zero of a number cell
    if value.startswith("00"):  # +972 0X...: a stray trunk zero after the country code
        value = value[1:]
    if _TEN_DIGITS.match(value):
        return f"{value[:3]}-{value[3:]}"
    if _NINE_DIGITS.match(value):
        return f"{value[:2]}-{value[2:]}"
    raise ValidationError(INVALID, code="invalid_phone")
