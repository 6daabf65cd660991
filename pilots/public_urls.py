"""Public pilots pages (no login): personal links and open forms. They never reveal another person's data."""

from django.urls import path

from . import public_views

app_name = "pilots_public"

urlpatterns = [
    path("<int:hackathon_id>/", public_views.hackathon, name="hackathon"),
    path("<int:hackathon_id>/register/", public_views.register, name="register"),
    path("<int:hackathon_id>/submit/", public_views.submit, name="submit"),
    path("<int:hackathon_id>/thanks/", public_views.thanks, name="thanks"),
    path("initiative/<str:token>/", public_views.initiative, name="initiative"),
    path("initiative/<str:token>/progress/", public_views.progress, name="progress"),
]
