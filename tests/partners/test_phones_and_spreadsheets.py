import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners import spreadsheets
from partners.phones import normalise_phone


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("050-1234567", "050-1234567"),
        ("0501234567", "050-1234567"),
        ("+972 50 123 4567", "050-1234567"),
        ("+972-50-1234567", "050-1234567"),
        ("00972501234567", "050-1234567"),
        ("972501234567", "050-1234567"),
        ("+972 (0)50 1234567", "050-1234567"),
        ("501234567", "050-1234567"),
        ("02-6234567", "02-6234567"),
        ("+97226234567", "02-6234567"),
        ("04 8123456", "04-8123456"),
        ("077-1234567", "077-1234567"),
        ("", ""),
    ],
)
def test_it_brings_israeli_numbers_to_one_form(raw, canonical):
    assert normalise_phone(raw) == canonical


@pytest.mark.parametrize("raw", ["12345", "050-123456", "06-1234567", "abc", "+1 212 555 0100"])
def test_it_rejects_malformed_phone_numbers(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


@pytest.mark.parametrize("value", ["=1+1", "+972", "-5", "@SUM(A1)", "\tx"])
def test_exported_cells_cannot_start_a_formula(value):
    assert spreadsheets.safe_cell(value) == "'" + value
    assert spreadsheets.unescape_cell(spreadsheets.safe_cell(value)) == value


def test_plain_cells_are_left_alone():
    assert spreadsheets.safe_cell("שלום") == "שלום"
    assert spreadsheets.safe_cell("050-1234567") == "050-1234567"


def upload(name, content: bytes):
    return SimpleUploadedFile(name, content)


def test_it_refuses_a_file_that_is_not_csv_or_xlsx():
    with pytest.raises(spreadsheets.ImportFileError, match="CSV"):
        spreadsheets.read_upload(upload("people.pdf", b"%PDF-1.4"))


def test_it_refuses_a_file_over_5_mb():
    with pytest.raises(spreadsheets.ImportFileError, match="5 MB"):
        spreadsheets.read_upload(upload("big.csv", b"a" * (5 * 1024 * 1024 + 1)))


def test_it_names_unknown_columns():
    with pytest.raises(spreadsheets.ImportFileError, match="shoe_size"):
        spreadsheets.read_upload(upload("p.csv", "full_name,shoe_size\nא,42\n".encode()))


def test_it_refuses_a_broken_xlsx():
    with pytest.raises(spreadsheets.ImportFileError, match="Excel"):
        spreadsheets.read_upload(upload("p.xlsx", b"not a zip"))


def test_it_reads_hebrew_headers_and_a_bom():
    rows = spreadsheets.read_upload(
        upload("p.csv", "שם מלא,טלפון\nדנה,0501234567\n".encode("utf-8-sig"))
    )
    assert rows == [{"full_name": "דנה", "phone": "0501234567"}]


def test_it_reads_xlsx():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "phone"])
    sheet.append(["سمير", 501234567])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = spreadsheets.read_upload(upload("p.xlsx", buffer.getvalue()))
    assert rows == [{"full_name": "سمير", "phone": "501234567"}]


def test_it_flags_duplicates_inside_the_file_and_bad_fields():
    rows = [
        {"full_name": "א", "email": "a@example.org", "phone": "050-1111111"},
        {"full_name": "ב", "email": "A@example.org"},
        {"full_name": "ג", "phone": "+972501111111"},
        {"full_name": "", "email": "not-an-email", "phone": "123", "consent": "maybe"},
    ]
    results = spreadsheets.analyse(rows, [])
    assert [r.status for r in results] == ["new", "error", "error", "error"]
    assert "שורה 1" in results[1].errors["email"]
    assert "שורה 1" in results[2].errors["phone"]
    assert set(results[3].errors) == {"full_name", "email", "phone", "consent"}


def test_a_row_matching_an_existing_person_is_an_update_or_no_change():
    existing_row = spreadsheets.clean_row({"full_name": "דנה", "email": "d@example.org"})[0]
    existing = [(7, existing_row)]
    same, changed = spreadsheets.analyse(
        [
            {"full_name": "דנה", "email": "D@example.org"},
            {"full_name": "דנה כהן", "email": "d@example.org", "phone": "050-2222222"},
        ],
        existing,
    )[0:2]
    assert (same.status, same.match_id) == ("unchanged", 7)
    # the second row names the same e-mail as the first: a duplicate in the file
    assert changed.status == "error"
