from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Experiential pilot")

    def ready(self):
        from kehila.privacy import (
            register_contact_places,
            register_person_data,
            register_person_names,
        )

        # gates registers the pilot's gates; consistency its rules of consistency
        from . import consistency, gates, privacy  # noqa: F401

        register_person_data(self.name, describe=privacy.describe, erase=privacy.erase)
        register_contact_places(privacy.CONTACT_PLACES)
        register_person_names(
            {
                "pilots.participant": privacy.names_of_participants,
                "pilots.initiative": privacy.names_of_initiative_contacts,
            }
        )
