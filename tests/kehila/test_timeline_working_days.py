"""The timeline engine's working days: weekends and public holidays move a computed date. Pure: no
database, no Django settings."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from kehila.timeline import CalendarProfile
from tests.kehila.timeline_plan_helpers import T0, by_key, is_working_day, next_working_day, plan

# --- working days -------------------------------------------------------------------------------


def test_sunday_to_thursday_are_working_days_and_friday_saturday_are_not():
    week = [date(2027, 1, 10) + timedelta(days=i) for i in range(7)]  # Sun 10 .. Sat 16

    assert [is_working_day(d) for d in week] == [True, True, True, True, True, False, False]


def test_next_working_day_returns_a_working_day_itself():
    assert next_working_day(date(2027, 1, 13)) == date(2027, 1, 13)


def test_next_working_day_skips_a_weekend_into_rosh_hashanah():
    # Fri 1 Oct, Sat 2 Oct (Rosh Hashanah), Sun 3 Oct (Rosh Hashanah) -> Monday
    assert next_working_day(date(2027, 10, 1)) == date(2027, 10, 4)


def test_the_holidays_package_marks_yom_kippur_2027_on_monday_11_october():
    marked = holidays.country_holidays("IL", years=2027)

    assert marked.get(date(2027, 10, 11)) == "Yom Kippur"
    assert not is_working_day(date(2027, 10, 11))


def test_with_nothing_optional_avoided_only_public_holidays_stop_work():
    public_only = CalendarProfile(avoid=())

    assert not is_working_day(date(2027, 4, 22), public_only)  # Pesach
    assert not is_working_day(date(2027, 5, 12), public_only)  # Independence Day
    assert is_working_day(
        date(2027, 4, 25), public_only
    )  # Hol HaMoed Pesach (an "optional" holiday)
    assert is_working_day(date(2027, 3, 23), public_only)  # Purim
    assert is_working_day(date(2027, 10, 10), public_only)  # Yom Kippur eve


def test_independence_day_counts_on_its_observed_date():
    # 2028: 5 Iyar falls on a Sunday; the state observes it on Tuesday 2 May.
    assert not is_working_day(date(2028, 5, 2))


def test_a_computed_date_on_a_friday_moves_to_sunday():
    # The scope decision took place on a Friday, so T0 + 14 days is a Friday too.
    result = by_key(plan(t0=T0, tracks=[], held={"scope_decision": date(2027, 2, 5)}))

    assert result["design_1"].computed == date(2027, 2, 19)  # Friday
    assert result["design_1"].date == date(2027, 2, 21)  # Sunday
    assert result["design_1"].shifted


def test_dependents_are_computed_from_the_moved_date():
    result = by_key(plan(t0=T0, tracks=[], held={"scope_decision": date(2027, 2, 5)}))

    # From the moved Sunday 21 Feb, not from the raw Friday 19 Feb (which would give Wed 19 May).
    assert result["design_2"].computed == date(2027, 5, 21)
    assert result["design_2"].date == date(2027, 5, 23)


def test_a_planned_t0_on_a_saturday_moves_to_sunday():
    result = by_key(plan(t0=date(2027, 1, 9), tracks=[]))

    assert result["scope_decision"].date == date(2027, 1, 10)
    assert result["scope_decision"].shifted
    assert result["design_1"].date == date(2027, 1, 24)


def test_a_computed_date_on_yom_kippur_moves_to_the_next_working_day():
    result = by_key(plan(t0=date(2027, 9, 27), tracks=[]))

    assert result["design_1"].computed == date(2027, 10, 11)  # Yom Kippur, a Monday
    assert result["design_1"].date == date(2027, 10, 12)
    assert result["design_1"].shifted


def test_an_unshifted_milestone_says_so():
    result = by_key(plan(t0=T0, tracks=[]))

    assert not result["design_1"].shifted
    assert result["design_1"].computed == result["design_1"].date
