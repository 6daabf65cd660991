"""A municipality's pilots pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

app_name = "pilots"

urlpatterns: list = []
