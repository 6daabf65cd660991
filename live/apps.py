from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live meetings")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment check
