import pytest

from tests.strategy.signed_factories import a_signed_agreement, a_signed_plan


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing dominates fixture time on a busy machine; these tests never check passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Signed through the services, as users sign (tests/strategy/test_signed*.py).
@pytest.fixture
def signed_agreement(municipality, manager, mayor_office, hq_user):
    return a_signed_agreement(municipality, manager=manager, mayor_office=mayor_office, hq=hq_user)


@pytest.fixture
def signed_plan(municipality, manager, mayor_office, hq_user):
    return a_signed_plan(municipality, manager=manager, mayor_office=mayor_office, hq=hq_user)
