"""kehila.gates: a gate refuses with what is missing; the manager or HQ opens it for one object with a
reason, once, audited; nobody else can, and a refusal changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from kehila import gates
from kehila.models import AuditLog, GateOverride
from kehila.permissions import PermissionDenied
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db

GATE = gates.register_gate("test_gate", "a gate for tests")


def test_a_gate_with_nothing_missing_passes(municipality):
    assert gates.gate_check(gate=GATE, obj=municipality, missing=[]) is None


def test_a_closed_gate_says_what_is_missing_and_where(municipality):
    missing = [gates.Missing("topic 3 is empty", "/x/3/"), gates.Missing("the budget", "/x/b/")]
    with pytest.raises(gates.GateClosed) as refused:
        gates.gate_check(gate=GATE, obj=municipality, missing=missing)
    assert refused.value.missing == missing
    assert "topic 3 is empty; the budget" in refused.value.messages[0]


def test_the_manager_opens_a_gate_with_a_reason_once_and_it_is_audited(municipality, manager):
    opened = gates.gate_override(
        actor=manager, gate=GATE, obj=municipality, reason="The mayor asked in writing"
    )
    again = gates.gate_override(actor=manager, gate=GATE, obj=municipality, reason="Twice")
    assert again == opened and GateOverride.objects.count() == 1
    missing = [gates.Missing("topic 3 is empty")]
    assert gates.gate_check(gate=GATE, obj=municipality, missing=missing) == opened
    entry = AuditLog.objects.get(action="gate.override")
    assert entry.actor == manager and entry.data["reason"] == "The mayor asked in writing"
    assert gates.overrides_on(municipality) == [opened]


def test_hq_may_open_a_gate_too(municipality, hq_user):
    assert gates.gate_override(actor=hq_user, gate=GATE, obj=municipality, reason="HQ decided")


def test_an_override_needs_a_reason_and_changes_nothing_without_one(municipality, manager):
    with assert_nothing_changed(), pytest.raises(ValidationError):
        gates.gate_override(actor=manager, gate=GATE, obj=municipality, reason="   ")


@pytest.mark.parametrize("who", ["team_member", "mayor_office", "track_lead", "outsider"])
def test_nobody_else_opens_a_gate_and_nothing_changes(request, municipality, who):
    user = request.getfixturevalue(who)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        gates.gate_override(actor=user, gate=GATE, obj=municipality, reason="Because")


def test_an_unknown_gate_is_a_programming_error(municipality):
    with pytest.raises(KeyError):
        gates.gate_check(gate="no_such_gate", obj=municipality, missing=[])


def test_the_object_page_fragment_shows_who_opened_it_and_why(municipality, manager):
    from django.template.loader import render_to_string

    gates.gate_override(actor=manager, gate=GATE, obj=municipality, reason="The mayor asked")
    html = render_to_string(
        "kehila/gate_overrides.html", {"overrides": gates.overrides_on(municipality)}
    )
    assert "The mayor asked" in html
    assert manager.username in html or manager.get_full_name() in html
