"""The Bootstrap built from its Sass (assets/bootstrap.scss, `make install`) and the page-weight budget.

Computed from the files, never timed: the built stylesheets must hold every Bootstrap class a template
uses (in both directions), base.html must load them instead of Bootstrap's full dist, and what any page
can load stays within the budget of issue 17 (bench/README.md, "Page weight")."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
BUILD = ROOT / "static" / "build"
FULL_BOOTSTRAP = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.css"
CRISPY = Path(__import__("crispy_bootstrap5").__file__).parent / "templates" / "bootstrap5"
# The crispy templates that `|crispy` and `|as_crispy_field` render; the others draw Layout objects
# (accordions, modals, tabs, appended text...) that no form of the portal declares.
CRISPY_USED = [
    "field.html", "errors.html", "errors_formset.html", "uni_form.html", "whole_uni_form.html",
    "display_form.html", "multifield.html", "inputs.html", "layout/attrs.html",
    "layout/baseinput.html", "layout/field_errors.html", "layout/field_errors_block.html",
    "layout/field_file.html", "layout/help_text.html", "layout/help_text_and_errors.html",
    "layout/radio_checkbox_select.html",
]  # fmt: skip
# Classes no template spells out: the message levels (`alert-{{ message.tags }}` in base.html) and those
# Bootstrap's JavaScript adds (the navbar's collapse, an open dropdown).
DYNAMIC = {"alert-info", "alert-success", "alert-warning", "alert-danger", "show", "collapsing"}

# Issue 17: at most 150 KB of compressed JavaScript on any page. CSS blocks the first paint, so it has a
# tighter budget: Bootstrap's full build alone is 31 KB gzipped, the portal's build about 19 KB; 25 KB
# catches a return to the full build and leaves room for the portal's own stylesheet and a component or
# two. At "slow 4G" (1.6 Mbit/s) 25 KB take an eighth of a second of the 1.5 s LCP target.
JS_BUDGET = 150 * 1024
CSS_BUDGET = 25 * 1024

STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+\.(?:js|css))['"]\s*%}""")


def css_classes(css: str) -> set[str]:
    css = re.sub(r"url\([^)]*\)", "", css)
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))


def project_templates() -> list[Path]:
    skip = {"node_modules", ".venv", "staticfiles", "var"}
    return [p for p in ROOT.rglob("*.html") if not skip.intersection(p.relative_to(ROOT).parts)]


def classes_in_template(text: str) -> set[str]:
    found = set()
    for value in re.findall(r'class="([^"]*)"', text):
        value = re.sub(r"{%.*?%}", " ", re.sub(r"{{.*?}}", "{{}}", value))
        found.update(token for token in value.split() if "{{" not in token)
    for tag in re.findall(
        r"{%\s*crispy_field.*?%}", text
    ):  # 'class' 'form-control' in crispy's field.html
        found.update(re.findall(r"""['"]([a-z][\w-]*)['"]""", tag))
    return found


def used_classes() -> dict[str, set[str]]:
    """Every class token a template spells, with the templates that use it."""
    where: dict[str, set[str]] = {}
    templates = [(p, str(p.relative_to(ROOT))) for p in project_templates()]
    templates += [(CRISPY / name, f"crispy_bootstrap5/{name}") for name in CRISPY_USED]
    for path, name in templates:
        for token in classes_in_template(path.read_text()):
            where.setdefault(token, set()).add(name)
    for token in DYNAMIC:
        where.setdefault(token, set()).add("(added at run time)")
    return where


def test_the_class_scan_reads_conditional_and_crispy_classes():
    text = (
        '<a class="nav-link{% if item.active %} active{% endif %} x-{{ y }}">'
        "{% crispy_field field 'class' 'form-select' %}"
    )
    assert classes_in_template(text) == {"nav-link", "active", "class", "form-select"}


