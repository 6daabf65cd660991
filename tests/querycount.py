"""Pages keep a fixed number of queries however many rows exist: render at two sizes, compare."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """Queries of one request with an empty cache: the worst case, whatever fragments are cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_constant_queries(client, url, grow, *, ceiling: int = 25) -> int:
    """Render `url`, call `grow()` to add many rows, render again: the counts must match.

    Returns the count so that the caller can also assert the exact expected number."""
    client.get(url)  # warm caches (content types, sessions) so both counts compare like with like
    small = count_queries(client, url)
    grow()
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with little data, {large} with more (N+1)"
    assert large <= ceiling, f"{url}: {large} queries, over the ceiling of {ceiling}"
    return large
