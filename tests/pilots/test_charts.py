"""The pilot dashboard's funnel and budget: the numbers of every step, in order, drawn as bars beside a
table; the budget bar grows from the right in Hebrew and shows money beyond the budget apart."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pilots import charts, selectors, services
from pilots.models import Grant, InitiativeStatus, Participant
from pilots.selectors import Budget
from tests.pilots.factories import InitiativeFactory, seat

pytestmark = pytest.mark.django_db

STEPS = ["registered", "submitted", "scored", "selected", "funded", "continued"]


def test_the_funnel_counts_each_step_reached_whatever_came_next(
    municipality, closed_hackathon, team_member
):
    hackathon = closed_hackathon
    for n in range(4):
        Participant.objects.create(
            municipality=municipality, hackathon=hackathon, full_name=f"p{n}", email=f"p{n}@x.org"
        )
    seat(hackathon, team_member)
    scored = InitiativeFactory(hackathon=hackathon)
    services.score_record(
        initiative=scored,
        member=team_member,
        values={"fit": 4, "feasibility": 4, "reach": 3, "partners": 3, "cost": 5},
    )
    stopped = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.STOPPED)
    Grant.objects.create(municipality=municipality, initiative=stopped, amount=Decimal(100))
    InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.CONTINUED)
    funnel = selectors.funnel(hackathon)
    assert [s["key"] for s in funnel] == STEPS
    assert [s["count"] for s in funnel] == [4, 3, 1, 2, 1, 1]
    assert funnel[0]["width"] == 100 and funnel[1]["width"] == 75  # shares of the widest step


def test_the_budget_bar_grows_from_the_start_of_the_line_in_each_direction():
    budget = Budget(total=Decimal(10000), committed=Decimal(4000), paid=Decimal(1000))
    ltr = charts.budget_bar(budget, rtl=False)
    rtl = charts.budget_bar(budget, rtl=True)
    assert ltr["committed"][0] == charts.MARGIN  # from the left
    assert rtl["committed"][0] + rtl["committed"][1] == pytest.approx(charts.MARGIN + charts.BAR)
    assert ltr["committed"][1] == pytest.approx(rtl["committed"][1])
    assert ltr["committed"][1] == pytest.approx(ltr["total"][1] * 0.4, abs=0.2)
    assert ltr["over"] is None
    assert [t["x"] for t in ltr["ticks"]] == sorted(t["x"] for t in ltr["ticks"])
    assert [t["x"] for t in rtl["ticks"]] == sorted((t["x"] for t in rtl["ticks"]), reverse=True)


def test_money_beyond_the_budget_is_drawn_apart():
    bar = charts.budget_bar(
        Budget(total=Decimal(1000), committed=Decimal(1500), paid=Decimal(0)), rtl=False
    )
    left, width = bar["over"]
    assert left == pytest.approx(bar["total"][0] + bar["total"][1])
    assert width == pytest.approx(bar["total"][1] / 2, abs=0.2)
    assert bar["committed"] == bar["total"]


def test_the_dashboard_draws_the_funnel_and_the_budget_beside_their_text(
    client_for, manager, municipality, hackathon
):
    active = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
    InitiativeFactory(hackathon=hackathon)
    Grant.objects.create(municipality=municipality, initiative=active, amount=Decimal("2500"))
    body = (
        client_for(manager)
        .get(reverse("pilots:dashboard", kwargs={"slug": municipality.slug}))
        .content.decode()
    )
    funnel = body[
        body.index('class="pilots-funnel"') : body.index("</svg>", body.index("pilots-funnel"))
    ]
    assert re.findall(r'data-step="(\w+)"', funnel) == STEPS
    table = body[body.index("</svg>", body.index("pilots-funnel")) :]
    rows = re.findall(r'<tr data-step="(\w+)"><th scope="row">[^<]+</th><td>(\d+)</td>', table)
    assert rows == list(zip(STEPS, ["0", "2", "0", "1", "1", "0"], strict=True))
    assert 'class="pilots-budget-chart" role="img"' in body
    assert 'id="budget-committed">2,500\u00a0₪' in body
