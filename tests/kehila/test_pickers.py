"""The members picker's endpoint and the picker widget itself (kehila.widgets, issue 17 §5)."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from kehila.models import Role
from kehila.widgets import SearchSelect, SearchSelectMultiple, use_picker
from strategy.forms import SectionForm
from tests.factories import member

pytestmark = pytest.mark.django_db


def members_url(municipality, q, **more):
    extra = "".join(f"&{k}={v}" for k, v in more.items())
    return reverse("kehila:members_search", kwargs={"slug": municipality.slug}) + f"?q={q}{extra}"


def test_it_finds_members_of_the_municipality_only(
    manager, client_for, municipality, other_municipality, hq_user
):
    mine = member(municipality, Role.TRACK_LEAD, user__first_name="נועה", user__last_name="בר")
    member(other_municipality, Role.TEAM, user__first_name="נועה", user__last_name="בר")
    get_user_model().objects.filter(pk=hq_user.pk).update(first_name="נועה")
    answer = client_for(manager).get(members_url(municipality, "נועה")).json()
    assert answer == [{"value": str(mine.pk), "text": "נועה בר"}]


def test_it_can_narrow_to_members_whose_role_allows_an_action(manager, client_for, municipality):
    team = member(municipality, Role.TEAM, user__first_name="עמית")
    member(municipality, Role.MAYOR_OFFICE, user__first_name="עמית")
    answer = client_for(manager).get(members_url(municipality, "עמית", may="edit_partners")).json()
    assert [a["value"] for a in answer] == [str(team.pk)]
    bad = client_for(manager).get(members_url(municipality, "עמית", may="rule_the_world"))
    assert bad.status_code == 400


def test_it_answers_twenty_at_most(manager, client_for, municipality):
    for _ in range(22):
        member(municipality, Role.COMMITTEE_MEMBER, user__first_name="חבר")
    assert len(client_for(manager).get(members_url(municipality, "חבר")).json()) == 20


@pytest.mark.parametrize("who", ["mayor_office", "track_lead", "committee_member"])
def test_who_does_not_assign_work_is_refused(who, users_by_role, client_for, municipality):
    assert client_for(users_by_role[who]).get(members_url(municipality, "a")).status_code == 403


def test_an_outsider_does_not_see_the_municipality(outsider, client_for, municipality):
    assert client_for(outsider).get(members_url(municipality, "a")).status_code == 404


def test_the_section_form_refuses_an_owner_from_another_municipality(
    municipality, other_municipality
):
    stranger = member(other_municipality, Role.TEAM)
    form = SectionForm({"owner": stranger.pk, "status": "draft"}, municipality=municipality)
    assert not form.is_valid() and "owner" in form.errors
    assert isinstance(form.fields["owner"].widget, SearchSelect)


def test_a_multiple_picker_draws_the_chosen_options_without_an_empty_one():
    field = forms.MultipleChoiceField(choices=[("1", "א"), ("2", "ב"), ("3", "ג")])
    use_picker(field, "/find/")
    assert isinstance(field.widget, SearchSelectMultiple)
    html = field.widget.render("x", ["1", "3"])
    assert html.count("<option") == 2 and 'value="2"' not in html
    assert "multiple" in html and 'data-search-url="/find/"' in html
