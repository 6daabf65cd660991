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

        from . import privacy

        register_person_data(self.name, describe=privacy.describe, erase=privacy.erase)
        register_contact_places(privacy.CONTACT_PLACES)
        register_person_names({"committees.application": privacy.names_of_applicants})

        from kehila import signals

        from . import timeline_sync

        signals.program_day.connect(timeline_sync.on_program_day)
        signals.timeline_tick_started.connect(timeline_sync.on_tick_started)
        signals.timeline_tick.connect(timeline_sync.on_tick)
        signals.milestones_moved.connect(timeline_sync.on_milestones_moved)

        from . import account_feeds

        signals.account_calendar_feeds.connect(account_feeds.feeds)
        signals.account_calendar_feeds_revoke.connect(account_feeds.revoke)

        # A committee member who accepts an invitation keeps their history
        from . import accounts_sync

        signals.invitation_accepted.connect(
            accounts_sync.on_invitation_accepted, dispatch_uid="committees.accounts_sync"
        )

        # consistency registers the committees' rules, onboarding their checklist items,
        # search what the municipality's search page finds here (kehila.search)
        from . import consistency, onboarding, search  # noqa: F401
