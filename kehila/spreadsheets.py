"""The one way the portal writes and reads spreadsheets (CSV and XLSX).

Writing: a name such as `=HYPERLINK("http://evil/", "click")` opens in Excel or LibreOffice as text,
never as a formula (OWASP's "CSV injection"): in XLSX every text is a string cell (no program evaluates
one, and nothing shows), in CSV, which has no types, such text gets a leading apostrophe. Headers and
values come in the active language (the user's); sheets run right to left for Hebrew and Arabic, with
a frozen header row, dates as dates and amounts (`Money`) as shekels. tests/kehila/test_exports.py walks
the URL map and opens every export, so a new export that bypasses this module fails there.

Reading: an .xlsx upload is a zip archive that may inflate a hundredfold; its members' sizes are checked
from the zip directory before openpyxl parses anything, then the sheet is read in openpyxl's streaming
(read-only) mode and reading stops one row past the limit. A CSV is bounded by its byte size and the
same row limit.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

# OWASP: a cell that starts with one of these is read as a formula (tab and CR too, because some
# spreadsheet programs drop them and read on).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

# Upload limits. A 10,000-row stakeholder sheet unpacks to a few MB; the limits leave ten times that.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_BYTES = 40 * 1024 * 1024
MAX_MEMBERS = 200
# Real sheets compress 5-20 times; a bomb thousands of times. Small members (styles) may compress well.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
# Cells read per row: no import of ours has this many columns, and a crafted dimension (A1:XFD1048576)
# must not make every row 16,384 cells wide.
MAX_COLUMNS = 64
MAX_BLANK_ROWS = 10_000

NUMBERS = (int, float, Decimal)


class SpreadsheetError(Exception):
    """The upload cannot be read; the message says why, in the uploader's language."""


# --- writing ---------------------------------------------------------------------------------------

# Excel number formats: dates as the portal writes them (day first, as in Israel), shekels with the sign.
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_FORMAT = '#,##0 "₪"'
MIN_WIDTH, MAX_WIDTH = 8, 60


class Money(Decimal):
    """An amount in shekels: a number cell with the shekel format in XLSX, a plain number in CSV."""


def formula_like(text: str) -> bool:
    """Would a spreadsheet program run this text as a formula? Leading whitespace (spaces, new lines,
    no-break spaces) does not hide a formula: some programs strip it before deciding."""
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def neutralise(value):
    """A CSV cell as it may be written: text that a spreadsheet would run as a formula gets a leading '.

    CSV has no cell types, so the apostrophe (OWASP's advice) is the only way to say "text"; Excel and
    LibreOffice show it. XLSX does not need it: `write_xlsx` stores such text as a string cell, which no
    program evaluates. Numbers stay numbers (a number is never a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, NUMBERS):
        return value
    text = str(value)
    if formula_like(text):
        return "'" + text
    return text


def unneutralise(value) -> str:
    """Read back a cell this module wrote: strip the ' that `neutralise` added (CSV, and the XLSX files
    written before string cells), and whitespace."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and neutralise(text[1:]) == text:
        text = text[1:]
    return text


@dataclass
class Sheet:
    title: str
    rows: Iterable[Sequence]  # the first row is the header
    # None: right to left when the active language is (Hebrew, Arabic).
    right_to_left: bool | None = None


