"""The committees' consistency rules (committees/consistency.py): each finds its contradiction, the
clean case finds nothing, and the demo and the generated country obey them all."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils.translation import gettext

import kehila.generate
from committees.models import (
    ActionItem,
    Application,
    Committee,
    CompositionTarget,
    Meeting,
    Minutes,
    MinutesCorrection,
)
from kehila.consistency import CHECKS, contradictions
from kehila.gates import gate_override
from kehila.models import Milestone, Municipality
from kehila.scheduling import MEETING_TZ
from tests.committees.factories import (
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

TODAY = date(2027, 3, 10)  # a Wednesday
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=MEETING_TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def found(municipality, rule):
    """The rule's contradictions, in English (the assertions read the sentences; the Hebrew catalogue is
    checked complete by tests/kehila/test_i18n.py)."""
    assert rule in CHECKS
    return [c for c in contradictions(municipality, today=TODAY) if c.rule == rule]


def at(day: date, hour: int = 17) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=MEETING_TZ)


def meeting_on(municipality, day, **kwargs):
    committee = kwargs.pop("committee", None) or CommitteeFactory(municipality=municipality)
    return MeetingFactory(
        committee=committee, starts_at=at(day), ends_at=at(day) + timedelta(hours=2), **kwargs
    )


def milestone(municipality, key="design_1", **kwargs):
    return Milestone.objects.create(
        municipality=municipality, program=municipality.program, key=key, **kwargs
    )


def linked(municipality, day, *, planned=None, held=False, **meeting):
    """A meeting on `day` linked to design_1, planned (or held) on `planned` (default: the same day)."""
    on = planned or day
    row = milestone(
        municipality,
        planned=on,
        status=Milestone.Status.HELD if held else Milestone.Status.PLANNED,
        actual=on if held else None,
    )
    return meeting_on(municipality, day, milestone=row, **meeting)


def meeting_url(meeting):
    return f"/m/{meeting.municipality.slug}/committees/meetings/{meeting.pk}/"


# --- a meeting and its milestone share one date ---------------------------------------------------


def test_meetings_on_their_milestones_days_are_no_contradiction(municipality):
    linked(municipality, TODAY + timedelta(days=5))
    row = milestone(
        municipality,
        key="design_2",
        planned=TODAY - timedelta(days=9),
        status=Milestone.Status.HELD,
        actual=TODAY - timedelta(days=6),
    )
    meeting_on(municipality, TODAY - timedelta(days=6), milestone=row, status=Meeting.Status.HELD)
    assert found(municipality, "committees.meeting_milestone_date") == []


def test_a_meeting_off_its_milestones_planned_day_is_found(municipality):
    meeting = linked(municipality, TODAY + timedelta(days=5), planned=TODAY + timedelta(days=9))
    [item] = found(municipality, "committees.meeting_milestone_date")
    assert meeting.title in item.text and "planned" in item.text
    assert item.url == meeting_url(meeting)


def test_a_meeting_off_its_held_milestones_actual_day_is_found(municipality):
    meeting = linked(
        municipality,
        TODAY - timedelta(days=5),
        planned=TODAY - timedelta(days=6),
        held=True,
        status=Meeting.Status.HELD,
    )
    [item] = found(municipality, "committees.meeting_milestone_date")
    assert meeting.title in item.text and "held" in item.text


def test_a_cancelled_meeting_claims_no_date(municipality):
    linked(municipality, TODAY + timedelta(days=5), planned=TODAY + timedelta(days=9))
    Meeting.objects.update(status=Meeting.Status.CANCELLED)
    assert found(municipality, "committees.meeting_milestone_date") == []


# --- a milestone is held exactly when its meeting took place --------------------------------------


def test_a_held_milestone_whose_meeting_took_place_is_no_contradiction(municipality):
    linked(municipality, TODAY - timedelta(days=3), held=True, status=Meeting.Status.MINUTED)
    linked_later = milestone(municipality, key="design_2", planned=TODAY + timedelta(days=20))
    meeting_on(municipality, TODAY + timedelta(days=20), milestone=linked_later)
    assert found(municipality, "committees.meeting_milestone_held") == []


def test_a_held_milestone_whose_meeting_is_still_to_come_is_found(municipality):
    meeting = linked(municipality, TODAY + timedelta(days=4), held=True)
    [item] = found(municipality, "committees.meeting_milestone_held")
    assert meeting.title in item.text and "still to come" in item.text
    assert item.url == meeting_url(meeting)


def test_a_held_milestone_whose_meeting_was_cancelled_is_found(municipality):
    meeting = linked(
        municipality, TODAY - timedelta(days=4), held=True, status=Meeting.Status.CANCELLED
    )
    [item] = found(municipality, "committees.meeting_milestone_held")
    assert meeting.title in item.text and "cancelled" in item.text


def test_a_meeting_that_took_place_with_its_milestone_still_planned_is_found(municipality):
    meeting = linked(municipality, TODAY - timedelta(days=4), status=Meeting.Status.HELD)
    [item] = found(municipality, "committees.meeting_milestone_held")
    assert meeting.title in item.text and "still planned" in item.text


def test_recording_attendance_holds_the_meetings_milestone_with_it(municipality, manager):
    from committees import services
    from tests.kehila.timeline_factories import milestone as program_milestone
    from tests.kehila.timeline_factories import plan_program

    program = plan_program(municipality)  # design_1 on 24 January 2027
    design_1 = program_milestone(program, "design_1")
    meeting = meeting_on(municipality, design_1.planned, milestone=design_1)
    invitation = InvitationFactory(meeting=meeting)
    services.attendance_record(meeting=meeting, attended_ids={invitation.pk}, actor=manager)
    design_1.refresh_from_db()
    assert (design_1.status, design_1.actual) == (Milestone.Status.HELD, date(2027, 1, 24))
    assert found(municipality, "committees.meeting_milestone_held") == []


# --- nothing is recorded for a meeting that has not started ----------------------------------------


def test_a_coming_meeting_with_an_answer_and_an_empty_draft_is_no_contradiction(municipality):
    meeting = meeting_on(municipality, TODAY + timedelta(days=3), status=Meeting.Status.INVITED)
    InvitationFactory(meeting=meeting, response="yes", responded_at=NOW)
    Minutes.objects.create(municipality=municipality, meeting=meeting, note_taker="", summary="")
    past = meeting_on(municipality, TODAY - timedelta(days=3), status=Meeting.Status.MINUTED)
    InvitationFactory(meeting=past, attended=True)
    Minutes.objects.create(municipality=municipality, meeting=past, note_taker="א", summary="ב")
    assert found(municipality, "committees.recorded_before_start") == []


@pytest.mark.parametrize("what", ["attendance", "minutes", "marked as held"])
def test_what_only_a_meeting_that_took_place_has_is_found_on_a_coming_one(municipality, what):
    meeting = meeting_on(municipality, TODAY + timedelta(days=1))
    if what == "attendance":
        InvitationFactory(meeting=meeting, attended=False)
    elif what == "minutes":
        Minutes.objects.create(
            municipality=municipality, meeting=meeting, note_taker="א", summary="סיכום"
        )
    else:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    [item] = found(municipality, "committees.recorded_before_start")
    assert meeting.title in item.text and item.text.endswith(gettext(what))
    assert item.url == meeting_url(meeting)


def test_a_meeting_whose_minutes_gate_was_opened_with_a_reason_is_no_contradiction(
    municipality, manager
):
    from committees.services import MINUTES_RECORD_GATE

    meeting = meeting_on(municipality, TODAY + timedelta(days=1))
    InvitationFactory(meeting=meeting, attended=True)
    gate_override(actor=manager, gate=MINUTES_RECORD_GATE, obj=meeting, reason="נרשם מראש")
    assert found(municipality, "committees.recorded_before_start") == []


# --- the minutes' lifecycle -----------------------------------------------------------------------


def minutes_of(municipality, day=TODAY - timedelta(days=10), **fields):
    meeting = meeting_on(municipality, day, status=Meeting.Status.MINUTED)
    return Minutes.objects.create(
        municipality=municipality, meeting=meeting, note_taker="א", summary="סיכום", **fields
    )


def test_minutes_circulated_then_approved_at_the_next_meeting_are_no_contradiction(municipality):
    minutes = minutes_of(
        municipality,
        state=Minutes.State.CIRCULATED,
        circulated_at=at(TODAY - timedelta(days=9), 9),
        corrections_until=TODAY - timedelta(days=2),
    )
    following = meeting_on(
        municipality, TODAY - timedelta(days=1), committee=minutes.meeting.committee
    )
    MinutesCorrection.objects.create(
        municipality=municipality, minutes=minutes, text="תיקון", author_name="דנה"
    )
    MinutesCorrection.objects.filter(minutes=minutes).update(
        created_at=at(TODAY - timedelta(days=5), 9)
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        state=Minutes.State.APPROVED, approved_at=NOW, approved_at_meeting=following
    )
    minutes_of(municipality)  # a draft
    assert found(municipality, "committees.minutes_lifecycle") == []
    assert found(municipality, "committees.minutes_corrections") == []


LIFECYCLE = {
    "never circulated": {"state": Minutes.State.APPROVED, "approved_at": NOW},
    "no last day for corrections": {
        "state": Minutes.State.CIRCULATED,
        "circulated_at": at(TODAY - timedelta(days=9)),
    },
    "no date of approval": {
        "state": Minutes.State.APPROVED,
        "circulated_at": at(TODAY - timedelta(days=9)),
        "corrections_until": TODAY - timedelta(days=2),
    },
    "carry an approval but are not approved": {"approved_at": NOW},
    "circulated before the meeting started": {
        "state": Minutes.State.CIRCULATED,
        "circulated_at": at(TODAY - timedelta(days=11)),
        "corrections_until": TODAY,
    },
    "approved before they were circulated": {
        "state": Minutes.State.APPROVED,
        "circulated_at": at(TODAY - timedelta(days=5)),
        "corrections_until": TODAY,
        "approved_at": at(TODAY - timedelta(days=6)),
    },
    "ends before they were circulated": {
        "state": Minutes.State.CIRCULATED,
        "circulated_at": at(TODAY - timedelta(days=5)),
        "corrections_until": TODAY - timedelta(days=6),
    },
    "has not come yet": {
        "state": Minutes.State.CIRCULATED,
        "circulated_at": at(TODAY + timedelta(days=1)),
        "corrections_until": TODAY + timedelta(days=8),
    },
}


@pytest.mark.parametrize("problem", LIFECYCLE)
def test_minutes_whose_states_and_dates_contradict_are_found(municipality, problem):
    minutes = minutes_of(municipality)
    Minutes.objects.filter(pk=minutes.pk).update(**LIFECYCLE[problem])
    [item] = found(municipality, "committees.minutes_lifecycle")
    assert problem in item.text and minutes.meeting.title in item.text
    assert item.url == f"/m/{municipality.slug}/committees/meetings/{minutes.meeting_id}/minutes/"


def test_minutes_approved_at_a_meeting_that_had_not_started_are_found(municipality):
    minutes = minutes_of(
        municipality,
        state=Minutes.State.CIRCULATED,
        circulated_at=at(TODAY - timedelta(days=9)),
        corrections_until=TODAY - timedelta(days=2),
    )
    following = meeting_on(
        municipality, TODAY + timedelta(days=3), committee=minutes.meeting.committee
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        state=Minutes.State.APPROVED, approved_at=NOW, approved_at_meeting=following
    )
    [item] = found(municipality, "committees.minutes_lifecycle")
    assert "a meeting that had not started" in item.text


@pytest.mark.parametrize(
    "problem, sent",
    [
        ("never circulated", None),
        ("before the minutes were circulated", TODAY - timedelta(days=9)),
        ("after the time for corrections ended", TODAY - timedelta(days=1)),
        ("after the minutes were approved", TODAY),
    ],
)
def test_a_correction_out_of_the_minutes_time_is_found(municipality, problem, sent):
    fields = {}
    if sent is not None:
        fields = {
            "state": Minutes.State.CIRCULATED,
            "circulated_at": at(TODAY - timedelta(days=8), 9),
            "corrections_until": TODAY - timedelta(days=2)
            if "time for corrections" in problem
            else TODAY,
        }
    minutes = minutes_of(municipality, **fields)
    MinutesCorrection.objects.create(
        municipality=municipality, minutes=minutes, text="תיקון", author_name="דנה"
    )
    MinutesCorrection.objects.update(created_at=at(sent or TODAY, 8))
    if "approved" in problem:
        Minutes.objects.filter(pk=minutes.pk).update(
            state=Minutes.State.APPROVED, approved_at=at(TODAY - timedelta(days=1))
        )
    [item] = found(municipality, "committees.minutes_corrections")
    assert problem in item.text and "דנה" in item.text


# --- composition, membership, action items, applications ------------------------------------------


def test_composition_targets_of_100_percent_are_no_contradiction(municipality, other_municipality):
    for sector, percent in {"residents": 60, "public": 40}.items():
        CompositionTarget.objects.create(
            municipality=municipality, committee_kind="design", sector=sector, percent=percent
        )
    CompositionTarget.objects.create(
        municipality=municipality, committee_kind="steering", sector="public", percent=90
    )
    CompositionTarget.objects.create(
        municipality=other_municipality, committee_kind="design", sector="public", percent=90
    )
    assert found(municipality, "committees.composition_targets") == []


def test_composition_targets_beyond_100_percent_are_found(municipality):
    for sector, percent in {"residents": 60, "public": 30, "business": 20}.items():
        CompositionTarget.objects.create(
            municipality=municipality, committee_kind="design", sector=sector, percent=percent
        )
    [item] = found(municipality, "committees.composition_targets")
    assert "110%" in item.text and str(Committee.Kind.DESIGN.label) in item.text
    assert item.url == f"/m/{municipality.slug}/committees/targets/"


def test_a_membership_that_ends_before_it_starts_is_found(municipality):
    member = MemberFactory(
        committee=CommitteeFactory(municipality=municipality),
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=1),
    )
    assert found(municipality, "committees.membership_dates") == []
    type(member).objects.update(ends_on=TODAY - timedelta(days=1))
    [item] = found(municipality, "committees.membership_dates")
    assert member.person.full_name in item.text
    assert item.url == f"/m/{municipality.slug}/committees/{member.committee_id}/"


def test_an_action_item_due_after_its_meeting_is_no_contradiction(municipality):
    meeting = meeting_on(municipality, TODAY - timedelta(days=3), status=Meeting.Status.MINUTED)
    owner = PersonFactory(municipality=municipality)
    ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="לגייס", owner=owner, due_on=TODAY
    )
    assert found(municipality, "committees.action_items") == []


def test_an_action_item_due_before_its_meeting_is_found(municipality):
    meeting = meeting_on(municipality, TODAY - timedelta(days=3), status=Meeting.Status.MINUTED)
    ActionItem.objects.create(
        municipality=municipality,
        meeting=meeting,
        title="לגייס",
        due_on=TODAY - timedelta(days=4),
    )
    [item] = found(municipality, "committees.action_items")
    assert "לגייס" in item.text and meeting.title in item.text
    assert item.url == meeting_url(meeting)


def test_an_action_item_owned_by_another_municipalitys_person_is_found(
    municipality, other_municipality
):
    meeting = meeting_on(municipality, TODAY - timedelta(days=3), status=Meeting.Status.MINUTED)
    ActionItem.objects.create(
        municipality=municipality,
        meeting=meeting,
        title="לגייס",
        owner=PersonFactory(municipality=other_municipality),
    )
    [item] = found(municipality, "committees.action_items")
    assert "another municipality" in item.text


def application(municipality, **fields):
    return Application.objects.create(
        municipality=municipality,
        committee=CommitteeFactory(municipality=municipality),
        full_name="רותם שגיא",
        email="rotem@example.org",
        sector="residents",
        motivation="כי",
        **fields,
    )


def test_applications_decided_after_they_were_submitted_are_no_contradiction(municipality):
    application(municipality)
    person = PersonFactory(municipality=municipality)
    application(municipality, status="accepted", person=person, decided_at=NOW)
    assert found(municipality, "committees.applications") == []


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"decided_at": NOW}, "waits for review but has a decision date"),
        ({"status": "declined"}, "decided but has no decision date"),
        ({"status": "declined", "decided_at": NOW - timedelta(days=1)}, "before it was submitted"),
        ({"status": "accepted", "decided_at": NOW}, "names no person"),
    ],
)
def test_applications_whose_decision_contradicts_are_found(municipality, fields, problem):
    application(municipality, **fields)
    [item] = found(municipality, "committees.applications")
    assert problem in item.text and "רותם שגיא" in item.text
    assert item.url == f"/m/{municipality.slug}/committees/applications/"


def test_each_check_reads_with_a_fixed_number_of_queries(municipality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from committees import consistency

    checks = [
        consistency.meeting_milestone_date,
        consistency.meeting_milestone_held,
        consistency.recorded_before_start,
        consistency.minutes_lifecycle,
        consistency.minutes_corrections,
        consistency.composition_targets,
        consistency.membership_dates,
        consistency.action_items,
        consistency.applications,
    ]

    def counts():
        out = []
        for check in checks:
            with CaptureQueriesContext(connection) as queries:
                list(check(municipality, TODAY))
            out.append(len(queries))
        return out

    def add_rows(n):
        for i in range(n):
            meeting = meeting_on(
                municipality, TODAY - timedelta(days=3 + i), status=Meeting.Status.MINUTED
            )
            minutes = Minutes.objects.create(
                municipality=municipality,
                meeting=meeting,
                note_taker="א",
                summary="ב",
                state=Minutes.State.CIRCULATED,
                circulated_at=at(TODAY - timedelta(days=2), 9),
                corrections_until=TODAY - timedelta(days=5),  # a contradiction on every row
            )
            MinutesCorrection.objects.create(
                municipality=municipality, minutes=minutes, text="ת", author_name="ד"
            )
            ActionItem.objects.create(
                municipality=municipality,
                meeting=meeting,
                title="פעולה",
                owner=PersonFactory(municipality=municipality),
                due_on=TODAY - timedelta(days=30),
            )
            MemberFactory(
                committee=meeting.committee, starts_on=TODAY, ends_on=TODAY - timedelta(days=1)
            )
            row = milestone(municipality, key=f"design_{i + 1}", planned=TODAY)
            meeting_on(municipality, TODAY + timedelta(days=2 + i), milestone=row)

    list(consistency.recorded_before_start(municipality, TODAY))  # the content types are cached
    add_rows(1)
    small = counts()
    Meeting.objects.filter(milestone__isnull=False).delete()
    Milestone.objects.all().delete()
    add_rows(4)
    assert counts() == small
    assert all(n <= 2 for n in small), small


# --- the demo and the generated country obey every rule ------------------------------------------


def own(items, prefix):
    return [f"{c.rule}: {c.text}" for c in items if c.rule.startswith(prefix)]


def test_the_demo_contradicts_none_of_the_rules():
    from kehila.demo import load_demo

    load_demo()
    load_demo()  # a second run keeps it so
    for municipality in Municipality.objects.all():
        assert own(contradictions(municipality, today=TODAY), "committees.") == []


def test_a_generated_country_contradicts_none_of_the_rules():
    kehila.generate.generate(municipalities=3, scale=0.05, years=3, seed=1, prefix="chk")
    municipalities = Municipality.objects.filter(slug__startswith="chk-")
    assert municipalities.count() == 3
    for municipality in municipalities:
        assert own(contradictions(municipality, today=TODAY), "committees.") == []
