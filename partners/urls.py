"""A municipality's partners pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<int:person_id>/interactions/", views.interaction_add, name="interaction_add"),
    path("<int:person_id>/data/", views.person_data, name="person_data"),
    path("<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("organisations/", views.organisation_list, name="organisations"),
    # the pickers' endpoints (kehila.widgets)
    path("people/search/", views.people_search, name="people_search"),
    path("organisations/search/", views.organisations_search, name="organisations_search"),
    path("grid/", views.grid, name="grid"),
    path("coverage/", views.coverage, name="coverage"),
    path("map/", views.relationship_map, name="map"),
    path("context/", views.context_notes, name="context"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:import_id>/", views.import_preview, name="import_preview"),
    path("import/<int:import_id>/rows/<int:row_number>/", views.import_row, name="import_row"),
    path("export/", views.export, name="export"),
    path("managers-meeting/", views.managers_meeting, name="managers_meeting"),
]
