"""Every model of the portal's apps is in the Django admin. Apps register their models with a tailored
ModelAdmin in their own admin.py; this registers whatever they have not (yet) with a plain one, so that a
new model is never missing from the admin. Called from kehila.urls, after every app's admin module ran."""

from django.apps import apps
from django.contrib import admin

PORTAL_APPS = ("kehila", "partners", "committees", "strategy", "pilots")


def register_remaining_models(site=admin.site) -> list[str]:
    registered = []
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            if not site.is_registered(model):
                site.register(model)
                registered.append(model._meta.label)
    return registered
