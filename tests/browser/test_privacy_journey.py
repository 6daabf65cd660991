"""Journey: a resident asks the program manager for their data and then to be forgotten. The manager reads
the contact-details log, opens the person, downloads everything the portal holds about them, erases them by
keyboard with a reason, and finds the export and the erasure in the log."""

import pytest
from django.conf import settings

from kehila.models import ContactAccess
from partners.models import Person
from tests.partners.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_the_log_exports_and_erases_a_person(a11y, manager, municipality):
    person = PersonFactory(
        municipality=municipality, full_name="נועה כהן", email="noa@example.org", language="he"
    )
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/privacy/log/")
    assert page.locator("#contact-log tbody tr").count() == 1  # "nothing in the log"

    page = web.goto(f"/m/{municipality.slug}/partners/{person.pk}/")
    assert "noa@example.org" in page.content()
    with page.expect_download() as download:
        page.locator("#person-data").click()
    assert download.value.suggested_filename == f"person-{person.pk}-data.html"
    assert "noa@example.org" in open(download.value.path(), encoding="utf-8").read()

    page.get_by_role("link", name="מחיקה לבקשת האדם").click()
    page.wait_for_url(f"**/partners/{person.pk}/erase/")
    web.check()
    web.tab_to("#id_reason")
    page.keyboard.type("בקשתה בטלפון")
    web.tab_to("#id_confirm")
    page.keyboard.press("Space")
    web.tab_to("#erase-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/partners/{person.pk}/")
    web.check()
    assert page.locator("#person-erased").is_visible()
    person.refresh_from_db()
    assert (person.email, person.erased_at is not None) == ("", True)

    page = web.goto(f"/m/{municipality.slug}/privacy/log/?person=partners.person:{person.pk}")
    rows = page.locator("#contact-log tbody tr")
    # The person's page was shown once per language (the accessibility check reloads it in each), then
    # the export and the erasure; after the erasure the page shows no contact details and logs nothing.
    assert rows.count() == len(settings.LANGUAGES) + 2
    assert set(ContactAccess.objects.values_list("purpose", flat=True)) == {
        "view",
        "person_export",
        "erasure",
    }
    assert Person.objects.get(pk=person.pk).full_name == f"אדם שנמחק {person.pk}"
