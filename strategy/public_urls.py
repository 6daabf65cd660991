"""Public strategy pages (no login): the published strategic plan. They never reveal personal data."""

from django.urls import path

from .views import public

app_name = "strategy_public"

urlpatterns: list = [
    path("<slug:slug>/plan/", public.public_plan, name="plan"),
]
