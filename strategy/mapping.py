"""Importing mapping findings from CSV or XLSX: parse, check every row, show a preview, then save.

The preview travels to the confirm step signed (django.core.signing), so what is saved is exactly what
was previewed, and nothing is written before the user confirms.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehila.spreadsheets import SpreadsheetError, read_table

SALT = "strategy.mapping.import"
MAX_AGE = 60 * 60  # an hour to look at the preview
MAX_ROWS = 5_000  # findings per upload; the preview shows every row

# column -> its header; a file may name it in any of the portal's languages, or by the code itself.
LABELS = {
    "challenge": gettext_lazy("Challenge"),
    "indicator": gettext_lazy("Indicator"),
    "value": gettext_lazy("Value"),
    "unit": gettext_lazy("Unit"),
    "source": gettext_lazy("Source"),
    "date": gettext_lazy("Date"),
    "neighbourhood": gettext_lazy("Neighbourhood"),
}
# The names the first version accepted, whatever the catalogues say today.
ALIASES = {
    "neighborhood": "neighbourhood",
    "אתגר": "challenge",
    "מדד": "indicator",
    "ערך": "value",
    "יחידה": "unit",
    "מקור": "source",
    "תאריך": "date",
    "שכונה": "neighbourhood",
}
REQUIRED = ("challenge", "indicator", "value", "source", "date")


@functools.cache
def header_keys() -> dict[str, str]:
    """Every accepted header (lower case) -> its column; built once, the catalogues do not change."""
    keys = {column: column for column in LABELS} | ALIASES
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, label in LABELS.items():
                keys.setdefault(str(label).strip().lower(), column)
    return keys


def label(column: str) -> str:
    """The column's header in the active language (the user's), as errors name it."""
    return str(LABELS[column])


@dataclass
class ParsedRow:
    line: int
    data: dict
    errors: list[str] = field(default_factory=list)


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def parse(upload, challenges_by_number: dict) -> tuple[list[ParsedRow], list[str]]:
    """Rows with their own errors (line and column named), and errors about the file as a whole."""
    try:
        rows = read_table(upload, max_rows=MAX_ROWS)
    except SpreadsheetError as error:
        return [], [str(error)]
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
        return [], [_("The file could not be read. Upload a CSV (UTF-8) or an XLSX file.")]
    if not rows:
        return [], [_("The file is empty.")]
    index = {}
    for i, h in enumerate(rows[0]):
        column = header_keys().get(str(h or "").strip().lower())
        if column is not None:
            index.setdefault(column, i)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        return [], [
            _("Missing columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(label(c) for c in missing)}
        ]
    parsed = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in row):
            continue

        def cell(column, row=row):
            i = index.get(column)
            return row[i] if i is not None and i < len(row) else None

        errors = []
        data = {
            "indicator": str(cell("indicator") or "").strip(),
            "unit": str(cell("unit") or "").strip(),
            "source": str(cell("source") or "").strip(),
            "neighbourhood": str(cell("neighbourhood") or "").strip(),
        }
        try:
            number = int(str(cell("challenge") or "").strip())
        except ValueError:
            number = None
        if number not in challenges_by_number:
            errors.append(
                _(
                    "Line %(line)s, column “%(column)s”: there is no focus challenge number "
                    "%(value)s."
                )
                % {"line": line, "column": label("challenge"), "value": cell("challenge") or "—"}
            )
        data["challenge"] = number
        try:
            data["value"] = str(Decimal(str(cell("value")).strip().replace(",", "")))
        except (InvalidOperation, AttributeError):
            errors.append(
                _("Line %(line)s, column “%(column)s”: “%(value)s” is not a number.")
                % {"line": line, "column": label("value"), "value": cell("value") or ""}
            )
        day = _date(cell("date"))
        if day is None:
            errors.append(
                _(
                    "Line %(line)s, column “%(column)s”: “%(value)s” is not a date "
                    "(use DD/MM/YYYY or YYYY-MM-DD)."
                )
                % {"line": line, "column": label("date"), "value": cell("date") or ""}
            )
        data["date"] = day.isoformat() if day else ""
        for column in ("indicator", "source"):
            if not data[column]:
                errors.append(
                    _("Line %(line)s, column “%(column)s”: this is required.")
                    % {"line": line, "column": label(column)}
                )
        parsed.append(ParsedRow(line=line, data=data, errors=errors))
    if not parsed:
        return [], [_("The file has no rows under its header.")]
    return parsed, []


def sign_rows(rows: list[dict]) -> str:
    return signing.dumps(rows, salt=SALT, compress=True)


def unsign_rows(token: str) -> list[dict] | None:
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
