"""Files journey (issue 14 §5): the manager attaches a paper to an agenda item, kept in an S3-compatible
bucket (moto's server on 127.0.0.1), and a committee member downloads it through the portal; an
uploaded spreadsheet that would inflate to 200 MB is refused on the import page with a clear message."""

import re

import pytest

from committees.models import AgendaItem
from partners.models import StagedImport
from tests import s3
from tests.committees.factories import MeetingFactory
from tests.kehila.test_spreadsheet_uploads import zip_bomb

pytestmark = pytest.mark.django_db(transaction=True)

s3_endpoint, bucket = s3.s3_endpoint, s3.bucket
PAPER = "%PDF-1.4\n% תקציב הוועדה\n".encode() + b"x" * 2048


def test_the_manager_attaches_a_paper_and_a_member_downloads_it_from_the_bucket(
    a11y, bucket, manager, committee_member, municipality, tmp_path
):
    meeting = MeetingFactory(committee__municipality=municipality, title="מפגש תקציב")
    paper = tmp_path / "budget.pdf"
    paper.write_bytes(PAPER)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    web.check()
    web.tab_to("#add-agenda-item")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agenda/add/")
    web.check()
    page.fill("#id_title", "תקציב שנתי")
    page.set_input_files("#id_attachment", str(paper))
    web.tab_to("form[enctype] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/(#.*)?$"))
    web.check()
    item = AgendaItem.objects.get(meeting=meeting)
    assert bucket() == [item.attachment.name]

    member = a11y()
    member.login(committee_member)
    page = member.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    member.check()
    link = page.locator('a[href$="/attachment/"]')
    assert link.get_attribute("href") == (
        f"/m/{municipality.slug}/committees/agenda/{item.pk}/attachment/"
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "budget.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PAPER


def test_a_spreadsheet_that_inflates_to_200_mb_is_refused_on_the_import_page(
    a11y, manager, municipality, tmp_path
):
    bomb = tmp_path / "people.xlsx"
    zip_bomb(bomb)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/partners/import/")
    web.check()
    page.set_input_files("#id_file", str(bomb))
    web.tab_to("#upload-submit")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The error stands at the field and in the summary above the form (which links to the field).
    error = (
        page.locator("#id_file ~ .invalid-feedback, .invalid-feedback")
        .get_by_text("קובץ ה־Excel נפרש ליותר מ־50 MB")
        .first
    )
    error.wait_for()
    web.check()
    assert not StagedImport.objects.exists()
