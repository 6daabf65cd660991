"""Writes for stakeholder mapping. Views, the import and the demo loader all go through these."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from kehila import privacy
from kehila.audit import log_action
from kehila.permissions import require

from . import spreadsheets
from .models import (
    Affiliation,
    Engagement,
    HistoryNote,
    Interaction,
    Organisation,
    Person,
    SensitiveRelationship,
    StagedImport,
)
from .phones import normalise_phone
from .selectors import program_for

PERSON_FIELDS = (
    "full_name",
    "email",
    "phone",
    "neighbourhood",
    "title",
    "is_resident",
    "languages",
    "municipal_role",
    "language",
    "notes",
    "user",
)
ENGAGEMENT_FIELDS = (
    "sector",
    "circle",
    "consent",
    "influence_kind",
    "influence",
    "interest",
    "stage",
    "owner",
)


@transaction.atomic
def person_save(
    *,
    actor,
    municipality,
    person: Person | None = None,
    data: dict,
    engagement: dict | None = None,
    organisations=None,
    heads=None,
) -> Person:
    """Create or update a person, their engagement in the municipality's program and their
    organisations (affiliations not listed are removed; roles of the kept ones stay). An erased person
    stays erased: nothing fills their details in again."""
    if person is not None and person.erased_at is not None:
        raise ValidationError(
            gettext("This person's personal data was erased: they cannot be edited.")
        )
    require(actor, "edit_partners", person or municipality)
    person = person or Person(municipality=municipality)
    for key in PERSON_FIELDS:
        if key in data:
            setattr(person, key, data[key])
    person.email = (person.email or "").strip().lower()
    person.phone = normalise_phone(person.phone)
    person.full_clean()
    person.save()
    if engagement is not None:
        engagement_save(person=person, data=engagement)
    if organisations is not None:
        affiliations_set(person=person, organisations=list(organisations), heads=heads)
    return person


def engagement_save(*, person: Person, data: dict) -> Engagement:
    program = program_for(person.municipality)
    current = Engagement.objects.filter(program=program, person=person).first()
    current = current or Engagement(
        program=program, person=person, municipality=person.municipality
    )
    for key in ENGAGEMENT_FIELDS:
        if key in data:
            setattr(current, key, data[key])
    current.full_clean()
    current.save()
    return current


def affiliations_set(*, person: Person, organisations: list[Organisation], heads=None) -> None:
    """Make the person's organisations exactly `organisations` (plus any they head). `heads=None`
    leaves who heads what alone (the import does not carry it)."""
    head_ids = None if heads is None else {o.pk for o in heads}
    wanted = {o.pk for o in organisations} | (head_ids or set())
    wanted &= set(
        Organisation.objects.filter(
            pk__in=wanted, municipality_id=person.municipality_id
        ).values_list("pk", flat=True)
    )
    Affiliation.objects.filter(person=person).exclude(organisation_id__in=wanted).delete()
    have = set(Affiliation.objects.filter(person=person).values_list("organisation_id", flat=True))
    Affiliation.objects.bulk_create(
        [
            Affiliation(municipality_id=person.municipality_id, person=person, organisation_id=pk)
            for pk in wanted - have
        ]
    )
    if head_ids is not None:
        Affiliation.objects.filter(person=person).update(is_head=False)
        Affiliation.objects.filter(person=person, organisation_id__in=head_ids).update(is_head=True)


@transaction.atomic
def organisation_create(
    *, actor, municipality, name: str, kind: str, notes: str = ""
) -> Organisation:
    require(actor, "edit_partners", municipality)
    organisation = Organisation(
        municipality=municipality, name=name.strip(), kind=kind, notes=notes
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def interaction_record(
    *, actor, person: Person, kind: str, on: date, note: str = ""
) -> Interaction:
    require(actor, "edit_partners", person)
    interaction = Interaction(
        municipality=person.municipality,
        person=person,
        kind=kind,
        date=on,
        note=note,
        created_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def history_note_create(
    *, actor, municipality, title: str, period: str = "", body: str, burnt=()
) -> HistoryNote:
    require(actor, "edit_partners", municipality)
    note = HistoryNote(municipality=municipality, title=title, period=period, body=body)
    note.full_clean()
    note.save()
    note.burnt.set([p for p in burnt if p.municipality_id == municipality.pk])
    return note


@transaction.atomic
def relationship_create(
    *,
    actor,
    municipality,
    person_a=None,
    organisation_a=None,
    person_b=None,
    organisation_b=None,
    level: int,
    note: str = "",
) -> SensitiveRelationship:
    require(actor, "edit_partners", municipality)
    tie = SensitiveRelationship(
        municipality=municipality,
        person_a=person_a,
        organisation_a=organisation_a,
        person_b=person_b,
        organisation_b=organisation_b,
        level=level,
        note=note,
    )
    tie.full_clean()
    for side in (person_a, organisation_a, person_b, organisation_b):
        if side is not None and side.municipality_id != municipality.pk:
            raise ValueError("a relationship joins sides of one municipality")
    tie.save()
    return tie


# --- import and export -----------------------------------------------------------------------------


def existing_rows(municipality) -> list[tuple[int, dict]]:
    """Every person of the municipality as a spreadsheet row: three queries whatever the size."""
    program = program_for(municipality)
    from django.db.models import Prefetch

    people = Person.objects.filter(municipality=municipality).prefetch_related(
        Prefetch(
            "engagements",
            queryset=Engagement.objects.filter(program=program),
            to_attr="program_engagements",
        ),
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation")),
    )
    return [
        (
            p.pk,
            spreadsheets.person_row(p, p.program_engagements[0] if p.program_engagements else None),
        )
        for p in people.order_by("full_name", "pk")
    ]


@transaction.atomic
def import_stage(*, user, municipality, uploaded) -> StagedImport:
    """Read the file into a staged import (raises spreadsheets.ImportFileError). Touches no person."""
    require(user, "import_partners", municipality)
    rows = spreadsheets.read_upload(uploaded)
    return StagedImport.objects.create(
        municipality=municipality, user=user, filename=uploaded.name[:255], rows=rows
    )


def import_preview(staged: StagedImport) -> list[spreadsheets.RowResult]:
    return spreadsheets.analyse(staged.rows, existing_rows(staged.municipality))


@transaction.atomic
def import_fix_row(*, staged: StagedImport, number: int, raw: dict) -> None:
    rows = list(staged.rows)
    rows[number - 1] = {key: str(raw.get(key, "") or "") for key in spreadsheets.COLUMNS}
    staged.rows = rows
    staged.save(update_fields=["rows"])


@transaction.atomic
def import_drop_row(*, staged: StagedImport, number: int) -> None:
    rows = list(staged.rows)
    del rows[number - 1]
    staged.rows = rows
    staged.save(update_fields=["rows"])


class ImportNotReady(Exception):
    """The staged rows still have errors, or the import was already confirmed: nothing was written."""


@transaction.atomic
def import_confirm(*, actor, staged: StagedImport) -> dict:
    """Write the staged rows: all of them or, on any error, none (one transaction)."""
    require(actor, "import_partners", staged)
    staged = StagedImport.objects.select_for_update().get(pk=staged.pk)
    if staged.confirmed_at is not None:
        raise ImportNotReady("already confirmed")
    results = import_preview(staged)
    if any(r.status == "error" for r in results):
        raise ImportNotReady("rows with errors")
    municipality = staged.municipality
    organisations = {o.name: o for o in Organisation.objects.filter(municipality=municipality)}
    people = {p.pk: p for p in Person.objects.filter(municipality=municipality)}
    counts = {"new": 0, "update": 0, "unchanged": 0}
    for result in results:
        counts[result.status] += 1
        if result.status == "unchanged":
            continue
        values = result.values
        names = [n for n in values["organisations"].split("; ") if n]
        for name in names:
            if name not in organisations:
                organisations[name] = organisation_create(
                    actor=actor,
                    municipality=municipality,
                    name=name,
                    kind=Organisation.Kind.CIVIL_SOCIETY,
                )
        person_save(
            actor=actor,
            municipality=municipality,
            person=people.get(result.match_id),
            data={
                **{k: values[k] for k in ("full_name", "email", "phone", "neighbourhood")},
                **{k: values[k] for k in ("title", "languages", "municipal_role")},
                "is_resident": values["is_resident"] == "yes",
            },
            engagement={
                **{k: values[k] for k in ("sector", "circle", "consent", "influence_kind")},
                "stage": values["stage"],
                "influence": int(values["influence"]),
                "interest": int(values["interest"]),
            },
            organisations=[organisations[n] for n in names],
        )
    staged.confirmed_at = timezone.now()
    staged.save(update_fields=["confirmed_at"])
    log_action(
        actor=actor,
        action="partners.import",
        obj=staged,
        data={"file": staged.filename, **counts},
    )
    return counts


def people_export(*, actor, municipality, fmt: str) -> bytes:
    """The municipality's people as CSV or XLSX, formula-safe; the export is recorded in the audit."""
    require(actor, "export_partners", municipality)
    rows = [row for _pk, row in existing_rows(municipality)]
    content = spreadsheets.write_xlsx(rows) if fmt == "xlsx" else spreadsheets.write_csv(rows)
    log_action(
        actor=actor,
        action="partners.export",
        municipality=municipality,
        data={"format": fmt, "rows": len(rows)},
    )
    return content


