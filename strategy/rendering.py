"""Presenting versions: safe Markdown, budget sums, a readable diff between two versions, and the PDF.

All of it works from the version's rows (or its snapshot), so the page, the diff and the PDF show the
same content that the hash covers.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kehila.formatting import money as format_money

from .models import AgreementVersion, FundingSource, SectionStatus, Topic
from .signed import signature_check

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: scripts, raw HTML, event handlers and javascript: links go."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def money(value) -> str:
    return format_money(value)


@dataclass
class BudgetSummary:
    years: list[int]
    sources: list[tuple[str, str]]
    cells: dict  # (year, source) -> Decimal
    per_year: dict  # year -> Decimal
    per_source: dict  # source -> Decimal
    total: Decimal

    def rows(self):
        for year in self.years:
            yield {
                "year": year,
                "cells": [self.cells.get((year, s), Decimal(0)) for s, _label in self.sources],
                "total": self.per_year.get(year, Decimal(0)),
            }

    def source_totals(self):
        return [self.per_source.get(s, Decimal(0)) for s, _label in self.sources]


def budget_summary(version: AgreementVersion, lines=None) -> BudgetSummary:
    """Sums by year and source: always computed from the lines, never typed by anyone."""
    lines = list(version.budget_lines.all()) if lines is None else lines
    cells: dict = defaultdict(Decimal)
    per_year: dict = defaultdict(Decimal)
    per_source: dict = defaultdict(Decimal)
    for line in lines:
        amount = Decimal(line.amount)
        cells[(line.year, line.source)] += amount
        per_year[line.year] += amount
        per_source[line.source] += amount
    years = sorted(set(version.term_years) | set(per_year))
    return BudgetSummary(
        years=years,
        sources=list(FundingSource.choices),
        cells=dict(cells),
        per_year=dict(per_year),
        per_source=dict(per_source),
        total=sum(per_year.values(), Decimal(0)),
    )


def version_text_lines(version: AgreementVersion) -> list[str]:
    """A plain-text rendering of a version, line by line, in the active language: what the diff compares."""
    lines = [version.title, _("Term: %(start)s–%(end)s") % {
        "start": version.term_start_year, "end": version.term_end_year}]  # fmt: skip
    statuses = dict(SectionStatus.choices)
    for section in sorted(version.sections.all(), key=lambda s: s.topic):
        owner = section.owner.get_full_name() if section.owner else "—"
        lines.append(f"{section.topic}. {Topic(section.topic).label}")
        lines.append(
            _("Owner: %(owner)s · Status: %(status)s")
            % {"owner": owner, "status": statuses[section.status]}
        )
        lines.extend(rendered_blocks(section.text))
    for label, text in (
        (_("Operating model"), version.operating_model),
        (_("The parties"), version.parties),
        (_("Further partners"), version.partners),
        (_("Exit clause"), version.exit_clause),
    ):
        lines.append(str(label))
        lines.extend(rendered_blocks(text))
    lines.append(str(_("Budget appendix")))
    sources = dict(FundingSource.choices)
    for line in sorted(version.budget_lines.all(), key=lambda b: (b.year, b.source, b.description)):
        lines.append(
            f"{line.year} · {sources[line.source]} · {line.description} · {money(line.amount)}"
        )
    lines.append(str(_("Main milestones")))
    for milestone in sorted(version.milestones.all(), key=lambda m: (m.due_date, m.title)):
        lines.append(f"{date_format(milestone.due_date, 'SHORT_DATE_FORMAT')} · {milestone.title}")
    return lines


class _Blocks(HTMLParser):
    """The text of rendered Markdown, one string per block (paragraph, heading, list item, table row)."""

    BLOCKS = {"p", "li", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self._flush()
        elif tag in ("td", "th"):
            self.current.append(" | " if self.current else "")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.current.append(data)


def rendered_blocks(text: str) -> list[str]:
    """What a reader sees of Markdown, as plain text per block: the diff compares this, never `##` or
    `**` (a heading is its words, bold is the word)."""
    parser = _Blocks()
    parser.feed(str(render_markdown(text)))
    parser.close()
    parser._flush()
    return parser.blocks


@dataclass(frozen=True)
class Word:
    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "removed", "added", "changed", "gap"
    old: str
    new: str
    old_number: int | None
    new_number: int | None

    @property
    def words(self) -> tuple[list[Word], list[Word]]:
        """Word by word: the old line's words with the removed ones marked, the new line's with the added."""
        return word_diff(self.old, self.new)


def word_diff(old: str, new: str) -> tuple[list[Word], list[Word]]:
    a, b = old.split(), new.split()
    old_words: list[Word] = []
    new_words: list[Word] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_words += [Word(w, tag != "equal") for w in a[i1:i2]]
        new_words += [Word(w, tag != "equal") for w in b[j1:j2]]
    return old_words, new_words


def diff_versions(a: AgreementVersion, b: AgreementVersion, context: int = 2) -> list[DiffRow]:
    """Line diff between two versions with a little unchanged context around each change."""
    old, new = version_text_lines(a), version_text_lines(b)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(DiffRow("gap", "", "", None, None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    rows.append(DiffRow("same", old[i1 + k], new[j1 + k], i1 + k + 1, j1 + k + 1))
            elif tag == "replace":
                for k in range(max(i2 - i1, j2 - j1)):
                    o = old[i1 + k] if i1 + k < i2 else ""
                    n = new[j1 + k] if j1 + k < j2 else ""
                    kind = "changed" if o and n else ("removed" if o else "added")
                    rows.append(
                        DiffRow(
                            kind,
                            o,
                            n,
                            i1 + k + 1 if i1 + k < i2 else None,
                            j1 + k + 1 if j1 + k < j2 else None,
                        )
                    )
            elif tag == "delete":
                for k in range(i1, i2):
                    rows.append(DiffRow("removed", old[k], "", k + 1, None))
            elif tag == "insert":
                for k in range(j1, j2):
                    rows.append(DiffRow("added", "", new[k], None, k + 1))
    return rows


def version_document_context(version: AgreementVersion, *, where: str = "page") -> dict:
    """What a page or the PDF shows of a version, with the re-check of a signed version's hash over
    exactly these rows (`where` names the page in the log line of a mismatch)."""
    sections = sorted(version.sections.all(), key=lambda s: s.topic)
    return {
        "version": version,
        "sections": [
            {"section": s, "title": Topic(s.topic).label, "html": render_markdown(s.text)}
            for s in sections
        ],
        "operating_model_html": render_markdown(version.operating_model),
        "parties_html": render_markdown(version.parties),
        "partners_html": render_markdown(version.partners),
        "exit_clause_html": render_markdown(version.exit_clause),
        "budget": budget_summary(version),
        "budget_lines": sorted(
            version.budget_lines.all(), key=lambda b: (b.year, b.source, b.description, b.pk)
        ),
        "milestones": sorted(version.milestones.all(), key=lambda m: (m.due_date, m.title)),
        "signatures": {s.side: s for s in version.signatures.all()},
        "signature_check": signature_check(version, where=where),
    }


def version_pdf(version: AgreementVersion) -> bytes:
    """The version as a Hebrew right-to-left PDF with page numbers, signature block and, once signed,
    the SHA-256 that the signatures carry."""
    from weasyprint import HTML

    with translation.override("he"):
        context = version_document_context(version, where="PDF")
        html = render_to_string("strategy/agreement_pdf.html", context)
    return HTML(string=html).write_pdf()
