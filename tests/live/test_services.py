"""The live session's rules (issue 18): who facilitates, joining, the funnel from collecting to deciding,
dot voting that a returning phone cannot double, the speaking queue, and the minutes draft at the close."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from committees.models import CommitteeMember, Minutes
from kehila.permissions import can
from live import deciding, services
from live.models import Dot, Item, LiveSession
from strategy.models import FocusChallenge
from tests.committees.factories import (
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db
Phase = LiveSession.Phase


@pytest.fixture
def meeting(municipality):
    return MeetingFactory(committee__municipality=municipality, started=True)


@pytest.fixture
def session(meeting, manager):
    return services.session_open(
        meeting=meeting, actor=manager, note_taker="רונית", question="מה מפריע?"
    )


def _vote(session, manager, dots=3):
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=dots)
    session.refresh_from_db()
    return session


def test_the_note_taker_is_named_before_the_session_opens(meeting, manager):
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.session_open(meeting=meeting, actor=manager, note_taker="  ")


def test_opening_twice_gives_the_one_open_session(meeting, manager, session):
    again = services.session_open(meeting=meeting, actor=manager, note_taker="אחר")
    assert again.pk == session.pk and LiveSession.objects.count() == 1
    assert len(session.code) == services.CODE_LENGTH and not set(session.code) & set("01OIL")


@pytest.mark.parametrize(
    "role", ["mayor_office", "track_lead", "committee_member", "hq", "outsider"]
)
def test_only_the_team_or_the_bodys_chair_facilitates(role, users_by_role, meeting):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.session_open(meeting=meeting, actor=users_by_role[role], note_taker="x")


def test_the_chair_of_the_body_facilitates(meeting, committee_member):
    assert not can(committee_member, "facilitate_meetings", meeting)
    person = PersonFactory(municipality=meeting.municipality, user=committee_member)
    MemberFactory(committee=meeting.committee, person=person, role=CommitteeMember.Role.CHAIR)
    assert can(committee_member, "facilitate_meetings", meeting)
    assert services.session_open(meeting=meeting, actor=committee_member, note_taker="x")


def test_a_session_can_start_from_a_list(meeting, manager):
    session = services.session_open(
        meeting=meeting, actor=manager, note_taker="x", seeds=["תחבורה", " ", "צעירים  עוזבים"]
    )
    assert [(i.text, i.seeded) for i in session.items.all()] == [
        ("תחבורה", True),
        ("צעירים עוזבים", True),
    ]


def test_an_invitee_keeps_one_seat_and_a_guest_joins_by_code(session):
    invitation = InvitationFactory(meeting=session.meeting)
    first = services.join_invitee(session=session, invitation=invitation)
    again = services.join_invitee(session=session, invitation=invitation)
    assert first.pk == again.pk and not first.is_guest
    guest = services.join_guest(code=session.code.lower(), name="  דנה   כ ")
    assert guest.is_guest and guest.name == "דנה כ" and guest.key != first.key


def test_another_meetings_invitation_does_not_join(session):
    stranger = InvitationFactory()
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.join_invitee(session=session, invitation=stranger)


def test_closed_joining_and_a_wrong_code_refuse_guests(session, manager):
    services.session_configure(
        session=session,
        actor=manager,
        settings=services.Settings(
            "q", joining_open=False, show_authors=False, totals_live=True, speaker_seconds=90
        ),
    )
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.join_guest(code=session.code, name="דנה")
    with pytest.raises(ValidationError):
        services.join_guest(code="NOPE22", name="דנה")


def test_every_change_raises_the_version_and_publishes_it_after_commit(
    session, django_capture_on_commit_callbacks
):
    before = session.version
    with django_capture_on_commit_callbacks(execute=True):
        guest = services.join_guest(code=session.code, name="דנה")
        services.item_add(session=session, participant=guest, text="חניה")
    session.refresh_from_db()
    assert session.version == before + 2
    assert services.cached_version(session.pk) == session.version


def test_items_are_collected_only_while_collecting_and_kept_as_plain_text(session, manager):
    guest = services.join_guest(code=session.code, name="דנה")
    item = services.item_add(
        session=session, participant=guest, text="<script>x</script>\n  long   talk"
    )
    assert item.text == "<script>x</script> long talk" and item.question == "מה מפריע?"
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.item_add(session=session, participant=guest, text="מאוחר")


def test_merging_and_hiding_keep_the_record(session, manager):
    a = services.item_add(session=session, actor=manager, text="חניה")
    b = services.item_add(session=session, actor=manager, text="אין חניה")
    c = services.item_add(session=session, actor=manager, text="פרסומת")
    services.item_merge(session=session, actor=manager, item_id=b.pk, into_id=a.pk)
    services.item_hide(session=session, actor=manager, item_id=c.pk)
    heading = services.cluster_add(session=session, actor=manager, title="תחבורה")
    services.item_group(session=session, actor=manager, item_id=a.pk, cluster_id=heading.pk)
    assert Item.objects.filter(session=session).count() == 3
    assert [i.text for i, _n in services.ranking(session)] == ["חניה"]
    with pytest.raises(ValidationError):
        services.item_merge(session=session, actor=manager, item_id=a.pk, into_id=b.pk)


def test_dots_are_set_not_added_so_a_returning_phone_votes_once(session, manager):
    guest = services.join_guest(code=session.code, name="דנה")
    a = services.item_add(session=session, actor=manager, text="חניה")
    b = services.item_add(session=session, actor=manager, text="צעירים")
    session = _vote(session, manager, dots=3)
    assert services.dots_set(participant=guest, item_id=a.pk, count=2).left == 1
    assert (
        services.dots_set(participant=guest, item_id=a.pk, count=2).left == 1
    )  # the same tap again
    assert Dot.objects.filter(participant=guest).count() == 2
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.dots_set(participant=guest, item_id=b.pk, count=2)
    assert services.dots_set(participant=guest, item_id=a.pk, count=0).left == 3  # moved off
    assert services.dots_set(participant=guest, item_id=b.pk, count=3).left == 0
    assert services.totals(session) == {b.pk: 3}


def test_no_dots_outside_the_vote_and_a_new_round_starts_afresh(session, manager):
    guest = services.join_guest(code=session.code, name="דנה")
    a = services.item_add(session=session, actor=manager, text="חניה")
    with pytest.raises(ValidationError):
        services.dots_set(participant=guest, item_id=a.pk, count=1)
    session = _vote(session, manager)
    services.dots_set(participant=guest, item_id=a.pk, count=3)
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    session = _vote(session, manager, dots=2)
    assert session.vote_round == 2 and services.totals(session) == {}
    assert services.dots_set(participant=guest, item_id=a.pk, count=2).left == 0


def test_the_board_counts_the_dots_of_the_current_round_only(session, manager):
    from live import selectors

    guest = services.join_guest(code=session.code, name="דנה")
    other = services.join_guest(code=session.code, name="עומר")
    a = services.item_add(session=session, actor=manager, text="חניה")
    b = services.item_add(session=session, actor=manager, text="תאורה")
    session = _vote(session, manager)
    services.dots_set(participant=guest, item_id=a.pk, count=3)
    services.dots_set(participant=other, item_id=a.pk, count=1)
    services.dots_set(participant=other, item_id=b.pk, count=2)
    counts = lambda s: {x.item.text: x.dots for x in selectors.session_state(s).items}  # noqa: E731
    assert counts(session) == {"חניה": 4, "תאורה": 2}
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    session = _vote(session, manager, dots=2)
    assert counts(session) == {"חניה": 0, "תאורה": 0}
    services.dots_set(participant=guest, item_id=b.pk, count=1)
    assert counts(session) == {"חניה": 0, "תאורה": 1}


def test_the_speaking_queue(session, manager):
    dana = services.join_guest(code=session.code, name="דנה")
    omar = services.join_guest(code=session.code, name="עומר")
    first = services.hand_raise(participant=dana)
    assert services.hand_raise(participant=dana).pk == first.pk  # one hand at a time
    second = services.hand_raise(participant=omar)
    services.floor_give(session=session, actor=manager, turn_id=first.pk)
    services.floor_give(session=session, actor=manager, turn_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at is not None and second.started_at is not None and second.ended_at is None
    services.floor_end(session=session, actor=manager)
    second.refresh_from_db()
    assert second.ended_at is not None


def test_five_focus_challenges_are_decided_in_one_step(session, manager):
    items = [services.item_add(session=session, actor=manager, text=f"אתגר {n}") for n in range(6)]
    FocusChallenge.objects.create(municipality=session.municipality, number=1, title="ישן")
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    with assert_nothing_changed(), pytest.raises(ValidationError):
        deciding.focus_challenges_decide(
            session=session, actor=manager, item_ids=[i.pk for i in items[:4]]
        )
    chosen = [items[5], items[0], items[1], items[2], items[3]]
    deciding.focus_challenges_decide(
        session=session, actor=manager, item_ids=[i.pk for i in chosen]
    )
    assert list(
        FocusChallenge.objects.filter(municipality=session.municipality)
        .order_by("number")
        .values_list("title", flat=True)
    ) == ["אתגר 5", "אתגר 0", "אתגר 1", "אתגר 2", "אתגר 3"]


def test_closing_fills_the_minutes_draft_and_attendance_and_then_refuses_changes(session, manager):
    invitation = InvitationFactory(meeting=session.meeting)
    absent = InvitationFactory(meeting=session.meeting)
    seat = services.join_invitee(session=session, invitation=invitation)
    parking = services.item_add(session=session, participant=seat, text="חניה")
    youth = services.item_add(session=session, actor=manager, text="צעירים")
    session = _vote(session, manager)
    services.dots_set(participant=seat, item_id=youth.pk, count=2)
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    deciding.outcome_set(
        session=session, actor=manager, item_id=youth.pk, outcome=Item.Outcome.DECISION
    )
    deciding.outcome_set(
        session=session, actor=manager, item_id=parking.pk, outcome=Item.Outcome.ACTION
    )
    deciding.notes_save(session=session, actor=manager, notes="דיון פתוח")
    deciding.session_close(session=session, actor=manager)
    minutes = Minutes.objects.get(meeting=session.meeting)
    assert minutes.note_taker == "רונית" and minutes.state == Minutes.State.DRAFT
    assert "דיון פתוח" in minutes.summary and "- צעירים (2)" in minutes.summary
    assert minutes.decisions == "- צעירים"
    assert list(session.meeting.action_items.values_list("title", flat=True)) == ["חניה"]
    invitation.refresh_from_db()
    absent.refresh_from_db()
    assert invitation.attended is True and absent.attended is False
    with assert_nothing_changed(), pytest.raises(services.SessionClosed):
        services.hand_raise(participant=seat)


def test_a_vote_answers_with_the_participants_dots_as_they_now_are(session, manager):
    guest = services.join_guest(code=session.code, name="דנה")
    a = services.item_add(session=session, actor=manager, text="א")
    b = services.item_add(session=session, actor=manager, text="ב")
    session = _vote(session, manager, dots=3)
    services.dots_set(participant=guest, item_id=a.pk, count=1)
    placed = services.dots_set(participant=guest, item_id=b.pk, count=2)
    assert placed == services.Placed(left=0, mine={a.pk: 1, b.pk: 2})
    assert services.dots_set(participant=guest, item_id=a.pk, count=0).mine == {b.pk: 2}
