"""The stakeholder list writes its rows from flat queries and its selects in Python (for speed): the
page must still show what the model's own displays and Django's widgets would."""

import pytest
from django.conf import settings
from django.forms import Select
from django.urls import reverse
from django.utils import translation

from partners.forms import PeopleFilterForm, PlainSelect
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory

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


def test_the_plain_select_writes_what_django_select_writes():
    choices = [("", "All"), ("1", "<Ben & Co>"), ("2", 'a "quoted" name'), ("2", "twice")]
    for value in (None, "", "2", "9"):
        fast = PlainSelect(choices=choices).render("organisation", value, {"id": "id_organisation"})
        slow = Select(choices=choices).render("organisation", value, {"id": "id_organisation"})
        assert _tags(fast) == _tags(slow)


def test_the_filter_marks_the_chosen_organisation(municipality):
    form = PeopleFilterForm(
        {"organisation": "7"}, neighbourhoods=["הגפן"], organisations=[(7, "אלון"), (8, "גפן")]
    )
    assert form.is_valid()
    html = str(form["organisation"])
    assert '<option value="7" selected>אלון</option>' in html
    assert '<option value="8">גפן</option>' in html


def _tags(html):
    return [line.strip() for line in html.splitlines() if line.strip()]


def test_the_filter_controls_carry_bootstraps_classes(manager, municipality, client_for):
    page = client_for(manager).get(f"/m/{municipality.slug}/partners/").content.decode()
    assert '<select name="consent" class="form-select" id="id_consent">' in page
    assert 'class="form-control"' in page and 'name="q"' in page
    assert 'class="form-check-input"' in page
