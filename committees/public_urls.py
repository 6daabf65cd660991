"""Public committees pages (no login): personal links and open forms. They never reveal another person's data."""

from django.urls import path

from . import public_views

app_name = "committees_public"

urlpatterns = [
    path("rsvp/<str:token>/", public_views.rsvp, name="rsvp"),
    path("member/<str:token>/", public_views.member, name="member"),
    path(
        "member/<str:token>/minutes/<int:minutes_id>/correct/",
        public_views.member_correct,
        name="member_correct",
    ),
    path(
        "member/<str:token>/calendar/revoke/",
        public_views.member_feed_revoke,
        name="member_feed_revoke",
    ),
    path("calendar/<str:token>.ics", public_views.member_feed, name="member_feed"),
    path("committee-calendar/<str:token>.ics", public_views.committee_feed, name="committee_feed"),
    path("apply/<slug:slug>/", public_views.apply, name="apply"),
    path("apply/<slug:slug>/thanks/", public_views.apply_thanks, name="apply_thanks"),
]
