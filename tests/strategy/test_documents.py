"""What a version shows: safe Markdown, computed budget sums, the diff between versions and the PDF."""

import io
import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from strategy import services
from strategy.models import AgreementVersion, SectionStatus, SignatureSide, Topic
from strategy.rendering import (
    budget_summary,
    diff_versions,
    render_markdown,
    version_pdf,
)
from tests.strategy.factories import draft_agreement


def normalised(text: str) -> str:
    """PDF text extraction may split runs and insert or drop spaces around right-to-left text."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def test_markdown_is_rendered():
    html = render_markdown("**חשוב** ו-[קישור](https://example.org)")
    assert "<strong>חשוב</strong>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_scripts_and_raw_html_are_rendered_harmless(dangerous):
    html = render_markdown(f"טקסט {dangerous} עוד")
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "<img"):
        assert bad not in lowered
    assert "טקסט" in html


def test_budget_sums_are_computed_by_year_and_source(municipality):
    version = draft_agreement(municipality)
    summary = budget_summary(AgreementVersion.objects.get(pk=version.pk))
    assert summary.total == Decimal("200000.50")
    assert summary.per_year == {2027: Decimal("120000"), 2028: Decimal("80000.50")}
    assert summary.per_source == {
        "municipality": Decimal("120000"),
        "program": Decimal("80000.50"),
    }
    assert summary.years == [2027, 2028, 2029]


def test_the_diff_between_two_versions_shows_what_changed(municipality, manager):
    v1 = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=v1, user=manager)
    v2 = services.agreement_new_version(agreement=v1.agreement, user=manager)
    services.section_update(
        section=v2.sections.get(topic=Topic.GOALS), user=manager, text="נוסח מתוקן"
    )
    rows = diff_versions(AgreementVersion.objects.get(pk=v1.pk), v2)
    changed = [r for r in rows if r.kind != "same" and r.kind != "gap"]
    assert any("נוסח מתוקן" in r.new for r in changed)
    assert any("קהילה מיטיבה" in r.old for r in changed)
    assert diff_versions(v2, v2) == []


@pytest.fixture
def signed(municipality, manager, mayor_office, hq_user):
    version = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    services.agreement_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.agreement_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    return AgreementVersion.objects.get(pk=version.pk)


def pdf_text(version) -> str:
    pdf = version_pdf(AgreementVersion.objects.get(pk=version.pk))
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_holds_the_hebrew_section_titles_and_the_budget_totals(signed):
    text = normalised(pdf_text(signed))
    with translation.override("he"):
        titles = [str(label) for label in Topic.labels]
    assert all(re.search(r"[\u0590-\u05ff]", t) for t in titles), "titles must be in Hebrew"
    for title in titles:
        assert normalised(title) in text, title
    for total in ("200,000.50", "120,000", "80,000.50"):
        assert normalised(total) in text
    assert signed.content_hash in text
    assert normalised("עין הגליל") in text


def test_a_signed_pdf_carries_its_hash_in_the_metadata_too(signed):
    pdf = version_pdf(AgreementVersion.objects.get(pk=signed.pk))
    assert signed.content_hash in PdfReader(io.BytesIO(pdf)).metadata.subject


def test_a_draft_pdf_has_no_hash_and_empty_signature_lines(municipality):
    draft = draft_agreement(municipality)
    text = pdf_text(draft)
    assert draft.compute_hash() not in normalised(text)
    with translation.override("he"):
        assert normalised(str(Topic.GOALS.label)) in normalised(text)


# Past midnight after a month's end: the signature dates ("2.12.2026 00:20") then hold no "1/…" that
# a loose pattern could take for a page number.
@time_machine.travel(datetime(2026, 12, 2, 0, 20, tzinfo=ZoneInfo("Asia/Jerusalem")), tick=False)
def test_the_pdf_of_a_version_has_page_numbers(municipality, manager, mayor_office, hq_user):
    version = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    services.agreement_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.agreement_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    pdf = version_pdf(AgreementVersion.objects.get(pk=version.pk))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    with translation.override("he"):
        word = translation.gettext("Page")
    for number, page in enumerate(pages, start=1):
        # Only the footer's line: a date elsewhere must not pass for a page number. Text extraction
        # may give the right-to-left footer in either order ("1 / 3 עמוד" or "עמוד 3 / 1").
        footer = [line for line in page.extract_text().splitlines() if word in line]
        total = len(pages)
        pattern = rf"(?<!\d)({number}\s*/\s*{total}|{total}\s*/\s*{number})(?!\d)"
        assert any(re.search(pattern, line) for line in footer), (number, footer)


def test_the_diff_reads_the_rendered_text_word_by_word_never_the_markdown(
    municipality, manager, client_for
):
    from django.urls import reverse

    from strategy.rendering import rendered_blocks, word_diff

    assert rendered_blocks(
        "## כותרת\n\nטקסט **מודגש** ו[קישור](https://example.org)\n\n- א\n- ב"
    ) == [
        "כותרת",
        "טקסט מודגש וקישור",
        "א",
        "ב",
    ]
    old, new = word_diff("התקציב הוא מאה אלף", "התקציב הוא מאתיים אלף")
    assert [w.text for w in old if w.changed] == ["מאה"]
    assert [w.text for w in new if w.changed] == ["מאתיים"]

    v1 = draft_agreement(municipality, user=manager)
    goals = v1.sections.get(topic=Topic.GOALS)
    services.section_update(
        section=goals,
        user=manager,
        text="## יעדים\n\nהרשות **תגייס** שותפים",
        owner=manager,
        status=SectionStatus.AGREED,
    )
    services.agreement_submit(version=v1, user=manager)
    v2 = services.agreement_new_version(agreement=v1.agreement, user=manager)
    services.section_update(
        section=v2.sections.get(topic=Topic.GOALS),
        user=manager,
        text="## יעדים\n\nהרשות **תלווה** שותפים",
    )
    rows = [
        r for r in diff_versions(AgreementVersion.objects.get(pk=v1.pk), v2) if r.kind != "same"
    ]
    assert all("#" not in r.old + r.new and "**" not in r.old + r.new for r in rows)
    assert ("הרשות תגייס שותפים", "הרשות תלווה שותפים") in [
        (r.old, r.new) for r in rows if r.kind == "changed"
    ]
    url = reverse("strategy:diff", kwargs={"slug": municipality.slug})
    page = client_for(manager).get(url, {"a": v1.pk, "b": v2.pk}).content.decode()
    assert '<del><span class="visually-hidden">' in page and "תגייס</del>" in page
    assert "תלווה</ins>" in page and "**" not in page.split('id="diff"')[1]
