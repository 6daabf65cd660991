"""Reads for the stakeholder pages. Each selector carries its own joins and prefetches, so that a page
runs a fixed number of queries however many people a municipality maps."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q

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
                    person=OuterRef("pk"), organisation=params["organisation"]
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


NETWORK_FILTERS = ("sector", "circle", "consent")
# The map draws at most this many people and organisations: beyond them a picture stops being readable
# (and a page of a large municipality stops being light). The rest are counted, and the filters narrow.
MAX_NETWORK_PEOPLE = 150
MAX_NETWORK_ORGANISATIONS = 40


def network(municipality, program, filters: dict | None = None) -> dict:
    """Nodes and edges of the relationship map, filtered by sector, circle and consent.

    People: those with an engagement in the program, an affiliation or a sensitive tie (with a filter,
    only engaged people match it), the most influential first, at most MAX_NETWORK_PEOPLE. Organisations:
    those of the drawn people, and those on a tie whose other side is drawn. Ties: those whose two sides
    are drawn. Four queries whatever the size: count, people, affiliations, ties."""
    filters = {k: v for k, v in (filters or {}).items() if k in NETWORK_FILTERS and v}
    ties_of = SensitiveRelationship.objects.filter(municipality=municipality)
    people = Person.objects.filter(municipality=municipality).annotate(
        engagement=FilteredRelation("engagements", condition=Q(engagements__program=program))
    )
    if filters:
        people = people.filter(**{f"engagement__{k}": v for k, v in filters.items()})
    else:
        people = people.filter(
            Q(engagement__isnull=False)
            | Exists(Affiliation.objects.filter(person=OuterRef("pk")))
            | Exists(ties_of.filter(Q(person_a=OuterRef("pk")) | Q(person_b=OuterRef("pk"))))
        )
    total = people.count()
    rows = list(
        people.annotate(
            sector=F("engagement__sector"),
            circle=F("engagement__circle"),
            consent=F("engagement__consent"),
            influence=F("engagement__influence"),
            influence_kind=F("engagement__influence_kind"),
        )
        .values("id", "full_name", "sector", "circle", "consent", "influence", "influence_kind")
        .order_by(F("influence").desc(nulls_last=True), "full_name", "pk")[:MAX_NETWORK_PEOPLE]
    )
    drawn = {row["id"] for row in rows}
    affiliations = list(
        Affiliation.objects.filter(
            person_id__in=drawn, organisation__municipality=municipality
        ).select_related("organisation")
    )
    members = Counter(a.organisation_id for a in affiliations)
    organisations = {a.organisation_id: a.organisation for a in affiliations}
    ties = list(ties_of.select_related("person_a", "person_b", "organisation_a", "organisation_b"))
    for tie in ties:
        sides = ((tie.organisation_a, tie.person_b_id), (tie.organisation_b, tie.person_a_id))
        for org, other_person in sides:
            if org is not None and (other_person in drawn or other_person is None):
                organisations.setdefault(org.pk, org)
    # The organisations with the most drawn members stay when there are too many to draw.
    kept = sorted(organisations.values(), key=lambda o: (-members[o.pk], o.name, o.pk))
    kept = kept[:MAX_NETWORK_ORGANISATIONS]
    org_ids = {o.pk for o in kept}

    def on_map(person_id, organisation_id):
        return person_id in drawn if person_id else organisation_id in org_ids

    names = defaultdict(list)
    for a in sorted(affiliations, key=lambda a: a.organisation.name):
        names[a.person_id].append(a.organisation.name)
    for row in rows:
        row["organisations"] = names[row["id"]]
    shown_ties = [
        t
        for t in ties
        if on_map(t.person_a_id, t.organisation_a_id) and on_map(t.person_b_id, t.organisation_b_id)
    ]
    return {
        "people": rows,
        "organisations": sorted(kept, key=lambda o: (o.name, o.pk)),
        "affiliations": [a for a in affiliations if a.organisation_id in org_ids],
        "ties": shown_ties,
        "total_people": total,
        "hidden_people": total - len(rows),
        "hidden_organisations": len(organisations) - len(kept),
        "hidden_ties": len(ties) - len(shown_ties),
        "filters": filters,
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
