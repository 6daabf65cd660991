"""One way of writing a date per language (issue 17 §4): templates and code name a format
(kehila/formats/<language>/formats.py), the short date is 14.9.2026 in Hebrew, Arabic and English, the
long forms name the month in the reader's language, and near a holiday the timeline gives the Hebrew
date beside the civil one."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import FORMAT_SETTINGS, date_format, get_format

from kehila import scheduling
from kehila import timeline as engine
from kehila.formats import CUSTOM_FORMATS
from kehila.rows import date_formatter
from tests.kehila.timeline_factories import milestone, plan_program

ROOT = Path(settings.BASE_DIR)
NAMED = {name for name in FORMAT_SETTINGS if name.endswith("_FORMAT")} | set(CUSTOM_FORMATS)
# What a machine reads, not a person: ISO dates in value= and data- attributes, datetime= of <time>.
MACHINE = {"c", "Y-m-d", "U"}
# Not a date: a weekday's name alone ("Friday", why a day is kept free).
WORDS = {"l"}
LITERAL = re.compile(
    r"""\|(?:date|time):\s*(["'])(?P<format>[^"']*)\1|\{%\s*now\s+(["'])(?P<now>[^"']*)\3"""
)
PYTHON_LITERAL = re.compile(
    r"""date_format\([^()]*(?:\([^()]*\)[^()]*)*,\s*["'](?P<format>[^"']+)["']"""
)
SKIP = {".venv", "node_modules", "staticfiles", ".git", "var"}

# Monday 14 September 2026, 18:05 in Jerusalem: two days after Rosh Hashanah 5787 (12-13 September).
EVENING = datetime.datetime(2026, 9, 14, 18, 5, tzinfo=ZoneInfo("Asia/Jerusalem"))


def _files(pattern: str):
    for path in ROOT.rglob(pattern):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def _templates():
    for path in _files("*"):
        parts = path.relative_to(ROOT).parts
        if (
            path.is_file()
            and "templates" in parts
            and path.suffix in {".html", ".txt", ".ics", ".xml"}
        ):
            yield path


def test_every_template_names_its_date_format():
    spelled = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in LITERAL.finditer(line):
                fmt = (
                    match.group("format")
                    if match.group("format") is not None
                    else match.group("now")
                )
                if fmt not in NAMED and fmt not in MACHINE:
                    spelled.append(f"{path.relative_to(ROOT)}:{number}: {fmt!r}")
    assert spelled == [], (
        "a date format spelled out instead of named (kehila/formats):\n" + "\n".join(spelled)
    )


def test_the_scan_finds_a_spelled_out_format():
    line = '{{ a|date:"j.n.Y" }} {{ b|date:"SHORT_DATE_FORMAT" }} {{ c|date:\'Y-m-d\' }} {% now "d/m/Y" %}'
    found = [m.group("format") or m.group("now") for m in LITERAL.finditer(line)]
    assert [f for f in found if f not in NAMED | MACHINE] == ["j.n.Y", "d/m/Y"]


def test_the_code_names_its_date_format_too():
    spelled = []
    for path in _files("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "bench"} or "migrations" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in PYTHON_LITERAL.finditer(text):
            if match.group("format") not in NAMED | WORDS:
                number = text[: match.start()].count("\n") + 1
                spelled.append(f"{path.relative_to(ROOT)}:{number}: {match.group('format')!r}")
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"%d[/.]%m|%m/%d", line) and "mapping.py" not in path.name:
                spelled.append(f"{path.relative_to(ROOT)}:{number}: strftime {line.strip()!r}")
    assert spelled == [], "a date format spelled out in code:\n" + "\n".join(spelled)


@pytest.mark.parametrize("language", ["he", "en", "ar"])
def test_each_language_defines_every_custom_format(language):
    # A name missing from one language's module would be written out letter by letter as a format.
    with translation.override(language):
        for name in CUSTOM_FORMATS:
            assert get_format(name) != name, (language, name)


@pytest.mark.parametrize(
    "language,short,long,long_datetime,meeting",
    [
        (
            "he",
            "14.9.2026",
            "14 בספטמבר 2026",
            "14 בספטמבר 2026, 18:05",
            "יום שני, 14 בספטמבר 2026, 18:05",
        ),
        (
            "en",
            "14.9.2026",
            "14 September 2026",
            "14 September 2026, 18:05",
            "Monday, 14 September 2026, 18:05",
        ),
        (
            "ar",
            "14.9.2026",
            "14 سبتمبر 2026",
            "14 سبتمبر 2026، 18:05",
            "الاثنين، 14 سبتمبر 2026، 18:05",
        ),
    ],
)
def test_a_date_reads_the_same_way_through_the_named_formats(
    language, short, long, long_datetime, meeting
):
    template = Template(
        '{% load tz %}{% timezone "Asia/Jerusalem" %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}|'
        '{{ d|date:"DATETIME_FORMAT" }}|{{ d|date:"SHORT_DATETIME_FORMAT" }}|'
        '{{ d|date:"WEEKDAY_DATETIME_FORMAT" }}|{{ d|date:"TIME_FORMAT" }}{% endtimezone %}'
    )
    with translation.override(language):
        rendered = template.render(Context({"d": EVENING})).split("|")
        assert rendered == [short, long, long_datetime, f"{short} 18:05", meeting, "18:05"]
        # The pages that write dates in Python write them the same way.
        assert date_formatter()(EVENING.date()) == short
        assert date_formatter("DATE_FORMAT")(EVENING.date()) == long
        assert date_format(datetime.date(2027, 1, 3), "SHORT_DATE_FORMAT") == "3.1.2027"


def test_the_month_is_named_in_the_readers_language():
    day = datetime.date(2026, 9, 14)
    names = {}
    for language in ("he", "en", "ar"):
        with translation.override(language):
            names[language] = (
                date_format(day, "YEAR_MONTH_FORMAT"),
                date_format(day, "CHART_MONTH_FORMAT"),
            )
    assert names["he"] == ("ספטמבר 2026", "ספט 26")
    assert names["en"] == ("September 2026", "Sep 26")
    assert names["ar"] == ("سبتمبر 2026", "سبتمبر 26")


@pytest.mark.parametrize("language", ["he", "en", "ar"])
def test_numbers_are_written_as_money_is(language):
    from django.utils.formats import number_format

    from kehila.formatting import money

    with translation.override(language):
        assert number_format(1250.5, 1, force_grouping=True) == "1,250.5"
        assert money("1250.50") == "1,250.50"  # kehila.formatting, the same separators
        assert get_format("FIRST_DAY_OF_WEEK") == 0


def test_near_a_holiday_is_a_week_either_side_of_one_of_the_calendars_holidays():
    jewish = engine.DEFAULT_CALENDAR
    # Rosh Hashanah 5787: 12-13 September 2026; Yom Kippur on the 21st, Sukkot from the 26th.
    assert engine.near_holiday(datetime.date(2026, 9, 5), jewish)  # a week before
    assert not engine.near_holiday(
        datetime.date(2026, 9, 4), jewish
    )  # the eve (the 11th) is not a holiday
    assert not engine.near_holiday(datetime.date(2026, 8, 20), jewish)
    # Christmas is a holiday of a Christian municipality's calendar only.
    christian = engine.CalendarProfile(communities={"christian"})
    assert engine.near_holiday(datetime.date(2026, 12, 20), christian)
    assert not engine.near_holiday(datetime.date(2026, 12, 20), jewish)


@time_machine.travel(
    datetime.datetime(2026, 7, 28, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem")), tick=False
)
def test_the_timeline_gives_the_hebrew_date_beside_dates_near_a_holiday(
    client_for, manager, municipality
):
    program = plan_program(municipality, t0=datetime.date(2026, 8, 2), tracks=["social"])
    near = milestone(program, "design_regular_2026_09")
    scheduling.milestone_pin(
        milestone=near, date=datetime.date(2026, 9, 16), actor=manager
    )  # 5 Tishrei
    far = milestone(program, "design_1")  # 16 August 2026: no holiday within a week
    assert far.planned == datetime.date(2026, 8, 16)
    client = client_for(manager)

    client.cookies["django_language"] = "he"
    page = client.get(f"/m/{municipality.slug}/timeline/").content.decode()
    row = re.search(r'<tr id="milestone-design_regular_2026_09".*?</tr>', page, re.S).group(0)
    assert '16.9.2026 <span lang="he" class="small hebrew-date">ה׳ תשרי תשפ״ז</span>' in row
    far_row = re.search(r'<tr id="milestone-design_1".*?</tr>', page, re.S).group(0)
    assert "16.8.2026" in far_row and "hebrew-date" not in far_row

    for language in ("en", "ar"):
        client.cookies["django_language"] = language
        page = client.get(f"/m/{municipality.slug}/timeline/").content.decode()
        assert "16.9.2026" in page and "hebrew-date" not in page and "תשרי" not in page
