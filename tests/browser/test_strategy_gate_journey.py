"""Journey: the manager tries to submit an agreements document with a topic still empty; the refusal
lists it with a link (and offers the manager the exception form); the manager follows the link with the
keyboard, writes and agrees the topic, and submits again."""

import pytest

from strategy.approvals import VersionStatus
from strategy.models import AgreementSection, AgreementVersion, SectionStatus
from tests.strategy.factories import draft_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_is_sent_to_the_missing_topic_fills_it_and_submits(a11y, municipality, manager):
    version = draft_agreement(municipality, user=manager)
    AgreementSection.objects.filter(version=version, topic=3).update(
        text="", status=SectionStatus.DRAFT
    )
    base = f"/m/{municipality.slug}/strategy"

    web = a11y()
    web.login(manager)
    page = web.goto(f"{base}/agreement/")
    # Before pressing, the page already lists what the gate waits for, with the same link.
    ahead = page.locator("#submit-missing a")
    assert ahead.count() == 1 and "3." in ahead.first.inner_text()
    web.check()
    web.tab_to("#submit-version")
    page.keyboard.press("Enter")
    page.wait_for_selector("#gate-missing")
    web.check()
    links = page.locator("#gate-missing a")
    assert links.count() == 1 and "3." in links.first.inner_text()
    assert page.locator("#open-gate").is_visible()
    assert AgreementVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT

    web.tab_to("#gate-missing a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/**")
    web.check()
    page.fill("#id_text", "ראשי האגפים ובעלי התפקידים הבכירים יגויסו בשלב הכשרת הלבבות.")
    page.select_option("#id_status", "agreed")
    web.tab_to("#save-section")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreement/#topic-3")
    web.check()
    assert page.locator("#submit-missing").count() == 0

    web.tab_to("#submit-version")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert AgreementVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    web.assert_all_checked()
