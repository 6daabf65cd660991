"""What happens in a live session, one function a thing: the facilitator's moves and the participants'.

Every change raises the session's version (in the same transaction) and, once committed, puts the new
version in the cache: a poll whose version did not move answers 304 from that cache read alone.
"""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Invitation, Meeting
from kehila.audit import log_action
from kehila.permissions import can, require

from .models import ITEM_MAX_LENGTH, Cluster, Dot, Item, LiveSession, Participant, Turn

# Unambiguous letters and digits for a code read off a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_DOTS = 10
FOCUS_COUNT = 5  # the program's focus challenges, chosen at design-committee meeting 1
MAX_SEEDS = 200
VERSION_SECONDS = 60 * 60 * 12


class SessionClosed(ValidationError):
    pass


def version_key(session_id: int) -> str:
    return f"live:version:{session_id}"


def phone_version_key(session_id: int) -> str:
    return f"live:phone-version:{session_id}"


def cached_version(session_id: int) -> int | None:
    return cache.get(version_key(session_id))


def cached_phone_version(session_id: int) -> int | None:
    return cache.get(phone_version_key(session_id))


def remember_version(session_id: int, version: int, phone_version: int | None = None) -> None:
    if phone_version is None:
        cache.set(version_key(session_id), version, VERSION_SECONDS)
    else:
        cache.set_many(
            {version_key(session_id): version, phone_version_key(session_id): phone_version},
            VERSION_SECONDS,
        )


def heal_version(session_id: int, version: int, phone_version: int) -> None:
    """A page or a poll puts back the versions it read when the cache has lost them, never over the ones
    there: it may have read them just before a change that has since been published, and writing the
    older one back would answer 304 to every poll until the next change."""
    cache.add(version_key(session_id), version, VERSION_SECONDS)
    cache.add(phone_version_key(session_id), phone_version, VERSION_SECONDS)


def _touch(session: LiveSession, *, phones: bool = True) -> None:
    """The session changed: one more version, published to the polls once the change is committed.

    The phones' version rises only with what every phone shows (the phase, the question, the items
    to vote on, the floor): a participant's own item, dots or hand come back in the answer to their
    own request, so sixty phones do not all redraw each time one of them votes."""
    changes = {"version": F("version") + 1}
    if phones:
        changes["phone_version"] = F("phone_version") + 1
    LiveSession.objects.filter(pk=session.pk).update(**changes)
    # `session` is the copy _open() locked: nobody else moved the versions since it was read.
    session.version += 1
    session.phone_version += 1 if phones else 0
    transaction.on_commit(lambda: _publish(session.pk))


def _publish(session_id: int) -> None:
    # Read again after the commit: two changes committed close together in two processes may run their
    # callbacks out of order, and the later one must not put the older version back.
    row = LiveSession.objects.filter(pk=session_id).values_list("version", "phone_version").first()
    if row is not None:
        remember_version(session_id, row[0], row[1])


def _open(session: LiveSession) -> LiveSession:
    """The session, locked for this change, refused when closed (the caller's copy may be old)."""
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    if locked.is_closed:
        raise SessionClosed(_("This live session is closed: nothing more can be added or changed."))
    return locked


def _facilitator(actor, session) -> None:
    require(actor, "facilitate_meetings", session.meeting)


# --- opening and joining ------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def session_open(
    *, meeting: Meeting, actor, note_taker: str, question: str = "", seeds: list[str] = ()
) -> LiveSession:
    """Open the meeting's live session (or return the one already open), the note-taker named first."""
    require(actor, "facilitate_meetings", meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    existing = meeting.live_sessions.filter(closed_at__isnull=True).first()
    if existing is not None:
        return existing
    note_taker = (note_taker or "").strip()
    if not note_taker:
        raise ValidationError(
            {"note_taker": _("Name the note-taker before the discussion starts.")}
        )
    if not question:
        question = next((q for a in meeting.agenda_items.all() for q in a.questions()), "")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    municipality=meeting.municipality,
                    meeting=meeting,
                    code=_new_code(),
                    note_taker=note_taker[:200],
                    question=question[:500],
                    opened_by=actor,
                )
            break
        except IntegrityError:
            # Another facilitator opened it this instant, or the code was taken: the open one wins.
            existing = meeting.live_sessions.filter(closed_at__isnull=True).first()
            if existing is not None:
                return existing
    else:  # pragma: no cover - thirty bits of code do not collide five times
        raise ValidationError(_("Could not open the session: try again."))
    texts = [_clean_text(t) for t in list(seeds)[:MAX_SEEDS] if (t or "").strip()]
    Item.objects.bulk_create(
        Item(municipality_id=session.municipality_id, session=session, text=t, seeded=True)
        for t in texts
    )
    log_action(actor=actor, action="live.session_open", obj=meeting, data={"session": session.pk})
    remember_version(session.pk, session.version, session.phone_version)
    return session


