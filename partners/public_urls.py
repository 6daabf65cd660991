"""Public partners pages (no login): personal links and open forms. They never reveal another person's data."""

app_name = "partners_public"

urlpatterns: list = []
