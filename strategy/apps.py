from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Agreements and strategic plan")

    def ready(self):
        # gates registers strategy's gates, consistency its rules (kehila.consistency), onboarding its
        # checklist items (kehila.onboarding), search what the search page finds (kehila.search)
        from . import consistency, gates, onboarding, search, signals  # noqa: F401

        signals.connect()

        from kehila.scheduling import register_scope_precondition

        from .services import scope_precondition

        register_scope_precondition(scope_precondition)
