"""Names of municipalities and committees in the portal's three languages (issue 17 §1): each reads in the
active language where it has a name in it, in Hebrew otherwise; the team gives a committee its names."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from committees import services
from committees.models import Committee
from kehila.models import AuditLog, localized_name
from tests.factories import MunicipalityFactory
from tests.helpers import assert_nothing_changed, roles_refused

from .factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _url(committee, name="names"):
    return reverse(
        f"committees:{name}",
        kwargs={"slug": committee.municipality.slug, "committee_id": committee.pk},
    )


def test_a_name_reads_in_the_active_language_and_falls_back_to_hebrew():
    town = MunicipalityFactory(name="טמרה", name_en="Tamra", name_ar="طمرة")
    bare = MunicipalityFactory(name="עין גב", name_en="", name_ar="")
    for language, expected in (("he", "טמרה"), ("en", "Tamra"), ("ar", "طمرة")):
        with translation.override(language):
            assert str(town) == expected
            assert str(bare) == "עין גב"
    assert localized_name(town, "ar") == "طمرة"


def test_a_standing_body_is_created_named_in_three_languages(municipality):
    steering = services.committee_for_kind(municipality=municipality, kind="steering")
    team = services.committee_for_kind(municipality=municipality, kind="team", track="social")
    assert (steering.name, steering.name_en, steering.name_ar) == (
        "ועדת היגוי",
        "Steering committee",
        "لجنة التوجيه",
    )
    assert team.name == "צוות עבודה – אפיק חברתי"
    assert team.name_en == "Work team – Social track"
    assert team.name_ar == "فريق العمل – مسار اجتماعي"
    with translation.override("ar"):
        assert str(team) == "فريق العمل – مسار اجتماعي"


def test_the_team_names_a_committee_and_the_page_reads_it_in_arabic(
    manager, municipality, client_for
):
    committee = CommitteeFactory(municipality=municipality, name="ועדת תושבים")
    client = client_for(manager)
    response = client.post(
        _url(committee),
        {"name": "ועדת תושבים", "name_en": "Residents' committee", "name_ar": "لجنة السكان"},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.name_en, committee.name_ar) == ("Residents' committee", "لجنة السكان")
    assert AuditLog.objects.filter(action="committees.committee_rename").count() == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(_url(committee, "detail")).content.decode()
    assert 'lang="ar"' in page and "<h1>لجنة السكان</h1>" in page


def test_the_hebrew_name_is_required_and_nothing_changes(manager, municipality, client_for):
    committee = CommitteeFactory(municipality=municipality, name="ועדת תושבים")
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(_url(committee), {"name": "", "name_en": "X", "name_ar": ""})
    assert response.status_code == 200
    assert 'id="err-name"' in response.content.decode()


@pytest.mark.parametrize("role", roles_refused("manage_committees", also=["outsider"]))
def test_nobody_else_names_a_committee_and_nothing_changes(
    role, users_by_role, municipality, client_for
):
    committee = CommitteeFactory(municipality=municipality, name="ועדת תושבים")
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        response = client.post(_url(committee), {"name": "אחר", "name_en": "", "name_ar": ""})
    assert response.status_code in (403, 404)
    assert Committee.objects.get(pk=committee.pk).name == "ועדת תושבים"


def test_the_migration_names_the_standing_bodies_it_finds_with_their_default_names(municipality):
    migration = importlib.import_module(
        "committees.migrations.0008_committee_names_in_three_languages"
    )
    plain = CommitteeFactory(municipality=municipality, name="ועדת היגוי", kind="steering")
    team = CommitteeFactory(
        municipality=municipality, name="צוות עבודה – אפיק כלכלי", kind="team", track="economic"
    )
    own = CommitteeFactory(municipality=municipality, name="ועדת תושבים")
    migration.name_standing_bodies(apps, None)
    for committee in (plain, team, own):
        committee.refresh_from_db()
    assert (plain.name_en, plain.name_ar) == ("Steering committee", "لجنة التوجيه")
    assert (team.name_en, team.name_ar) == (
        "Work team – Economic track",
        "فريق العمل – مسار اقتصادي",
    )
    assert (own.name_en, own.name_ar) == ("", "")


def test_the_dashboard_and_the_navbar_name_the_municipality_in_the_readers_language(
    manager, municipality, client_for
):
    municipality.name_ar = "عين الجليل"
    municipality.name_en = "Ein HaGalil"
    municipality.save()
    client = client_for(manager)
    url = reverse("kehila:dashboard", kwargs={"slug": municipality.slug})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = client.get(url).content.decode()
    assert 'lang="ar"' in arabic
    assert arabic.count("عين الجليل") >= 3  # the title, the heading and the navbar
    assert "עין הגליל" not in arabic
