"""Reads for the stakeholder pages. Each selector carries its own joins and prefetches, so that a page
runs a fixed number of queries however many people a municipality maps."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from kehila.models import Program
from kehila.search import text_filter

from .models import (
    Affiliation,
    Consent,
    Engagement,
    EngagementStage,
    InfluenceKind,
    Interaction,
    Level,
    MunicipalRole,
    Organisation,
    Person,
    Sector,
    SensitiveRelationship,
)
from .phones import normalise_phone

FILTERS = ("sector", "circle", "consent", "stage", "neighbourhood", "organisation", "informal")


def program_for(municipality) -> Program:
    # Created with the municipality (kehila.programs): a read never writes.
    return Program.objects.get(municipality=municipality)


def normalise_query(text: str) -> str:
    """Hebrew users type gershayim and geresh in several ways (מנכ"ל, מנכ״ל): search with one of them."""
    return (
        (text or "")
        .strip()
        .replace("\u05f4", '"')
        .replace("\u05f3", "'")
        .replace("\u201d", '"')
        .replace("\u2019", "'")
    )


def people_for_list(municipality, program, params: dict, *, with_contacts: bool = False):
    """People of the municipality (only the columns the list shows), filtered by the list's filters and
    search; `list_rows` adds their engagement and organisations for one page. Contact details are read
    and searched only `with_contacts`: otherwise a search could confirm someone's e-mail or phone to a
    user who may not see them."""
    columns = ["id", "full_name", "title", "neighbourhood"]
    if with_contacts:
        columns += ["phone", "email"]
    queryset = (
        Person.objects.filter(municipality=municipality)
        .values(*columns)
        .order_by("full_name", "pk")
    )
    engagement_filters = {}
    for key in ("sector", "circle", "consent", "stage"):
        if params.get(key):
            engagement_filters[key] = params[key]
    if params.get("informal"):
        engagement_filters["influence_kind"] = InfluenceKind.INFORMAL
    if engagement_filters:
        queryset = queryset.filter(
            Exists(
                Engagement.objects.filter(
                    person=OuterRef("pk"), program=program, **engagement_filters
                )
            )
        )
    if params.get("neighbourhood"):
        queryset = queryset.filter(neighbourhood=params["neighbourhood"])
    if params.get("organisation"):
        queryset = queryset.filter(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organisation_id=params["organisation"]
                )
            )
        )
    query = normalise_query(params.get("q", ""))
    if query:
        contacts = Q()
        if with_contacts:
            contacts = Q(email__icontains=query) | Q(phone__icontains=query)
            digits = "".join(ch for ch in query if ch.isdigit())
            if len(digits) >= 7:
                try:
                    contacts |= Q(phone=normalise_phone(query))
                except ValidationError:
                    pass
        queryset = queryset.filter(
            contacts
            | Q(full_name__icontains=query)
            | Q(title__icontains=query)
            | Q(neighbourhood__icontains=query)
            | Q(notes__icontains=query)
            | Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organisation__name__icontains=query
                )
            )
        )
    return queryset


def list_rows(people: list[dict], program, detail_url) -> list[dict]:
    """One dict per person of a list page, every string ready for the template: two flat queries for
    the page's engagements and organisation names, labels looked up once (the model's get_*_display
    rebuilds its choice map on every call, which a 50-row page felt)."""
    ids = [p["id"] for p in people]
    engagements = {
        e["person_id"]: e
        for e in Engagement.objects.filter(program=program, person_id__in=ids).values(
            "person_id", "sector", "consent", "stage", "influence_kind"
        )
    }
    organisations = defaultdict(list)
    for person_id, name in (
        Affiliation.objects.filter(person_id__in=ids)
        .order_by("organisation__name", "pk")
        .values_list("person_id", "organisation__name")
    ):
        organisations[person_id].append(name)
    sectors = {value: str(label) for value, label in Sector.choices}
    consents = {value: str(label) for value, label in Consent.choices}
    stages = {value: str(label) for value, label in EngagementStage.choices}
    rows = []
    for person in people:
        e = engagements.get(person["id"])
        rows.append(
            {
                **person,
                "url": detail_url(person["id"]),
                "organisations": organisations.get(person["id"], ()),
                "informal": e is not None and e["influence_kind"] == InfluenceKind.INFORMAL,
                # An empty or unknown value shows as a dash, as get_*_display|default did.
                "sector": (sectors.get(e["sector"], e["sector"]) if e else "") or "—",
                "consent": (consents.get(e["consent"], e["consent"]) if e else "") or "—",
                "stage": (stages.get(e["stage"], e["stage"]) if e else "") or "—",
            }
        )
    return rows


