"""Stakeholder pages. Thin: the municipality comes from the URL, selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from committees import selectors as committee_selectors
from kehila.audit import log_action
from kehila.charts import right_to_left
from kehila.permissions import can
from kehila.privacy import Purpose, keys_for, log_contact_access
from kehila.search import PICKER_LIMIT
from kehila.spreadsheets import CONTENT_TYPES, spreadsheet_response, write_csv
from kehila.tenancy import get_for_municipality, municipality_view

from . import graph, selectors, services, spreadsheets
from .forms import (
    EngagementForm,
    HistoryNoteForm,
    ImportRowForm,
    ImportUploadForm,
    InteractionForm,
    MapFilterForm,
    OrganisationForm,
    PeopleFilterForm,
    PersonEraseForm,
    PersonForm,
    RelationshipForm,
)
from .models import HistoryNote, Organisation, Person, SensitiveRelationship, StagedImport

PAGE_SIZE = 50


def _url(request, name, **kwargs):
    return reverse(f"partners:{name}", kwargs={"slug": request.municipality.slug, **kwargs})


@municipality_view("view_partners")
def person_list(request):
    municipality = request.municipality
    program = selectors.program_for(municipality)
    form = PeopleFilterForm(
        request.GET or None,
        municipality=municipality,
        neighbourhoods=selectors.neighbourhoods(municipality),
    )
    # The filters that are valid apply: an organisation's name that matched several is listed under
    # its field while the other filters still narrow the list.
    form.is_valid()
    params = getattr(form, "cleaned_data", {})
    show_contacts = can(request.user, "view_contacts", municipality)
    people = selectors.people_for_list(municipality, program, params, with_contacts=show_contacts)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    # One reverse() for the page instead of one per row: the rows only differ by the id.
    list_url = _url(request, "list")
    rows = selectors.list_rows(list(page), program, lambda pk: f"{list_url}{pk}/")
    if show_contacts and rows:
        log_contact_access(request, keys_for(Person, [row["id"] for row in rows]))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "show_contacts": show_contacts,
            "may_edit": can(request.user, "edit_partners", municipality),
            "may_import": can(request.user, "import_partners", municipality),
            "may_export": can(request.user, "export_partners", municipality),
        },
    )


def _person_forms(request, person=None):
    municipality = request.municipality
    engagement = None
    if person is not None:
        engagement = (person.program_engagements or [None])[0]
    data = request.POST if request.method == "POST" else None
    person_form = PersonForm(data, instance=person, municipality=municipality, prefix="person")
    engagement_form = EngagementForm(
        data, instance=engagement, municipality=municipality, prefix="engagement"
    )
    return person_form, engagement_form


def _save_person(request, person=None):
    person_form, engagement_form = _person_forms(request, person)
    if request.method == "POST" and person_form.is_valid() and engagement_form.is_valid():
        person = services.person_save(
            actor=request.user,
            municipality=request.municipality,
            person=person,
            data=person_form.cleaned_data,
            engagement=engagement_form.cleaned_data,
            organisations=person_form.cleaned_data["organisations"],
            heads=person_form.cleaned_data["heads"],
        )
        messages.success(request, _("Saved."))
        return redirect(_url(request, "person_detail", person_id=person.pk))
    if person is not None:
        log_contact_access(request, [person])
    return render(
        request,
        "partners/person_form.html",
        {"person": person, "person_form": person_form, "engagement_form": engagement_form},
    )


@municipality_view("edit_partners")
def person_create(request):
    return _save_person(request)


@municipality_view("edit_partners")
def person_edit(request, person_id):
    program = selectors.program_for(request.municipality)
    person = selectors.person_detail(request.municipality, program, person_id)
    if person.erased_at is not None:
        messages.info(request, _("This person's personal data was erased: they cannot be edited."))
        return redirect(_url(request, "person_detail", person_id=person.pk))
    return _save_person(request, person)


@municipality_view("view_partners")
def person_detail(request, person_id):
    municipality = request.municipality
    program = selectors.program_for(municipality)
    person = selectors.person_detail(municipality, program, person_id)
    erased = person.erased_at is not None  # final: nothing to show, edit or log any more
    show_contacts = can(request.user, "view_contacts", municipality) and not erased
    if show_contacts:
        log_contact_access(request, [person])
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": person,
            "engagement": (person.program_engagements or [None])[0],
            "relationships": list(selectors.relationships_of_person(person)),
            "interaction_form": InteractionForm(),
            "show_contacts": show_contacts,
            "may_edit": can(request.user, "edit_partners", municipality) and not erased,
            "may_export": can(request.user, "export_person_data", municipality),
            "may_erase": can(request.user, "erase_person", municipality) and not erased,
            "may_read_log": can(request.user, "view_contact_log", municipality),
        },
    )


@municipality_view("export_person_data")
def person_data(request, person_id):
    """Everything the portal holds about the person, as a file in their language (their right to see)."""
    person = get_for_municipality(Person, request.municipality, pk=person_id)
    document = services.person_data_export(actor=request.user, person=person)
    response = HttpResponse(document, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}-data.html"'
    return response


@municipality_view("erase_person")
def person_erase(request, person_id):
    person = get_for_municipality(Person, request.municipality, pk=person_id)
    if person.erased_at is not None:
        messages.info(request, _("This person's personal data was already erased."))
        return redirect(_url(request, "person_detail", person_id=person.pk))
    form = PersonEraseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("The person's personal data was erased; the person stays, anonymous.")
        )
        return redirect(_url(request, "person_detail", person_id=person.pk))
    return render(
        request,
        "partners/person_erase.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


@municipality_view("edit_partners")
def interaction_add(request, person_id):
    person = get_for_municipality(Person, request.municipality, pk=person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InteractionForm(request.POST)
    if form.is_valid():
        services.interaction_record(
            actor=request.user,
            person=person,
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The interaction was recorded."))
    else:
        messages.error(
            request, _("The interaction was not recorded: fill in the kind and the date.")
        )
    return redirect(_url(request, "person_detail", person_id=person.pk) + "#interactions")


@municipality_view("view_partners")
def organisation_list(request):
    form = None
    if can(request.user, "edit_partners", request.municipality):
        form = OrganisationForm(request.POST or None, municipality=request.municipality)
        if request.method == "POST" and form.is_valid():
            services.organisation_create(
                actor=request.user, municipality=request.municipality, **form.cleaned_data
            )
            messages.success(request, _("The organisation was added."))
            return redirect(_url(request, "organisations"))
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "partners/organisation_list.html",
        {
            "organisations": selectors.organisations_for(request.municipality).order_by("name"),
            "form": form,
        },
    )


@municipality_view("view_partner_aggregates")
def grid(request):
    program = selectors.program_for(request.municipality)
    with_names = can(request.user, "view_partners", request.municipality)
    data = selectors.influence_consent_grid(program, with_names=with_names)
    list_url = _url(request, "list")
    chart = graph.grid_chart(
        data, with_names=with_names, rtl=right_to_left(), url_for=lambda pk: f"{list_url}{pk}/"
    )
    return render(
        request,
        "partners/grid.html",
        {"grid": data, "chart": chart, "with_names": with_names},
    )


@municipality_view("view_partner_aggregates")
def coverage(request):
    program = selectors.program_for(request.municipality)
    return render(
        request, "partners/coverage.html", {"coverage": selectors.sector_coverage(program)}
    )


@municipality_view("view_partners")
def relationship_map(request):
    municipality = request.municipality
    program = selectors.program_for(municipality)
    form = MapFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.network(municipality, program, filters)
    # One reverse() for the page: the people's addresses only differ by the id.
    list_url = _url(request, "list")
    picture = graph.layout(
        data["people"],
        data["organisations"],
        data["affiliations"],
        data["ties"],
        rtl=right_to_left(),
        url_for=lambda pk: f"{list_url}{pk}/",
    )
    return render(request, "partners/map.html", {"data": data, "picture": picture, "form": form})


@municipality_view("view_partners")
def context_notes(request):
    """The town's history and its sensitive relationships: what the guidance asks to write down."""
    municipality = request.municipality
    may_edit = can(request.user, "edit_partners", municipality)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    which = request.POST.get("form")
    history_form = HistoryNoteForm(
        request.POST if which == "history" else None, municipality=municipality, prefix="history"
    )
    tie_form = RelationshipForm(
        request.POST if which == "tie" else None, municipality=municipality, prefix="tie"
    )
    if which == "history" and _context_add(request, history_form, services.history_note_create):
        messages.success(request, _("The note was added."))
        return redirect(_url(request, "context"))
    if which == "tie" and _context_add(request, tie_form, services.relationship_create):
        messages.success(request, _("The relationship was recorded."))
        return redirect(_url(request, "context"))
    return render(
        request,
        "partners/context.html",
        {
            "notes": HistoryNote.objects.filter(municipality=municipality).prefetch_related(
                "burnt"
            ),
            "ties": SensitiveRelationship.objects.filter(municipality=municipality).select_related(
                "person_a", "person_b", "organisation_a", "organisation_b"
            ),
            "history_form": history_form if may_edit else None,
            "tie_form": tie_form if may_edit else None,
        },
    )


