"""A municipality's strategy pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

app_name = "strategy"

urlpatterns: list = []