@pytest.mark.parametrize("name", ["bootstrap.css", "bootstrap.rtl.css"])
def test_every_bootstrap_class_the_templates_use_is_in_the_built_stylesheet(name):
    bootstrap = css_classes(FULL_BOOTSTRAP.read_text())
    built = css_classes((BUILD / name).read_text())
    used = {token: where for token, where in used_classes().items() if token in bootstrap}
    assert len(used) > 150  # the scan found the templates (the grid, forms, navbar, alerts...)
    missing = {token: sorted(where) for token, where in used.items() if token not in built}
    assert not missing, (
        f"Bootstrap classes used by templates but left out of static/build/{name}: {missing}. "
        "Add the component (or the utility group, or its breakpoints) in assets/bootstrap.scss."
    )


def test_the_build_leaves_out_what_no_template_uses():
    built = css_classes((BUILD / "bootstrap.css").read_text())
    assert {"carousel", "toast", "popover", "tooltip", "modal", "spinner-border"}.isdisjoint(built)
    assert (
        "opacity-50" not in built and "d-md-none" in built
    )  # unused groups out, display responsive
    assert (BUILD / "bootstrap.css").stat().st_size < FULL_BOOTSTRAP.with_suffix(
        ".min.css"
    ).stat().st_size * 0.6


def test_the_rtl_stylesheet_is_flipped_by_rtlcss():
    ltr = (BUILD / "bootstrap.css").read_text()
    rtl = (BUILD / "bootstrap.rtl.css").read_text()
    assert ".ms-3{margin-left:1rem !important}" in ltr
    assert ".ms-3{margin-right:1rem !important}" in rtl
    assert ".text-start{text-align:left !important}" in ltr
    assert ".text-start{text-align:right !important}" in rtl


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "stylesheet"), [("he", "build/bootstrap.rtl.css"), ("en", "build/bootstrap.css")]
)
def test_base_html_loads_the_built_stylesheet_in_each_direction(client, language, stylesheet):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("login")).content.decode()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert links[0] == settings.STATIC_URL + stylesheet
    assert not any("vendor/bootstrap/css" in link for link in links)


def gzipped_size(static_path: str) -> int:
    path = finders.find(static_path)
    assert path, f"{static_path} is referenced by a template but no finder has it"
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=9))


def assets_by_template() -> dict[str, set[str]]:
    return {
        str(p.relative_to(ROOT)): set(STATIC_TAG.findall(p.read_text()))
        for p in project_templates()
    }


def test_no_page_can_load_more_than_the_javascript_and_css_budgets():
    # An upper bound for every page: what base.html loads, plus every asset any other template loads.
    assets = assets_by_template()
    base = assets.pop("templates/base.html")
    others = set().union(*assets.values()) - base
    js = sum(gzipped_size(a) for a in base | others if a.endswith(".js"))
    base_css = max(
        gzipped_size(a) for a in base if a.startswith("build/")
    )  # one direction per page
    css = base_css + sum(
        gzipped_size(a) for a in base | others if a.endswith(".css") and not a.startswith("build/")
    )
    assert "vendor/bootstrap/js/bootstrap.bundle.min.js" in base
    assert js <= JS_BUDGET, f"{js} bytes of gzipped JavaScript (budget {JS_BUDGET})"
    assert css <= CSS_BUDGET, f"{css} bytes of gzipped CSS (budget {CSS_BUDGET})"


def test_the_portals_own_stylesheets_parse_whole():
    """An unclosed block swallows every rule after it (a merge once left `@media print {` open, and the
    charts' colours applied on paper only): each of our stylesheets parses without an error, and every
    block is closed."""
    import tinycss2

    for path in sorted((ROOT / "static").rglob("*.css")) + sorted(ROOT.glob("*/static/**/*.css")):
        if "build" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        errors = [r for r in rules if r.type == "error"]
        assert not errors, f"{path}: {errors[0].message}"
        assert text.count("{") == text.count("}"), f"{path}: a block is not closed"
