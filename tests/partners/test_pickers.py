"""The people and organisations pickers' endpoints (issue 17 §5): 20 matches of the user's municipality,
for those who see the stakeholder list; an e-mail shown is a logged access to contact details."""

import pytest
from django.urls import reverse

from committees.forms import InviteForm, MemberForm
from kehila.models import ContactAccess
from partners.forms import RelationshipForm
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def people_url(municipality, q):
    return reverse("partners:people_search", kwargs={"slug": municipality.slug}) + f"?q={q}"


def test_it_finds_people_of_the_municipality_by_every_word_and_never_another_towns(
    manager, client_for, municipality, other_municipality
):
    dana = PersonFactory(municipality=municipality, full_name="דנה כהן", title="רכזת", email="")
    PersonFactory(municipality=municipality, full_name="דנה לוי", email="")
    PersonFactory(municipality=other_municipality, full_name="דנה כהן", email="")
    answer = client_for(manager).get(people_url(municipality, "כהן דנ")).json()
    assert answer == [{"value": str(dana.pk), "text": "דנה כהן · רכזת · הגפן"}]


def test_an_empty_query_finds_no_one(manager, client_for, municipality):
    PersonFactory(municipality=municipality)
    assert client_for(manager).get(people_url(municipality, "")).json() == []


def test_it_answers_twenty_at_most(team_member, client_for, municipality):
    PersonFactory.create_batch(25, municipality=municipality, full_name="שם זהה")
    assert len(client_for(team_member).get(people_url(municipality, "זהה")).json()) == 20


def test_erased_people_are_not_found(manager, client_for, municipality):
    from django.utils import timezone

    PersonFactory(municipality=municipality, full_name="נמחק", erased_at=timezone.now())
    assert client_for(manager).get(people_url(municipality, "נמחק")).json() == []


def test_the_team_sees_the_email_and_that_access_is_logged(manager, client_for, municipality):
    person = PersonFactory(municipality=municipality, full_name="רותם", email="rotem@example.org")
    answer = client_for(manager).get(people_url(municipality, "רותם")).json()
    assert answer[0]["text"].endswith("rotem@example.org")
    log = ContactAccess.objects.get()
    assert (log.user, log.where, log.people) == (
        manager,
        "partners:people_search",
        [f"partners.person:{person.pk}"],
    )


def test_who_may_not_see_contacts_gets_names_only_and_nothing_is_logged(
    mayor_office, client_for, municipality
):
    PersonFactory(municipality=municipality, full_name="רותם", email="rotem@example.org")
    answer = client_for(mayor_office).get(people_url(municipality, "רותם")).json()
    assert len(answer) == 1 and "rotem@example.org" not in answer[0]["text"]
    assert not ContactAccess.objects.exists()


@pytest.mark.parametrize("who", ["committee_member", "outsider"])
def test_a_committee_member_is_refused_and_an_outsider_does_not_see_the_town(
    who, users_by_role, client_for, municipality
):
    PersonFactory(municipality=municipality, full_name="רותם")
    response = client_for(users_by_role[who]).get(people_url(municipality, "רותם"))
    assert response.status_code == (403 if who == "committee_member" else 404)
    assert not ContactAccess.objects.exists()


def test_organisations_are_found_inside_the_municipality_only(
    manager, client_for, municipality, other_municipality
):
    mine = OrganisationFactory(municipality=municipality, name="מתנ״ס הגליל")
    OrganisationFactory(municipality=other_municipality, name="מתנ״ס הגליל")
    url = reverse("partners:organisations_search", kwargs={"slug": municipality.slug})
    answer = client_for(manager).get(url + "?q=הגליל").json()
    assert [a["value"] for a in answer] == [str(mine.pk)]


# --- the forms behind the pickers -------------------------------------------------------------


def test_the_member_form_refuses_a_person_of_another_municipality(municipality, other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    form = MemberForm({"person": stranger.pk, "role": "member"}, municipality=municipality)
    assert not form.is_valid()
    assert "person" in form.errors
    mine = PersonFactory(municipality=municipality)
    form = MemberForm({"person": mine.pk, "role": "member"}, municipality=municipality)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == mine


def test_the_picker_draws_only_the_chosen_person(
    municipality, django_assert_num_queries, in_english
):
    PersonFactory.create_batch(5, municipality=municipality)
    chosen = PersonFactory(municipality=municipality, full_name="<נבחר>")
    form = InviteForm({"person": chosen.pk}, municipality=municipality)
    assert form.is_valid()  # the validation's own query, before drawing
    with django_assert_num_queries(1):  # the chosen person, by primary key
        html = str(form["person"])
    assert html.count("<option") == 2
    assert f'<option value="{chosen.pk}" selected>&lt;נבחר&gt;</option>' in html
    assert 'data-search-url="/m/ein-hagalil/partners/people/search/"' in html
    assert 'data-no-results="No one found"' in html


def test_an_empty_picker_makes_no_query(municipality, django_assert_num_queries):
    PersonFactory.create_batch(5, municipality=municipality)
    with django_assert_num_queries(0):
        html = str(InviteForm(municipality=municipality)["person"])
    assert html.count("<option") == 1


def test_a_forged_id_in_a_relationship_is_refused(municipality, other_municipality):
    stranger = OrganisationFactory(municipality=other_municipality)
    mine = PersonFactory(municipality=municipality)
    form = RelationshipForm(
        {"person_a": mine.pk, "organisation_b": stranger.pk, "level": 2},
        municipality=municipality,
    )
    assert not form.is_valid()
    assert "organisation_b" in form.errors
    html = str(form["organisation_b"])
    assert f'value="{stranger.pk}"' not in html
