"""The participants' pages (no login): the short link on the board, a phone's page, its moves and poll."""

from django.urls import path

from . import phone_views

app_name = "live_public"

urlpatterns = [
    path("j/", phone_views.join, name="join"),
    path("j/<str:code>/", phone_views.phone, name="phone"),
    path("j/<str:code>/do/<slug:action>/", phone_views.phone_act, name="phone_act"),
    path("live/invitation/<str:token>/", phone_views.by_invitation, name="by_invitation"),
    path("live/<int:session_id>/poll/phone/", phone_views.phone_poll, name="phone_poll"),
]
