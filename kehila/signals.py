"""What the core's timeline announces; stage apps listen (as pretix's `periodic_task` does).

The bottom of kehila never imports a stage app: the committees app connects its receivers in its
AppConfig.ready() and holds its own link to the milestones. Receivers run in the sender's transaction,
so a date and everything that follows it commit together or not at all.
"""

from django.dispatch import Signal

# Every program's daily round, before anything that waits for the timeline's scope decision (action
# items' reminders are due whatever the timeline says). Receivers return a dict of counts. kwargs: program,
# today.
program_day = Signal()

# Before the daily re-plan: receivers report what took place (a held meeting holds its milestone).
# kwargs: program, today.
timeline_tick_started = Signal()

# After the re-plan: receivers act on what is due (create, move, invite, remind). Each returns a dict
# of counts, added into the tick's result. kwargs: program, today.
timeline_tick = Signal()

# A milestone's date changed (a re-plan, a pin or a hold wrote it). Receivers follow it at once.
# kwargs: program, milestone_ids, actor.
milestones_moved = Signal()

# My account: a person's personal calendar feeds live in a stage app (committees' member
# calendar), which the core does not import. The account page asks; the app answers.
# kwargs: user. Receivers return a list of {"label": str, "url": str} and must only read: the page
# that asks is a GET.
account_calendar_feeds = Signal()

# The person revokes their personal feeds from the account page (POST). Receivers rotate or remove the
# feeds of `user` and return how many they revoked. kwargs: user.
account_calendar_feeds_revoke = Signal()

# An invitation was accepted: `user` now holds the role it offered, in its municipality. Sent inside the
# accepting transaction. The committees app links the municipality's Person records with the invited
# address to the account (committees.accounts_sync), without the core knowing that app.
# kwargs: invitation, user.
invitation_accepted = Signal()
