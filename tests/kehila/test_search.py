"""Searching the municipality (issue 17 §5): every source, scoped to the municipality and to what the
user may see; the sources come from the apps' registrations (kehila.search.SOURCES)."""

import pytest
from django.urls import reverse

from kehila import search
from kehila.models import ContactAccess
from tests.committees.factories import AgendaItemFactory, MeetingFactory
from tests.partners.factories import OrganisationFactory, PersonFactory
from tests.strategy.factories import draft_agreement

pytestmark = pytest.mark.django_db


def search_url(municipality, q):
    return reverse("kehila:search", kwargs={"slug": municipality.slug}) + f"?q={q}"


def _groups(response) -> dict:
    return {g.source.key: g.hits for g in response.context["groups"]}


def test_every_app_registers_its_sources():
    assert {
        "partners.people",
        "partners.organisations",
        "committees.meetings",
        "committees.minutes",
        "committees.papers",
        "strategy.agreement",
    } <= set(search.SOURCES)


def test_the_manager_finds_each_kind_grouped_and_linked(
    manager, client_for, municipality, in_english
):
    person = PersonFactory(municipality=municipality, full_name="גפן אלמוג")
    OrganisationFactory(municipality=municipality, name="עמותת גפן")
    meeting = MeetingFactory(committee__municipality=municipality, title="דיון על גפן")
    from committees.models import Minutes

    Minutes.objects.create(
        municipality=municipality, meeting=meeting, note_taker="x", summary="סוכם: לשתול גפן"
    )
    AgendaItemFactory(meeting=meeting, title="תוכנית גפן", attachment="agenda/2027/01/gefen.pdf")
    response = client_for(manager).get(search_url(municipality, "גפן"))
    groups = _groups(response)
    assert [h.text for h in groups["partners.people"]] == ["גפן אלמוג"]
    assert groups["partners.people"][0].url == reverse(
        "partners:person_detail", kwargs={"slug": municipality.slug, "person_id": person.pk}
    )
    assert [h.text for h in groups["partners.organisations"]] == ["עמותת גפן"]
    assert [h.text for h in groups["committees.meetings"]] == ["דיון על גפן"]
    assert groups["committees.minutes"][0].url.endswith(f"/meetings/{meeting.pk}/#minutes-heading")
    assert groups["committees.papers"][0].text == "תוכנית גפן (gefen.pdf)"
    html = response.content.decode()
    assert 'id="search-partners.people"' in html and "People" in html
    assert f'href="{groups["partners.people"][0].url}"' in html
    # names only: no contact details are shown, so nothing is logged
    assert not ContactAccess.objects.exists()


def test_another_municipalitys_rows_are_never_found(
    manager, client_for, municipality, other_municipality
):
    PersonFactory(municipality=other_municipality, full_name="זר גמור")
    MeetingFactory(committee__municipality=other_municipality, title="זר גמור")
    response = client_for(manager).get(search_url(municipality, "זר"))
    assert response.context["groups"] == []
    assert 'id="search-nothing"' in response.content.decode()


def test_a_committee_member_finds_meetings_but_no_people(
    committee_member, client_for, municipality
):
    PersonFactory(municipality=municipality, full_name="תמר")
    MeetingFactory(committee__municipality=municipality, title="מפגש תמר")
    groups = _groups(client_for(committee_member).get(search_url(municipality, "תמר")))
    assert set(groups) == {"committees.meetings"}


def test_the_agreements_document_is_found_by_who_may_read_it(
    manager, committee_member, client, municipality
):
    version = draft_agreement(municipality)
    type(version).objects.filter(pk=version.pk).update(parties="עיריית עין הגליל, השותפות והקהילה")
    client.force_login(manager)
    groups = _groups(client.get(search_url(municipality, "השותפות")))
    assert groups["strategy.agreement"][0].url == reverse(
        "strategy:version", kwargs={"slug": municipality.slug, "version_id": version.pk}
    )
    client.force_login(committee_member)
    assert "strategy.agreement" not in _groups(client.get(search_url(municipality, "השותפות")))


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login(
    outsider, client, client_for, municipality
):
    assert client.get(search_url(municipality, "א")).status_code == 302
    assert client_for(outsider).get(search_url(municipality, "א")).status_code == 404


def test_an_empty_search_asks_no_source(manager, client_for, municipality):
    PersonFactory(municipality=municipality)
    response = client_for(manager).get(search_url(municipality, "  !? "))
    assert response.context["groups"] == [] and not response.context["searched"]


def test_more_hits_than_shown_say_so(manager, client_for, municipality):
    PersonFactory.create_batch(search.PAGE_LIMIT + 1, municipality=municipality, full_name="רב")
    group = client_for(manager).get(search_url(municipality, "רב")).context["groups"][0]
    assert len(group.hits) == search.PAGE_LIMIT and group.more


def test_the_words_are_split_as_postgresql_splits_them():
    assert search.words_of('מנכ״ל  "העירייה"') == ["מנכ", "ל", "העירייה"]
    assert search.words_of(" ") == []


def test_the_navbar_offers_the_search_inside_a_municipality(manager, client_for, municipality):
    html = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert f'action="{reverse("kehila:search", kwargs={"slug": municipality.slug})}"' in html
    assert 'id="navbar-search"' in html


def test_a_word_only_in_a_sections_body_finds_the_version_as_its_reader_sees_it(
    manager, committee_member, client, municipality, in_english
):
    from strategy import services as strategy_services
    from strategy.models import SectionStatus, Topic

    version = draft_agreement(municipality)
    section = version.sections.get(topic=Topic.ROUTINES)
    strategy_services.section_update(
        section=section,
        user=manager,
        text="### ישיבות\n\nנפגשים **פעמיים** בחודש, [ראו את הלוח](https://lu.example.org/zimun).",
        owner=manager,
        status=SectionStatus.AGREED,
    )
    client.force_login(manager)
    hits = _groups(client.get(search_url(municipality, "פעמיים בחודש")))["strategy.agreement"]
    assert [h.url for h in hits] == [
        reverse("strategy:version", kwargs={"slug": municipality.slug, "version_id": version.pk})
    ]
    assert hits[0].detail.endswith(" · Shared work routines")  # where the words were found
    # A heading is read as the reader reads it; a link's address is not on the page.
    assert "strategy.agreement" in _groups(client.get(search_url(municipality, "routines")))
    assert "strategy.agreement" not in _groups(client.get(search_url(municipality, "zimun")))
    client.force_login(committee_member)
    assert "strategy.agreement" not in _groups(client.get(search_url(municipality, "פעמיים")))
