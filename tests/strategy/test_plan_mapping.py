"""Mapping findings imported from CSV/XLSX with a preview, the situation picture, and logic models."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from strategy import plan_services as services
from strategy.models import LogicModel, MappingFinding
from tests.helpers import assert_nothing_changed
from tests.strategy.plan_factories import a_challenge, a_plan_version

pytestmark = pytest.mark.django_db

CSV = (
    "challenge,indicator,value,unit,source,date,neighbourhood\n"
    "1,ותיקים החיים לבד,340,אנשים,הלמ״ס,2026-05-01,הגפן\n"
    "1,ותיקים החיים לבד,120,אנשים,הלמ״ס,2026-05-01,הזית\n"
)


def url(municipality, tail=""):
    return f"/m/{municipality.slug}/strategy/plan/mapping/{tail}"


def upload(content, name="findings.csv"):
    return SimpleUploadedFile(
        name, content.encode("utf-8") if isinstance(content, str) else content
    )


def test_a_csv_is_previewed_then_saved_once(municipality, manager, client_for):
    a_challenge(municipality, 1)
    client = client_for(manager)
    response = client.post(url(municipality), {"file": upload(CSV)})
    page = response.content.decode()
    assert 'id="preview"' in page and "הגפן" in page
    assert not MappingFinding.objects.exists()
    token = response.context["token"]
    client.post(url(municipality, "confirm/"), {"token": token})
    client.post(url(municipality, "confirm/"), {"token": token})  # a double click adds nothing
    assert MappingFinding.objects.count() == 2
    page = client.get(url(municipality)).content.decode()
    assert "הזית" in page and "<svg" in page


def test_bad_lines_are_named_and_nothing_is_saved(municipality, manager, client_for):
    a_challenge(municipality, 1)
    bad = "challenge,indicator,value,unit,source,date,neighbourhood\n7,x,abc,,,31-31-2026,\n"
    response = client_for(manager).post(url(municipality), {"file": upload(bad)})
    errors = " ".join(e for row in response.context["preview"] for e in row.errors)
    # The columns are named in the user's language (Hebrew here), not by the file's codes.
    assert "שורה 2" in errors and "„אתגר”" in errors and "„ערך”" in errors
    assert "„תאריך”" in errors and "challenge" not in errors
    assert response.context["token"] == ""
    assert 'id="confirm-import"' not in response.content.decode()


def test_an_xlsx_is_read_too(municipality, manager, client_for):
    a_challenge(municipality, 1)
    book = Workbook()
    sheet = book.active
    sheet.append(["אתגר", "מדד", "ערך", "יחידה", "מקור", "תאריך", "שכונה"])
    sheet.append([1, "בני נוער במסגרות", 45, "אחוז", "סקר", "2026-04-01", "מרכז"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client_for(manager).post(
        url(municipality), {"file": upload(buffer.getvalue(), "findings.xlsx")}
    )
    assert response.context["token"]
    assert response.context["preview"][0].data["value"] == "45"


def test_arabic_headers_are_read_and_errors_speak_the_users_language(
    municipality, manager, client, in_english
):
    a_challenge(municipality, 1)
    header = "التحدي,المؤشر,القيمة,الوحدة,المصدر,التاريخ,الحي\n"
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    good = header + "1,ותיקים,340,אנשים,הלמ״ס,01/05/2026,الحي\n"
    response = client.post(url(municipality), {"file": upload(good)})
    assert response.context["token"]
    assert response.context["preview"][0].data["date"] == "2026-05-01"
    bad = header + "1,ותיקים,abc,אנשים,הלמ״ס,2026-05-01,\n"
    response = client.post(url(municipality), {"file": upload(bad)})
    [row] = response.context["preview"]
    assert row.errors == ["Line 2, column “Value”: “abc” is not a number."]
    response = client.post(url(municipality), {"file": upload("القيمة\n5\n")})
    assert "Missing columns: Challenge, Indicator, Source, Date." in response.content.decode()


def test_a_tampered_preview_saves_nothing(municipality, manager, client_for):
    response = client_for(manager).post(url(municipality, "confirm/"), {"token": "x"}, follow=True)
    assert "alert-danger" in response.content.decode()
    assert not MappingFinding.objects.exists()


def test_only_the_program_team_imports(municipality, track_lead, client_for):
    a_challenge(municipality, 1)
    client = client_for(track_lead)
    with assert_nothing_changed():
        response = client.post(url(municipality), {"file": upload(CSV)})
    assert response.status_code == 403


def test_the_situation_picture_is_published_with_the_signed_version(
    municipality, manager, mayor_office, hq_user, client
):
    from strategy.models import SignatureSide

    challenge = a_challenge(municipality, 1)
    services.mapping_import(
        municipality=municipality,
        user=manager,
        rows=[
            {
                "challenge": challenge.number,
                "indicator": "ותיקים החיים לבד",
                "value": "340",
                "unit": "",
                "source": "הלמ״ס",
                "date": "2026-05-01",
                "neighbourhood": "הגפן",
            }
        ],
    )
    public = f"/public/strategy/{municipality.slug}/plan/"
    version = a_plan_version(municipality)
    assert "ותיקים החיים לבד" not in client.get(public).content.decode()
    services.plan_submit(version=version, user=manager)
    services.plan_approve(version=version, user=mayor_office)
    services.plan_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.plan_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    assert "ותיקים החיים לבד" in client.get(public).content.decode()


def test_a_track_lead_draws_their_tracks_logic_model_only(municipality, track_lead, client_for):
    client = client_for(track_lead)
    base = f"/m/{municipality.slug}/strategy/plan/logic-model/"
    data = {
        "inputs": "רכזת, תקציב",
        "activities": "חוגים",
        "outputs": "200 משתתפים",
        "short_term": "היכרות",
        "medium_term": "שייכות",
        "long_term": "קהילה חזקה",
    }
    assert client.post(base + "?track=social", data).status_code == 302
    assert LogicModel.objects.get(track="social").long_term == "קהילה חזקה"
    page = client.get(base + "?track=social").content.decode()
    assert "logic-model" in page and "קהילה חזקה" in page
    with assert_nothing_changed():
        assert client.post(base + "?track=urban", data).status_code == 403
    assert 'id="save-logic-model"' not in client.get(base + "?track=urban").content.decode()
