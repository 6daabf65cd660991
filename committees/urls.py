"""A municipality's committees pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from . import managers_views, views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_create, name="create"),
    path("targets/", views.targets, name="targets"),
    path("applications/", views.applications, name="applications"),
    path(
        "applications/<int:application_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
    path("me/", views.my_page, name="me"),
    path("<int:committee_id>/", views.committee_detail, name="detail"),
    path("<int:committee_id>/members/add/", views.member_add, name="member_add"),
    path("<int:committee_id>/sharing/", views.committee_sharing, name="sharing"),
    path("<int:committee_id>/times/", views.committee_times, name="times"),
    path("<int:committee_id>/names/", views.committee_names, name="names"),
    path("members/<int:member_id>/end/", views.member_end, name="member_end"),
    path("<int:committee_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/agenda/", views.meeting_agenda_print, name="agenda_print"),
    path("meetings/<int:meeting_id>/agenda/add/", views.agenda_item_add, name="agenda_add"),
    path("agenda/<int:item_id>/delete/", views.agenda_item_delete, name="agenda_delete"),
    path(
        "agenda/<int:item_id>/attachment/",
        views.agenda_item_attachment,
        name="agenda_attachment",
    ),
    path("meetings/<int:meeting_id>/event.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:meeting_id>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:meeting_id>/mail/", views.meeting_mail, name="meeting_mail"),
    path(
        "meetings/<int:meeting_id>/mail/resend/",
        views.meeting_mail_resend,
        name="meeting_mail_resend",
    ),
    path(
        "meetings/<int:meeting_id>/invitations/add/",
        views.invitation_add,
        name="invitation_add",
    ),
    path("meetings/<int:meeting_id>/counts/", views.meeting_counts, name="meeting_counts"),
    path("meetings/<int:meeting_id>/remind/", views.meeting_remind, name="meeting_remind"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting_attendance",
    ),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:meeting_id>/minutes/circulate/",
        views.minutes_circulate,
        name="minutes_circulate",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/approve/", views.minutes_approve, name="minutes_approve"
    ),
    path(
        "meetings/<int:meeting_id>/minutes/correct/", views.minutes_correct, name="minutes_correct"
    ),
    path(
        "meetings/<int:meeting_id>/gate/<slug:gate>/",
        views.minutes_gate_override,
        name="minutes_gate_override",
    ),
    path("actions/", views.action_items, name="action_items"),
    path("actions/<int:action_id>/status/", views.action_item_status, name="action_status"),
    # The all-managers meeting, reached from the partners' managers-meeting list.
    path("managers/new/", managers_views.managers_meeting_create, name="managers_meeting_create"),
    path(
        "managers/<int:managers_meeting_id>/",
        managers_views.managers_meeting_detail,
        name="managers_meeting",
    ),
    path(
        "managers/<int:managers_meeting_id>/invite/",
        managers_views.managers_meeting_invite,
        name="managers_meeting_invite",
    ),
    path(
        "managers/<int:managers_meeting_id>/note-taker/",
        managers_views.managers_meeting_note_taker,
        name="managers_meeting_note_taker",
    ),
    path(
        "managers/<int:managers_meeting_id>/challenges/",
        managers_views.managers_meeting_challenge,
        name="managers_meeting_challenge",
    ),
    path(
        "managers/<int:managers_meeting_id>/follow-ups/add/",
        managers_views.managers_meeting_follow_up,
        name="managers_meeting_follow_up",
    ),
    path(
        "managers/<int:managers_meeting_id>/summary/",
        managers_views.managers_meeting_summary,
        name="managers_meeting_summary",
    ),
    path(
        "managers/<int:managers_meeting_id>/follow-ups/",
        managers_views.managers_meeting_follow_ups,
        name="managers_meeting_follow_ups",
    ),
    path(
        "managers/<int:managers_meeting_id>/invitees/search/",
        managers_views.managers_meeting_invitees_search,
        name="managers_meeting_invitees_search",
    ),
]
