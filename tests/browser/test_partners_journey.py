"""Journey: a program manager moves a 30-person stakeholder spreadsheet into the portal: uploads it, sees
the one bad row, fixes it, confirms, filters the list by sector and opens the influence × consent grid."""

import csv
import re

import pytest

from partners.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = [
    "נועה כהן", "محمد خوري", "Sarah Levi", "יוסי מזרחי", "فاطمة دياب", "John Miller", "רות ביטון",
    "علي منصور", "Anna Petrova", "דוד אוחיון", "سميرة عباس", "David Stern", "מרים אזולאי", "خالد نصار",
    "Emma Brown", "אבי גולן", "رنا زعبي", "Tom Green", "שירה טל", "جورج حداد", "Lisa White", "עומר חדד",
    "سامي عودة", "Mark Black", "תמר רוזן", "لينا حبيب", "Paul Grey", "הילה שטרן", "عبير سالم", "Nir Alon",
]  # fmt: skip
SECTORS = ["social", "business", "residents", "public", "academia"]


def write_spreadsheet(path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "full_name",
                "email",
                "phone",
                "neighbourhood",
                "sector",
                "consent",
                "influence",
                "stage",
            ]
        )
        for i, name in enumerate(NAMES):
            phone = "12-34" if i == 6 else f"+972 50 700 {i:04d}"
            writer.writerow(
                [name, f"p{i}@example.org", phone, "הגפן" if i % 2 else "הזיתים", SECTORS[i % 5],
                 ["active", "passive", "opposed"][i % 3], str(1 + i % 3), "met"]
            )  # fmt: skip


def test_a_manager_imports_a_spreadsheet_fixes_a_row_confirms_filters_and_opens_the_grid(
    a11y, manager, municipality, tmp_path
):
    sheet = tmp_path / "stakeholders.csv"
    write_spreadsheet(sheet)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/partners/import/")
    page.set_input_files("#id_file", str(sheet))
    web.tab_to("#upload-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/*/")
    web.check()
    assert page.locator("[data-status=new]").inner_text() == "29"
    assert page.locator("[data-status=error]").inner_text() == "1"
    assert page.locator("#confirm-import").count() == 0
    assert Person.objects.count() == 0

    page.get_by_role("link", name="תיקון שורה 7").click()
    page.wait_for_url("**/rows/7/")
    web.check()
    web.tab_to("#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("03-5123456")
    web.tab_to("#save-row")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/*/#row-7")
    web.check()
    assert page.locator("[data-status=error]").inner_text() == "0"

    web.tab_to("#confirm-import")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/m/{municipality.slug}/partners/(#.*)?$"))
    web.check()
    assert Person.objects.count() == 30
    assert Person.objects.get(full_name="רות ביטון").phone == "03-5123456"

    page.select_option("#id_sector", "business")
    web.tab_to("#filter-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**sector=business**")
    web.check()
    assert page.locator("tbody tr").count() == 6
    assert page.get_by_role("link", name="محمد خوري").is_visible()

    page.get_by_role("link", name="השפעה × הסכמה").click()
    page.wait_for_url("**/grid/")
    web.check()
    assert page.get_by_role("heading", level=1).inner_text() == "השפעה × הסכמה"
    assert "30" in page.locator("caption").first.inner_text()


def test_the_stakeholder_pages_are_accessible_with_the_demo_data(
    a11y, manager, team_member, municipality
):
    from partners import demo

    demo.load(municipality.program, {"manager": manager, "team": team_member})
    person = Person.objects.get(full_name="מרים אזולאי")
    web = a11y()
    web.login(manager)
    base = f"/m/{municipality.slug}/partners/"
    page = web.goto(base)
    assert page.get_by_role("heading", level=1).inner_text() == "בעלי עניין"
    page = web.goto(f"{base}{person.pk}/")
    assert "נפגשנו בגינה הקהילתית" in page.content()
    web.goto(f"{base}{person.pk}/edit/")
    web.goto(f"{base}coverage/")
    page = web.goto(f"{base}map/")
    assert page.locator("svg.network path[data-a]").count() > 10
    page = web.goto(f"{base}context/")
    assert "תוכנית ההתחדשות השכונתית 2019" in page.content()
    web.goto(f"{base}organisations/")
    page = web.goto(f"{base}managers-meeting/")
    assert page.get_by_role("row", name="אבי מזרחי").count() == 1
    page = web.goto(f"/m/{municipality.slug}/")
    assert page.locator("#partners-panel-heading").is_visible()