def _new_key() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def join_invitee(*, session: LiveSession, invitation: Invitation) -> Participant:
    """An invitee through their personal link: the same seat every time (a phone that comes back)."""
    session = _open(session)
    if invitation.meeting_id != session.meeting_id:
        raise ValidationError(_("This invitation is for another meeting."))
    participant = session.participants.filter(invitation=invitation).first()
    if participant is None:
        participant = Participant.objects.create(
            municipality_id=session.municipality_id,
            session=session,
            invitation=invitation,
            name=invitation.person.full_name[:200],
            key=_new_key(),
        )
        _touch(session, phones=False)
    return participant


@transaction.atomic
def join_guest(*, code: str, name: str) -> Participant:
    """A walk-in through the short code, with a name, marked as a guest."""
    session = LiveSession.objects.filter(code=(code or "").strip().upper()).first()
    if session is None:
        raise ValidationError(
            {"code": _("No live session has this code. Check the code on the board.")}
        )
    session = _open(session)
    if not session.joining_open:
        raise ValidationError(_("The facilitator has closed joining for this session."))
    name = " ".join((name or "").split())[:200]
    if not name:
        raise ValidationError({"name": _("Write your name so the facilitator knows who joined.")})
    participant = Participant.objects.create(
        municipality_id=session.municipality_id,
        session=session,
        name=name,
        is_guest=True,
        key=_new_key(),
    )
    _touch(session, phones=False)
    return participant


def participant_by_key(key: str) -> Participant | None:
    if not key:
        return None
    return Participant.objects.select_related("session").filter(key=key).first()


# --- the facilitator's controls -------------------------------------------------------------------------

PHASE_ORDER = [
    LiveSession.Phase.COLLECT,
    LiveSession.Phase.CLUSTER,
    LiveSession.Phase.VOTE,
    LiveSession.Phase.DECIDE,
]


@dataclass(frozen=True)
class Settings:
    question: str
    joining_open: bool
    show_authors: bool
    totals_live: bool
    speaker_seconds: int


@transaction.atomic
def session_configure(*, session: LiveSession, actor, settings: Settings) -> LiveSession:
    _facilitator(actor, session)
    session = _open(session)
    if not 15 <= settings.speaker_seconds <= 1800:
        raise ValidationError(
            {"speaker_seconds": _("A speaker's time is between 15 seconds and 30 minutes.")}
        )
    session.question = settings.question.strip()[:500]
    session.joining_open = settings.joining_open
    session.show_authors = settings.show_authors
    session.totals_live = settings.totals_live
    session.speaker_seconds = settings.speaker_seconds
    session.save(
        update_fields=["question", "joining_open", "show_authors", "totals_live", "speaker_seconds"]
    )
    _touch(session)
    return session


@transaction.atomic
def phase_set(*, session: LiveSession, actor, phase: str, dots: int | None = None) -> LiveSession:
    """Move to a phase (back too: a facilitator may reopen collecting). Entering the vote opens a new
    round with `dots` for each participant."""
    _facilitator(actor, session)
    session = _open(session)
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": _("Unknown phase.")})
    fields = ["phase"]
    if phase == LiveSession.Phase.VOTE and session.phase != LiveSession.Phase.VOTE:
        dots = session.dots if dots is None else dots
        if not 1 <= dots <= MAX_DOTS:
            raise ValidationError({"dots": _("Give each participant between 1 and 10 dots.")})
        session.dots = dots
        session.vote_round += 1
        fields += ["dots", "vote_round"]
    session.phase = phase
    session.save(update_fields=fields)
    _touch(session)
    log_action(actor=actor, action="live.phase", obj=session.meeting, data={"phase": phase})
    return session


