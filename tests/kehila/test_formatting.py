"""One voice for amounts (issue 17 §4): thousands separated and the shekel sign, on every page."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from kehila.formatting import money, shekels

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", ["he", "ar", "en"])
def test_an_amount_reads_the_same_in_every_language(language):
    with translation.override(language):
        assert shekels(100000) == "100,000\u00a0₪"
        assert shekels(Decimal("1250.5")) == "1,250.50\u00a0₪"
        assert Template("{% load kehila_tags %}{{ v|shekels }}").render(Context({"v": 180000})) == (
            "180,000\u00a0₪"
        )
    assert money(Decimal("180000.00")) == "180,000" and shekels(None) == "—"


def test_no_template_writes_an_amount_by_hand():
    """An amount followed by a hand-written shekel sign or "NIS" is the old voice: use |shekels."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if ("}} ₪" in line or "}} NIS" in line)
    ]
    assert offenders == []
