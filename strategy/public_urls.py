"""Public strategy pages (no login): the published strategic plan. They never reveal personal data."""

from django.urls import path

from . import plan_views

app_name = "strategy_public"

urlpatterns: list = [
    path("<slug:slug>/plan/", plan_views.public_plan, name="plan"),
]
