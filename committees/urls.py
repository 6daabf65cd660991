"""A municipality's committees pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

app_name = "committees"

urlpatterns: list = []
