"""Journey: the manager drafts the agreements document and submits it; the mayor's office returns it with a
comment from its inbox; the manager revises it in a new version and resubmits; the mayor's office approves
and signs; program HQ signs; the PDFs of both versions download."""

import pytest

from strategy.models import AgreementVersion
from tests.strategy.factories import draft_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def download_pdf(web, href):
    response = web.page.request.get(web.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_agreement_is_drafted_returned_revised_approved_signed_and_downloaded(
    a11y, municipality, manager, mayor_office, hq_user
):
    draft_agreement(municipality, user=manager)
    base = f"/m/{municipality.slug}/strategy"

    # The manager edits a section with the keyboard and submits the draft.
    web = a11y()
    web.login(manager)
    page = web.goto(f"{base}/agreement/")
    assert page.get_by_role("heading", level=1).inner_text() == "התנעה ומסמך ההסכמות"
    page.click("#topic-7 a")
    page.wait_for_url("**/section/**")
    web.check()
    page.fill("#id_text", "פגישת צוות **שבועית** <script>window.hacked=1</script>")
    page.select_option("#id_status", "agreed")
    web.tab_to("#save-section")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreement/#topic-7")
    web.check()
    assert page.locator("#topic-7 strong").inner_text() == "שבועית"
    assert page.evaluate("window.hacked === undefined")
    web.tab_to("#submit-version")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()

    # The mayor's office returns it from the inbox with a comment.
    mayor = a11y()
    mayor.login(mayor_office)
    mpage = mayor.goto(f"{base}/inbox/")
    v1 = AgreementVersion.objects.get(number=1)
    mpage.fill(f"#comment-agreement-{v1.pk}", "נא להוסיף תקציב שותפים לשנה השנייה")
    mpage.click(f"#inbox-agreement-{v1.pk} .btn-outline-danger")
    mpage.wait_for_selector(".alert-success")
    mayor.check()
    assert mpage.locator("#inbox-empty").is_visible()

    # The manager sees the comment, revises in a new version and resubmits.
    page = web.goto(f"{base}/agreement/")
    assert "נא להוסיף תקציב שותפים" in page.locator("#review-comment").inner_text()
    page.click("#new-version")
    page.wait_for_selector(".alert-success")
    web.check()
    page.click("#budget a.btn")
    page.wait_for_url("**/budget/")
    web.check()
    page.fill("#id_year", "2028")
    page.select_option("#id_source", "partners")
    page.fill("#id_description", "קרן שותפים")
    page.fill("#id_amount", "-10")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback, .is-invalid")
    web.check()
    page.fill("#id_amount", "50000")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/agreement/#budget")
    web.check()
    assert page.locator("#budget-grand-total").inner_text() == "250,000.50\u00a0₪"
    page.click("#submit-version")
    page.wait_for_selector(".alert-success")
    web.check()

    # The mayor's office approves from the inbox (two clicks: open the inbox, approve) and signs.
    mpage = mayor.goto(f"{base}/inbox/")
    v2 = AgreementVersion.objects.get(number=2)
    mayor.tab_to(f"#inbox-agreement-{v2.pk} .btn-success")
    mpage.keyboard.press("Enter")
    mpage.wait_for_selector("#inbox-empty")
    mayor.check()
    mpage = mayor.goto(f"{base}/agreement/")
    mpage.click("#sign-municipality")
    mpage.wait_for_selector(".alert-success")
    mayor.check()

    # Program HQ signs; the version is in force; both PDFs download.
    hq = a11y()
    hq.login(hq_user)
    hpage = hq.goto(f"{base}/agreement/")
    hq.tab_to("#sign-program")
    hpage.keyboard.press("Enter")
    hpage.wait_for_selector(".alert-success")
    hq.check()
    v2.refresh_from_db()
    assert v2.status == "in_force"
    assert "גרסה 2" in hpage.locator("#in-force").inner_text()
    assert v2.content_hash in hpage.locator("#version-hash").inner_text()
    download_pdf(hq, f"{base}/agreement/v/{v1.pk}/pdf/")
    with hpage.expect_download() as info:
        hpage.click("#pdf-link")
    assert info.value.suggested_filename.endswith("-v2.pdf")

    # The returned version stays readable, with its comment and no actions left.
    hpage = hq.goto(f"{base}/agreement/v/{v1.pk}/")
    assert "נא להוסיף תקציב שותפים" in hpage.locator("#review-comment").inner_text()
    assert hpage.locator("#sign-program").count() == 0

    # The diff between the two versions is readable.
    hpage = hq.goto(f"{base}/agreement/diff/?a={v1.pk}&b={v2.pk}")
    assert "קרן שותפים" in hpage.locator("#diff").inner_text()
