"""Public strategy pages (no login): personal links and open forms. They never reveal another person's data."""

app_name = "strategy_public"

urlpatterns: list = []
