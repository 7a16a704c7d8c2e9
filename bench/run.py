"""`make bench` = `python -m bench.run`: extraction, loading, answering and scale, each beside its target.

    python -m bench.run            # the full benchmark (about 12-14 minutes on 2 cores)
    python -m bench.run --smoke    # a tiny version of every part, to prove the code works

The full run starts its own Neo4j Community server (own home under .cache/neo4j-bench, free
ports, data wiped first, stopped at the end), loads the real corpus with `run_etl`, and writes
bench/results/latest.json (machine, versions, settings, every figure and the details behind it).
The printed table shows each figure, its target and PASS/MISS; figures without a target are
context for the ones with one. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, BenchServer, Report, Stopwatch, log, machine_info

BUDGET_S = 15 * 60
FULL_SCALE_LEVELS = (("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000))
BENCH_ID_PREFIX = "MDSKG:bench/"
# Time kept for everything after the extraction stream (server start, corpus ETL, answering,
# scale, loading): about 6.5 minutes on a quiet 2-core machine, 8.5 on a busy one.
RESERVE_S = 9 * 60


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def load_corpus(graph, settings) -> dict[str, Any]:
    from etl.run import CORPUS_DIR, run_etl
    from graph.schema import init_schema

    init_schema(graph)
    with Stopwatch() as sw:
        report = run_etl([CORPUS_DIR], graph, settings, force=True)
    if report.problems:
        raise RuntimeError("the corpus did not load cleanly:\n" + report.to_text())
    return {"seconds": sw.seconds, "documents": report.documents_loaded, "nodes": report.node_count_after,
            "relationships": report.relationship_count_after}


def remove_bench_data(graph) -> None:
    """Delete every synthetic node (ids under MDSKG:bench/), in small transactions."""
    with graph.driver.session(database=graph.database) as session:
        session.run("MATCH (n:Entity) WHERE n.id STARTS WITH $prefix "
                    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS", prefix=BENCH_ID_PREFIX).consume()


def run_all(smoke: bool = False, out: Path | None = None, graph=None, settings=None, server_pid: int | None = None,
            neo4j_home: Path | None = None, sections: tuple[str, ...] = ("extraction", "answering", "loading", "scale"),
            stream_budget_s: float | None = None,
            neo4j_conf: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the benchmark; with `graph` and `settings` given, use that database instead of starting
    a server (the smoke test does this with the test session's server; its synthetic data is
    removed at the end)."""
    from bench import answering, extraction, loading, scale

    started = time.monotonic()
    report = Report()
    results: dict[str, Any] = {
        "mode": "smoke" if smoke else "full", "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "budget_seconds": BUDGET_S, "loadavg_start": _loadavg(),
    }
    if "extraction" in sections:
        def budget() -> float:
            """What is left of the 15 minutes once the other parts' share is reserved, within 60-300 s."""
            if stream_budget_s is not None:
                return stream_budget_s
            left = BUDGET_S - (time.monotonic() - started) - RESERVE_S
            return max(60.0, min(300.0, left))

        results["extraction"] = extraction.run(report, smoke=smoke, **({} if smoke else {"stream_budget_s": budget}))

    own_server = None
    if not any(part in sections for part in ("answering", "loading", "scale")):
        results["machine"] = machine_info(None, None, {"loadavg_end": _loadavg(), "loadavg_start": results["loadavg_start"]})
        return _finish(results, report, started, smoke, out)
    try:
        if graph is None:
            from graph.db import Graph

            own_server = BenchServer(log=log, conf_overrides=neo4j_conf)
            results["neo4j_conf_overrides"] = dict(neo4j_conf or {})
            log("starting the bench Neo4j server (fresh data)")
            own_server.__enter__()
            settings = own_server.settings
            server_pid = own_server.pid
            neo4j_home = own_server.home
            graph = Graph.connect(settings)
            results["neo4j_start_seconds"] = own_server.start_seconds
            log("loading the real corpus with run_etl")
            results["etl"] = load_corpus(graph, settings)
            report.add("setup", "corpus ETL (run_etl, 15 documents) into the fresh database",
                       results["etl"]["seconds"], "s",
                       note=f"{results['etl']['nodes']:,} nodes, {results['etl']['relationships']:,} relationships")
        else:
            results["etl"] = {"reused": True}

        if "answering" in sections:
            results["answering"] = answering.run(report, settings, graph, smoke=smoke)

        levels: list[dict[str, Any]] = []
        if smoke:
            base = scale.node_count(graph)
            level_specs = (("smoke+100", base + 100), ("smoke+300", base + 300), ("smoke+600", base + 600))
        else:
            level_specs = FULL_SCALE_LEVELS
        repeats = 5 if smoke else 40
        if "scale" in sections:
            for serial, (label, target) in enumerate(level_specs[:2]):
                levels.append(scale.run_level(graph, label, target, serial, repeats))
        if "loading" in sections:
            results["loading"] = loading.run(report, graph, neo4j_pid=server_pid, neo4j_home=neo4j_home, smoke=smoke)
        if "scale" in sections:
            label, target = level_specs[2]
            levels.append(scale.run_level(graph, label, target, 2, repeats))
            growth = scale.summarize(report, levels)
            results["scale"] = {"levels": levels, "growth": growth, "plans_text": scale.print_plans(levels)}
        results["machine"] = machine_info(graph, settings, {"loadavg_end": _loadavg()})
        results["machine"]["loadavg_start"] = results["loadavg_start"]
        if own_server is not None and own_server.conf_overrides:
            results["machine"].setdefault("neo4j_conf", {}).update(own_server.conf_overrides)
            results["machine"]["neo4j_conf_overridden"] = sorted(own_server.conf_overrides)
        if own_server is None:
            remove_bench_data(graph)
    finally:
        if own_server is not None:
            if graph is not None:
                graph.close()
            log("stopping the bench Neo4j server")
            own_server.__exit__(None, None, None)

    return _finish(results, report, started, smoke, out)


