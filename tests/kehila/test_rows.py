"""kehila/rows.py: the same URLs and dates the template language would have written."""

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from kehila.rows import date_formatter, url_maker


def test_url_maker_gives_what_reverse_gives():
    by_slug = url_maker("kehila:timeline", "slug")
    assert by_slug("ein-hagalil") == reverse("kehila:timeline", kwargs={"slug": "ein-hagalil"})
    by_id = url_maker("committees:meeting", "meeting_id", slug="a-town")
    assert by_id(42) == reverse("committees:meeting", kwargs={"slug": "a-town", "meeting_id": 42})


def test_date_formatter_matches_djangos_formats_in_both_languages():
    day = date(2027, 6, 9)
    for code in ("he", "en"):
        with translation.override(code):
            for name in ("SHORT_DATE_FORMAT", "DATE_FORMAT"):
                assert date_formatter(name)(day) == date_format(day, name)
            assert date_formatter()(None) == ""
