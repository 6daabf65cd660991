"""What the cached plan fragments show (kehila/cache.py, topic "plan"): the plan's objectives, readings
and versions. Any change to them gives the municipality's plan fragments a new generation."""

from django.db.models.signals import post_delete, post_save

from kehila.cache import bump

PLAN_TOPIC = "plan"


def _plan_changed(sender, instance, **kwargs):
    bump(PLAN_TOPIC, instance.municipality_id)


def connect():
    from .models import Goal, IndicatorReading, Objective, PlanVersion

    for model in (Goal, Objective, IndicatorReading, PlanVersion):
        post_save.connect(_plan_changed, sender=model, dispatch_uid=f"plan-cache-{model.__name__}")
        post_delete.connect(
            _plan_changed, sender=model, dispatch_uid=f"plan-cache-{model.__name__}-del"
        )
