"""A municipality's partners pages, mounted under /m/<slug>/. Every view uses kehila.tenancy.municipality_view."""

app_name = "partners"

urlpatterns: list = []
