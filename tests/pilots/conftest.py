import pytest
from django.core.cache import cache

from tests.pilots.factories import HackathonFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit lives in the cache: each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hackathon(municipality):
    return HackathonFactory(municipality=municipality)