def _finish(results: dict[str, Any], report: Report, started: float, smoke: bool, out: Path | None) -> dict[str, Any]:
    wall = time.monotonic() - started
    results["wall_seconds"] = wall
    if not smoke:
        report.add("total", "make bench wall time", wall / 60, "min", "<= 15 min", lambda v: v <= 15)
    else:
        report.add("total", "smoke wall time", wall, "s")
    results["figures"] = [f.to_json() for f in report.figures]
    results["summary"] = {"pass": sum(f.status == "PASS" for f in report.figures),
                          "miss": sum(f.status == "MISS" for f in report.figures),
                          "missed": [f"{f.section}: {f.name}" for f in report.figures if f.status == "MISS"]}
    results["table"] = report.table()
    out = out or RESULTS_DIR / ("smoke.json" if smoke else "latest.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=_json_default), encoding="utf-8")
    results["out"] = str(out)
    return results


def diagnostics(results: dict[str, Any]) -> str:
    """Where the time goes, for the figures that miss their targets (details are in the JSON)."""
    lines = ["where the time goes:"]
    extraction = results.get("extraction") or {}
    components = extraction.get("component_seconds") or {}
    total = sum(components.values()) or 1.0
    if components:
        shares = sorted(components.items(), key=lambda kv: -kv[1])
        lines.append("  extraction, share of pipeline time per component: "
                     + ", ".join(f"{name} {100 * sec / total:.0f}%" for name, sec in shares))
    if extraction.get("hotspots"):
        lines.append("  extraction, hottest own frames: " + ", ".join(
            f"{h['where']} {h['function']} {100 * h['share']:.0f}%" for h in extraction["hotspots"][:5]))
    answering = results.get("answering") or {}
    calls = answering.get("cypher_of_one_ask") or []
    if calls:
        counts: dict[str, int] = {}
        for call in calls:
            counts[call["query"]] = counts.get(call["query"], 0) + 1
        lines.append(f"  ask, {len(calls)} Cypher reads per uncached answer (one read transaction): "
                     + ", ".join(f"{name} x{n}" for name, n in counts.items()))
    profile = answering.get("profile") or {}
    if profile.get("hotspots"):
        lines.append(f"  ask in process: {profile['wall_ms_per_ask']:.0f} ms wall, "
                     f"{profile.get('cpu_ms_per_ask') or float('nan'):.0f} ms CPU per answer; hottest (driver time "
                     "charged to the caller): " + ", ".join(
                         f"{h['where']} {h['function']} {100 * h['share']:.0f}%" for h in profile["hotspots"][:6]))
    loading = results.get("loading") or {}
    if loading.get("after_statement"):
        b, a, c = loading["before_statement"], loading["after_statement"], loading["ceiling"]
        lines.append("  loading, Neo4j CPU per relationship: before "
                     f"{b['neo4j_cpu_us_per_relationship']:.0f} us, now {a['neo4j_cpu_us_per_relationship']:.0f} us, "
                     f"bare CREATE ceiling {c['neo4j_cpu_us_per_relationship']:.0f} us "
                     f"(50,000 rels/s needs <= 20 us on one core)")
    if loading.get("store_mb"):
        conf = (results.get("machine") or {}).get("neo4j_conf") or {}
        lines.append(f"  loading, store {loading['store_mb']['total']:,.0f} MB vs page cache "
                     f"{conf.get('server.memory.pagecache.size', '?')}")
    return "\n".join(lines) if len(lines) > 1 else ""


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny version of every part (seconds, plus the server start)")
    parser.add_argument("--out", type=Path, help="where to write the JSON (default bench/results/latest.json, "
                                                 "or smoke.json with --smoke)")
    parser.add_argument("--only", action="append", choices=["extraction", "answering", "loading", "scale"],
                        help="run only these parts (repeatable)")
    parser.add_argument("--stream-budget", type=float, metavar="SECONDS",
                        help="time budget of the 100k-document stream (default: what the 15 minutes leave, "
                             "60-300 s)")
    parser.add_argument("--neo4j-conf", action="append", default=[], metavar="KEY=VALUE",
                        help="override one setting of graph/server/neo4j.conf for the bench server (repeatable), "
                             "e.g. server.memory.pagecache.size=3g")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.neo4j_conf)
    sections = tuple(args.only) if args.only else ("extraction", "answering", "loading", "scale")
    with Stopwatch() as sw:
        results = run_all(smoke=args.smoke, out=args.out, sections=sections, stream_budget_s=args.stream_budget,
                          neo4j_conf=overrides)
    machine = results.get("machine", {})
    print()
    print(f"MDSKG benchmark ({results['mode']}) — {machine.get('cpu_count')} CPUs, {machine.get('memory_gb')} GB, "
          f"Python {machine.get('python')}, Neo4j {machine.get('neo4j_server')} {machine.get('neo4j_edition') or ''}, "
          f"spaCy {machine.get('spacy')}; load average {machine.get('loadavg_start')} → {machine.get('loadavg_end')}")
    print()
    print(results["table"])
    if results.get("scale"):
        print()
        print(results["scale"]["plans_text"])
    text = diagnostics(results)
    if text:
        print()
        print(text)
    summary = results["summary"]
    print()
    print(f"{summary['pass']} PASS, {summary['miss']} MISS; wall time {sw.seconds / 60:.1f} min; results: {results['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
