"""The strategy app's pages, one module a part: agreements, inbox, kickoff, hiring; and the plan's
plan (its main page), scope, mapping, objectives, work_plans, versions and public. What they share is
common.py. strategy/urls.py and strategy/public_urls.py route to them."""
