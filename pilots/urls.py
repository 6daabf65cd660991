"""A municipality's pilots pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hackathons/new/", views.hackathon_create, name="hackathon_create"),
    path("hackathons/<int:hackathon_id>/", views.hackathon_detail, name="hackathon"),
    path("hackathons/<int:hackathon_id>/edit/", views.hackathon_edit, name="hackathon_edit"),
    path("hackathons/<int:hackathon_id>/committee/", views.committee, name="committee"),
    path("committee/<int:seat_id>/remove/", views.committee_remove, name="committee_remove"),
    path("hackathons/<int:hackathon_id>/participants/", views.participants, name="participants"),
    path("hackathons/<int:hackathon_id>/measurement/", views.measurement, name="measurement"),
    path("scoring/", views.my_scoring, name="scoring"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path("initiatives/<int:initiative_id>/score/", views.score, name="score"),
    path("initiatives/<int:initiative_id>/decide/", views.initiative_decide, name="decide"),
    path(
        "initiatives/<int:initiative_id>/conflict/", views.conflict_declare, name="conflict_declare"
    ),
    # The gate is fixed by the URL, so no page can be asked to open a gate that is not the pilot's.
    path(
        "initiatives/<int:initiative_id>/gates/selection/",
        views.gate_open,
        {"gate": "initiative_select"},
        name="open_selection_gate",
    ),
    path(
        "initiatives/<int:initiative_id>/gates/grant/",
        views.gate_open,
        {"gate": "grant_pay"},
        name="open_grant_gate",
    ),
    path("initiatives/<int:initiative_id>/mentor/", views.initiative_mentor, name="mentor"),
    path(
        "initiatives/<int:initiative_id>/connections/", views.connection_add, name="connection_add"
    ),
    path("initiatives/<int:initiative_id>/grants/", views.grant_add, name="grant_add"),
    path("grants/<int:grant_id>/disbursements/", views.disbursement_add, name="disbursement_add"),
    path("initiatives/<int:initiative_id>/review/", views.initiative_review, name="review"),
]
