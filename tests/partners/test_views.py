from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kehila.models import AuditLog, Role
from partners.models import Interaction, Person, StagedImport
from tests.helpers import assert_nothing_changed, roles_allowed
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(municipality, tail=""):
    return f"/m/{municipality.slug}/partners/{tail}"


# Each page and the action its view asks (partners.views); who may open it is the rule table's.
PAGE_ACTIONS = {
    "": "view_partners",
    "grid/": "view_partner_aggregates",
    "coverage/": "view_partner_aggregates",
    "map/": "view_partners",
    "context/": "view_partners",
    "organisations/": "view_partners",
    "managers-meeting/": "view_partners",
    "new/": "edit_partners",
    "import/": "import_partners",
    "export/": "export_partners",
}
ROLES = sorted(Role.values)
ALLOWED = {tail: set(roles_allowed(action)) for tail, action in PAGE_ACTIONS.items()}


@pytest.mark.parametrize("tail", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_page_opens_only_for_the_roles_allowed(
    tail, role, users_by_role, municipality, client_for
):
    response = client_for(users_by_role[role]).get(url(municipality, tail))
    assert response.status_code == (200 if role in ALLOWED[tail] else 403)


def test_an_outsider_gets_404(outsider, municipality, client_for):
    person = PersonFactory(municipality=municipality)
    client = client_for(outsider)
    assert client.get(url(municipality)).status_code == 404
    assert client.get(f"/m/neve-hadarim/partners/{person.pk}/").status_code == 404


def test_the_team_sees_phone_numbers_and_others_do_not(users_by_role, municipality, client_for):
    person = PersonFactory(municipality=municipality, phone="050-7654321", email="x@example.org")
    for role in ["manager", "team"]:
        client = client_for(users_by_role[role])
        assert "050-7654321" in client.get(url(municipality)).content.decode()
        assert "050-7654321" in client.get(url(municipality, f"{person.pk}/")).content.decode()
    for role in ["mayor_office", "track_lead"]:
        client = client_for(users_by_role[role])
        for page in [url(municipality), url(municipality, f"{person.pk}/")]:
            body = client.get(page).content.decode()
            assert person.full_name in body
            assert "050-7654321" not in body and "x@example.org" not in body


def test_hq_sees_counts_not_names(hq_user, municipality, client_for):
    EngagementFactory(person__municipality=municipality, person__full_name="סוד גדול", influence=3)
    body = client_for(hq_user).get(url(municipality, "grid/")).content.decode()
    assert "סוד גדול" not in body
    assert "1" in body


def test_the_list_filters_and_searches_in_hebrew(manager, municipality, client_for):
    dana = EngagementFactory(
        person__municipality=municipality, person__full_name="דנה לוי", sector="business"
    ).person
    EngagementFactory(
        person__municipality=municipality, person__full_name="רון כהן", sector="social"
    )
    PersonFactory(municipality=municipality, full_name="שירה", title='מנכ"לית החברה')
    client = client_for(manager)
    body = client.get(url(municipality), {"sector": "business"}).content.decode()
    assert "דנה לוי" in body and "רון כהן" not in body
    body = client.get(url(municipality), {"q": "לוי"}).content.decode()
    assert "דנה לוי" in body and "רון כהן" not in body
    body = client.get(url(municipality), {"q": "מנכ״לית"}).content.decode()
    assert "שירה" in body and "דנה" not in body
    org = AffiliationFactory(person=dana).organisation
    body = client.get(url(municipality), {"organisation": org.pk}).content.decode()
    assert "דנה לוי" in body and "רון כהן" not in body


def test_the_list_keeps_its_query_count_from_50_to_5000_people_and_paginates(
    manager, municipality, client_for
):
    program = municipality.program

    def make(count, start):
        people = Person.objects.bulk_create(
            [
                Person(
                    municipality=municipality,
                    full_name=f"אדם {start + i:05d}",
                    phone=f"050-{start + i:07d}",
                )
                for i in range(count)
            ]
        )
        from partners.models import Engagement

        Engagement.objects.bulk_create(
            [
                Engagement(municipality=municipality, program=program, person=p, sector="social")
                for p in people
            ]
        )
        for p in people[:3]:
            AffiliationFactory(person=p)

    make(50, 0)
    client = client_for(manager)
    count = assert_constant_queries(client, url(municipality), lambda: make(4950, 50))
    assert count <= 15
    response = client.get(url(municipality), {"page": 2})
    assert response.context["page"].paginator.num_pages == 100
    assert len(response.context["page"].object_list) == 50


def test_the_person_page_shows_and_records_the_interaction_log(manager, municipality, client_for):
    person = EngagementFactory(person__municipality=municipality).person
    client = client_for(manager)
    response = client.post(
        url(municipality, f"{person.pk}/interactions/"),
        {"kind": "called", "date": "2026-11-01", "note": "שיחה טובה"},
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.person, interaction.created_by) == (person, manager)
    assert "שיחה טובה" in client.get(url(municipality, f"{person.pk}/")).content.decode()


def test_a_manager_adds_a_person_and_a_malformed_phone_is_a_field_error(
    manager, municipality, client_for
):
    client = client_for(manager)
    data = {
        "person-full_name": "عبير حداد",
        "person-phone": "12345",
        "person-email": "bad",
        "person-language": "he",
        "engagement-consent": "passive",
        "engagement-influence_kind": "formal",
        "engagement-influence": "2",
        "engagement-interest": "2",
        "engagement-stage": "identified",
    }
    response = client.post(url(municipality, "new/"), data)
    assert response.status_code == 200
    assert "מספר טלפון ישראלי" in response.content.decode()
    assert "عبير حداد" in response.content.decode()
    assert Person.objects.count() == 0
    data.update({"person-phone": "+972 52 123 4567", "person-email": "abir@example.org"})
    response = client.post(url(municipality, "new/"), data)
    person = Person.objects.get()
    assert response.status_code == 302 and person.phone == "052-1234567"
    assert person.engagements.get().stage == "identified"


def test_the_import_pages_upload_preview_fix_and_confirm(manager, municipality, client_for):
    client = client_for(manager)
    content = "full_name,email,phone\nדנה,d@example.org,050-1234567\nרון,r@example.org,12\n"
    response = client.post(
        url(municipality, "import/"), {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    staged = StagedImport.objects.get()
    assert response.status_code == 302
    preview = client.get(url(municipality, f"import/{staged.pk}/")).content.decode()
    assert "מספר טלפון ישראלי" in preview and "confirm-import" not in preview
    response = client.post(url(municipality, f"import/{staged.pk}/"))
    assert Person.objects.count() == 0
    client.post(
        url(municipality, f"import/{staged.pk}/rows/2/"),
        {"full_name": "רון", "email": "r@example.org", "phone": "03-5123456"},
    )
    assert (
        "confirm-import" in client.get(url(municipality, f"import/{staged.pk}/")).content.decode()
    )
    client.post(url(municipality, f"import/{staged.pk}/"))
    client.post(url(municipality, f"import/{staged.pk}/"))  # a double submit does nothing more
    assert sorted(Person.objects.values_list("phone", flat=True)) == ["03-5123456", "050-1234567"]
    assert AuditLog.objects.filter(action="partners.import").count() == 1


def test_a_wrong_file_shows_a_clear_message_and_stages_nothing(manager, municipality, client_for):
    client = client_for(manager)
    response = client.post(
        url(municipality, "import/"), {"file": SimpleUploadedFile("p.txt", b"hello")}
    )
    assert "יש להעלות קובץ CSV או Excel" in response.content.decode()
    response = client.post(
        url(municipality, "import/"), {"file": SimpleUploadedFile("p.csv", b"full_name,age\nx,1\n")}
    )
    assert "עמודות לא מוכרות: age" in response.content.decode()
    assert StagedImport.objects.count() == 0


def test_another_users_staged_import_is_not_found(manager, team_member, municipality, client_for):
    staged = StagedImport.objects.create(
        municipality=municipality, user=team_member, filename="x.csv", rows=[]
    )
    assert client_for(manager).get(url(municipality, f"import/{staged.pk}/")).status_code == 404


def test_export_is_a_logged_formula_safe_download(manager, municipality, client_for):
    PersonFactory(municipality=municipality, full_name="=cmd|' /C calc'!A0")
    response = client_for(manager).get(url(municipality, "export/"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client_for(manager).get(url(municipality, "export/"), {"format": "csv"})
    assert "'=cmd" in response.content.decode("utf-8-sig")
    assert AuditLog.objects.filter(action="partners.export", actor=manager).count() == 2


def test_the_managers_meeting_page_lists_and_exports_invitees(manager, municipality, client_for):
    PersonFactory(municipality=municipality, full_name="אבי מזרחי", municipal_role="mayor")
    PersonFactory(municipality=municipality, full_name="תושב רגיל")
    client = client_for(manager)
    body = client.get(url(municipality, "managers-meeting/")).content.decode()
    assert "אבי מזרחי" in body and "תושב רגיל" not in body
    response = client.get(url(municipality, "managers-meeting/"), {"format": "csv"})
    assert "אבי מזרחי" in response.content.decode("utf-8-sig")
    assert AuditLog.objects.filter(action="partners.export_managers_meeting").exists()


def test_the_map_draws_people_organisations_and_sensitive_ties(manager, municipality, client_for):
    from partners import services

    a = AffiliationFactory(person__municipality=municipality)
    b = PersonFactory(municipality=municipality, full_name="Yael")
    services.relationship_create(
        actor=manager,
        municipality=municipality,
        person_a=a.person,
        person_b=b,
        level=3,
        note="ריב ישן",
    )
    body = client_for(manager).get(url(municipality, "map/")).content.decode()
    assert "<svg" in body and "stroke-dasharray" in body
    assert "ריב ישן" in body and a.organisation.name in body


def test_the_context_page_records_history_and_relationships(manager, municipality, client_for):
    person = PersonFactory(municipality=municipality)
    client = client_for(manager)
    client.post(
        url(municipality, "context/"),
        {
            "form": "history",
            "history-title": "תוכנית 2019",
            "history-body": "נכשלה",
            "history-burnt": [person.pk],
        },
    )
    body = client.get(url(municipality, "context/")).content.decode()
    assert "תוכנית 2019" in body and person.full_name in body


def test_the_mayor_office_cannot_write(mayor_office, municipality, client_for):
    person = PersonFactory(municipality=municipality)
    client = client_for(mayor_office)
    with assert_nothing_changed():
        assert client.post(url(municipality, "context/"), {"form": "history"}).status_code == 403
        assert client.post(url(municipality, f"{person.pk}/interactions/"), {}).status_code == 403
        assert client.post(url(municipality, "organisations/"), {"name": "x"}).status_code == 403


def test_the_dashboard_panel_counts_by_stage_and_consent(
    manager, hq_user, committee_member, municipality, rf
):
    from django.template.loader import render_to_string

    from kehila.dashboard import PANEL_PROVIDERS
    from partners.dashboard import panel

    assert "partners.dashboard.panel" in PANEL_PROVIDERS
    EngagementFactory(person__municipality=municipality, stage="active", consent="active")
    EngagementFactory(person__municipality=municipality, stage="met", consent="opposed")
    request = rf.get("/")
    request.municipality = municipality
    for user, visible in [(manager, True), (hq_user, True), (committee_member, False)]:
        request.user = user
        result = panel(request)
        assert (result is not None) == visible
    request.user = manager
    result = panel(request)
    assert result["context"]["total"] == 2
    assert [n for _label, n in result["context"]["stages"]] == [0, 0, 1, 0, 1]
    assert [n for _label, n in result["context"]["consents"]] == [1, 0, 1]
    html = render_to_string(result["template"], {"panel": result["context"], "request": request})
    assert "partners-panel-heading" in html and "2" in html


@pytest.mark.parametrize("tail", ["grid/", "coverage/", "map/", "managers-meeting/", "context/"])
def test_the_picture_pages_keep_a_fixed_number_of_queries(tail, manager, municipality, client_for):
    from partners import services

    def grow():
        for i in range(15):
            e = EngagementFactory(
                person__municipality=municipality, stage="active", influence=1 + i % 3
            )
            AffiliationFactory(person=e.person, organisation__kind="department", is_head=True)
        a, b = Person.objects.filter(municipality=municipality)[:2]
        services.relationship_create(
            actor=manager, municipality=municipality, person_a=a, person_b=b, level=2
        )

    grow()
    assert_constant_queries(client_for(manager), url(municipality, tail), grow)


def test_the_person_page_keeps_a_fixed_number_of_queries(manager, municipality, client_for):
    from partners import services

    person = EngagementFactory(person__municipality=municipality).person

    def grow():
        for _ in range(10):
            services.interaction_record(
                actor=manager, person=person, kind="met", on=date(2026, 11, 1)
            )
            AffiliationFactory(person=person)

    grow()
    assert_constant_queries(client_for(manager), url(municipality, f"{person.pk}/"), grow)


def test_marking_who_heads_a_department_puts_them_on_the_managers_list(
    manager, municipality, client_for
):
    from partners.models import Organisation

    welfare = Organisation.objects.create(
        municipality=municipality, name="אגף הרווחה", kind="department"
    )
    client = client_for(manager)
    data = {
        "person-full_name": "דוד אוחיון",
        "person-language": "he",
        "person-heads": [welfare.pk],
        "engagement-consent": "passive",
        "engagement-influence_kind": "formal",
        "engagement-influence": "2",
        "engagement-interest": "2",
        "engagement-stage": "identified",
    }
    assert client.post(url(municipality, "new/"), data).status_code == 302
    person = Person.objects.get()
    assert person.affiliations.get().is_head
    body = client.get(url(municipality, "managers-meeting/")).content.decode()
    assert "דוד אוחיון" in body and "אגף הרווחה" in body
    data["person-heads"] = []
    data["person-organisations"] = [welfare.pk]
    client.post(url(municipality, f"{person.pk}/edit/"), data)
    assert not person.affiliations.get().is_head
    assert "דוד אוחיון" not in client.get(url(municipality, "managers-meeting/")).content.decode()


def test_only_the_team_can_search_by_phone_or_e_mail(
    manager, mayor_office, municipality, client_for
):
    PersonFactory(
        municipality=municipality, full_name="רחל", phone="052-7000023", email="rachel@example.org"
    )
    for query in ["+972 52 700 0023", "rachel@"]:
        assert "רחל" in client_for(manager).get(url(municipality), {"q": query}).content.decode()
        assert (
            "רחל"
            not in client_for(mayor_office).get(url(municipality), {"q": query}).content.decode()
        )


def test_the_map_is_a_figure_of_links_beside_its_tables_and_filters_on_the_server(
    manager, municipality, other_municipality, client_for
):
    import re

    opposed = EngagementFactory(
        person__municipality=municipality, person__full_name="מתנגד א", consent="opposed"
    ).person
    EngagementFactory(
        person__municipality=municipality, person__full_name="פעילה ב", consent="active"
    )
    EngagementFactory(person__municipality=other_municipality, person__full_name="זר ג")
    client = client_for(manager)
    body = client.get(url(municipality, "map/")).content.decode()
    assert "<figure" in body and "<figcaption" in body and 'role="region"' in body
    nodes = re.findall(r'<a href="([^"]+)" class="network-node"', body)
    assert sorted(nodes) == sorted(
        url(municipality, f"{p.pk}/") for p in Person.objects.filter(municipality=municipality)
    )
    table = body[body.index('id="map-people"') :]
    assert "מתנגד א" in table and "פעילה ב" in table
    assert "זר ג" not in body  # another municipality's people never reach the map
    body = client.get(url(municipality, "map/"), {"consent": "opposed"}).content.decode()
    assert re.findall(r'<a href="([^"]+)" class="network-node"', body) == [
        url(municipality, f"{opposed.pk}/")
    ]
    assert "פעילה ב" not in body
    assert 'data-complete="false"' in body  # filtered by the server: the script must not widen it
    body = client.get(url(municipality, "map/"), {"consent": "nonsense"}).content.decode()
    assert "פעילה ב" in body  # an unknown value filters nothing


def test_the_map_says_how_many_people_it_leaves_out(manager, municipality, client_for, monkeypatch):
    from partners import selectors

    monkeypatch.setattr(selectors, "MAX_NETWORK_PEOPLE", 2)
    for _ in range(5):
        EngagementFactory(person__municipality=municipality)
    body = client_for(manager).get(url(municipality, "map/")).content.decode()
    assert body.count('class="network-node"') == 2
    assert 'id="map-capped"' in body and 'data-complete="false"' in body


def test_the_grid_chart_places_each_person_as_a_link_in_its_cell(
    manager, hq_user, municipality, client_for
):
    import re

    high = EngagementFactory(
        person__municipality=municipality,
        person__full_name="רבת השפעה",
        influence=3,
        consent="opposed",
    ).person
    EngagementFactory(person__municipality=municipality, influence=1, consent="active")
    response = client_for(manager).get(url(municipality, "grid/"))
    body = response.content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    links = re.findall(r'<a href="([^"]+)" class="chart-link"', chart)
    assert len(links) == 2 and url(municipality, f"{high.pk}/") in links
    assert "רבת השפעה" in chart and "<table" in body[body.index("</svg>") :]
    top_row = response.context["chart"]["rows"][0]
    assert [p["name"] for p in top_row["cells"][0]["people"]] == ["רבת השפעה"]
    hq_body = client_for(hq_user).get(url(municipality, "grid/")).content.decode()
    assert "chart-link" not in hq_body and 'role="img"' in hq_body


def test_the_grid_chart_runs_right_to_left_in_hebrew_and_left_to_right_in_english(
    manager, municipality, client_for, in_english
):
    client = client_for(manager)
    heads = client.get(url(municipality, "grid/")).context["chart"]["heads"]
    english = [h["x"] for h in heads]
    assert english == sorted(english)  # opposed on the left in English


def test_the_grid_chart_puts_opposed_on_the_right_in_hebrew(manager, municipality, client_for):
    heads = client_for(manager).get(url(municipality, "grid/")).context["chart"]["heads"]
    assert [h["consent"] for h in heads] == ["opposed", "passive", "active"]
    hebrew = [h["x"] for h in heads]
    assert hebrew == sorted(hebrew, reverse=True)
