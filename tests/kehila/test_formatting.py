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


def test_the_hebrew_date_stands_beside_the_gregorian_one_on_hebrew_pages_only():
    import datetime

    from django.utils import timezone

    from kehila.formatting import hebrew_date

    # 22:30 UTC on 1 December is already 2 December in Jerusalem: 22 Kislev 5787.
    evening = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=datetime.UTC)
    assert timezone.localtime(evening).date() == datetime.date(2026, 12, 2)
    assert hebrew_date(evening, "he") == "כ״ב כסלו תשפ״ז"
    assert (
        hebrew_date(datetime.date(2027, 4, 22), "he") == "ט״ו ניסן תשפ״ז"
    )  # the first day of Pesach
    assert hebrew_date(evening, "ar") == "" and hebrew_date(evening, "en") == ""


@pytest.mark.django_db
def test_a_meeting_invitation_and_its_page_carry_the_hebrew_date(manager, municipality, client_for):
    import datetime

    from django.template.loader import render_to_string
    from django.urls import reverse

    from tests.committees.factories import MeetingFactory

    meeting = MeetingFactory(
        committee__municipality=municipality,
        starts_at=datetime.datetime(2027, 4, 22, 15, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 4, 22, 17, 0, tzinfo=datetime.UTC),
    )
    with translation.override("he"):
        text = render_to_string("committees/email/_meeting.txt", {"meeting": meeting})
    assert "(ט״ו ניסן תשפ״ז)" in text
    with translation.override("en"):
        assert "ניסן" not in render_to_string("committees/email/_meeting.txt", {"meeting": meeting})
    page = client_for(manager).get(
        reverse("committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting.pk})
    )
    assert (
        '<span class="text-secondary" id="hebrew-date">(ט״ו ניסן תשפ״ז)</span>'
        in page.content.decode()
    )