def _context_add(request, form, create) -> bool:
    """True once the history note or the relationship the form holds is recorded."""
    if not form.is_valid():
        return False
    create(actor=request.user, municipality=request.municipality, **form.cleaned_data)
    return True


# --- import ----------------------------------------------------------------------------------------


@municipality_view("import_partners")
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            staged = services.import_stage(
                user=request.user,
                municipality=request.municipality,
                uploaded=form.cleaned_data["file"],
            )
        except spreadsheets.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(_url(request, "import_preview", import_id=staged.pk))
    return render(
        request,
        "partners/import_upload.html",
        {"form": form, "columns": spreadsheets.headers()},
    )


def _staged(request, import_id) -> StagedImport:
    staged = get_for_municipality(
        StagedImport.objects.filter(user=request.user), request.municipality, pk=import_id
    )
    if staged.purged_at is not None:
        raise ImportPurged
    return staged


def _staged_rows(staged, numbers) -> list[str]:
    """An uploaded row is no person yet: the log names it by its import and row number."""
    return [f"partners.stagedimport:{staged.pk}/{n}" for n in numbers]


class ImportPurged(Exception):
    """The upload is older than the days its personal data may be kept: its rows are gone."""


def _purged(request):
    messages.info(
        request,
        _(
            "That upload is older than %(days)s days: its rows were removed to protect the personal "
            "data in them. Upload the file again to import it."
        )
        % {"days": services.STAGED_IMPORT_DAYS},
    )
    return redirect(_url(request, "import"))


