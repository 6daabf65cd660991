"""The load benchmark's pure helpers (bench/report.py, bench/run.py's request lines) and its trivial view.

No figures are measured here: `make bench` does that."""

import pytest

from bench.report import (
    END_MARK,
    START_MARK,
    TARGETS,
    parse_wrk,
    render_table,
    replace_between_markers,
    verdict,
)
from bench.run import Request

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    38.21ms   12.02ms 201.33ms   80.00%
  Latency Distribution
     50%   36.10ms
     99%  120.00ms
  4000 requests in 10.00s, 40.00MB read
Requests/sec:    400.00
WRK_JSON {"requests": 4000, "duration_us": 10000000, "bytes": 41943040, "errors": {"connect": 0, \
"read": 2, "write": 0, "status": 3, "timeout": 1}, "latency_us": {"p50": 36100, "p95": 61234, \
"p99": 120000, "max": 201330, "mean": 38210.5}, "unexpected": 3, "unexpected_status": 404}
"""


def test_parse_wrk_reads_the_summary_line_of_the_lua_done_hook():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 4000
    assert figures["rps"] == 400.0
    assert figures["p50_ms"] == 36.1
    assert figures["p95_ms"] == 61.2
    assert figures["p99_ms"] == 120.0
    assert figures["socket_errors"] == 3  # read and timeout; wrong statuses are counted apart
    assert figures["unexpected"] == 3
    assert figures["unexpected_status"] == 404


def test_parse_wrk_refuses_output_without_a_summary():
    with pytest.raises(ValueError, match="no summary"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def _page(**figures):
    page = {
        "name": "dashboard",
        "title": "Manager dashboard",
        "pattern": "/m/<slug>/",
        "p95_target": 150,
        "rps": 120.0,
        "p50_ms": 40.0,
        "p95_ms": 90.0,
        "queries": 12,
        "queries_cold": 14,
        "ratio": 0.3,
        "server_cpu_ms": 9.46,
        "alone_cold_ms": 120.2,
        "alone_cold_db_ms": 80.4,
        "alone_ms": 31.4,
        "alone_db_ms": 12.6,
    }
    return page | figures


def test_verdict_passes_a_page_within_every_target():
    assert verdict(_page(), TARGETS) == "pass"


def test_verdict_names_every_target_a_page_misses():
    result = verdict(_page(p95_ms=150.0, ratio=0.2, queries_cold=26), TARGETS)
    assert result == "miss: p95 ≥ 150 ms, < 25% of trivial, > 25 queries"


def test_verdict_holds_the_rsvp_answer_to_its_own_latency_target():
    assert verdict(_page(name="rsvp", p95_target=100, p95_ms=120.0), TARGETS).startswith(
        "miss: p95"
    )


def test_verdict_fails_a_page_with_wrong_answers_whatever_its_speed():
    page = _page(failed="12 answers other than 200 (last 500), 0 socket errors")
    assert verdict(page, TARGETS) == "FAILED: 12 answers other than 200 (last 500), 0 socket errors"


def _results():
    return {
        "machine": {
            "cores": 2,
            "cpu": "AMD EPYC",
            "load_average_at_start": 0.5,
            "date": "2026-11-29T12:00:00+02:00",
            "database": "PostgreSQL 15.20, kehila_bench (3 GB)",
            "django": "5.2",
            "commit": "abc1234",
        },
        "params": {
            "municipalities": 257,
            "years": 3,
            "scale": 1.0,
            "seed": 1,
            "connections": 16,
            "seconds": 10,
            "warmup": 2,
            "workers": 5,
        },
        "targets": TARGETS,
        "generation": {
            "seconds": 600.4,
            "rows": 5000000,
            "reused": True,
            "generated_at": "2026-11-29T09:00:00+02:00",
            "copy_s": 31.2,
        },
        "timeline": {
            "programs": 257,
            "replan_all_s": 6.5,
            "tick_all_s": 42.0,
            "tick_tasks": 257,
            "worker_pool_processes": 2,
            "worker_pool_mb": 180.0,
            "worker_main_mb": 95.0,
        },
        "web": {"workers": 5, "worker_mb": 150.2, "master_mb": 26.0},
        "pages": [
            _page(name="trivial", title="Trivial view", pattern="/bench/trivial/", rps=400.0)
            | {"ratio": 1.0, "queries": 0, "queries_cold": 0},
            _page(note="200–200 invitees", title="Meeting page"),
            _page(name="hq", title="HQ overview", failed="no data for this page (none)")
            | {"rps": 0.0},
        ],
    }


def test_the_table_shows_the_machine_every_page_and_the_timeline_with_their_results():
    table = render_table(_results())
    assert "Measured 2026-11-29T12:00:00+02:00 on 2 cores (AMD EPYC" in table
    assert "PostgreSQL 15.20, kehila_bench (3 GB)" in table and "commit abc1234" in table
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    assert rows["Trivial view"].endswith("| 100% | 9.5 | 120 (80) / 31 (13) | baseline |")
    assert (
        "| 120 | 40.0 | 90.0 | 12 (14) | 30% | 9.5 | 120 (80) / 31 (13) | pass |"
        in rows["Meeting page (200–200 invitees)"]
    )
    assert rows["HQ overview"].endswith("| FAILED: no data for this page (none) |")
    replan = next(line for line in table.splitlines() if "Re-plan all 257 programs" in line)
    assert replan.endswith("| 6.50 s | < 5 s | miss |")
    tick = next(line for line in table.splitlines() if "Daily tick for all" in line)
    assert tick.endswith("| 42.00 s | < 60 s | pass |")
    assert "| 600 s (on 2026-11-29; copied for this run in 31 s) | < 3600 s | pass |" in table
    assert "150 MB / 26 MB" in table and "180 MB / 95 MB" in table


def test_the_readme_table_is_replaced_between_its_markers_only():
    text = f"# Bench\n\nintro\n{START_MARK}\nold table\n{END_MARK}\n\n## Notes\nkept\n"
    once = replace_between_markers(text, "| new |")
    assert once == f"# Bench\n\nintro\n{START_MARK}\n| new |\n{END_MARK}\n\n## Notes\nkept\n"
    assert replace_between_markers(once, "| new |") == once
    with pytest.raises(ValueError, match="markers"):
        replace_between_markers("# no markers", "| new |")


def test_a_post_request_line_carries_the_csrf_token_referer_and_body_for_wrk():
    request = Request(
        "POST", "/public/committees/rsvp/abc:def/", "csrftoken=s3cret", "response=yes"
    )
    method, path, body, *headers = request.line(8000, "s3cret").split("\t")
    assert (method, path, body) == ("POST", "/public/committees/rsvp/abc:def/", "response=yes")
    assert headers == [
        "X-Forwarded-Proto: https",
        "Cookie: csrftoken=s3cret",
        "Content-Type: application/x-www-form-urlencoded",
        "X-CSRFToken: s3cret",
        "Referer: https://127.0.0.1:8000/public/committees/rsvp/abc:def/",
    ]


def test_a_get_request_line_has_an_empty_body_and_no_csrf_headers():
    line = Request("GET", "/m/gen-001/", "sessionid=xyz").line(8000, "s3cret")
    assert line.split("\t") == [
        "GET",
        "/m/gen-001/",
        "",
        "X-Forwarded-Proto: https",
        "Cookie: sessionid=xyz",
    ]


@pytest.mark.urls("bench.urls")
def test_the_trivial_view_answers_without_touching_the_database(client):
    # No db fixture: pytest-django makes any database access in this test an error.
    response = client.get("/bench/trivial/")
    assert response.status_code == 200
    assert response.content == b"ok"


# bench/pages.py: page weight and LCP (issue 17). The browser run itself is `bench/pages.py`'s.


def test_pages_sorts_devtools_resources_into_html_css_js_and_fonts():
    from bench.pages import add_up, kind

    assert kind("Document") == "html" and kind("Stylesheet") == "css" and kind("Script") == "js"
    assert kind("Font") == "font" and kind("Other", "font/woff2") == "font"
    assert kind("Image", "image/svg+xml") == "other"
    totals = add_up([("Document", "text/html", 4000.0), ("Script", "", 900.5), ("Script", "", 100)])
    assert totals == {"html": 4000, "css": 0, "js": 1000, "font": 0, "other": 0}


def _weighed(**figures):
    bytes_ = {"html": 4400, "css": 16800, "js": 21600, "font": 0, "other": 600}
    return {
        "title": "Login",
        "pattern": "/accounts/login/",
        "bytes": bytes_,
        "requests": 6,
    } | figures


def test_pages_verdict_holds_every_page_to_the_lcp_and_javascript_targets():
    from bench.pages import verdict

    assert verdict(_weighed(lcp_ms=1499)) == "pass"
    assert verdict(_weighed(lcp_ms=1500)) == "miss: LCP ≥ 1.5 s"
    heavy = _weighed(
        lcp_ms=900, bytes={"html": 0, "css": 0, "js": 150 * 1024 + 1, "font": 0, "other": 0}
    )
    assert verdict(heavy) == "miss: JS > 150 KB"
    assert verdict(_weighed(lcp_ms=None)) == "miss: no LCP"


def test_pages_table_has_a_row_per_page_in_kilobytes_and_replaces_only_its_markers():
    from bench.pages import END_MARK, START_MARK, render_table, replace_between_markers

    result = {"date": "2026-12-02T15:00:00+02:00", "server": "http://127.0.0.1:8765",
              "browser": "156.0", "pages": [_weighed(lcp_ms=972.4)]}  # fmt: skip
    table = render_table(result)
    assert (
        "| Login | `/accounts/login/` | 4.3 | 16.4 | 21.1 | 0.0 | 0.6 | 6 | 972 | pass |" in table
    )
    assert '"slow 4G" (150 ms' in table and "CPU ÷ 4" in table
    text = f"{START_MARK}\nold\n{END_MARK}\n{BENCH_MARKS}"
    assert (
        replace_between_markers(text, table) == f"{START_MARK}\n{table}\n{END_MARK}\n{BENCH_MARKS}"
    )


BENCH_MARKS = f"{START_MARK}\nthe load table stays\n{END_MARK}\n"
