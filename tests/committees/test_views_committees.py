"""The committees' pages: the list, the committee page, its members and the composition targets."""

import pytest

from committees.models import CommitteeMember, CompositionTarget

from .factories import CommitteeFactory, MemberFactory, PersonFactory
from .view_helpers import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 200),
        ("track_lead", 200),
        ("committee_member", 200),
        ("hq", 200),
        ("outsider", 404),
    ],
)
def test_every_member_role_sees_the_committees_list(
    role, status, users_by_role, client_for, municipality
):
    CommitteeFactory(municipality=municipality, name="ועדת היגוי לדוגמה", kind="steering")
    response = client_for(users_by_role[role]).get(url("list", municipality))
    assert response.status_code == status
    if status == 200:
        assert "ועדת היגוי לדוגמה" in response.content.decode()


def test_adding_a_member_from_another_municipality_is_a_form_error(
    manager, client_for, municipality, other_municipality
):
    committee = CommitteeFactory(municipality=municipality)
    stranger = PersonFactory(municipality=other_municipality)
    response = client_for(manager).post(
        url("member_add", municipality, committee_id=committee.pk),
        {"person": stranger.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not CommitteeMember.objects.exists()


def test_the_committee_page_warns_when_short_of_the_residents_target_and_team_size(
    manager, client_for, municipality
):
    committee = CommitteeFactory(municipality=municipality, kind="team", track="social")
    CompositionTarget.objects.create(
        municipality=municipality, committee_kind="team", sector="residents", percent=50
    )
    MemberFactory(committee=committee, sector="business")
    MemberFactory(committee=committee, sector="public")
    MemberFactory(committee=committee, person__is_resident=True)
    response = client_for(manager).get(url("detail", municipality, committee_id=committee.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="size-warning"' in body
    assert "33%" in body
    assert "composition-warning" in body


def test_the_manager_adds_a_member_and_the_page_shows_them(manager, client_for, municipality):
    committee = CommitteeFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality, full_name="שרה לוי")
    client = client_for(manager)
    response = client.post(
        url("member_add", municipality, committee_id=committee.pk),
        {"person": person.pk, "role": "chair", "sector": "public", "has_vote": "on"},
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert (member.role, member.sector, member.has_vote) == ("chair", "public", True)
    assert (
        "שרה לוי"
        in client.get(url("detail", municipality, committee_id=committee.pk)).content.decode()
    )


def test_ending_a_membership_removes_the_member_from_the_next_invitations(
    manager, client_for, municipality
):
    member = MemberFactory(committee__municipality=municipality)
    client_for(manager).post(url("member_end", municipality, member_id=member.pk))
    member.refresh_from_db()
    assert member.ends_on is not None


def test_the_manager_saves_composition_targets(manager, client_for, municipality):
    response = client_for(manager).post(
        url("targets", municipality), {"kind": "design", "residents": "45", "business": "10"}
    )
    assert response.status_code == 302
    assert dict(CompositionTarget.objects.values_list("sector", "percent")) == {
        "residents": 45,
        "business": 10,
    }