def _csv_cell(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()  # what every spreadsheet program reads as a date, in any locale
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+3
    return neutralise(value)


def write_csv(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM, so Excel opens Hebrew correctly; formula-like text behind an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Money):
        return len(f"{value:,.0f}") + 2
    if isinstance(value, bool):
        return len(yes_no(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _xlsx_cell(out, value, *, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, bool):
        value = yes_no(value)
    elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)
    elif value is not None and not isinstance(value, (*NUMBERS, datetime.date)):
        value = str(value)
    cell = WriteOnlyCell(out, value=value)
    if isinstance(value, str):
        # Stored as a string cell, which no spreadsheet program evaluates: text starting with = stays
        # text without a visible apostrophe. quotePrefix is what Excel itself sets for '=..., so that
        # editing the cell keeps it text too.
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, Money):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """Each sheet with its header row bold and frozen, columns as wide as their content, right to left
    for Hebrew and Arabic; dates are date cells, Money a shekel amount, text string cells."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        out = workbook.create_sheet(title=_sheet_title(sheet.title))
        rows = [list(row) for row in sheet.rows]
        right_to_left = sheet.right_to_left
        if right_to_left is None:
            right_to_left = translation.get_language_bidi()
        # The sheet's view and columns are written before its rows in write-only mode.
        if right_to_left:
            out.sheet_view.rightToLeft = True
        out.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for row in rows:
            for index, value in enumerate(row, start=1):
                widths[index] = max(widths.get(index, 0), _width(value))
        for index, width in widths.items():
            out.column_dimensions[get_column_letter(index)].width = (
                min(max(width, MIN_WIDTH), MAX_WIDTH) + 2
            )
        for number, row in enumerate(rows):
            out.append([_xlsx_cell(out, value, bold=number == 0) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title) -> str:
    """Excel refuses these characters in a sheet's name and more than 31 of them."""
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text.strip()[:31] or "Sheet"


def spreadsheet_response(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """A download of `content` (made by write_csv or write_xlsx) named `filename`.`fmt`."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- reading ---------------------------------------------------------------------------------------


def read_table(uploaded, *, max_rows: int, max_bytes: int = MAX_UPLOAD_BYTES) -> list[list]:
    """The rows of an uploaded CSV or XLSX (header included, blank rows dropped, trailing empty cells
    trimmed). Raise SpreadsheetError for a wrong type, an oversize or inflating file, or more than
    `max_rows` rows under the header; nothing past row max_rows + 1 is parsed."""
    name = (uploaded.name or "").lower()
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise SpreadsheetError(_("Upload a CSV or an Excel (.xlsx) file."))
    table, blank = [], 0
    for row in rows:
        if not row:
            # Blank rows are dropped, but still bounded: a row numbered 1,048,576 makes openpyxl
            # yield every missing row before it.
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise SpreadsheetError(
                    _("The file has more than %(max)s rows.") % {"max": max_rows}
                )
            continue
        if len(table) > max_rows:
            raise SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": max_rows})
        table.append(row)
    return table


def _kept(rows: Iterable[Sequence]) -> Iterator[list]:
    """Each row with its trailing empty cells trimmed (a blank row becomes [])."""
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
            cells.pop()
        yield cells


def _csv_rows(data: bytes) -> Iterator[list]:
    for encoding in ("utf-8-sig", "cp1255"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The CSV file is not in a text encoding we can read (use UTF-8)."))
    if "\x00" in text:
        raise SpreadsheetError(_("Upload a CSV or an Excel (.xlsx) file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from _kept(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from error


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose members would inflate past the limits, before anything is unpacked.

    The sizes come from the zip's central directory. A crafted archive may declare less than it holds,
    but Python's zipfile (which openpyxl reads through) stops each member at its declared size and
    fails the CRC check, so the declared sizes bound what is unpacked."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SpreadsheetError(
            _("The Excel file cannot be opened. Save it again as .xlsx.")
        ) from error
    too_large = _(
        "The Excel file unpacks to more than %(size)s MB. Remove unused sheets and "
        "formatting, or save it as CSV."
    ) % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(too_large)
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNPACKED_BYTES or member.file_size > MAX_MEMBER_BYTES:
            raise SpreadsheetError(too_large)
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise SpreadsheetError(too_large)


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise SpreadsheetError(
            _("The Excel file cannot be opened. Save it again as .xlsx.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Trust no <dimension>: openpyxl stops at its last row (a file saying A1:A1 would lose every
        # row past the header) and pads each row to its width.
        sheet.reset_dimensions()
        yield from _kept(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise SpreadsheetError(
            _("The Excel file cannot be opened. Save it again as .xlsx.")
        ) from error
    finally:
        workbook.close()
