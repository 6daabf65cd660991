"""A `{# ... #}` comment ends on its own line in Django's templates: one that runs on is printed on the
page as text. Longer comments use {% comment %}."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "staticfiles", "var"}


def test_no_template_comment_runs_past_its_line():
    runaway = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.html")
        if not SKIP.intersection(path.relative_to(ROOT).parts)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert runaway == []
