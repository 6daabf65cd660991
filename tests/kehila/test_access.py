"""kehila.tenancy.access: one call finds the object inside the request's municipality and decides the
action on it. Another municipality's object and a missing one answer alike (404); the wrong role 403."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from kehila.permissions import PermissionDenied
from kehila.tenancy import access
from strategy.models import Action
from tests.strategy.plan_factories import an_action

pytestmark = pytest.mark.django_db


def request_for(user, municipality):
    request = RequestFactory().get("/")
    request.user = user
    request.municipality = municipality
    return request


def test_it_returns_the_object_when_the_rule_allows(track_lead, municipality):
    action = an_action(municipality, track="social")
    assert (
        access(request_for(track_lead, municipality), Action, "edit_track", pk=action.pk) == action
    )


def test_another_municipalitys_object_and_a_missing_one_are_the_same_404(
    manager, municipality, other_municipality
):
    theirs = an_action(other_municipality, track="social")
    request = request_for(manager, municipality)
    with pytest.raises(Http404) as foreign:
        access(request, Action, "edit_track", pk=theirs.pk)
    with pytest.raises(Http404) as missing:
        access(request, Action, "edit_track", pk=theirs.pk + 1000)
    assert str(foreign.value) == str(missing.value)


def test_the_wrong_track_is_refused_after_the_lookup(track_lead, municipality):
    urban = an_action(municipality, track="urban", title="שיפוץ כיכר")
    with pytest.raises(PermissionDenied) as refusal:
        access(request_for(track_lead, municipality), Action, "edit_track", pk=urban.pk)
    assert refusal.value.action == "edit_track" and refusal.value.obj == urban
