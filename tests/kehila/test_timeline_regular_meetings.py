"""The timeline engine's regular meetings between the milestone meetings. Pure: no database, no
Django settings."""

from __future__ import annotations

from datetime import date

from kehila.timeline import KeyParts, parse_key, title
from tests.kehila.timeline_plan_helpers import T0, dates, plan, regular_meetings

# --- regular meetings ---------------------------------------------------------------------------


def test_regular_meetings_fill_the_months_without_a_milestone_meeting():
    milestones = plan(t0=T0, tracks=["social", "urban"])

    result = [(m.key, m.date) for m in regular_meetings(milestones, t0=T0)]

    # design milestones fall in Jan, Apr, May, Aug; steering ones in Jan and Aug.
    assert result == [
        ("design_regular_2027_02", date(2027, 2, 10)),
        ("design_regular_2027_03", date(2027, 3, 10)),
        ("steering_regular_2027_04", date(2027, 4, 11)),  # Sat 10 Apr -> Sunday
        ("design_regular_2027_06", date(2027, 6, 10)),
        ("steering_regular_2027_07", date(2027, 7, 11)),
        ("design_regular_2027_07", date(2027, 7, 11)),
        ("design_regular_2027_09", date(2027, 9, 12)),
        ("steering_regular_2027_10", date(2027, 10, 10)),
        ("design_regular_2027_10", date(2027, 10, 10)),
        ("design_regular_2027_11", date(2027, 11, 10)),
        ("design_regular_2027_12", date(2027, 12, 12)),
    ]


def test_regular_meetings_default_t0_to_the_plans_scope_decision():
    milestones = plan(t0=T0, tracks=[])

    assert regular_meetings(milestones) == regular_meetings(milestones, t0=T0)


def test_regular_meetings_skip_a_quarter_that_holds_the_plan_approval():
    # Without tracks plan_approval lands in July, the second quarterly month.
    milestones = plan(t0=T0, tracks=[])
    assert dates(milestones)["plan_approval"].month == 7

    keys = [m.key for m in regular_meetings(milestones) if m.committee == "steering"]

    assert keys == ["steering_regular_2027_04", "steering_regular_2027_10"]


def test_a_regular_meeting_stays_in_its_month_when_the_month_end_is_a_weekend():
    # T0 on the 31st: April 2027 clamps to Fri 30 Apr; the next working day is in May,
    # so the meeting takes the last working day of April instead.
    milestones = plan(t0=date(2027, 1, 31), tracks=[])

    result = {m.key: m for m in regular_meetings(milestones)}

    assert result["steering_regular_2027_04"].date == date(2027, 4, 29)
    assert result["steering_regular_2027_04"].computed == date(2027, 4, 30)
    assert result["steering_regular_2027_04"].shifted
    assert result["design_regular_2027_04"].date == date(2027, 4, 29)


def test_regular_meetings_carry_titles_and_parse_back_to_their_month():
    (first, *_) = regular_meetings(plan(t0=T0, tracks=[]))

    assert first.key == "design_regular_2027_02"
    assert title(first.key) == "Design committee regular meeting (February 2027)"
    assert parse_key(first.key) == KeyParts(kind="design_regular", month=date(2027, 2, 1))
    assert first.depends_on == ("design_1",)
