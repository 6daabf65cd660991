"""Deciding and closing a live session: the top items become the meeting's outcomes (at design-committee
meeting 1 the program's five focus challenges, in one step), and closing writes the minutes draft and
the attendance. Built on live.services' lock, version and permission helpers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Minutes
from committees.services import ActionItemInput, attendance_record, minutes_save
from kehila.audit import log_action
from kehila.permissions import can, require
from strategy.models import FocusChallenge
from strategy.plan_services import challenge_save

from .models import Item, LiveSession
from .services import FOCUS_COUNT, _facilitator, _item, _open, _touch, ranking


@transaction.atomic
def notes_save(*, session: LiveSession, actor, notes: str) -> LiveSession:
    _facilitator(actor, session)
    session = _open(session)
    session.notes = notes
    session.save(update_fields=["notes"])
    _touch(session, phones=False)
    return session


@transaction.atomic
def outcome_set(
    *, session: LiveSession, actor, item_id, outcome: str, owner=None, due_on=None
) -> Item:
    """What the meeting makes of an item: a decision, a challenge for the minutes, an action item."""
    _facilitator(actor, session)
    session = _open(session)
    if session.phase != LiveSession.Phase.DECIDE:
        raise ValidationError(_("Move to deciding first."))
    item = _item(session, item_id)
    if outcome and outcome not in Item.Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if outcome == Item.Outcome.FOCUS:
        raise ValidationError(_("Focus challenges are chosen together, five at once."))
    if owner is not None and owner.municipality_id != session.municipality_id:
        raise ValidationError({"owner": _("The owner must belong to this municipality.")})
    item.outcome, item.owner, item.due_on = outcome, owner, due_on
    item.save(update_fields=["outcome", "owner", "due_on"])
    _touch(session, phones=False)
    return item


@transaction.atomic
def focus_challenges_decide(*, session: LiveSession, actor, item_ids: list) -> list:
    """Design-committee meeting 1: the five chosen items become the program's five focus challenges, in
    the order given (the strategy app's own records, numbered 1 to 5, replacing earlier ones)."""
    _facilitator(actor, session)
    require(actor, "edit_plan", session.municipality)
    session = _open(session)
    if session.phase != LiveSession.Phase.DECIDE:
        raise ValidationError(_("Move to deciding first."))
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    if len(ids) != FOCUS_COUNT:
        raise ValidationError(_("Choose exactly five focus challenges."))
    items = [_item(session, i) for i in ids]
    if any(not item.on_board for item in items):
        raise ValidationError(_("This item is no longer on the board."))
    existing = {
        c.number: c for c in FocusChallenge.objects.filter(municipality=session.municipality)
    }
    challenges = []
    for number, item in enumerate(items, start=1):
        challenges.append(
            challenge_save(
                municipality=session.municipality,
                user=actor,
                number=number,
                title=item.text[:200],
                challenge=existing.get(number),
            )
        )
        item.outcome = Item.Outcome.FOCUS
        item.save(update_fields=["outcome"])
    session.items.filter(outcome=Item.Outcome.FOCUS).exclude(pk__in=ids).update(outcome="")
    _touch(session, phones=False)
    log_action(
        actor=actor,
        action="live.focus_challenges",
        obj=session.meeting,
        data={"items": ids},
    )
    return challenges


def _lines(items) -> str:
    return "\n".join(f"- {item.text}" for item in items)


@transaction.atomic
def session_close(*, session: LiveSession, actor) -> LiveSession:
    """The session ends: its notes, items, clusters, votes and decisions flow into the meeting's minutes
    draft, and who joined by invitation is recorded as attending."""
    _facilitator(actor, session)
    if not can(actor, "take_minutes", session.meeting):
        raise PermissionDenied(
            _("The program team closes the session: closing writes the meeting's minutes draft.")
        )
    session = _open(session)
    meeting = session.meeting
    ranked = ranking(session)
    decided = [i for i, _n in ranked if i.outcome in (Item.Outcome.FOCUS, Item.Outcome.DECISION)]
    challenges = [i for i, _n in ranked if i.outcome == Item.Outcome.CHALLENGE]
    actions = [i for i, _n in ranked if i.outcome == Item.Outcome.ACTION]
    board = "\n".join(
        f"- {item.text}"
        + (f" ({n})" if n else "")
        + (f" [{item.cluster.title}]" if item.cluster_id else "")
        for item, n in ranked
    )
    summary_parts = [session.notes.strip()] if session.notes.strip() else []
    if board:
        summary_parts.append(_("On the board (dots in the last round):") + "\n" + board)
    existing = Minutes.objects.filter(meeting=meeting).first()

    def joined(old: str, new: str) -> str:
        return "\n\n".join(part for part in (old.strip(), new.strip()) if part)

    minutes_save(
        meeting=meeting,
        note_taker=existing.note_taker if existing and existing.note_taker else session.note_taker,
        summary=joined(existing.summary if existing else "", "\n\n".join(summary_parts) or "-"),
        decisions=joined(existing.decisions if existing else "", _lines(decided)),
        challenges=joined(existing.challenges if existing else "", _lines(challenges)),
        next_steps=existing.next_steps if existing else "",
        action_items=[
            ActionItemInput(title=item.text[:200], owner=item.owner, due_on=item.due_on)
            for item in actions
        ],
        actor=actor,
    )
    joined_ids = set(
        session.participants.filter(invitation__isnull=False).values_list(
            "invitation_id", flat=True
        )
    )
    already = set(meeting.invitations.filter(attended=True).values_list("pk", flat=True))
    attendance_record(meeting=meeting, attended_ids=joined_ids | already, actor=actor)
    session.phase = LiveSession.Phase.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["phase", "closed_at"])
    _touch(session)
    log_action(actor=actor, action="live.session_close", obj=meeting, data={"session": session.pk})
    return session
