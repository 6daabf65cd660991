import pytest
from django.core.cache import cache

from tests.pilots.factories import HackathonFactory
from tests.pilots.factories import closed_hackathon as _closed_hackathon


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit lives in the cache: each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hackathon(municipality):
    return HackathonFactory(municipality=municipality)


@pytest.fixture
def closed_hackathon(municipality):
    """Submissions closed an hour ago: scoring is open."""
    return _closed_hackathon(municipality)
