"""The Israeli calendar of every community: which days the timeline keeps free, by example and by
property. Pure: no database. Example years are fixed; the engine reads no clock."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehila.timeline import (
    AVOIDABLE_KINDS,
    COMMUNITIES,
    DEFAULT_CALENDAR,
    TRACKS,
    CalendarProfile,
    TimelineError,
    day_off,
    is_working_day,
    next_working_day,
    plan,
    regular_meetings,
)

JEWISH = CalendarProfile.parse("jewish")
MUSLIM = CalendarProfile.parse("muslim")
CHRISTIAN = CalendarProfile.parse("christian")
DRUZE = CalendarProfile.parse("druze")


# --- the three dates, and each community's in a known year ------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2027, 10, 10), "eve of Yom Kippur"),
        (date(2027, 6, 10), "eve of Shavuot"),
        (date(2027, 4, 25), "Chol HaMoed Pesach"),
        (date(2027, 4, 21), "eve of Pesach"),
        (date(2027, 10, 1), "eve of Rosh Hashanah"),
        (date(2027, 10, 19), "Chol HaMoed Sukkot"),
        (date(2027, 5, 11), "Remembrance Day"),
        (date(2027, 5, 4), "Holocaust Remembrance Day"),
        (date(2027, 8, 12), "Tisha B'Av"),
    ],
)
def test_the_default_profile_avoids_eves_chol_hamoed_and_the_memorial_days(day, reason):
    assert DEFAULT_CALENDAR == JEWISH
    assert day_off(day).reason == reason
    assert not is_working_day(day)
    # The state's calendar alone has work on these days: each is avoided by the profile.
    assert is_working_day(day, CalendarProfile(avoid=())) or day.weekday() == calendar.FRIDAY


def test_purim_stays_a_working_day():
    assert is_working_day(date(2027, 3, 23))


def test_each_avoided_kind_is_its_own_setting():
    without_eves = CalendarProfile(avoid=set(AVOIDABLE_KINDS) - {"holiday_eve"})

    assert is_working_day(date(2027, 10, 10), without_eves)
    assert not is_working_day(date(2027, 4, 25), without_eves)  # Chol HaMoed still avoided


def test_holocaust_remembrance_day_moves_off_a_sunday():
    # 27 Nisan 5788 is Sunday 23 April 2028: the state keeps it on Monday 24 April.
    assert day_off(date(2028, 4, 24)).kind == "holocaust_remembrance_day"
    assert is_working_day(date(2028, 4, 23))


@pytest.mark.parametrize(
    ("profile", "day", "reason"),
    [
        (MUSLIM, date(2027, 3, 9), "Eid al-Fitr"),
        (MUSLIM, date(2027, 3, 11), "Eid al-Fitr"),
        (MUSLIM, date(2027, 3, 8), "eve of Eid al-Fitr"),
        (MUSLIM, date(2027, 5, 16), "Eid al-Adha"),
        (MUSLIM, date(2027, 5, 15), "eve of Eid al-Adha"),
        (CHRISTIAN, date(2028, 12, 25), "Christmas"),
        (CHRISTIAN, date(2028, 1, 6), "eve of Orthodox Christmas"),
        (CHRISTIAN, date(2027, 3, 28), "Easter"),
        (CHRISTIAN, date(2027, 5, 2), "Orthodox Easter"),
        (DRUZE, date(2027, 4, 25), "Nabi Shu'ayb"),
        (DRUZE, date(2028, 4, 26), "Nabi Shu'ayb"),
        (DRUZE, date(2027, 5, 16), "Eid al-Adha"),
    ],
)
def test_each_community_keeps_its_holidays(profile, day, reason):
    assert day_off(day, profile).reason == reason
    assert not is_working_day(day, profile)


@pytest.mark.parametrize(
    "day", [date(2027, 3, 9), date(2027, 5, 2), date(2028, 12, 25), date(2028, 4, 26)]
)
def test_the_jewish_profile_works_on_other_communities_holidays(day):
    assert is_working_day(day, JEWISH)


def test_other_profiles_keep_public_holidays_but_not_the_jewish_eves():
    assert not is_working_day(date(2027, 10, 11), MUSLIM)  # Yom Kippur: the state closes
    assert is_working_day(date(2027, 10, 10), MUSLIM)  # its eve is a working day
    assert is_working_day(date(2027, 4, 25), MUSLIM)  # Chol HaMoed Pesach


def test_a_mix_avoids_the_holidays_of_each_community():
    mix = CalendarProfile.parse("jewish,muslim")

    assert not is_working_day(date(2027, 10, 10), mix)
    assert not is_working_day(date(2027, 3, 9), mix)
    assert mix.communities == {"jewish", "muslim"}


def test_the_work_week_is_a_setting():
    monday_to_friday = CalendarProfile(communities={"christian"}, work_week={0, 1, 2, 3, 4})

    assert is_working_day(date(2027, 1, 15), monday_to_friday)  # a Friday
    assert not is_working_day(date(2027, 1, 17), monday_to_friday)  # a Sunday
    assert day_off(date(2027, 1, 17), monday_to_friday).kind == "weekend"
    # Good Friday is a Friday: avoided once Friday is a working day.
    assert day_off(date(2027, 3, 26), monday_to_friday).reason == "Good Friday"


def test_a_plan_moves_a_milestone_off_the_eve_of_yom_kippur():
    result = {m.key: m for m in plan(t0=date(2027, 9, 26), tracks=[])}

    assert result["design_1"].computed == date(2027, 10, 10)  # the eve of Yom Kippur
    assert result["design_1"].date == date(2027, 10, 12)  # not Yom Kippur itself either
    assert result["design_1"].shifted


@pytest.mark.parametrize(
    "text", ["", "jewish,bogus", "Jewish"], ids=["empty", "unknown", "capitalised"]
)
def test_an_unknown_or_empty_profile_is_refused(text):
    with pytest.raises(TimelineError) as error:
        CalendarProfile.parse(text)

    assert error.value.code == "bad_calendar"


def test_an_empty_work_week_is_refused():
    with pytest.raises(TimelineError, match="work week"):
        CalendarProfile(work_week=())


# --- properties, for every profile and mix ------------------------------------------------------

profiles = st.builds(
    CalendarProfile,
    communities=st.sets(st.sampled_from(COMMUNITIES), min_size=1),
    avoid=st.sets(st.sampled_from(AVOIDABLE_KINDS)),
    work_week=st.one_of(st.just({6, 0, 1, 2, 3}), st.sets(st.integers(0, 6), min_size=3)),
)
t0s = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))
track_sets = st.sets(st.sampled_from(TRACKS))


@pytest.mark.parametrize("community", COMMUNITIES)
@settings(deadline=None, max_examples=40)
@given(t0=t0s, tracks=track_sets)
def test_no_milestone_or_regular_meeting_of_a_profile_falls_on_a_day_it_avoids(
    community, t0, tracks
):
    profile = CalendarProfile.parse(community)
    assert_plan_respects(profile, t0, tracks)


@settings(deadline=None, max_examples=60)
@given(profile=profiles, t0=t0s, tracks=track_sets)
def test_no_milestone_or_regular_meeting_of_any_mix_falls_on_a_day_it_avoids(profile, t0, tracks):
    assert_plan_respects(profile, t0, tracks)


def assert_plan_respects(profile: CalendarProfile, t0: date, tracks: set[str]) -> None:
    milestones = plan(t0=t0, tracks=tracks, profile=profile)
    result = {m.key: m for m in milestones}
    for m in milestones:
        assert day_off(m.date, profile) is None, (m.key, m.date, day_off(m.date, profile))
        for dep in m.depends_on:
            assert m.date > result[dep].date, (m.key, dep)
    for meeting in regular_meetings(milestones, profile=profile):
        assert day_off(meeting.date, profile) is None, (meeting.key, meeting.date)
        for dep in meeting.depends_on:
            assert meeting.date > result[dep].date, (meeting.key, dep)


@settings(deadline=None)
@given(profile=profiles, day=t0s)
def test_next_working_day_is_the_first_day_the_profile_does_not_avoid(profile, day):
    found = next_working_day(day, profile)

    assert day <= found
    assert is_working_day(found, profile)
    assert all(not is_working_day(day + timedelta(n), profile) for n in range((found - day).days))