@municipality_view("import_partners")
def import_preview(request, import_id):
    try:
        staged = _staged(request, import_id)
    except ImportPurged:
        return _purged(request)
    if request.method == "POST" and staged.confirmed_at is None:
        try:
            counts = services.import_confirm(actor=request.user, staged=staged)
        except services.ImportNotReady:
            messages.error(
                request, _("Nothing was imported: fix or remove the rows with errors first.")
            )
        else:
            messages.success(
                request,
                _("Imported: %(new)s new, %(update)s updated, %(unchanged)s unchanged.") % counts,
            )
            return redirect(_url(request, "list"))
    elif request.method == "POST":
        messages.info(request, _("This file was already imported."))
        return redirect(_url(request, "list"))
    results = services.import_preview(staged)
    if results:
        log_contact_access(request, _staged_rows(staged, range(1, len(results) + 1)))
    summary = {key: 0 for key in spreadsheets.STATUS_LABELS}
    for result in results:
        summary[result.status] += 1
    return render(
        request,
        "partners/import_preview.html",
        {
            "staged": staged,
            "results": results,
            "summary": summary,
            "labels": spreadsheets.STATUS_LABELS,
            "columns": spreadsheets.COLUMNS,
            "changes": summary["new"] + summary["update"],
        },
    )


@municipality_view("import_partners")
def import_row(request, import_id, row_number):
    try:
        staged = _staged(request, import_id)
    except ImportPurged:
        return _purged(request)
    if staged.confirmed_at is not None or not 1 <= row_number <= len(staged.rows):
        from django.http import Http404

        raise Http404
    raw = staged.rows[row_number - 1]
    if request.method == "POST" and request.POST.get("action") == "drop":
        services.import_drop_row(staged=staged, number=row_number)
        messages.success(
            request, _("Row %(row)s was removed from the import.") % {"row": row_number}
        )
        return redirect(_url(request, "import_preview", import_id=staged.pk))
    form = ImportRowForm(request.POST or None, initial=raw)
    if request.method == "POST" and form.is_valid():
        services.import_fix_row(staged=staged, number=row_number, raw=form.cleaned_data)
        return redirect(_url(request, "import_preview", import_id=staged.pk) + f"#row-{row_number}")
    result = services.import_preview(staged)[row_number - 1]
    log_contact_access(request, _staged_rows(staged, [row_number]))
    errors = result.errors
    for key, message in errors.items():
        if key in form.fields and not form.is_bound:
            form.fields[key].help_text = message
    return render(
        request,
        "partners/import_row.html",
        {"staged": staged, "form": form, "row_number": row_number, "errors": result.error_list},
    )


