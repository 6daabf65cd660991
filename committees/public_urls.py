"""Public committees pages (no login): personal links and open forms. They never reveal another person's data."""

app_name = "committees_public"

urlpatterns: list = []
