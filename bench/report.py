"""The benchmark's pure half: read wrk's summary, judge figures against the targets, write the table.

No Django and no processes here, so tests/kehila/test_bench.py can check it quickly.
"""

import json

# Issue 9's targets, at national scale on 2 cores with 16 connections.
TARGETS = {
    "page_p95_ms": 150,
    "rsvp_p95_ms": 100,
    "min_ratio": 0.25,  # of the trivial view's throughput
    "max_queries": 25,
    "replan_all_s": 5,
    "tick_all_s": 60,
    "generation_s": 3600,  # "minutes, not hours"
}
START_MARK = "<!-- bench:start (written by bench/run.py from results.json) -->"
END_MARK = "<!-- bench:end -->"


def parse_wrk(output: str) -> dict:
    """The figures of one wrk run, from the JSON line that bench/wrk.lua's done() prints."""
    line = next((ln for ln in output.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise ValueError(f"wrk printed no summary:\n{output}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    latency, errors = raw["latency_us"], raw["errors"]
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(latency["p50"] / 1000, 1),
        "p95_ms": round(latency["p95"] / 1000, 1),
        "p99_ms": round(latency["p99"] / 1000, 1),
        "max_ms": round(latency["max"] / 1000, 1),
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "unexpected": raw["unexpected"],
        "unexpected_status": raw["unexpected_status"],
    }


def verdict(page: dict, targets: dict) -> str:
    """'pass'; or 'miss: ' and what misses; or 'FAILED: ' and why (wrong answers, no data)."""
    if page.get("failed"):
        return f"FAILED: {page['failed']}"
    if page["name"] == "trivial":
        return "baseline"
    misses = []
    if page["p95_ms"] >= page["p95_target"]:
        misses.append(f"p95 ≥ {page['p95_target']} ms")
    if page["ratio"] < targets["min_ratio"]:
        misses.append(f"< {targets['min_ratio']:.0%} of trivial")
    if max(page["queries"], page["queries_cold"]) > targets["max_queries"]:
        misses.append(f"> {targets['max_queries']} queries")
    return "miss: " + ", ".join(misses) if misses else "pass"


def _below(value: float, limit: float) -> str:
    return "pass" if value < limit else "miss"


def render_table(results: dict) -> str:
    """The Markdown between the README's markers: the machine, the pages, timeline and memory."""
    t, m, g, p = results["targets"], results["machine"], results["generation"], results["params"]
    tl, web = results["timeline"], results["web"]
    lines = [
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}; load average "
        f"{m['load_average_at_start']:.2f} at the start), {m['database']}, Django {m['django']}, "
        f"commit {m['commit']}. Data: {p['municipalities']} municipalities × {p['years']} years at "
        f"scale {p['scale']}, seed {p['seed']}. Load: wrk, {p['connections']} connections, "
        f"{p['seconds']} s per page after {p['warmup']} s of warm-up, against {p['workers']} gunicorn "
        "sync workers.",
        "",
        "| Page | URL | req/s | median ms | p95 ms | queries (cold) | × trivial | server CPU ms "
        "| alone ms: cold (db) / warm (db) | result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in results["pages"]:
        title = f"{page['title']} ({page['note']})" if page.get("note") else page["title"]
        cells = ["", "", "", "", "", "", ""]
        if "rps" in page:
            cells = [
                f"{page['rps']:.0f}",
                f"{page['p50_ms']:.1f}",
                f"{page['p95_ms']:.1f}",
                f"{page['queries']} ({page['queries_cold']})" if "queries" in page else "",
                f"{page['ratio']:.0%}" if "ratio" in page else "",
                f"{page['server_cpu_ms']:.1f}" if "server_cpu_ms" in page else "",
                f"{page['alone_cold_ms']:.0f} ({page['alone_cold_db_ms']:.0f}) / "
                f"{page['alone_ms']:.0f} ({page['alone_db_ms']:.0f})"
                if "alone_ms" in page
                else "",
            ]
        lines.append(
            f"| {title} | `{page['pattern']}` | {' | '.join(cells)} | {verdict(page, t)} |"
        )
    generated = f"{g['seconds']:.0f} s"
    if g.get("reused"):
        generated += f" (on {g['generated_at'][:10]}; copied for this run in {g['copy_s']:.0f} s)"
    lines += [
        "",
        f"Page targets: p95 < {t['page_p95_ms']} ms (RSVP < {t['rsvp_p95_ms']} ms), at least "
        f"{t['min_ratio']:.0%} of the trivial view's requests per second, at most "
        f'{t["max_queries"]} queries (warm and cold). "Alone": one request in process with no load, '
        "to a URL whose caches are cold, then again (warm), and the database's share of each: where a "
        "page's time goes, not a target. \"Server CPU\": the gunicorn workers' CPU time per request "
        "under the load; where it is well below what the cores could give each request (cores × "
        "1,000 ms ÷ req/s), other processes (PostgreSQL, wrk, other users of the machine) took the rest.",
        "",
        "| Figure | value | target | result |",
        "|---|--:|---|---|",
        f"| Generate the data (`generate_demo`, {g.get('rows') or '?'} rows) | {generated} | "
        f"< {t['generation_s']} s | {_below(g['seconds'], t['generation_s'])} |",
        f"| Re-plan all {tl['programs']} programs (in process) | {tl['replan_all_s']:.2f} s | "
        f"< {t['replan_all_s']} s | {_below(tl['replan_all_s'], t['replan_all_s'])} |",
        f"| Daily tick for all ({tl['tick_tasks']} program tasks, Celery worker of "
        f"{tl['worker_pool_processes']} processes) | {tl['tick_all_s']:.2f} s | "
        f"< {t['tick_all_s']} s | {_below(tl['tick_all_s'], t['tick_all_s'])} |",
        *(
            [
                f"| Nightly warm-up of the plan pages ({tl['warmed_fragments']} fragments, in "
                f"process; before the load, as beat runs it before the working day) | "
                f"{tl['warm_plan_pages_s']:.2f} s | | |"
            ]
            if "warm_plan_pages_s" in tl
            else []
        ),
        f"| Peak memory (VmHWM) of a gunicorn worker, largest of {web['workers']} / master | "
        f"{web['worker_mb']:.0f} MB / {web['master_mb']:.0f} MB | | |",
        f"| Peak memory (VmHWM) of a Celery pool process, largest / main process | "
        f"{tl['worker_pool_mb']:.0f} MB / {tl['worker_main_mb']:.0f} MB | | |",
    ]
    return "\n".join(lines)


def replace_between_markers(text: str, table: str) -> str:
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise ValueError(f"the README lacks the markers {START_MARK} … {END_MARK}")
    return text[: start + len(START_MARK)] + "\n" + table + "\n" + text[end:]
