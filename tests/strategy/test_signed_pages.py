"""Every page and PDF of a signed version re-computes the hash of what it shows: content tampered with
under the guards (triggers lifted, raw SQL) shows a plain warning (role="alert") and is logged."""

import io
import logging
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from strategy.models import PlanVersion
from tests.strategy.tampering import tamper_plan, tamper_section

pytestmark = pytest.mark.django_db

WARNING = "This document does not match its signatures."


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def he(message: str) -> str:
    with translation.override("he"):
        return str(translation.gettext(message))


def alert_of(response) -> str:
    html = response.content.decode()
    match = re.search(
        r'<div class="alert[^"]*" role="alert" id="signature-mismatch">(.*?)</div>', html, re.S
    )
    return match.group(1) if match else ""


def agreement_urls(version):
    kwargs = {"slug": version.municipality.slug, "version_id": version.pk}
    return (
        reverse("strategy:agreement", kwargs={"slug": version.municipality.slug}),
        reverse("strategy:version", kwargs=kwargs),
        reverse("strategy:version_pdf", kwargs=kwargs),
    )


def test_an_intact_signed_agreement_shows_no_warning(signed_agreement, manager, client_for):
    client = client_for(manager)
    page_url, version_url, pdf_url = agreement_urls(signed_agreement)
    for url in (page_url, version_url):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["signature_check"].ok
        assert 'id="signature-mismatch"' not in response.content.decode()
    assert normalised(he(WARNING)) not in normalised(pdf_text(client.get(pdf_url).content))


def test_a_tampered_signed_agreement_warns_on_its_pages_and_pdf_and_logs(
    signed_agreement, manager, client_for, caplog
):
    tamper_section(signed_agreement, "נוסח שהוחלף אחרי החתימה")
    client = client_for(manager)
    page_url, version_url, pdf_url = agreement_urls(signed_agreement)
    with caplog.at_level(logging.ERROR, logger="strategy.signed"):
        for url in (page_url, version_url):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="he")
            check = response.context["signature_check"]
            assert not check.ok
            alert = alert_of(response)
            assert he(WARNING) in alert
            assert check.computed in alert and signed_agreement.content_hash in alert
            assert "נוסח שהוחלף אחרי החתימה" in response.content.decode()
        text = normalised(pdf_text(client.get(pdf_url).content))
    assert normalised(he(WARNING)) in text
    assert check.computed in text
    logged = [
        r for r in caplog.records if r.levelno == logging.ERROR and r.name == "strategy.signed"
    ]
    assert len(logged) == 3
    assert all(signed_agreement.content_hash in r.getMessage() for r in logged)
    assert {r.getMessage().rsplit("seen on ", 1)[1].rstrip(")") for r in logged} == {
        page_url,
        version_url,
        "PDF",
    }


def test_the_warning_is_in_english_for_an_english_reader(signed_agreement, manager, client_for):
    tamper_section(signed_agreement, "changed")
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    response = client.get(agreement_urls(signed_agreement)[1], HTTP_ACCEPT_LANGUAGE="en")
    assert WARNING in alert_of(response)


def plan_urls(version):
    kwargs = {"slug": version.municipality.slug, "plan_version_id": version.pk}
    return (
        reverse("strategy:plan_version", kwargs=kwargs),
        reverse("strategy:plan_version_pdf", kwargs=kwargs),
        reverse("strategy_public:plan", kwargs={"slug": version.municipality.slug}),
    )


def test_a_tampered_signed_plan_warns_on_its_page_its_pdf_and_the_public_page(
    signed_plan, manager, client_for, client, caplog
):
    version_url, pdf_url, public_url = plan_urls(signed_plan)
    assert 'id="signature-mismatch"' not in client_for(manager).get(version_url).content.decode()
    tamper_plan(PlanVersion.objects.get(pk=signed_plan.pk), "חזון שהוחלף")
    with caplog.at_level(logging.ERROR, logger="strategy.signed"):
        response = client_for(manager).get(version_url, HTTP_ACCEPT_LANGUAGE="he")
        assert he(WARNING) in alert_of(response)
        assert "חזון שהוחלף" in response.content.decode()
        text = normalised(pdf_text(client_for(manager).get(pdf_url).content))
        public = client.get(public_url, HTTP_ACCEPT_LANGUAGE="he")
    assert normalised(he(WARNING)) in text
    assert he(WARNING) in alert_of(public)
    assert "חזון שהוחלף" in public.content.decode()
    assert len([r for r in caplog.records if r.name == "strategy.signed"]) == 3


def test_the_diff_of_a_tampered_signed_version_warns(signed_agreement, manager, client_for):
    from strategy import services

    services.agreement_new_version(agreement=signed_agreement.agreement, user=manager)
    diff_url = reverse("strategy:diff", kwargs={"slug": signed_agreement.municipality.slug})
    client = client_for(manager)
    assert 'id="signature-mismatch"' not in client.get(diff_url).content.decode()
    tamper_section(signed_agreement, "נוסח שהוחלף")
    assert he(WARNING) in alert_of(client.get(diff_url, HTTP_ACCEPT_LANGUAGE="he"))