def _clean_text(text: str) -> str:
    return " ".join((text or "").split())[:ITEM_MAX_LENGTH]


def _item(session: LiveSession, item_id) -> Item:
    item = session.items.filter(pk=item_id).first()
    if item is None:
        raise ValidationError(_("This item is not part of this session."))
    return item


@transaction.atomic
def item_add(
    *, session: LiveSession, text: str, participant: Participant | None = None, actor=None
) -> Item:
    """An item for the current question, from a participant's phone or from the facilitator."""
    if participant is not None:
        if participant.session_id != session.pk:
            raise ValidationError(_("This item is not part of this session."))
    else:
        _facilitator(actor, session)
    session = _open(session)
    if session.phase != LiveSession.Phase.COLLECT:
        raise ValidationError(_("Items are added while collecting; the facilitator has moved on."))
    clean = _clean_text(text)
    if not clean:
        raise ValidationError({"text": _("Write the item first.")})
    if participant is not None:
        # A double tap, or a phone sending again after losing its connection, adds the item once: the
        # second waits on the session's row that _open() locked, then finds the first.
        same = session.items.filter(author=participant, text=clean, question=session.question)
        if (existing := same.first()) is not None:
            return existing
    item = Item.objects.create(
        municipality_id=session.municipality_id,
        session=session,
        text=clean,
        question=session.question,
        author=participant,
    )
    _touch(session, phones=False)
    return item


@transaction.atomic
def cluster_add(*, session: LiveSession, actor, title: str) -> Cluster:
    _facilitator(actor, session)
    session = _open(session)
    title = " ".join((title or "").split())[:200]
    if not title:
        raise ValidationError({"title": _("Give the heading a name.")})
    cluster = Cluster.objects.create(
        municipality_id=session.municipality_id, session=session, title=title
    )
    _touch(session, phones=False)
    return cluster


@transaction.atomic
def item_group(*, session: LiveSession, actor, item_id, cluster_id=None) -> Item:
    """Put an item under a heading (or take it out: no cluster)."""
    _facilitator(actor, session)
    session = _open(session)
    item = _item(session, item_id)
    cluster = None
    if cluster_id:
        cluster = session.clusters.filter(pk=cluster_id).first()
        if cluster is None:
            raise ValidationError(_("This heading is not part of this session."))
    item.cluster = cluster
    item.save(update_fields=["cluster"])
    _touch(session, phones=False)
    return item


@transaction.atomic
def item_merge(*, session: LiveSession, actor, item_id, into_id) -> Item:
    """A duplicate joins the item it repeats; its dots (if any) go with it, the record keeps both."""
    _facilitator(actor, session)
    session = _open(session)
    item, into = _item(session, item_id), _item(session, into_id)
    while into.merged_into_id is not None:
        into = into.merged_into
    if into.pk == item.pk:
        raise ValidationError(_("An item cannot be merged into itself."))
    item.merged_into = into
    item.save(update_fields=["merged_into"])
    Item.objects.filter(merged_into=item).update(merged_into=into)
    Dot.objects.filter(item=item).update(item=into)
    _touch(session)
    return item


@transaction.atomic
def item_hide(*, session: LiveSession, actor, item_id, hidden: bool = True) -> Item:
    _facilitator(actor, session)
    session = _open(session)
    item = _item(session, item_id)
    item.hidden = hidden
    item.save(update_fields=["hidden"])
    Dot.objects.filter(item=item).delete() if hidden else None
    _touch(session)
    log_action(
        actor=actor,
        action="live.item_hide" if hidden else "live.item_show",
        obj=session.meeting,
        data={"item": item.pk},
    )
    return item


# --- dot voting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    left: int  # the dots the participant has left in this round
    mine: dict  # item id -> the participant's dots on it in this round