def filter_organisations(municipality) -> list[tuple[int, str]]:
    """(id, name) of the municipality's organisations for the list's filter: no member counts."""
    return list(
        Organisation.objects.filter(municipality=municipality)
        .order_by("name")
        .values_list("pk", "name")
    )


def neighbourhoods(municipality) -> list[str]:
    return list(
        Person.objects.filter(municipality=municipality)
        .exclude(neighbourhood="")
        .order_by("neighbourhood")
        .values_list("neighbourhood", flat=True)
        .distinct()
    )


def organisations_for(municipality):
    return Organisation.objects.filter(municipality=municipality).annotate(
        member_count=Count("affiliations")
    )


def person_detail(municipality, program, person_id: int) -> Person:
    from kehila.tenancy import get_for_municipality

    return get_for_municipality(
        Person.objects.prefetch_related(
            Prefetch(
                "engagements",
                queryset=Engagement.objects.filter(program=program).select_related("owner"),
                to_attr="program_engagements",
            ),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation"),
            ),
            Prefetch(
                "interactions",
                queryset=Interaction.objects.select_related("created_by"),
            ),
            "history_notes",
        ).select_related("user"),
        municipality,
        pk=person_id,
    )


def relationships_of_person(person):
    return SensitiveRelationship.objects.filter(
        Q(person_a=person) | Q(person_b=person), municipality=person.municipality_id
    ).select_related("person_a", "person_b", "organisation_a", "organisation_b")


def influence_consent_grid(program, *, with_names: bool) -> dict:
    """Influence strength (rows, high first) × consent (columns): who to win over first.

    The top-start cell (high influence, opposed) and the passive high-influence cell are the priority."""
    engagements = Engagement.objects.filter(program=program).select_related("person")
    cells = defaultdict(list)
    counts: Counter = Counter()
    if with_names:
        for e in engagements.order_by("person__full_name"):
            cells[(e.influence, e.consent)].append(e)
            counts[(e.influence, e.consent)] += 1
    else:
        for row in engagements.values("influence", "consent").annotate(n=Count("id")):
            counts[(row["influence"], row["consent"])] = row["n"]
    rows = []
    for level in sorted(Level, key=lambda lv: -lv.value):
        rows.append(
            {
                "level": level,
                "cells": [
                    {
                        "consent": consent,
                        "count": counts[(level.value, consent.value)],
                        "engagements": cells[(level.value, consent.value)],
                        "priority": level == Level.HIGH and consent != Consent.ACTIVE,
                    }
                    for consent in Consent
                ],
            }
        )
    return {"rows": rows, "consents": list(Consent), "total": sum(counts.values())}


def sector_coverage(program) -> dict:
    """Active people per sector (rows) and neighbourhood (columns), in one grouped query."""
    data = (
        Engagement.objects.filter(program=program, stage=EngagementStage.ACTIVE)
        .values("sector", "person__neighbourhood")
        .annotate(n=Count("id"))
    )
    counts = {(r["sector"], r["person__neighbourhood"]): r["n"] for r in data}
    hoods = sorted({h for _s, h in counts})
    sectors = [(s.value, s.label) for s in Sector]
    if any(s == "" for s, _h in counts):
        sectors.append(("", "—"))
    rows = []
    for value, label in sectors:
        cells = [counts.get((value, h), 0) for h in hoods]
        rows.append({"sector": value, "label": label, "cells": cells, "total": sum(cells)})
    peak = max([c for r in rows for c in r["cells"]] + [1])
    for row in rows:
        row["shaded"] = [
            {"count": c, "alpha": round(0.1 + 0.8 * c / peak, 2) if c else 0} for c in row["cells"]
        ]
    return {
        "neighbourhoods": [h or "—" for h in hoods],
        "rows": rows,
        "total": sum(counts.values()),
        "uncovered": [r["label"] for r in rows if r["total"] == 0 and r["sector"]],
    }


