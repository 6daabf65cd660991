"""The pickers without JavaScript (kehila.widgets): the HTML alone is a working form. Beside the select
that carries the current choice the widget draws a box to type a name in; the server looks the name up
inside the field's own queryset: one match is chosen, several are listed and offered, none is said."""

import re

import pytest
from django.urls import reverse

from committees.models import CommitteeMember
from partners.forms import PersonForm
from tests.committees.factories import CommitteeFactory
from tests.helpers import assert_nothing_changed
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def add_member_url(committee):
    return reverse(
        "committees:member_add",
        kwargs={"slug": committee.municipality.slug, "committee_id": committee.pk},
    )


@pytest.fixture
def committee(municipality):
    return CommitteeFactory(municipality=municipality)


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_the_page_without_javascript_has_a_labelled_box_to_type_a_name(
    manager, client_for, committee, in_english
):
    html = client_for(manager).get(add_member_url(committee)).content.decode()
    assert '<label class="form-label small mb-0" for="id_person__find">' in html
    assert 'name="person__find" id="id_person__find"' in html
    assert "Or type a name to choose" in html
    # picker.js removes the box by this id once the combobox is set up
    assert 'id="id_person-find" data-picker-find' in html


def test_a_typed_name_chooses_the_one_person_it_names(
    manager, client_for, committee, municipality, other_municipality
):
    rotem = PersonFactory(municipality=municipality, full_name="רותם שקד")
    PersonFactory(municipality=municipality, full_name="יעל גפני")
    PersonFactory(municipality=other_municipality, full_name="רותם שקד")  # never looked at
    response = client_for(manager).post(
        add_member_url(committee), {"person": "", "person__find": " שקד  רותם ", "role": "member"}
    )
    assert response.status_code == 302
    assert CommitteeMember.objects.get(committee=committee).person == rotem


def test_a_name_or_an_id_posted_as_the_value_chooses_the_person(
    manager, client_for, committee, municipality
):
    rotem = PersonFactory(municipality=municipality, full_name="רותם שקד")
    yael = PersonFactory(municipality=municipality, full_name="יעל גפני")
    client = client_for(manager)
    client.post(add_member_url(committee), {"person": "רותם שקד", "role": "member"})
    client.post(add_member_url(committee), {"person": str(yael.pk), "role": "member"})
    assert {m.person for m in CommitteeMember.objects.filter(committee=committee)} == {rotem, yael}


def test_an_ambiguous_name_lists_the_matches_and_offers_them_to_choose(
    manager, client_for, committee, municipality, in_english
):
    first = PersonFactory(
        municipality=municipality, full_name="דנה כהן", title="רכזת", neighbourhood=""
    )
    second = PersonFactory(
        municipality=municipality, full_name="דנה לוי", title="מורה", neighbourhood="הגפן"
    )
    PersonFactory(municipality=municipality, full_name="רון אבן")
    client = client_for(manager)
    client.get(add_member_url(committee))  # the session is written before the refused post
    with assert_nothing_changed():
        response = client.post(add_member_url(committee), {"person__find": "דנה", "role": "member"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Several match “דנה”: דנה כהן · רכזת, דנה לוי · מורה · הגפן. Choose one in the list, or type more of the name."
        in html
    )
    select = _select(html, "person")
    assert f'<option value="{first.pk}">דנה כהן · רכזת' in select
    assert f'<option value="{second.pk}">דנה לוי · מורה · הגפן' in select
    assert "רון אבן" not in select
    # choosing one of those offered and sending again adds them
    response = client.post(add_member_url(committee), {"person": second.pk, "role": "member"})
    assert response.status_code == 302
    assert CommitteeMember.objects.get(committee=committee).person == second


def test_the_exact_name_wins_over_longer_names_that_hold_it(
    manager, client_for, committee, municipality
):
    dana = PersonFactory(municipality=municipality, full_name="דנה כהן")
    PersonFactory(municipality=municipality, full_name="דנה כהן-לוי")
    response = client_for(manager).post(
        add_member_url(committee), {"person__find": "דנה כהן", "role": "member"}
    )
    assert response.status_code == 302
    assert CommitteeMember.objects.get(committee=committee).person == dana


def test_a_name_that_matches_no_one_says_so(
    manager, client_for, committee, municipality, other_municipality, in_english
):
    PersonFactory(municipality=other_municipality, full_name="זר גמור")
    client = client_for(manager)
    client.get(add_member_url(committee))
    with assert_nothing_changed():
        response = client.post(
            add_member_url(committee), {"person__find": "זר גמור", "role": "member"}
        )
    assert response.status_code == 200
    assert "Nothing matches “זר גמור”." in response.content.decode()


def test_a_multiple_picker_adds_each_typed_name_to_what_is_chosen(municipality, in_english):
    kept = OrganisationFactory(municipality=municipality, name="בית ספר אלון")
    gefen = OrganisationFactory(municipality=municipality, name="עמותת גפן")
    hall = OrganisationFactory(municipality=municipality, name="מתנ״ס הגליל")
    OrganisationFactory(municipality=municipality, name="מתנ״ס הגליל העליון")
    data = {
        "person-full_name": "נועה בר",
        "person-language": "he",
        "person-organisations": [kept.pk],
        "person-organisations__find": "גפן، מתנ״ס הגליל",  # an Arabic comma between two names
    }
    form = PersonForm(data, municipality=municipality, prefix="person")
    form.is_valid()
    assert "organisations" not in form.errors, form.errors
    assert set(form.cleaned_data["organisations"]) == {kept, gefen, hall}
    html = str(form["organisations"])
    assert "Or type names to add, separated by commas" in html
