from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KehilaConfig(AppConfig):
    name = "kehila"
    verbose_name = _("Kehila Metiva core")