# --- export ----------------------------------------------------------------------------------------


@municipality_view("export_partners")
def export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        fmt = "csv"
    content = services.people_export(actor=request.user, municipality=request.municipality, fmt=fmt)
    people = Person.objects.filter(municipality=request.municipality).values_list("pk", flat=True)
    log_contact_access(
        request, keys_for(Person, people), where="partners.export", purpose=Purpose.EXPORT
    )
    stamp = timezone.localdate().isoformat()
    return spreadsheet_response(
        content, fmt=fmt, filename=f"stakeholders-{request.municipality.slug}-{stamp}"
    )


# --- the all-managers meeting ------------------------------------------------------------------------


@municipality_view("view_partners")
def managers_meeting(request):
    municipality = request.municipality
    invitees = list(selectors.managers_meeting_invitees(municipality))
    show_contacts = can(request.user, "view_contacts", municipality)
    if request.GET.get("format") == "csv" and can(request.user, "export_partners", municipality):
        columns = ("full_name", "title", "organisations", "email", "phone")
        table = [[spreadsheets.header(key) for key in columns]]
        for p in invitees:
            orgs = "; ".join(a.organisation.name for a in p.affiliations.all())
            table.append([p.full_name, p.title, orgs, p.email, p.phone])
        log_action(
            actor=request.user,
            action="partners.export_managers_meeting",
            municipality=municipality,
            data={"rows": len(invitees)},
        )
        log_contact_access(
            request, invitees, where="partners.managers_meeting_csv", purpose=Purpose.EXPORT
        )
        return spreadsheet_response(write_csv(table), fmt="csv", filename="managers-meeting")
    if show_contacts and invitees:
        log_contact_access(request, invitees)
    return render(
        request,
        "partners/managers_meeting.html",
        {
            "invitees": invitees,
            "show_contacts": show_contacts,
            "may_export": can(request.user, "export_partners", municipality),
            "csv_url": _url(request, "managers_meeting") + "?" + urlencode({"format": "csv"}),
            # The meeting itself runs on the committees' machinery; this list is where it starts.
            "may_plan": can(request.user, "manage_committees", municipality),
            "meetings": (
                list(committee_selectors.managers_meetings_of(municipality))
                if can(request.user, "manage_committees", municipality)
                else []
            ),
        },
    )


# --- pickers' endpoints (kehila.widgets): 20 matches at a time, as [{value, text}] ---------------


def _label(*parts) -> str:
    return " · ".join(part for part in parts if part)


@municipality_view("view_partners")
def people_search(request):
    """The people picker's answer: the municipality's people matching ?q=. Their e-mail tells two
    namesakes apart, but only for a user who may see contact details, and then the access is logged."""
    municipality = request.municipality
    show_contacts = can(request.user, "view_contacts", municipality)
    people = selectors.people_matching(
        municipality, request.GET.get("q", ""), limit=PICKER_LIMIT, with_contacts=show_contacts
    )
    shown = [p["id"] for p in people if show_contacts and p["email"]]
    if shown:
        log_contact_access(request, keys_for(Person, shown))
    return JsonResponse(
        [
            {
                "value": str(p["id"]),
                "text": _label(p["full_name"], p["title"], p["neighbourhood"], p.get("email")),
            }
            for p in people
        ],
        safe=False,
    )


@municipality_view("view_partners")
def organisations_search(request):
    organisations = selectors.organisations_matching(
        request.municipality, request.GET.get("q", ""), limit=PICKER_LIMIT
    )
    kinds = dict(Organisation.Kind.choices)
    return JsonResponse(
        [
            {"value": str(o["id"]), "text": _label(o["name"], str(kinds.get(o["kind"], "")))}
            for o in organisations
        ],
        safe=False,
    )
