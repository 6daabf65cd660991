"""Reads for the pilot pages: each returns everything its template shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from kehila.tenancy import get_for_municipality
from strategy.models import FocusChallenge

from .models import (
    REACHED_SELECTED,
    CommitteeSeat,
    Criterion,
    Grant,
    Hackathon,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Participant,
    Score,
    ScoringConflict,
)


def hackathon_for(municipality, hackathon_id: int) -> Hackathon:
    return get_for_municipality(
        Hackathon.objects.select_related("municipality"), municipality, pk=hackathon_id
    )


def hackathon_initiative(hackathon: Hackathon, initiative_id: int) -> Initiative:
    """One of this hackathon's initiatives, or 404."""
    return get_for_municipality(
        Initiative.objects.filter(hackathon=hackathon), hackathon.municipality, pk=initiative_id
    )


def hackathon_indicator(hackathon: Hackathon, indicator_id: int) -> Indicator:
    """One of this hackathon's indicators, or 404."""
    return get_for_municipality(
        Indicator.objects.filter(hackathon=hackathon), hackathon.municipality, pk=indicator_id
    )


def hackathons_for(municipality):
    return Hackathon.objects.filter(municipality=municipality).annotate(
        initiative_count=Count("initiatives", distinct=True),
        participant_count=Count("participants", distinct=True),
    )


def current_hackathon(municipality) -> Hackathon | None:
    return (
        Hackathon.objects.filter(municipality=municipality).select_related("municipality").first()
    )


def committee_seats(hackathon: Hackathon):
    return CommitteeSeat.objects.filter(hackathon=hackathon).select_related("user")


def participant_count(hackathon: Hackathon) -> int:
    return Participant.objects.filter(hackathon=hackathon).count()


def participants_of(hackathon: Hackathon) -> list[Participant]:
    return list(Participant.objects.filter(hackathon=hackathon).order_by("team_name", "full_name"))


def challenges_for(municipality):
    return FocusChallenge.objects.filter(municipality=municipality).order_by("number")


def is_blind(initiative: Initiative, viewer) -> bool:
    """Blind scoring: whoever may not manage the pilot (a scorer, the mayor's office, a track lead) sees an
    initiative's content only, not who is behind it, until its selection is published (decided and told)."""
    from kehila.permissions import can

    return not initiative.is_decided and not can(viewer, "manage_pilot", initiative)


def has_conflict(initiative: Initiative, viewer) -> bool:
    return ScoringConflict.objects.filter(initiative=initiative, member=viewer.pk).exists()


def ranking(hackathon: Hackathon, viewer) -> tuple[list[Initiative], bool]:
    """Initiatives by average score, with the spread (highest minus lowest member average).

    Blind scoring: a committee member sees an initiative's scores only after scoring it; rows they have
    not scored carry `scores_hidden`. Returns (rows, viewer_is_on_committee)."""
    on_committee = CommitteeSeat.objects.filter(hackathon=hackathon, user=viewer).exists()
    rows = list(
        Initiative.objects.filter(hackathon=hackathon)
        .select_related("focus_challenge")
        .annotate(
            score_count=Count("scores"),
            average=Avg("scores__total"),
            low=Min("scores__total"),
            high=Max("scores__total"),
            scored_by_me=Exists(Score.objects.filter(initiative=OuterRef("pk"), member=viewer.pk)),
            conflicted=Exists(
                ScoringConflict.objects.filter(initiative=OuterRef("pk"), member=viewer.pk)
            ),
        )
        .order_by("-average", "title")
    )
    for row in rows:
        row.scores_hidden = on_committee and not row.scored_by_me
        row.spread = (row.high - row.low) if row.score_count else None
    if on_committee:
        # Do not let the order itself reveal what others gave.
        rows.sort(
            key=lambda r: (
                r.scores_hidden,
                -(r.average or 0) if not r.scores_hidden else 0,
                r.title,
            )
        )
    return rows, on_committee


def scores_visible(initiative: Initiative, viewer) -> bool:
    """A committee member sees the others' scores (and their average) only after giving their own."""
    if not CommitteeSeat.objects.filter(hackathon_id=initiative.hackathon_id, user=viewer).exists():
        return True
    return Score.objects.filter(initiative=initiative, member=viewer).exists()


def score_of(initiative: Initiative, member) -> Score | None:
    return Score.objects.filter(initiative=initiative, member=member).first()


def initiative_scores(initiative: Initiative):
    scores = list(initiative.scores.select_related("member").order_by("created_at"))
    averages = {}
    if scores:
        for criterion in Criterion.values:
            averages[criterion] = Decimal(sum(getattr(s, criterion) for s in scores)) / len(scores)
    return scores, averages


def initiative_with_support(municipality, initiative_id: int) -> Initiative:
    return get_for_municipality(
        Initiative.objects.select_related(
            "hackathon", "focus_challenge", "decided_by"
        ).prefetch_related(
            "connections",
            Prefetch(
                "grants",
                queryset=Grant.objects.annotate(paid=Sum("disbursements__amount")).prefetch_related(
                    "disbursements"
                ),
            ),
            "progress_reports",
            Prefetch("measurements", queryset=Measurement.objects.select_related("indicator")),
        ),
        municipality,
        pk=initiative_id,
    )


def initiative_for_link(initiative_id: int) -> Initiative | None:
    """The initiative a lead's personal link names, with what its page shows; None if it is gone."""
    return (
        Initiative.objects.select_related("hackathon", "hackathon__municipality", "focus_challenge")
        .filter(pk=initiative_id)
        .first()
    )


