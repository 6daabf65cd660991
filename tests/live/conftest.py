import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_version_from_another_test():
    """Row ids repeat between tests (rolled back): a session's cached version must not outlive its test."""
    cache.clear()
    yield
    cache.clear()
