"""What the board, the phones and the facilitator see of a session: drawn in a fixed number of queries,
whatever the number of items, dots or participants."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from .models import Cluster, Dot, Item, LiveSession, Participant, Turn


@dataclass
class BoardItem:
    item: Item
    dots: int = 0
    mine: int = 0
    merged: list = field(default_factory=list)


@dataclass
class Group:
    cluster: Cluster | None
    items: list


@dataclass
class State:
    session: LiveSession
    items: list  # BoardItem on the board, in the order the phase wants
    groups: list  # Group: headings first, then the items under none
    hidden: list  # Item hidden by moderation (the facilitator sees them)
    clusters: list
    participants: int
    speaker: Turn | None
    queue: list  # Turn: raised hands, first raised first
    my_turn: Turn | None = None
    dots_left: int = 0

    @property
    def show_totals(self) -> bool:
        phase = self.session.phase
        if phase == LiveSession.Phase.VOTE:
            return self.session.totals_live
        return phase in (LiveSession.Phase.DECIDE, LiveSession.Phase.CLOSED) and bool(
            self.session.vote_round
        )

    @property
    def speaker_elapsed(self) -> int:
        if self.speaker is None:
            return 0
        return max(0, int((timezone.now() - self.speaker.started_at).total_seconds()))

    @property
    def focus_ready(self) -> bool:
        return len([b for b in self.items if b.item.outcome == Item.Outcome.FOCUS]) == 5


def session_state(session: LiveSession) -> State:
    """Four queries for the board and the controls: the items with their dots in the round, clusters,
    turns, participants."""
    round_dots = (
        Dot.objects.filter(item=OuterRef("pk"), vote_round=session.vote_round)
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = list(
        Item.objects.filter(session=session)
        .select_related("author", "owner", "cluster")
        .annotate(round_dots=Subquery(round_dots))
    )
    on_board = {i.pk: BoardItem(i, i.round_dots or 0) for i in items if i.on_board}
    for i in items:
        if i.merged_into_id and not i.hidden and i.merged_into_id in on_board:
            on_board[i.merged_into_id].merged.append(i)
    board = list(on_board.values())
    if session.phase in (LiveSession.Phase.DECIDE, LiveSession.Phase.CLOSED) or (
        session.phase == LiveSession.Phase.VOTE and session.totals_live
    ):
        board.sort(key=lambda b: (-b.dots, b.item.created_at, b.item.pk))
    clusters = list(Cluster.objects.filter(session=session))
    by_cluster: dict[int | None, list] = {}
    for b in board:
        by_cluster.setdefault(b.item.cluster_id, []).append(b)
    groups = [Group(c, by_cluster.get(c.pk, [])) for c in clusters]
    if by_cluster.get(None):
        groups.append(Group(None, by_cluster[None]))
    turns = list(
        Turn.objects.filter(session=session, ended_at__isnull=True).select_related("participant")
    )
    speaker = next((t for t in turns if t.started_at is not None), None)
    queue = [t for t in turns if t.started_at is None]
    participants = Participant.objects.filter(session=session).aggregate(n=Count("id"))["n"]
    return State(
        session=session,
        items=board,
        groups=groups,
        hidden=[i for i in items if i.hidden],
        clusters=clusters,
        participants=participants,
        speaker=speaker,
        queue=queue,
    )


# --- the phones ------------------------------------------------------------------------------------------
# What a phone shows is in two parts: what every phone of the session shows (the phase, the question, the
# items to vote on), which changes only with the session's phone version and is drawn once per version and
# language (live.phone_views), and what is this phone's own (its dots, its items, its hand).


def phone_items(session: LiveSession, mine: dict | None = None) -> list[BoardItem]:
    """The items a phone votes on, in the order they were written: one query while voting, none otherwise.
    Without `mine` every count is 0, as the shared drawing has it (the phone's script puts its own on)."""
    if session.phase != LiveSession.Phase.VOTE or session.is_closed:
        return []
    items = Item.objects.filter(session=session, hidden=False, merged_into__isnull=True)
    mine = mine or {}
    return [BoardItem(i, mine=mine.get(i.pk, 0)) for i in items.order_by("created_at", "pk")]


@dataclass(frozen=True)
class Own:
    """Which parts of its own a phone has, as far as its last answer from the server knew (yes where it
    did not know): its script sends them with each poll (live.js), and a phone with none that the new
    version shows gets the drawing every such phone gets, without its seat being read (live.phone_views).
    Only the phone's own moves give it a part of its own: the floor goes only to a raised hand. (A seat
    opened in two browsers learns the other's moves from its next full poll, which is drawn for it.)"""

    hand: bool
    items: bool
    dots_round: int | None  # the round it has dots in; a vote phase always opens a new round

    HEADER = "X-Live-Own"

    def shows_nothing_own(self, phase: str, vote_round: int) -> bool:
        """Whether this phone's own part is empty at a version in this phase and round."""
        if self.hand or (self.items and phase == LiveSession.Phase.COLLECT):
            return False
        return not (phase == LiveSession.Phase.VOTE and self.dots_round == vote_round)

    @classmethod
    def parse(cls, header: str | None) -> "Own | None":
        """From the script's header ("hand=0 items=1 dots=3"); None unless every part is said."""
        said = dict(part.partition("=")[::2] for part in (header or "").split())
        if set(said) != {"hand", "items", "dots"}:
            return None
        dots = said["dots"]
        if dots and not dots.isdigit():
            return None
        return cls(said["hand"] != "0", said["items"] != "0", int(dots) if dots else None)


@dataclass
class Seat:
    """One phone's own part: its dots in this round, its items, its raised hand."""

    participant: Participant
    mine: dict  # item id -> this phone's dots on it
    dots_left: int
    my_items: list
    my_turn: Turn | None

    own: Own | None = None

    @property
    def speaker_elapsed(self) -> int:
        if self.my_turn is None or self.my_turn.started_at is None:
            return 0
        return max(0, int((timezone.now() - self.my_turn.started_at).total_seconds()))


def own_columns(participant_id: int) -> dict:
    """What a poll asks of the phone's own with its session: its open turn to speak, whether it has any
    dot in the round (right after a round opens, when sixty phones redraw, none has) and any item."""
    open_turn = Turn.objects.filter(participant_id=participant_id, ended_at__isnull=True).order_by(
        "pk"
    )
    dots = Dot.objects.filter(participant_id=participant_id, vote_round=OuterRef("vote_round"))
    return {
        "own_turn_id": Subquery(open_turn.values("pk")[:1]),
        "own_turn_started": Subquery(open_turn.values("started_at")[:1]),
        "own_has_dots": Exists(dots),
        "own_has_items": Exists(Item.objects.filter(author_id=participant_id)),
    }


def _own_turn(session: LiveSession, participant: Participant) -> Turn | None:
    # Not read with the session: a move may just have changed it.
    if not hasattr(session, "own_turn_id"):
        return Turn.objects.filter(participant=participant, ended_at__isnull=True).first()
    if session.own_turn_id is None:
        return None
    return Turn(
        pk=session.own_turn_id,
        session=session,
        participant=participant,
        started_at=session.own_turn_started,
    )


def phone_seat(session: LiveSession, participant: Participant) -> Seat:
    """Two queries at most: the phone's dots (while voting, unless the session's read found it has none)
    or its items (while collecting), and its open turn to speak unless it was read with the session
    (own_columns)."""
    voting = session.phase == LiveSession.Phase.VOTE
    mine = {}
    if voting and getattr(session, "own_has_dots", True):
        mine = dict(
            Dot.objects.filter(participant=participant, vote_round=session.vote_round)
            .values("item_id")
            .annotate(n=Count("id"))
            .values_list("item_id", "n")
        )
    my_items = []
    if session.phase == LiveSession.Phase.COLLECT:
        my_items = list(
            Item.objects.filter(session=session, author=participant).order_by("created_at", "pk")
        )
    my_turn = None
    if not session.is_closed:
        my_turn = _own_turn(session, participant)
    return Seat(
        participant=participant,
        mine=mine,
        dots_left=max(0, session.dots - sum(mine.values())) if voting else 0,
        my_items=my_items,
        my_turn=my_turn,
        own=_own(session, mine, my_items, my_turn),
    )


def _own(session: LiveSession, mine: dict, my_items: list, my_turn) -> Own:
    # Read with the session (a poll: own_columns) or from the part just drawn; yes where neither knows.
    if hasattr(session, "own_has_items"):
        items = session.own_has_items
    else:
        items = bool(my_items) or session.phase != LiveSession.Phase.COLLECT
    if session.phase == LiveSession.Phase.VOTE:
        has_dots = bool(mine)
    else:
        has_dots = getattr(session, "own_has_dots", True)
    return Own(
        hand=my_turn is not None,
        items=items,
        dots_round=session.vote_round if has_dots else None,
    )
