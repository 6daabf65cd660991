"""The stakeholder list writes its rows from flat queries (for speed), its filters through templates: the
page must still show what the model's own displays would, and the organisation filter is a picker that
draws only the chosen organisation, however many the town has."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kehila.widgets import SearchSelect
from partners.forms import PeopleFilterForm
from tests.partners.factories import (
    AffiliationFactory,
    EngagementFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_each_row_shows_its_engagement_organisations_and_link(manager, municipality, client_for):
    e = EngagementFactory(
        person__municipality=municipality,
        person__full_name="דנה לוי",
        person__title="רכזת",
        sector="business",
        consent="active",
        stage="contacted",
        influence_kind="informal",
    )
    AffiliationFactory(person=e.person, organisation__name="בית ספר אלון")
    AffiliationFactory(person=e.person, organisation__name="אגודת הגפן")
    PersonFactory(municipality=municipality, full_name="רון כהן", title="")
    body = client_for(manager).get(f"/m/{municipality.slug}/partners/").content.decode()
    link = reverse(
        "partners:person_detail", kwargs={"slug": municipality.slug, "person_id": e.person.pk}
    )
    assert f'<a href="{link}"><bdi>דנה לוי</bdi></a>' in body
    # Organisations by name, after the title.
    assert "<bdi>רכזת</bdi> · <bdi>אגודת הגפן</bdi>, <bdi>בית ספר אלון</bdi>" in body
    with translation.override(settings.LANGUAGE_CODE):
        for label in (e.get_sector_display(), e.get_consent_display(), e.get_stage_display()):
            assert f"<td>{label}</td>" in body
        badge = f'<span class="badge text-bg-warning">{translation.gettext("informal influence")}</span>'
        assert body.count(badge) == 1
    # Someone without an engagement in the program gets dashes.
    ron = body[body.index("רון כהן") :]
    ron = ron[: ron.index("</tr>")]
    assert ron.count("<td>—</td>") == 3


def test_the_organisation_filter_is_a_picker_that_draws_the_chosen_one_only(
    municipality, other_municipality, in_english
):
    alon = OrganisationFactory(municipality=municipality, name="אלון")
    OrganisationFactory.create_batch(5, municipality=municipality)
    stranger = OrganisationFactory(municipality=other_municipality, name="זר")
    form = PeopleFilterForm(
        {"organisation": str(alon.pk)}, municipality=municipality, neighbourhoods=["הגפן"]
    )
    assert form.is_valid() and form.cleaned_data["organisation"] == alon
    assert isinstance(form.fields["organisation"].widget, SearchSelect)
    html = str(form["organisation"])
    assert html.count("<option") == 2
    assert '<option value="">All</option>' in html
    assert f'<option value="{alon.pk}" selected>אלון</option>' in html
    search = reverse("partners:organisations_search", kwargs={"slug": municipality.slug})
    assert f'data-search-url="{search}"' in html
    forged = PeopleFilterForm(
        {"organisation": str(stranger.pk)}, municipality=municipality, neighbourhoods=[]
    )
    assert not forged.is_valid() and "organisation" in forged.errors


def test_the_list_filters_by_an_organisation_typed_without_javascript(
    manager, municipality, client_for, in_english
):
    dana = PersonFactory(municipality=municipality, full_name="דנה לוי")
    PersonFactory(municipality=municipality, full_name="רון כהן")
    AffiliationFactory(person=dana, organisation__name="בית ספר אלון")
    AffiliationFactory(person=dana, organisation__name="אלון הגליל")
    client = client_for(manager)
    page = client.get(f"/m/{municipality.slug}/partners/", {"organisation__find": "בית ספר אלון"})
    assert [row["full_name"] for row in page.context["rows"]] == ["דנה לוי"]
    page = client.get(
        f"/m/{municipality.slug}/partners/", {"organisation__find": "אלון", "q": "רון"}
    )
    html = page.content.decode()
    assert "Several match “אלון”:" in html and 'id="id_organisation-error"' in html
    # the other filters still apply while the organisation is to be chosen
    assert [row["full_name"] for row in page.context["rows"]] == ["רון כהן"]


def test_the_filter_controls_carry_bootstraps_classes(manager, municipality, client_for):
    page = client_for(manager).get(f"/m/{municipality.slug}/partners/").content.decode()
    assert '<select name="consent" class="form-select" id="id_consent">' in page
    assert 'class="form-control"' in page and 'name="q"' in page
    assert 'class="form-check-input"' in page
