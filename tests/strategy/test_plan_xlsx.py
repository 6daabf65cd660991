"""The plan's workbook in the user's language: right to left in Hebrew and Arabic, a frozen header,
dates as date cells and amounts as shekels (issue 17 §3)."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kehila.spreadsheets import DATE_FORMAT, MONEY_FORMAT
from tests.strategy.plan_factories import a_plan_version

pytestmark = pytest.mark.django_db


def workbook(client, user, municipality, language):
    version = a_plan_version(municipality)
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(f"/m/{municipality.slug}/strategy/plan/v/{version.pk}/xlsx/")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(("language", "rtl"), [("he", True), ("ar", True), ("en", False)])
def test_the_plan_workbook_speaks_the_users_language(client, manager, municipality, language, rtl):
    book = workbook(client, manager, municipality, language)
    with translation.override(language):
        expected = [translation.gettext(t) for t in ("Objectives", "Actions", "Budget")]
        action_header = translation.gettext("Action")
    assert book.sheetnames == expected
    for sheet in book.worksheets:
        assert bool(sheet.sheet_view.rightToLeft) is rtl
        assert sheet.freeze_panes == "A2"
    assert book.worksheets[1]["B1"].value == action_header


def test_the_plan_workbook_has_dates_as_dates_and_amounts_in_shekels(client, manager, municipality):
    book = workbook(client, manager, municipality, "he")
    objectives, actions, budget = book.worksheets
    baseline = objectives["F2"]
    assert (baseline.value, baseline.number_format) == (datetime.datetime(2027, 1, 1), DATE_FORMAT)
    assert objectives["E2"].value == 100 and objectives["E2"].data_type == "n"
    start, end, year, _source, amount = actions[2][5:10]
    assert (start.value, start.number_format) == (datetime.datetime(2027, 3, 1), DATE_FORMAT)
    assert end.value == datetime.datetime(2028, 6, 30) and end.is_date
    assert (year.value, year.number_format) == (2027, "General")
    assert (amount.value, amount.number_format) == (50000, MONEY_FORMAT)
    total = list(budget.iter_rows())[-3][-1]
    assert (total.value, total.number_format) == (75000, MONEY_FORMAT)
