"""Public pilots pages (no login): personal links and open forms. They never reveal another person's data."""

app_name = "pilots_public"

urlpatterns: list = []
