"""What the board, the phones and the facilitator see of a session: drawn in a fixed number of queries,
whatever the number of items, dots or participants."""

from dataclasses import dataclass, field

from django.db.models import Count
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


def session_state(session: LiveSession, participant: Participant | None = None) -> State:
    """Six queries for the board and the controls: items, dots, clusters, turns, participants; a phone
    (`participant`) needs four: items, its own dots, turns, and no totals, headings or head count."""
    phone = participant is not None
    items = Item.objects.filter(session=session)
    # A phone shows only its own items (by author_id): no names to join.
    items = list(items if phone else items.select_related("author", "owner", "cluster"))
    counted = {}
    if not phone:
        counted = dict(
            Dot.objects.filter(session=session, vote_round=session.vote_round)
            .values("item_id")
            .annotate(n=Count("id"))
            .values_list("item_id", "n")
        )
    mine: dict[int, int] = {}
    if participant is not None:
        mine = dict(
            Dot.objects.filter(participant=participant, vote_round=session.vote_round)
            .values("item_id")
            .annotate(n=Count("id"))
            .values_list("item_id", "n")
        )
    on_board = {
        i.pk: BoardItem(i, counted.get(i.pk, 0), mine.get(i.pk, 0)) for i in items if i.on_board
    }
    for i in items:
        if i.merged_into_id and not i.hidden and i.merged_into_id in on_board:
            on_board[i.merged_into_id].merged.append(i)
    board = list(on_board.values())
    if session.phase in (LiveSession.Phase.DECIDE, LiveSession.Phase.CLOSED) or (
        session.phase == LiveSession.Phase.VOTE and session.totals_live
    ):
        board.sort(key=lambda b: (-b.dots, b.item.created_at, b.item.pk))
    clusters = [] if phone else list(Cluster.objects.filter(session=session))
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
    participants = (
        0 if phone else Participant.objects.filter(session=session).aggregate(n=Count("id"))["n"]
    )
    state = State(
        session=session,
        items=board,
        groups=groups,
        hidden=[i for i in items if i.hidden],
        clusters=clusters,
        participants=participants,
        speaker=speaker,
        queue=queue,
    )
    if participant is not None:
        state.my_turn = next((t for t in turns if t.participant_id == participant.pk), None)
        state.dots_left = max(0, session.dots - sum(mine.values()))
    return state
