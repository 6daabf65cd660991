"""Arabic in the PDFs: an Arab or Druze municipality writes its agreements in Arabic, so the PDF must
embed a font whose glyphs cover Arabic (Debian's DejaVu Sans or the Noto Arabic fonts), never boxes."""

import io
import re

import pytest
from pypdf import PdfReader

from strategy import services
from strategy.models import AgreementVersion, SectionStatus, Topic
from strategy.rendering import version_pdf
from tests.strategy.factories import draft_agreement

pytestmark = pytest.mark.django_db

ARABIC = "تهدف الشراكة إلى مجتمع مُحسِن في كفر قاسم"


def arabic_fonts(pdf: bytes) -> set[str]:
    """The embedded fonts that draw Arabic letters: their ToUnicode map sends a glyph of the font (not
    .notdef, glyph 0) to a letter of the Arabic blocks. Pango falls back font by font, so the font that
    draws the Arabic text is the one whose map holds it."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" not in font or "/FontFile2" not in str(_descriptor(font)):
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for glyph, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap):
                code = int(target[:4], 16)
                if int(glyph, 16) != 0 and (0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF):
                    found.add(str(font["/BaseFont"]))
    return found


def _descriptor(font) -> dict:
    descendants = font.get("/DescendantFonts")
    described = descendants[0].get_object() if descendants else font
    return {k: v for k, v in described["/FontDescriptor"].get_object().items()}


def test_an_agreement_written_in_arabic_embeds_a_font_covering_arabic(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    goals = version.sections.get(topic=Topic.GOALS)
    services.section_update(
        section=goals, user=manager, text=ARABIC, owner=manager, status=SectionStatus.AGREED
    )
    pdf = version_pdf(AgreementVersion.objects.get(pk=version.pk))
    fonts = arabic_fonts(pdf)
    assert fonts, "no embedded font draws the Arabic text"
    # Debian's fonts with Arabic glyphs: DejaVu Sans (the PDFs' own font) or the Noto Arabic fonts.
    assert all("DejaVu" in name or "Arabic" in name for name in fonts), fonts
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "كفر" in text or "ﻛﻔﺮ" in text  # shaped or not, the words are there


def test_the_coverage_check_finds_a_font_without_arabic(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    # A Hebrew-only document draws no Arabic letter: the check finds no Arabic font in it.
    assert arabic_fonts(version_pdf(AgreementVersion.objects.get(pk=version.pk))) == set()
