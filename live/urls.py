"""The facilitator's pages, mounted under /m/<slug>/live/. Every view uses kehila.tenancy.municipality_view."""

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("meetings/<int:meeting_id>/", views.start, name="start"),
    path("<int:session_id>/", views.facilitate, name="facilitate"),
    path("<int:session_id>/board/", views.board, name="board"),
    path("<int:session_id>/do/<slug:action>/", views.act, name="act"),
    # The polls' paths are the ones live.polling answers 304 for, before any middleware reads a session.
    path("<int:session_id>/poll/board/", views.board_poll, name="board_poll"),
    path("<int:session_id>/poll/facilitator/", views.facilitator_poll, name="facilitator_poll"),
]
