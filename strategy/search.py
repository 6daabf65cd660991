"""What the municipality's search page finds among the strategy's documents (kehila.search): the
versions of the agreements document, for whoever may read it (view_agreement).

A version is found by what its reader sees: its title, each topic's heading and text, the operating
model, the parties, the further partners and the exit clause, with the Markdown rendered and reduced to
its words (strategy.rendering.rendered_blocks: `**word**` is the word, a link is its text, not its
address). That text exists only once rendered, so it is built here for the municipality's versions (a
handful: one per round of drafting) and handed to the database as an annotation, where
kehila.search.text_filter matches it by the registry's one rule: full-text search on PostgreSQL, every
word in the text on SQLite."""

from django.db.models import Case, TextField, Value, When
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehila.search import Hit, register_source, text_filter, words_of

from .models import AgreementVersion, Topic
from .rendering import rendered_blocks


def _topics(version) -> list[tuple[str, list[str]]]:
    """(heading, blocks of words) per topic, in the page's order."""
    return [
        (str(Topic(s.topic).label), rendered_blocks(s.text))
        for s in sorted(version.sections.all(), key=lambda s: s.topic)
    ]


def reader_text(version) -> str:
    """The words a reader of the version's page sees, in the active language's headings."""
    parts = [version.title]
    for heading, blocks in _topics(version):
        parts += [heading, *blocks]
    for text in (version.operating_model, version.parties, version.partners, version.exit_clause):
        parts += rendered_blocks(text)
    return "\n".join(parts)


def _where(version, query: str) -> str:
    """The heading of the first topic whose heading or text holds a word of the query, for the hit."""
    words = [w.casefold() for w in words_of(query)]
    for heading, blocks in _topics(version):
        text = " ".join([heading, *blocks]).casefold()
        if any(w in text for w in words):
            return heading
    return ""


def find_agreement_versions(municipality, query, user, limit):
    if not words_of(query):
        return []
    versions = {
        v.pk: v
        for v in AgreementVersion.objects.filter(municipality=municipality).prefetch_related(
            "sections"
        )
    }
    if not versions:
        return []
    read = Case(
        *(When(pk=pk, then=Value(reader_text(v))) for pk, v in versions.items()),
        default=Value(""),
        output_field=TextField(),
    )
    found = text_filter(
        AgreementVersion.objects.filter(pk__in=list(versions))
        .annotate(reader_text=read)
        .order_by("-number", "pk"),
        ["reader_text"],
        query,
    ).values_list("pk", flat=True)[:limit]
    hits = []
    for pk in found:
        version = versions[pk]
        where = _where(version, query)
        hits.append(
            Hit(
                gettext("Agreements document, version %(number)s") % {"number": version.number},
                reverse("strategy:version", kwargs={"slug": municipality.slug, "version_id": pk}),
                " · ".join(part for part in (version.title, where) if part),
            )
        )
    return hits


register_source(
    "strategy.agreement", _("Agreements document"), "view_agreement", find_agreement_versions
)
