from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Committees and meetings")

    def ready(self):
        from kehila.privacy import (
            register_contact_places,
            register_person_data,
            register_person_names,
        )
        from kehila.scheduling import register_tick_step

        from . import privacy, services

        register_person_data(self.name, describe=privacy.describe, erase=privacy.erase)
        register_contact_places(privacy.CONTACT_PLACES)
        register_person_names({"committees.application": privacy.names_of_applicants})
        register_tick_step("action_item_reminders", services.action_items_tick)