def stage_and_consent_counts(program) -> dict:
    """Dashboard numbers: two grouped queries."""
    stages = dict(
        Engagement.objects.filter(program=program)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    consents = dict(
        Engagement.objects.filter(program=program)
        .values_list("consent")
        .annotate(n=Count("id"))
        .values_list("consent", "n")
    )
    return {
        "stages": [(s.label, stages.get(s.value, 0)) for s in EngagementStage],
        "consents": [(c.label, consents.get(c.value, 0)) for c in Consent],
        "total": sum(stages.values()),
    }


MANAGER_ROLES = (
    MunicipalRole.MAYOR,
    MunicipalRole.DEPUTY_MAYOR,
    MunicipalRole.COUNCIL_MEMBER,
    MunicipalRole.DIRECTOR_GENERAL,
    MunicipalRole.DEPARTMENT_HEAD,
    MunicipalRole.COMPANY_HEAD,
)


def managers_meeting_invitees(municipality):
    """Everyone to invite to the all-managers meeting: the mayor and elected officials, the director
    general, department heads and the heads of municipal companies (by their standing, or because they
    head a department or a municipal company in the mapping). Ordered mayor first, then by name."""
    heads = Affiliation.objects.filter(
        person=OuterRef("pk"),
        is_head=True,
        organisation__kind__in=[
            Organisation.Kind.DEPARTMENT,
            Organisation.Kind.MUNICIPAL_COMPANY,
        ],
    )
    return (
        Person.objects.filter(municipality=municipality)
        .filter(Q(municipal_role__in=MANAGER_ROLES) | Exists(heads))
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation"),
            )
        )
        .order_by("full_name", "pk")
    )


def network(municipality, program) -> dict:
    """Nodes and edges of the relationship map: people with an engagement or a tie, their
    organisations, affiliations as plain edges and sensitive relationships as marked edges."""
    people = list(
        Person.objects.filter(municipality=municipality)
        .filter(Q(engagements__program=program) | Q(affiliations__isnull=False))
        .distinct()
        .order_by("full_name")[:120]
    )
    person_ids = {p.pk for p in people}
    affiliations = list(
        Affiliation.objects.filter(person_id__in=person_ids).select_related(
            "organisation", "person"
        )
    )
    organisations = {a.organisation_id: a.organisation for a in affiliations}
    ties = list(
        SensitiveRelationship.objects.filter(municipality=municipality).select_related(
            "person_a", "person_b", "organisation_a", "organisation_b"
        )
    )
    for tie in ties:
        for side in (tie.person_a, tie.person_b):
            if side is not None and side.pk not in person_ids:
                people.append(side)
                person_ids.add(side.pk)
        for org in (tie.organisation_a, tie.organisation_b):
            if org is not None:
                organisations[org.pk] = org
    informal = set(
        Engagement.objects.filter(
            program=program, influence_kind=InfluenceKind.INFORMAL, person_id__in=person_ids
        ).values_list("person_id", flat=True)
    )
    return {
        "people": people,
        "organisations": sorted(organisations.values(), key=lambda o: o.name),
        "affiliations": affiliations,
        "ties": ties,
        "informal": informal,
    }


def units_without_head(municipality):
    """Departments and municipal companies nobody in the mapping heads: units the all-managers meeting
    would leave out, since its list is drawn from the heads."""
    heads = Affiliation.objects.filter(organisation=OuterRef("pk"), is_head=True)
    return (
        Organisation.objects.filter(
            municipality=municipality,
            kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.MUNICIPAL_COMPANY],
        )
        .exclude(Exists(heads))
        .only("name")
        .order_by("name")
    )


def people_matching(
    municipality, query: str, *, limit: int, with_contacts: bool = False
) -> list[dict]:
    """The municipality's people whose name, title or neighbourhood hold every word of `query`, for a
    picker or the search page: id, name and what tells two namesakes apart (the e-mail only
    `with_contacts`: the caller logs that it showed it). Erased people have nothing left to find."""
    columns = ["id", "full_name", "title", "neighbourhood"] + (["email"] if with_contacts else [])
    people = text_filter(
        Person.objects.filter(municipality=municipality, erased_at__isnull=True).order_by(
            "full_name", "pk"
        ),
        ["full_name", "title", "neighbourhood"],
        query,
    )
    return list(people.values(*columns)[:limit])


def organisations_matching(municipality, query: str, *, limit: int) -> list[dict]:
    organisations = text_filter(
        Organisation.objects.filter(municipality=municipality).order_by("name", "pk"),
        ["name"],
        query,
    )
    return list(organisations.values("id", "name", "kind")[:limit])
