import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing dominates fixture time on a busy machine; these tests never check passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
