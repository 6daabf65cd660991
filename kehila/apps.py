from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KehilaConfig(AppConfig):
    name = "kehila"
    verbose_name = _("Kehila Metiva core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .profile import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="kehila.profile.on_user_logged_in")
