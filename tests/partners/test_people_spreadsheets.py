"""The stakeholder spreadsheet speaks the user's language both ways (issue 17 §3).

An export's headers are the fields' names and its values the choices' labels in the user's language; an
import reads the headers and labels of every language of the portal, and the codes of the files exported
before. The portal's own export, imported as it is, changes nothing, in every language and format."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from kehila.models import ContactAccess
from partners import services, spreadsheets
from partners.models import Consent, EngagementStage, MunicipalRole, Person, Sector, StagedImport
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["he", "en", "ar"]


def url(municipality, tail=""):
    return f"/m/{municipality.slug}/partners/{tail}"


def people(municipality):
    noa = PersonFactory(
        municipality=municipality,
        full_name="נועה כהן",
        phone="050-7000001",
        email="noa@example.org",
        is_resident=True,
        municipal_role=MunicipalRole.DEPARTMENT_HEAD,
        languages="עברית, English",
    )
    EngagementFactory(
        person=noa,
        sector=Sector.BUSINESS,
        circle="influence",
        consent=Consent.ACTIVE,
        influence_kind="informal",
        influence=3,
        interest=1,
        stage=EngagementStage.MET,
    )
    AffiliationFactory(person=noa, organisation__name="מתנ״ס הגפן")
    AffiliationFactory(person=noa, organisation__name="عمال")
    samir = PersonFactory(municipality=municipality, full_name="سمير خوري", phone="02-6234567")
    EngagementFactory(person=samir, sector="", circle="", consent=Consent.OPPOSED)
    # No engagement at all, and a name typed as a formula.
    PersonFactory(municipality=municipality, full_name='=HYPERLINK("x")', phone="", title="-1")


def table_of(content: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def client_in(client, user, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portals_own_export_imports_back_with_nothing_changed(
    client, manager, municipality, language, fmt
):
    people(municipality)
    before = services.existing_rows(municipality)
    web = client_in(client, manager, language)
    response = web.get(url(municipality, "export/"), {"format": fmt})
    assert response.status_code == 200
    # The privacy rule holds: the export is logged as an access to every person's contacts.
    access = ContactAccess.objects.get(where="partners.export")
    assert (access.purpose, access.count) == ("export", 3)

    response = web.post(
        url(municipality, "import/"),
        {"file": SimpleUploadedFile(f"export.{fmt}", response.content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staged = StagedImport.objects.get()
    preview = web.get(url(municipality, f"import/{staged.pk}/")).content.decode()
    assert 'id="import-nothing"' in preview and 'id="confirm-import"' not in preview
    assert [r.status for r in services.import_preview(staged)] == ["unchanged"] * 3
    assert services.import_confirm(actor=manager, staged=staged) == {
        "new": 0,
        "update": 0,
        "unchanged": 3,
    }
    assert services.existing_rows(municipality) == before
    assert Person.objects.count() == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_export_has_the_users_headers_and_labels(client, manager, municipality, language, fmt):
    people(municipality)
    content = client_in(client, manager, language).get(
        url(municipality, "export/"), {"format": fmt}
    )
    table = table_of(content.content, fmt)
    with translation.override(language):
        assert table[0] == spreadsheets.headers()
        by_name = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
        noa, samir = by_name["נועה כהן"], by_name["سمير خوري"]
        assert noa[spreadsheets.header("sector")] == str(Sector.BUSINESS.label)
        assert noa[spreadsheets.header("consent")] == str(Consent.ACTIVE.label)
        assert noa[spreadsheets.header("stage")] == str(EngagementStage.MET.label)
        assert noa[spreadsheets.header("municipal_role")] == str(
            MunicipalRole.DEPARTMENT_HEAD.label
        )
        assert noa[spreadsheets.header("is_resident")] == translation.gettext("Yes")
        assert samir[spreadsheets.header("sector")] == ""  # a blank choice stays blank
        assert samir[spreadsheets.header("municipal_role")] == ""
    codes = {"business", "active", "met", "department_head", "yes", "passive", "formal"}
    assert not codes & {cell for row in table for cell in row if isinstance(cell, str)}


def test_an_english_export_reads_in_english(client, manager, municipality, in_english):
    people(municipality)
    content = client_in(client, manager, "en").get(url(municipality, "export/"), {"format": "csv"})
    header, *rows = table_of(content.content, "csv")
    [noa] = [row for row in rows if row[0] == "נועה כהן"]
    assert header[:3] == ["Full name", "E-mail", "Phone"]
    assert "Standing in the municipality" in header and "Engagement stage" in header
    assert noa[header.index("Sector")] == "Business"
    assert noa[header.index("Strength of influence")] == "High"
    assert noa[header.index("Resident")] == "Yes"


@pytest.mark.parametrize("language", ["he", "ar"])
def test_an_xlsx_export_runs_right_to_left_in_hebrew_and_arabic(
    client, manager, municipality, language
):
    people(municipality)
    content = client_in(client, manager, language).get(
        url(municipality, "export/"), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(content.content)).worksheets[0]
    assert sheet.sheet_view.rightToLeft and sheet.freeze_panes == "A2"
    formula = sheet["A2"]  # the rows go by name: "=" first
    assert (formula.value, formula.data_type) == ('=HYPERLINK("x")', "s")


def test_an_import_reads_headers_and_labels_of_any_language_whatever_the_users(
    manager, municipality, in_english
):
    with translation.override("ar"):
        arabic = [spreadsheets.header(k) for k in ("full_name", "phone", "sector", "is_resident")]
    with translation.override("he"):
        business, yes = str(Sector.BUSINESS.label), translation.gettext("Yes")
    text = ",".join(arabic) + f"\nسمير,050-7000009,{business},{yes}\n"
    staged = services.import_stage(
        user=manager,
        municipality=municipality,
        uploaded=SimpleUploadedFile("p.csv", text.encode("utf-8")),
    )
    [row] = services.import_preview(staged)
    assert row.status == "new", row.errors
    assert (row.values["sector"], row.values["is_resident"]) == ("business", "yes")


def test_an_old_export_with_english_codes_still_imports(manager, municipality):
    people(municipality)
    rows = [row for _pk, row in services.existing_rows(municipality)]
    columns = spreadsheets.COLUMNS
    old = io.StringIO()
    writer = csv.writer(old)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            ["'" + row[c] if row[c].startswith(("=", "-")) else row[c] for c in columns]
        )
    staged = services.import_stage(
        user=manager,
        municipality=municipality,
        uploaded=SimpleUploadedFile("old.csv", old.getvalue().encode("utf-8-sig")),
    )
    assert [r.status for r in services.import_preview(staged)] == ["unchanged"] * 3


def test_import_errors_name_the_column_in_the_users_language(client, manager, municipality):
    web = client_in(client, manager, "ar")
    text = "full_name,consent,is_resident\nדנה,maybe,perhaps\n"
    web.post(url(municipality, "import/"), {"file": SimpleUploadedFile("p.csv", text.encode())})
    staged = StagedImport.objects.get()
    preview = web.get(url(municipality, f"import/{staged.pk}/")).content.decode()
    row = web.get(url(municipality, f"import/{staged.pk}/rows/1/")).content.decode()
    with translation.override("ar"):
        consent, resident = spreadsheets.header("consent"), spreadsheets.header("is_resident")
    for page in (preview, row):
        assert f"{consent}: " in page and f"{resident}: " in page
        assert "consent:" not in page and "is_resident:" not in page


def test_file_errors_name_the_columns_in_the_users_language(manager, municipality, in_english):
    def read(text):
        with pytest.raises(spreadsheets.ImportFileError) as error:
            spreadsheets.read_upload(SimpleUploadedFile("p.csv", text.encode()))
        return str(error.value)

    unknown = read("Full name,shoe size\nx,42\n")
    assert "Unknown columns: shoe size." in unknown and "Standing in the municipality" in unknown
    assert read("E-mail\nx@example.org\n") == "The file needs a column “Full name”."
    assert read("full_name,שם מלא\nx,y\n") == "The column “Full name” appears twice in the file."