# Uploaded spreadsheets carry residents' phone numbers and e-mail addresses: they are kept long enough to
# preview, fix and confirm, then removed (the import stays as a record of who uploaded what, when).
STAGED_IMPORT_DAYS = 14


def staged_imports_purge(*, now=None) -> int:
    """Empty the rows of every import uploaded more than STAGED_IMPORT_DAYS ago; return how many."""
    now = now or timezone.now()
    return StagedImport.objects.filter(
        created_at__lt=now - timedelta(days=STAGED_IMPORT_DAYS), purged_at__isnull=True
    ).update(rows=[], purged_at=now)


# --- a person's data on request (kehila.privacy) -----------------------------------------------------


def person_data_export(*, actor, person: Person) -> str:
    """Everything the portal holds about the person, in their language; the export is itself logged."""
    require(actor, "export_person_data", person)
    subject = privacy.subject_of(person)
    document = privacy.person_document(subject, municipality=person.municipality)
    privacy.contact_access_record(
        municipality=person.municipality,
        user=actor,
        people=[person],
        where="partners.person_data",
        purpose=privacy.Purpose.PERSON_EXPORT,
    )
    log_action(actor=actor, action="privacy.person_exported", obj=person)
    return document


@transaction.atomic
def person_erase(*, actor, person: Person, reason: str) -> bool:
    """Erase the person's personal data from every app, keep the person under an anonymous label.

    Counts, composition, attendance, minutes and signed documents point at the person row, so it stays.
    Final and idempotent: the row is locked and re-read, and a person already erased is left alone
    (False). The label is written in the portal's first language, as it is stored, not translated."""
    require(actor, "erase_person", person)
    person = Person.objects.select_for_update().select_related("municipality").get(pk=person.pk)
    if person.erased_at is not None:
        return False
    subject = privacy.subject_of(person)
    with translation.override(settings.LANGUAGE_CODE):
        label = gettext("Erased person %(number)s") % {"number": person.pk}
    counts = privacy.person_erase_everywhere(subject, label)
    person.refresh_from_db()
    privacy.contact_access_record(
        municipality=person.municipality,
        user=actor,
        people=[person],
        where="partners.person_erase",
        purpose=privacy.Purpose.ERASURE,
    )
    log_action(
        actor=actor, action="privacy.person_erased", obj=person, data={"reason": reason, **counts}
    )
    return True