def for_scoring(municipality, user) -> list[Initiative]:
    """The initiatives a committee member has to score, in the hackathons they sit on; those they
    declared a conflict with are not theirs to open."""
    return list(
        Initiative.objects.filter(
            municipality=municipality,
            hackathon__seats__user=user,
        )
        .exclude(conflicts__member=user)
        .select_related("hackathon", "focus_challenge")
        .annotate(
            scored_by_me=Exists(Score.objects.filter(initiative=OuterRef("pk"), member=user.pk))
        )
        .order_by("hackathon_id", "title")
    )


@dataclass
class Budget:
    total: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.committed

    @property
    def percent_used(self) -> int:
        if not self.total:
            return 100 if self.committed else 0
        return int(min(self.committed * 100 / self.total, 999))


def budget(hackathon: Hackathon) -> Budget:
    grants = Grant.objects.filter(initiative__hackathon=hackathon)
    committed = grants.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    paid = grants.aggregate(s=Sum("disbursements__amount"))["s"] or Decimal(0)
    return Budget(total=hackathon.pilot_budget, committed=committed, paid=paid)


def _count(queryset):
    """The number of rows of a correlated subquery, 0 when there are none (one SELECT for all steps)."""
    counted = queryset.order_by().values("hackathon").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def funnel(hackathon: Hackathon) -> list[dict]:
    """The hackathon's funnel, from the people who registered to the initiatives that go on into year
    two. Each step counts what reached it, whatever happened next (a stopped initiative was still
    selected and funded). One query; `width` is each bar's share of the widest, for the chart."""
    from django.utils.translation import gettext_lazy as _

    from kehila.charts import ValueScale

    initiatives = Initiative.objects.filter(hackathon=OuterRef("pk"))
    scores = Score.objects.filter(initiative=OuterRef("pk"))
    grants = Grant.objects.filter(initiative=OuterRef("pk"))
    counts = (
        Hackathon.objects.filter(pk=hackathon.pk)
        .annotate(
            registered=_count(Participant.objects.filter(hackathon=OuterRef("pk"))),
            submitted=_count(initiatives),
            scored=_count(initiatives.filter(Exists(scores))),
            selected=_count(initiatives.filter(status__in=REACHED_SELECTED)),
            funded=_count(initiatives.filter(Exists(grants))),
            continued=_count(initiatives.filter(status=InitiativeStatus.CONTINUED)),
        )
        .values("registered", "submitted", "scored", "selected", "funded", "continued")
        .get()
    )
    # The first step counts people, the others initiatives: the first label says so.
    steps = {
        "registered": _("Registered participants"),
        "submitted": _("Submitted"),
        "scored": _("Scored"),
        "selected": _("Selected"),
        "funded": _("Funded"),
        "continued": _("Continued into year two"),
    }
    # The widest bar fills the chart: a funnel has no axis to round to.
    scale = ValueScale(low=0, high=max([counts[k] for k in steps] + [1]), length=100, upward=False)
    return [
        {"key": k, "label": label, "count": counts[k], "width": scale(counts[k])}
        for k, label in steps.items()
    ]


def by_neighbourhood(hackathon: Hackathon) -> list[dict]:
    """Rows for the table and the bar chart: count of initiatives and of selected ones per neighbourhood."""
    rows = list(
        Initiative.objects.filter(hackathon=hackathon)
        .values("neighbourhood")
        .annotate(count=Count("pk"), selected=Count("pk", filter=Q(status__in=REACHED_SELECTED)))
        .order_by("-count", "neighbourhood")
    )
    most = max((r["count"] for r in rows), default=0)
    for i, row in enumerate(rows):
        row["width"] = round(row["count"] * 100 / most) if most else 0
        row["y"] = i * 32
    return rows


def measurement_grid(hackathon: Hackathon) -> list[dict]:
    """Per track: its indicators and the selected initiatives with their values, for the six-month round."""
    indicators = list(Indicator.objects.filter(hackathon=hackathon))
    initiatives = list(
        Initiative.objects.filter(hackathon=hackathon, status__in=REACHED_SELECTED)
        .prefetch_related("measurements")
        .order_by("title")
    )
    from kehila.models import Track

    tracks = []
    for value, label in Track.choices:
        track_indicators = [i for i in indicators if i.track == value]
        track_initiatives = [i for i in initiatives if i.track == value]
        if not track_indicators and not track_initiatives:
            continue
        rows = []
        for initiative in track_initiatives:
            values = {m.indicator_id: m for m in initiative.measurements.all()}
            rows.append(
                {
                    "initiative": initiative,
                    "cells": [values.get(ind.pk) for ind in track_indicators],
                }
            )
        tracks.append(
            {"value": value, "label": label, "indicators": track_indicators, "rows": rows}
        )
    return tracks


def review_outcomes(hackathon: Hackathon) -> list[Initiative]:
    """The nine-month review's outcome per initiative, continued first: which live on, and why."""
    return list(
        Initiative.objects.filter(
            hackathon=hackathon, status__in=(InitiativeStatus.CONTINUED, InitiativeStatus.STOPPED)
        ).order_by("status", "title")
    )


def sits_on_a_committee(user, municipality) -> bool:
    return CommitteeSeat.objects.filter(municipality=municipality, user=user).exists()
