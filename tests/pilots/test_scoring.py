"""Issue 15: the selection gate and the grant gate (what is missing, with links; the honest override), and
blind scoring (content only until the selection is published, conflicts of interest, others' scores only
after one's own)."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehila.gates import GateClosed, gate_override
from kehila.models import AuditLog, GateOverride
from kehila.permissions import PermissionDenied
from pilots import services
from pilots.models import Grant, Initiative, InitiativeStatus, Score, ScoringConflict
from tests.factories import UserFactory
from tests.helpers import (
    assert_nothing_changed,
    database_snapshot,
    roles_allowed,
    roles_refused,
)
from tests.pilots.factories import HackathonFactory, InitiativeFactory, seat

pytestmark = pytest.mark.django_db

VALUES = {"fit": 5, "feasibility": 4, "reach": 3, "partners": 4, "cost": 2}
FORM = {k: str(v) for k, v in VALUES.items()}
IDENTITY = {
    "team": "צוות הרקפות הסודי",
    "contact": "רותם שמואלי",
    "email": "rotem.secret@example.org",
    "phone": "052-7654321",
    "members": "דנה ויואב",
}


def url(name, municipality, **kwargs):
    return reverse(f"pilots:{name}", kwargs={"slug": municipality.slug, **kwargs})


def _initiative(hackathon, **kwargs):
    return InitiativeFactory(
        hackathon=hackathon,
        team_name=IDENTITY["team"],
        contact_name=IDENTITY["contact"],
        contact_email=IDENTITY["email"],
        contact_phone=IDENTITY["phone"],
        team_members=IDENTITY["members"],
        **kwargs,
    )


def _scorers(municipality, hackathon, n):
    from kehila.models import Membership, Role

    users = []
    for _ in range(n):
        user = UserFactory()
        Membership.objects.create(user=user, municipality=municipality, role=Role.COMMITTEE_MEMBER)
        seat(hackathon, user)
        users.append(user)
    return users


@contextmanager
def _nothing_changed_but_the_contact_log():
    """A refused page re-renders the initiative, whose contact details the team sees: that reading is
    logged (kehila.privacy), and is the only row the refusal may add."""
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = [t for t in before if before[t] != after[t] and t != "kehila_contactaccess"]
    assert not changed, changed


def _after_deadline(hackathon):
    return time_machine.travel(hackathon.submission_deadline + timedelta(hours=1), tick=False)


# --- the selection gate ----------------------------------------------------------------------


def test_a_hackathon_requires_three_scorers_by_default(municipality):
    assert HackathonFactory(municipality=municipality).required_scorers == 3


def test_the_decision_is_refused_before_the_deadline_and_with_too_few_scorers(
    municipality, hackathon, manager
):
    initiative = _initiative(hackathon)
    (scorer,) = _scorers(municipality, hackathon, 1)
    # Before the deadline nobody scores, so the decision waits for both the close and the scorers.
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.score_record(initiative=initiative, member=scorer, values=VALUES)
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        services.initiative_decide(
            actor=manager, initiative=initiative, selected=True, reason="מתאים"
        )
    texts = [str(m.text) for m in refused.value.missing]
    assert len(texts) == 2
    assert "0" in texts[1] and "3" in texts[1]
    assert refused.value.missing[0].url == url(
        "hackathon_edit", municipality, hackathon_id=hackathon.pk
    )
    assert refused.value.missing[1].url == url("committee", municipality, hackathon_id=hackathon.pk)
    with _after_deadline(hackathon):
        services.score_record(initiative=initiative, member=scorer, values=VALUES)
        with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
            services.initiative_decide(
                actor=manager, initiative=initiative, selected=True, reason="מתאים"
            )
    (missing,) = refused.value.missing
    assert "1" in str(missing.text) and "3" in str(missing.text)
    assert missing.url == url("committee", municipality, hackathon_id=hackathon.pk)
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED


def test_after_the_deadline_the_gate_still_waits_for_the_required_scorers(
    municipality, hackathon, manager
):
    initiative = _initiative(hackathon)
    scorers = _scorers(municipality, hackathon, 3)
    with _after_deadline(hackathon):
        for scorer in scorers[:2]:
            services.score_record(initiative=initiative, member=scorer, values=VALUES)
        with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
            services.initiative_decide(
                actor=manager, initiative=initiative, selected=True, reason="מתאים"
            )
        assert len(refused.value.missing) == 1
        services.score_record(initiative=initiative, member=scorers[2], values=VALUES)
        services.initiative_decide(
            actor=manager, initiative=initiative, selected=True, reason="מתאים"
        )
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SELECTED


def test_the_required_number_is_set_per_hackathon(municipality, manager):
    hackathon = HackathonFactory(municipality=municipality, required_scorers=1)
    initiative = _initiative(hackathon)
    (scorer,) = _scorers(municipality, hackathon, 1)
    with _after_deadline(hackathon):
        services.score_record(initiative=initiative, member=scorer, values=VALUES)
        services.initiative_decide(
            actor=manager, initiative=initiative, selected=False, reason="לא מתאים"
        )
    assert Initiative.objects.get().status == InitiativeStatus.NOT_SELECTED


def test_an_override_with_a_reason_opens_the_selection_gate_and_is_on_record(
    municipality, hackathon, manager
):
    initiative = _initiative(hackathon)
    opened = gate_override(
        actor=manager,
        gate="initiative_select",
        obj=initiative,
        reason="Two committee members fell ill; the mayor approved in writing",
    )
    services.initiative_decide(actor=manager, initiative=initiative, selected=True, reason="מתאים")
    entry = AuditLog.objects.get(action="pilots.initiative_decide")
    assert entry.data["gate_override"] == opened.pk
    assert AuditLog.objects.filter(action="gate.override").exists()


def test_the_team_cannot_open_the_selection_gate(hackathon, team_member):
    initiative = _initiative(hackathon)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        gate_override(actor=team_member, gate="initiative_select", obj=initiative, reason="x")


# --- no score before submissions close ---------------------------------------------------------

# Submissions close at 18:00 Israel time (UTC+2 in March); the committee looks a week earlier.
CLOSES = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
A_WEEK_EARLIER = CLOSES - timedelta(days=7)
CLOSES_SHOWN = "10 במרץ 2026, 18:00"


def _hackathon_closing(municipality):
    return HackathonFactory(
        municipality=municipality,
        registration_opens_at=CLOSES - timedelta(days=30),
        registration_closes_at=CLOSES - timedelta(days=10),
        submission_deadline=CLOSES,
    )


def test_scoring_before_submissions_close_is_refused_with_the_date_and_changes_nothing(
    municipality,
):
    with time_machine.travel(A_WEEK_EARLIER, tick=False):
        hackathon = _hackathon_closing(municipality)
        initiative = _initiative(hackathon)
        (scorer,) = _scorers(municipality, hackathon, 1)
    for moment in (A_WEEK_EARLIER, CLOSES - timedelta(seconds=1)):
        with (
            time_machine.travel(moment, tick=False),
            assert_nothing_changed(),
            pytest.raises(ValidationError) as refused,
        ):
            services.score_record(initiative=initiative, member=scorer, values=VALUES)
        assert refused.value.messages == [f"הניקוד נפתח עם סגירת ההגשות, ב־{CLOSES_SHOWN}."]
    # The clean case: from the close on, the same score is taken.
    with time_machine.travel(CLOSES, tick=False):
        score = services.score_record(initiative=initiative, member=scorer, values=VALUES)
    assert score.created_at == CLOSES and Score.objects.count() == 1


def test_the_score_page_says_when_scoring_opens_and_refuses_a_post_before(client_for, municipality):
    with time_machine.travel(A_WEEK_EARLIER, tick=False):
        hackathon = _hackathon_closing(municipality)
        initiative = _initiative(hackathon, title="גינה")
        (scorer,) = _scorers(municipality, hackathon, 1)
        client = client_for(scorer)
        page = client.get(url("score", municipality, initiative_id=initiative.pk))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="scoring-not-open"' in html
        assert f"הניקוד נפתח עם סגירת ההגשות, ב־{CLOSES_SHOWN}." in html
        assert 'class="pilots-score"' not in html
        # A conflict can be declared before the close: that form stays.
        assert 'id="conflict-form"' in html
        with assert_nothing_changed():
            response = client.post(url("score", municipality, initiative_id=initiative.pk), FORM)
        assert response.status_code == 400
        assert 'id="scoring-not-open"' in response.content.decode()
        listing = client.get(url("scoring", municipality)).content.decode()
        assert "גינה" in listing and CLOSES_SHOWN in listing
    with time_machine.travel(CLOSES, tick=False):
        # A week on, the idle session has expired: the member signs in again.
        client.logout()
        client = client_for(scorer)
        html = client.get(url("score", municipality, initiative_id=initiative.pk)).content.decode()
        assert 'id="scoring-not-open"' not in html and 'class="pilots-score"' in html
        listing = client.get(url("scoring", municipality)).content.decode()
        assert "גינה" in listing and CLOSES_SHOWN not in listing
        response = client.post(url("score", municipality, initiative_id=initiative.pk), FORM)
        assert response.status_code == 302
    assert Score.objects.get().member == scorer


# --- the grant gate --------------------------------------------------------------------------


def test_a_grant_goes_only_to_a_selected_initiative_and_says_so(hackathon, team_member):
    initiative = _initiative(hackathon)
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        services.grant_record(actor=team_member, initiative=initiative, amount=Decimal("100"))
    assert refused.value.missing[0].url.endswith(f"/initiatives/{initiative.pk}/#decision-heading")


def test_a_grant_over_the_budget_waits_for_an_override_with_a_reason(
    municipality, hackathon, team_member, manager
):
    initiative = _initiative(hackathon, status=InitiativeStatus.SELECTED)
    services.grant_record(actor=team_member, initiative=initiative, amount=Decimal("9000"))
    with assert_nothing_changed(), pytest.raises(GateClosed) as refused:
        services.grant_record(actor=team_member, initiative=initiative, amount=Decimal("1000.01"))
    assert "1000.00" in str(refused.value.missing[0].text)
    assert refused.value.missing[0].url == url("dashboard", municipality) + "#budget-heading"
    with pytest.raises(ValidationError):
        gate_override(actor=manager, gate="grant_pay", obj=initiative, reason="  ")
    gate_override(actor=manager, gate="grant_pay", obj=initiative, reason="Donor top-up arrives")
    grant = services.grant_record(
        actor=team_member, initiative=initiative, amount=Decimal("1000.01")
    )
    assert grant.over_budget
    entry = AuditLog.objects.get(action="pilots.grant_over_budget")
    assert entry.data["remaining_before"] == "1000.00" and entry.data["gate_override"]


# --- conflicts of interest -------------------------------------------------------------------


def test_a_declared_conflict_excludes_the_scorer_and_is_audited(municipality, hackathon, manager):
    initiative = _initiative(hackathon, title="גינה")
    scorers = _scorers(municipality, hackathon, 3)
    services.conflict_declare(member=scorers[0], initiative=initiative, reason="my cousin")
    services.conflict_declare(member=scorers[0], initiative=initiative, reason="twice")
    assert ScoringConflict.objects.count() == 1
    entry = AuditLog.objects.get(action="pilots.conflict_declare")
    assert entry.actor == scorers[0] and entry.data["reason"] == "my cousin"
    with _after_deadline(hackathon):
        with assert_nothing_changed(), pytest.raises(ValidationError, match="ניגוד עניינים"):
            services.score_record(initiative=initiative, member=scorers[0], values=VALUES)
        for scorer in scorers[1:]:
            services.score_record(initiative=initiative, member=scorer, values=VALUES)
        # Two counted scores of the three required: the conflicted member is not counted.
        with pytest.raises(GateClosed, match="2"):
            services.initiative_decide(
                actor=manager, initiative=initiative, selected=True, reason="מתאים"
            )


def test_a_conflict_after_scoring_is_refused(municipality, closed_hackathon):
    initiative = _initiative(closed_hackathon)
    (scorer,) = _scorers(municipality, closed_hackathon, 1)
    services.score_record(initiative=initiative, member=scorer, values=VALUES)
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.conflict_declare(member=scorer, initiative=initiative)


def test_only_a_committee_seat_declares_a_conflict(hackathon, committee_member):
    initiative = _initiative(hackathon)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.conflict_declare(member=committee_member, initiative=initiative)


def test_a_conflicted_scorer_can_neither_open_nor_score_the_initiative(
    client_for, municipality, hackathon
):
    initiative = _initiative(hackathon, title="גינה-בסוד")
    other = _initiative(hackathon, title="ספרייה")
    (scorer,) = _scorers(municipality, hackathon, 1)
    client = client_for(scorer)
    response = client.post(
        url("conflict_declare", municipality, initiative_id=initiative.pk),
        {"conflict-reason": "my neighbour"},
    )
    assert response.status_code == 302
    assert ScoringConflict.objects.filter(initiative=initiative, member=scorer).exists()
    with assert_nothing_changed():
        assert (
            client.get(url("score", municipality, initiative_id=initiative.pk)).status_code == 403
        )
        assert (
            client.post(url("score", municipality, initiative_id=initiative.pk), FORM).status_code
            == 403
        )
    listing = client.get(url("scoring", municipality)).content.decode()
    assert "ספרייה" in listing and "גינה-בסוד" not in listing
    assert Score.objects.count() == 0 and other.pk


# --- blind pages -----------------------------------------------------------------------------


def _assert_blind(html):
    for value in IDENTITY.values():
        assert value not in html, value


def _assert_named(html):
    for value in IDENTITY.values():
        assert value in html, value


# Scorers who do not manage the pilot: they score an undecided initiative blind (pilots.selectors).
BLIND_SCORERS = roles_allowed("score_initiatives", refused=["manage_pilot"])


@pytest.mark.parametrize("role", BLIND_SCORERS)
def test_the_score_form_shows_a_scorer_the_content_only(
    client_for, users_by_role, municipality, hackathon, role
):
    scorer = users_by_role[role]
    seat(hackathon, scorer)
    initiative = _initiative(hackathon, description="גינה בין הבניינים")
    html = client_for(scorer).get(url("score", municipality, initiative_id=initiative.pk))
    assert html.status_code == 200
    html = html.content.decode()
    assert "גינה בין הבניינים" in html
    _assert_blind(html)


@pytest.mark.parametrize("role", BLIND_SCORERS)
def test_every_page_open_to_a_scorer_hides_who_is_behind_the_initiative(
    client_for, users_by_role, municipality, hackathon, role
):
    scorer = users_by_role[role]
    seat(hackathon, scorer)
    initiative = _initiative(hackathon)
    client = client_for(scorer)
    pages = [
        url("scoring", municipality),
        url("score", municipality, initiative_id=initiative.pk),
        url("dashboard", municipality),
        url("hackathon", municipality, hackathon_id=hackathon.pk),
        url("initiative", municipality, initiative_id=initiative.pk),
        url("measurement", municipality, hackathon_id=hackathon.pk),
        reverse("kehila:dashboard", kwargs={"slug": municipality.slug}),
    ]
    opened = 0
    for page in pages:
        response = client.get(page)
        if response.status_code == 200:
            opened += 1
            _assert_blind(response.content.decode())
    assert opened >= 3


def test_the_team_sees_who_is_behind_the_initiative(
    client_for, team_member, municipality, hackathon
):
    initiative = _initiative(hackathon)
    html = client_for(team_member).get(url("initiative", municipality, initiative_id=initiative.pk))
    _assert_named(html.content.decode())


def test_once_the_selection_is_published_the_scorer_sees_the_team(
    client_for, track_lead, municipality, hackathon
):
    seat(hackathon, track_lead)
    initiative = _initiative(hackathon, status=InitiativeStatus.SELECTED)
    html = client_for(track_lead).get(url("initiative", municipality, initiative_id=initiative.pk))
    assert IDENTITY["team"] in html.content.decode()


def test_a_scorer_sees_neither_the_others_scores_nor_their_average_before_scoring(
    client_for, municipality, closed_hackathon
):
    initiative = _initiative(closed_hackathon)
    first, second = _scorers(municipality, closed_hackathon, 2)
    services.score_record(
        initiative=initiative, member=first, values={**VALUES, "cost": 1}, comment=""
    )
    client = client_for(second)
    page = client.get(url("score", municipality, initiative_id=initiative.pk)).content.decode()
    assert 'id="scores"' not in page and "3.40" not in page
    assert 'id="conflict-form"' in page


# --- the pages of the gates --------------------------------------------------------------------


def test_the_initiative_page_lists_what_the_decision_waits_for_with_links(
    client_for, manager, municipality, hackathon
):
    initiative = _initiative(hackathon)
    html = client_for(manager).get(url("initiative", municipality, initiative_id=initiative.pk))
    html = html.content.decode()
    assert 'id="selection-missing"' in html
    assert url("committee", municipality, hackathon_id=hackathon.pk) in html
    assert 'id="selection-gate-form"' in html


def test_a_refused_decision_answers_400_with_what_is_missing_and_changes_nothing(
    client_for, team_member, municipality, hackathon
):
    initiative = _initiative(hackathon)
    client = client_for(team_member)
    with _nothing_changed_but_the_contact_log():
        response = client.post(
            url("decide", municipality, initiative_id=initiative.pk),
            {"selected": "yes", "reason": "מתאים"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="selection-missing"' in html
    # The team cannot open the gate: no override form for them.
    assert 'id="selection-gate-form"' not in html


def test_the_manager_opens_the_gate_with_a_reason_and_it_shows_on_the_initiative(
    client_for, manager, municipality, hackathon
):
    initiative = _initiative(hackathon)
    client = client_for(manager)
    with _nothing_changed_but_the_contact_log():
        response = client.post(
            url("open_selection_gate", municipality, initiative_id=initiative.pk),
            {"gate-reason": " "},
        )
    assert response.status_code == 400
    response = client.post(
        url("open_selection_gate", municipality, initiative_id=initiative.pk),
        {"gate-reason": "The committee met in person; the scores follow"},
    )
    assert response.status_code == 302
    override = GateOverride.objects.get()
    assert override.gate == "initiative_select" and override.by == manager
    html = client.get(url("initiative", municipality, initiative_id=initiative.pk)).content.decode()
    assert "The committee met in person; the scores follow" in html
    response = client.post(
        url("decide", municipality, initiative_id=initiative.pk),
        {"selected": "yes", "reason": "מתאים"},
    )
    assert response.status_code == 302
    assert Initiative.objects.get().status == InitiativeStatus.SELECTED


@pytest.mark.parametrize("role", roles_refused("override_gate"))
def test_nobody_but_the_manager_and_hq_opens_a_gate_by_the_page(
    client_for, users_by_role, municipality, hackathon, role
):
    initiative = _initiative(hackathon)
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        response = client.post(
            url("open_grant_gate", municipality, initiative_id=initiative.pk),
            {"gate-reason": "because"},
        )
    assert response.status_code == 403


def test_a_refused_grant_shows_what_is_missing_and_the_override_form(
    client_for, manager, municipality, hackathon
):
    initiative = _initiative(hackathon, status=InitiativeStatus.SELECTED)
    client = client_for(manager)
    with _nothing_changed_but_the_contact_log():
        response = client.post(
            url("grant_add", municipality, initiative_id=initiative.pk),
            {"grant-amount": "20000", "grant-note": ""},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="grant-missing"' in html and 'id="grant-gate-form"' in html
    assert url("dashboard", municipality) + "#budget-heading" in html
    client.post(
        url("open_grant_gate", municipality, initiative_id=initiative.pk),
        {"gate-reason": "Donor top-up"},
    )
    response = client.post(
        url("grant_add", municipality, initiative_id=initiative.pk),
        {"grant-amount": "20000", "grant-note": ""},
    )
    assert response.status_code == 302
    assert Grant.objects.get().over_budget


def test_hq_sees_what_the_decision_waits_for_and_opens_the_gate_blind(
    client_for, hq_user, municipality, hackathon
):
    initiative = _initiative(hackathon)
    client = client_for(hq_user)
    html = client.get(url("initiative", municipality, initiative_id=initiative.pk)).content.decode()
    assert 'id="selection-missing"' in html and 'id="selection-gate-form"' in html
    assert 'id="decision-form"' not in html
    _assert_blind(html)
    response = client.post(
        url("open_selection_gate", municipality, initiative_id=initiative.pk),
        {"gate-reason": "HQ approved a two-member committee for this town"},
    )
    assert response.status_code == 302
    assert GateOverride.objects.get().by == hq_user
