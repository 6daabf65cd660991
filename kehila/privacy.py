"""Residents' personal data: the log of access to contact details, and a person's export and erasure.

Israel's Privacy Protection (Data Security) Regulations ask a database owner to document access to personal
data and to answer a person's request to see or correct what is held about them. Two things live here:

- `log_contact_access(request, people, where=...)`: every page and export that shows people's e-mail
  addresses, phone numbers or addresses calls it once per request. One insert, whatever the number of
  people, so a page keeps its fixed query count.
- A registry of what each stage app holds about a person. The core does not know the apps (it is the bottom
  layer); each app registers, in its AppConfig.ready(), a function that describes its rows about a person
  and one that erases their personal data from those rows. The person page calls `person_sections` for
  the export and `person_erase_everywhere` for an erasure.

The person is a `partners.Person` in practice, but nothing here imports partners: a subject is whatever
object the caller passes, read through the snapshot `Subject` taken before anything is erased (so an app
that finds its rows by e-mail address still finds them after another app blanked it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from .models import ContactAccess

Purpose = ContactAccess.Purpose


def person_key(obj) -> str:
    """The log's name for one row holding a person's details: "partners.person:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def keys_for(model, ids: Iterable) -> list[str]:
    """Keys for rows read as values (a list page reads dicts, not instances)."""
    return [f"{model._meta.label_lower}:{pk}" for pk in ids]


def log_contact_access(
    request, people: Iterable, *, where: str | None = None, purpose: str = Purpose.VIEW
) -> ContactAccess:
    """Record that this request showed (or exported) the contact details of `people`.

    `people` are model instances or ready keys (`keys_for`); `where` defaults to the page's URL name,
    e.g. "partners:person_detail"; an export names itself ("partners.export"). The municipality is the
    request's (municipality_view sets it)."""
    if where is None:
        match = request.resolver_match
        where = match.view_name if match else request.path
    return contact_access_record(
        municipality=request.municipality,
        user=request.user,
        people=people,
        where=where,
        purpose=purpose,
    )


def contact_access_record(
    *, municipality, user, people: Iterable, where: str, purpose: str = Purpose.VIEW
) -> ContactAccess:
    """The same record for a service that has no request (an erasure logs itself in its transaction)."""
    keys = sorted({p if isinstance(p, str) else person_key(p) for p in people})
    user = user if user is not None and user.is_authenticated else None
    return ContactAccess.objects.create(
        municipality=municipality,
        user=user,
        username=user.get_username() if user else "",
        at=timezone.now(),
        where=where[:100],
        purpose=purpose,
        count=len(keys),
        people=keys,
    )


def contact_log_retention() -> timedelta:
    return timedelta(days=settings.KEHILA_CONTACT_LOG_RETENTION_DAYS)


def contact_log_purge(*, now=None) -> int:
    """Remove the rows older than the retention period; returns how many went."""
    now = now or timezone.now()
    deleted, _ = ContactAccess.objects.filter(at__lt=now - contact_log_retention()).delete()
    return deleted


def contact_log_for(*, municipality=None, person: str = "", user_id: int | None = None):
    """The log, newest first: one municipality's (or every one's, for HQ), filtered by person key or user.

    A person is found by their quoted key inside the JSON list read as text, the same on SQLite (which has
    no JSON containment) and PostgreSQL; the quotes keep "partners.person:1" from matching ":12"."""
    rows = ContactAccess.objects.select_related("municipality")
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if person:
        rows = rows.alias(people_text=Cast("people", TextField())).filter(
            people_text__contains=f'"{person}"'
        )
    if user_id:
        rows = rows.filter(user_id=user_id)
    return rows.order_by("-at", "-id")


# The log page names each place in words; the apps register their pages' and exports' labels.
_PLACES: dict[str, object] = {}


def register_contact_places(labels: dict[str, object]) -> None:
    """Called by a stage app's AppConfig.ready(): {"partners:person_detail": _("A person's page"), ...}."""
    _PLACES.update(labels)


def place_label(where: str):
    return _PLACES.get(where, where)


# How the log page names the people behind the keys: "partners.person" -> names_of(ids) -> {id: name}.
_NAMERS: dict[str, Callable[[list[int]], dict[int, str]]] = {}


def register_person_names(namers: dict[str, Callable[[list[int]], dict[int, str]]]) -> None:
    _NAMERS.update(namers)


