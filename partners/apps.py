from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Stakeholder mapping")

    def ready(self):
        from kehila.privacy import (
            register_contact_places,
            register_person_data,
            register_person_names,
        )

        from . import privacy

        register_person_data(self.name, describe=privacy.describe, erase=privacy.erase)
        register_contact_places(privacy.CONTACT_PLACES)
        register_person_names({"partners.person": privacy.names_of_people})

        # consistency registers the partners' rules, onboarding their checklist items,
        # search what the municipality's search page finds here (kehila.search)
        from . import consistency, onboarding, search  # noqa: F401
