"""Spreadsheet uploads are bounded before and while they are parsed (issue 14 §5).

An .xlsx is a zip archive: a file of a few hundred KB can unpack to hundreds of MB. kehila.spreadsheets
reads the zip directory first and refuses an archive that inflates past its limits, then reads the sheet
in streaming mode and stops one row past the row limit. These tests measure bytes and rows, never time.
"""

import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from kehila import spreadsheets
from partners.models import Person, StagedImport

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>full_name</t></is></c></row><row r="2">'
)
SHEET_TAIL = "</row></sheetData></worksheet>"
CELL = b'<c t="inlineStr"><is><t>AAAAAAAAAAAAAAAA</t></is></c>'


def zip_bomb(path, *, unpacked_bytes=200 * 1024 * 1024):
    """A valid .xlsx whose one sheet unpacks to `unpacked_bytes`: one row of identical cells. Written in
    chunks through zipfile's streaming writer, so the test never holds the unpacked sheet."""
    chunk = CELL * (1024 * 1024 // len(CELL))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            written = 0
            while written < unpacked_bytes:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(SHEET_TAIL.encode())
    return path.read_bytes()


def xlsx(rows) -> bytes:
    import io

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_url(municipality):
    return reverse("partners:import", kwargs={"slug": municipality.slug})


@pytest.mark.django_db
def test_an_xlsx_that_inflates_to_200_mb_is_refused_before_it_is_parsed_with_memory_flat(
    client, municipality, manager, tmp_path
):
    data = zip_bomb(tmp_path / "bomb.xlsx")
    assert len(data) < 1024 * 1024
    assert sum(m.file_size for m in zipfile.ZipFile(tmp_path / "bomb.xlsx").infolist()) > 200e6
    client.force_login(manager)
    upload = SimpleUploadedFile("people.xlsx", data, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    tracemalloc.start()
    try:
        response = client.post(import_url(municipality), {"file": upload})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "קובץ ה־Excel נפרש ליותר מ־50 MB" in response.content.decode()
    # The page, the upload and Django's own work take a few MB; parsing the sheet would take hundreds.
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert not StagedImport.objects.exists()
    assert not Person.objects.exists()


def test_an_archive_past_any_limit_is_refused_from_its_directory(tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(spreadsheets.MAX_MEMBERS + 1):
            archive.writestr(f"x/{i}.xml", "<x/>")
    ratio = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(ratio, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"A" * (2 * 1024 * 1024))
    for path in (many, ratio):
        with pytest.raises(spreadsheets.SpreadsheetError, match="unpacks"):
            spreadsheets.check_archive(path.read_bytes())


def test_reading_stops_one_row_past_the_limit(monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    parsed = []
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        parsed.append(1)
        return parse_row(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    data = xlsx([["full_name"], *([f"אדם {i}"] for i in range(3000))])
    upload = SimpleUploadedFile("p.xlsx", data)
    with pytest.raises(spreadsheets.SpreadsheetError, match="more than 100 rows"):
        spreadsheets.read_table(upload, max_rows=100)
    # The header, a hundred rows, and the one that shows there are more.
    assert len(parsed) <= 102


def test_a_sheet_with_exactly_the_limit_is_read_whole():
    data = xlsx([["full_name"], *([f"אדם {i}"] for i in range(100))])
    table = spreadsheets.read_table(SimpleUploadedFile("p.xlsx", data), max_rows=100)
    assert len(table) == 101
    assert table[-1] == ["אדם 99"]


def test_a_csv_past_the_row_limit_is_refused(settings):
    settings.LANGUAGE_CODE = "en"
    data = ("full_name\n" + "".join(f"אדם {i}\n" for i in range(101))).encode()
    with pytest.raises(spreadsheets.SpreadsheetError, match="more than 100 rows"):
        spreadsheets.read_table(SimpleUploadedFile("p.csv", data), max_rows=100)


def sheet_file(path, body: str, *, dimension: str = "") -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        head = SHEET_HEAD
        if dimension:
            head = head.replace("<sheetData>", f'<dimension ref="{dimension}"/><sheetData>')
        archive.writestr("xl/worksheets/sheet1.xml", head + body + SHEET_TAIL)
    return path.read_bytes()


def test_a_sheet_is_read_whole_whatever_dimension_it_declares(tmp_path):
    """openpyxl stops at a sheet's declared <dimension>: a file that says A1:A1 would lose its rows."""
    data = sheet_file(
        tmp_path / "small.xlsx",
        '<c r="A2" t="inlineStr"><is><t>דנה</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>יוסי</t></is></c>',
        dimension="A1:A1",
    )
    table = spreadsheets.read_table(SimpleUploadedFile("s.xlsx", data), max_rows=10)
    assert table == [["full_name"], ["דנה"], ["יוסי"]]


def test_a_far_row_number_does_not_walk_a_million_blank_rows(tmp_path, monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    data = sheet_file(
        tmp_path / "far.xlsx",
        '<c r="A2" t="inlineStr"><is><t>דנה</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>יוסי</t></is></c>',
    )
    walked = []
    kept = spreadsheets._kept

    def counting(rows):
        for row in rows:
            walked.append(len(row))
            yield row

    monkeypatch.setattr(spreadsheets, "_kept", lambda rows: kept(counting(rows)))
    with pytest.raises(spreadsheets.SpreadsheetError, match="more than 10 rows"):
        spreadsheets.read_table(SimpleUploadedFile("f.xlsx", data), max_rows=10)
    assert len(walked) <= spreadsheets.MAX_BLANK_ROWS + 3
    assert max(walked) <= spreadsheets.MAX_COLUMNS


def test_the_mapping_import_refuses_an_inflating_file_with_the_same_message(tmp_path, settings):
    from strategy import mapping

    settings.LANGUAGE_CODE = "en"
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"A" * (2 * 1024 * 1024))
    rows, errors = mapping.parse(SimpleUploadedFile("findings.xlsx", path.read_bytes()), {})
    assert rows == []
    assert errors and "unpacks to more than 50 MB" in errors[0]
