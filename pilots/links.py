"""Personal links for initiative leads: signed, so that nobody can guess another lead's page.

A link carries only the initiative's id; the signature (salted for this purpose) proves we issued it,
and the timestamp lets it expire a while after the pilot ends.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "pilots.initiative-link"
MAX_AGE = 60 * 60 * 24 * 365 * 2  # two program years: the pilot, then year two


def initiative_token(initiative) -> str:
    return signing.dumps({"i": initiative.pk}, salt=SALT, compress=True)


def initiative_id_from_token(token: str) -> int:
    """The initiative's id, or signing.SignatureExpired / signing.BadSignature."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise signing.BadSignature("unexpected payload")
    return data["i"]


def initiative_path(initiative) -> str:
    return reverse("pilots_public:initiative", kwargs={"token": initiative_token(initiative)})


def initiative_url(initiative) -> str:
    return settings.SITE_URL + initiative_path(initiative)