@transaction.atomic
def dots_set(*, participant: Participant, item_id, count: int) -> Placed:
    """The participant's dots on one item in this round, set to `count` (not added): a phone that sends
    the same answer twice after losing its connection votes once."""
    session = _open(participant.session)
    if session.phase != LiveSession.Phase.VOTE:
        raise ValidationError(_("Voting is not open now."))
    # _open() locked the session's row, so two taps at once from one phone count against one budget.
    item = _item(session, item_id)
    if not item.on_board:
        raise ValidationError(_("This item is no longer on the board."))
    if count < 0:
        raise ValidationError(_("Dots cannot be negative."))
    mine = Dot.objects.filter(participant=participant, vote_round=session.vote_round)
    placed = list(mine.values_list("pk", "item_id"))
    here = [pk for pk, on in placed if on == item.pk]
    elsewhere = len(placed) - len(here)
    if elsewhere + count > session.dots:
        raise ValidationError(
            _("You have %(dots)s dots in this round; take some off another item first.")
            % {"dots": session.dots}
        )
    if len(here) > count:
        Dot.objects.filter(pk__in=here[count:]).delete()
    elif len(here) < count:
        Dot.objects.bulk_create(
            Dot(
                municipality_id=session.municipality_id,
                session=session,
                participant=participant,
                item=item,
                vote_round=session.vote_round,
            )
            for _ in range(count - len(here))
        )
    if len(here) != count:
        _touch(session, phones=False)
    mine: dict[int, int] = {}
    for _pk, on in placed:
        if on != item.pk:
            mine[on] = mine.get(on, 0) + 1
    if count:
        mine[item.pk] = count
    return Placed(left=session.dots - elsewhere - count, mine=mine)


def totals(session: LiveSession, vote_round: int | None = None) -> dict[int, int]:
    """Dots per item in a round (the current one by default)."""
    vote_round = session.vote_round if vote_round is None else vote_round
    rows = (
        Dot.objects.filter(session=session, vote_round=vote_round)
        .values("item_id")
        .annotate(n=Count("id"))
    )
    return {row["item_id"]: row["n"] for row in rows}


def ranking(session: LiveSession) -> list[tuple[Item, int]]:
    """The items on the board, most dots first (then the earliest written)."""
    counted = totals(session)
    items = [i for i in session.items.all() if i.on_board]
    return sorted(
        ((i, counted.get(i.pk, 0)) for i in items), key=lambda p: (-p[1], p[0].created_at, p[0].pk)
    )


# --- the speaking queue -------------------------------------------------------------------------------


@transaction.atomic
def hand_raise(*, participant: Participant) -> Turn:
    session = _open(participant.session)
    turn = Turn.objects.filter(participant=participant, ended_at__isnull=True).first()
    if turn is None:
        turn = Turn.objects.create(
            municipality_id=session.municipality_id, session=session, participant=participant
        )
        _touch(session, phones=False)
    return turn


@transaction.atomic
def hand_lower(*, participant: Participant) -> None:
    session = _open(participant.session)
    if Turn.objects.filter(participant=participant, ended_at__isnull=True).update(
        ended_at=timezone.now()
    ):
        _touch(session, phones=False)


@transaction.atomic
def floor_give(*, session: LiveSession, actor, turn_id) -> Turn:
    """The floor to one raised hand; whoever spoke before is done."""
    _facilitator(actor, session)
    session = _open(session)
    turn = session.turns.filter(pk=turn_id, ended_at__isnull=True).first()
    if turn is None:
        raise ValidationError(_("This hand is no longer raised."))
    now = timezone.now()
    session.turns.filter(started_at__isnull=False, ended_at__isnull=True).exclude(
        pk=turn.pk
    ).update(ended_at=now)
    if turn.started_at is None:
        turn.started_at = now
        turn.save(update_fields=["started_at"])
    _touch(session)
    return turn


@transaction.atomic
def floor_end(*, session: LiveSession, actor) -> None:
    _facilitator(actor, session)
    session = _open(session)
    session.turns.filter(started_at__isnull=False, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    _touch(session)


def may_facilitate(user, session_or_meeting) -> bool:
    meeting = getattr(session_or_meeting, "meeting", session_or_meeting)
    return can(user, "facilitate_meetings", meeting)
