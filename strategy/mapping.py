"""Importing mapping findings from CSV or XLSX: parse, check every row, show a preview, then save.

The preview travels to the confirm step signed (django.core.signing), so what is saved is exactly what
was previewed, and nothing is written before the user confirms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.utils.translation import gettext as _

from kehila.spreadsheets import SpreadsheetError, read_table

SALT = "strategy.mapping.import"
MAX_AGE = 60 * 60  # an hour to look at the preview
MAX_ROWS = 5_000  # findings per upload; the preview shows every row

# column -> accepted header names (English and Hebrew)
COLUMNS = {
    "challenge": ("challenge", "אתגר"),
    "indicator": ("indicator", "מדד"),
    "value": ("value", "ערך"),
    "unit": ("unit", "יחידה"),
    "source": ("source", "מקור"),
    "date": ("date", "תאריך"),
    "neighbourhood": ("neighbourhood", "neighborhood", "שכונה"),
}
REQUIRED = ("challenge", "indicator", "value", "source", "date")


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
    header = [str(h or "").strip().lower() for h in rows[0]]
    index = {}
    for column, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                index[column] = i
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        return [], [
            _("Missing columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)}
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
                    "Line %(line)s, column “challenge”: there is no focus challenge number %(value)s."
                )
                % {"line": line, "value": cell("challenge") or "—"}
            )
        data["challenge"] = number
        try:
            data["value"] = str(Decimal(str(cell("value")).strip().replace(",", "")))
        except (InvalidOperation, AttributeError):
            errors.append(
                _("Line %(line)s, column “value”: “%(value)s” is not a number.")
                % {"line": line, "value": cell("value") or ""}
            )
        day = _date(cell("date"))
        if day is None:
            errors.append(
                _("Line %(line)s, column “date”: “%(value)s” is not a date (use YYYY-MM-DD).")
                % {"line": line, "value": cell("date") or ""}
            )
        data["date"] = day.isoformat() if day else ""
        for column in ("indicator", "source"):
            if not data[column]:
                errors.append(
                    _("Line %(line)s, column “%(column)s”: this is required.")
                    % {"line": line, "column": column}
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