def names_for(keys: Iterable[str]) -> dict[str, str]:
    """{key: name} for the keys whose kind an app can name: one query per kind, whatever the count."""
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if kind in _NAMERS and pk.isdigit():
            by_kind.setdefault(kind, []).append(int(pk))
    names = {}
    for kind, ids in by_kind.items():
        for pk, name in _NAMERS[kind](ids).items():
            names[f"{kind}:{pk}"] = name
    return names


# --- what each app holds about a person ------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Who is being exported or erased, as they were before anything was erased."""

    key: str
    municipality_id: int
    full_name: str
    email: str
    phone: str
    language: str
    obj: object = field(compare=False, repr=False)


def display(value) -> str:
    """A value as the export shows it, in the active language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@dataclass
class Section:
    """One part of a person's export: a heading and records, each a list of (label, value) pairs."""

    title: str
    records: list[list[tuple[str, str]]] = field(default_factory=list)

    def add(self, *pairs: tuple[object, object]) -> None:
        self.records.append([(str(label), display(value)) for label, value in pairs])


@dataclass(frozen=True)
class PersonDataProvider:
    name: str
    describe: Callable[[Subject], list[Section]]
    erase: Callable[[Subject, str], dict[str, int]]


_PROVIDERS: dict[str, PersonDataProvider] = {}


def register_person_data(
    name: str,
    *,
    describe: Callable[[Subject], list[Section]],
    erase: Callable[[Subject, str], dict[str, int]],
) -> None:
    """Called by a stage app's AppConfig.ready(): `describe(subject)` lists the app's rows about the
    person in the active language; `erase(subject, label)` removes their personal data from those rows
    (keeping the rows that counts, minutes, attendance and signatures stand on) and returns counts."""
    _PROVIDERS[name] = PersonDataProvider(name, describe, erase)


def providers() -> list[PersonDataProvider]:
    return list(_PROVIDERS.values())


def subject_of(person) -> Subject:
    return Subject(
        key=person_key(person),
        municipality_id=person.municipality_id,
        full_name=person.full_name,
        email=person.email or "",
        phone=person.phone or "",
        language=getattr(person, "language", "") or settings.LANGUAGE_CODE,
        obj=person,
    )


def person_sections(subject: Subject) -> list[Section]:
    sections = []
    for provider in providers():
        sections.extend(s for s in provider.describe(subject) if s.records)
    # Who looked at the details is data about the person too; which staff member it was is not theirs.
    access = Section(gettext("Access to contact details"))
    for row in contact_log_for(person=subject.key).filter(municipality_id=subject.municipality_id):
        access.add(
            (gettext("When"), row.at),
            (gettext("Access"), row.get_purpose_display()),
            (gettext("Page or export"), place_label(row.where)),
        )
    if access.records:
        sections.append(access)
    return sections


def person_erase_everywhere(subject: Subject, label: str) -> dict[str, dict[str, int]]:
    """Run every app's eraser, then the core's own rows; the caller holds the transaction and the lock
    on the person."""
    counts = {provider.name: provider.erase(subject, label) for provider in providers()}
    counts["kehila"] = {"sent_messages": _erase_sent_messages(subject)}
    return counts


def _erase_sent_messages(subject: Subject) -> int:
    """The record of e-mails keeps its once-only keys and subjects, not the person's address nor the
    bodies written to them (their name, their links); what was still waiting to go is never sent."""
    from .models import SentMessage

    if not subject.email:
        return 0
    rows = SentMessage.objects.filter(to__iexact=subject.email)
    rows.exclude(state=SentMessage.State.SENT).update(
        state=SentMessage.State.FAILED, last_error="erased on request", lease_expires_at=None
    )
    return rows.update(to="", body_text="", body_html="", attachments=[])


def erased_email(obj) -> str:
    """A placeholder for a required e-mail field: unique per row, and .invalid never delivers (RFC 2606)."""
    return f"erased-{obj._meta.model_name}-{obj.pk}@erased.invalid"


def person_document(subject: Subject, *, municipality) -> str:
    """Everything the apps hold about the person, as a standalone HTML page in the person's language."""
    with translation.override(subject.language):
        return render_to_string(
            "kehila/person_data.html",
            {
                "subject": subject,
                "municipality": municipality,
                "sections": person_sections(subject),
                "generated_at": timezone.now(),
            },
        )
