"""Journey: a signed agreement and a signed plan are tampered with under the guards; the manager opens them
and sees a plain, accessible warning (role="alert", in Hebrew and English, axe-checked), the public sees it
on the published plan, and an intact signed version shows none."""

import pytest

from tests.strategy.signed_factories import a_signed_agreement, a_signed_plan
from tests.strategy.tampering import tamper_plan, tamper_section

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tampered_signed_document_warns_its_readers(
    a11y, municipality, manager, mayor_office, hq_user
):
    agreement = a_signed_agreement(
        municipality, manager=manager, mayor_office=mayor_office, hq=hq_user
    )
    plan = a_signed_plan(municipality, manager=manager, mayor_office=mayor_office, hq=hq_user)
    base = f"/m/{municipality.slug}/strategy"
    web = a11y()
    web.login(manager)

    page = web.goto(f"{base}/agreement/v/{agreement.pk}/")
    assert page.locator("#signature-mismatch").count() == 0

    tamper_section(agreement, "נוסח שהוחלף אחרי החתימה")
    tamper_plan(plan, "חזון שהוחלף")

    page = web.goto(f"{base}/agreement/v/{agreement.pk}/")
    alert = page.get_by_role("alert")
    assert "המסמך אינו תואם את החתימות עליו." in alert.inner_text()
    assert agreement.content_hash in alert.inner_text()

    page = web.goto(f"{base}/agreement/")
    assert page.locator("#signature-mismatch").is_visible()

    page = web.goto(f"{base}/plan/v/{plan.pk}/")
    assert "המסמך אינו תואם את החתימות עליו." in page.get_by_role("alert").inner_text()

    public = a11y()
    page = public.goto(f"/public/strategy/{municipality.slug}/plan/")
    assert page.locator("#signature-mismatch").is_visible()
    assert "חזון שהוחלף" in page.locator("main").inner_text()
