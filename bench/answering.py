"""Answering latency: `ask` through gunicorn, against the layers underneath it.

In one run, at concurrency 1, 8 and 32 (a bounded number of requests per level, loopback only):

* `ask` through `gunicorn service.wsgi:app` (the `mdskg serve` command line: its workers and
  threads), template writer (no ANTHROPIC_API_KEY), cycling through QUESTIONS (the seed and nine
  other everyday questions), in three configurations:
  - as served (the default settings: response cache and read cache on) — repeated questions,
    the steady state of a public service; the targets apply here;
  - response cache off, read cache on — every answer composed again, its graph reads shared;
  - both caches off — every answer composed from Neo4j reads (the cost of a question never seen);
* a no-op GraphQL field `{ __typename }` through the same gunicorn: HTTP + Flask + GraphQL alone;
* the seed's main path query (graph/cypher/therapy_recommendations.cypher with the parameters
  the seed's composition uses) through the raw Neo4j driver;
* every Cypher statement one seed `ask` runs, replayed in order through the raw driver: the
  database's share of an answer.

The ratios say what each layer costs. When a target is missed, pyinstrument profiles
`answer_question` in process and the hottest frames of our code are reported (file:line).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import Report, Stopwatch, free_port, latency_summary, log
from mdskg.settings import PROJECT_ROOT, Settings

SECTION = "answering"
SEED = "What is immunotherapy and does it work for MDS?"
ASK = """
query Ask($q: String!) {
  ask(question: $q) {
    question intent covered writer grounded disclaimer text
    entities { id label name }
    paths { text nodes { id label name } steps { type fromId toId citations { id } } }
    therapies { id name }
    sections { title body }
    citations { id title year url }
    facts { id section text citations }
  }
}"""
TYPENAME = "{ __typename }"
QUESTIONS = (
    SEED,
    "Does luspatercept help with anemia in MDS?",
    "What is lenalidomide used for in del(5q) MDS?",
    "Is a bone marrow transplant an option for higher-risk MDS?",
    "How do azacitidine and decitabine work?",
    "What is IPSS-R?",
    "What are ring sideroblasts?",
    "Can ESAs treat anemia in lower-risk MDS?",
    "What is hypocellular MDS?",
    "What is ivosidenib?",
)
# name → (label in the table, environment of its gunicorn)
CONFIGURATIONS = {
    "ask": ("ask (as served: caches on)", {}),
    "ask_read_cache": ("ask, response cache off (each answer composed, reads cached)",
                       {"MDSKG_RESPONSE_CACHE_ENTRIES": "0"}),
    "ask_uncached": ("ask, caches off (each answer composed from Neo4j reads)",
                     {"MDSKG_RESPONSE_CACHE_ENTRIES": "0", "MDSKG_READ_CACHE_ENTRIES": "0"}),
}
LEVELS = (1, 8, 32)


# ---- gunicorn ---------------------------------------------------------------------------------

class Gunicorn:
    """`gunicorn service.wsgi:app` as `mdskg serve` runs it, on a free loopback port."""

    def __init__(self, settings: Settings, extra_env: dict[str, str] | None = None, name: str = "gunicorn"):
        self.settings = settings
        self.extra_env = dict(extra_env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = PROJECT_ROOT / ".cache" / f"bench-{name}.log"

    def command(self) -> list[str]:
        s = self.settings
        return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(s.workers),
                "--threads", str(s.threads), "--timeout", str(int(s.request_deadline_s) + 30), "service.wsgi:app"]

    def env(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        env.update({
            "NEO4J_URI": s.neo4j_uri, "NEO4J_USER": s.neo4j_user, "NEO4J_PASSWORD": s.resolved_neo4j_password or "",
            "NEO4J_DATABASE": s.neo4j_database, "MDSKG_NEO4J_HOME": str(s.neo4j_home),
            "ANTHROPIC_API_KEY": "", "MDSKG_API_KEYS": "", "MDSKG_RATE_LIMIT_PER_MINUTE": "0",
            "MDSKG_LOG_LEVEL": "WARNING", "MDSKG_WORKERS": str(s.workers), "MDSKG_THREADS": str(s.threads),
        })
        env.update(self.extra_env)
        return env

    def __enter__(self) -> Gunicorn:
        import httpx

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(self.command(), cwd=PROJECT_ROOT, env=self.env(), stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                response = httpx.get(self.url + "/readyz", timeout=5)
                if response.status_code == 200:
                    return self
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn was not ready within 60s: {last}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    @property
    def pids(self) -> list[int]:
        import psutil

        if not self.process:
            return []
        try:
            parent = psutil.Process(self.process.pid)
            return [parent.pid] + [c.pid for c in parent.children(recursive=True)]
        except psutil.Error:
            return []


# ---- load generation --------------------------------------------------------------------------

def run_level(make_call: Callable[[], Callable[[], bool]], concurrency: int, requests: int,
              max_seconds: float) -> dict[str, Any]:
    """`requests` calls spread over `concurrency` threads (each with its own client); latencies."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    stop_at = time.perf_counter() + max_seconds

    def worker() -> None:
        nonlocal errors
        call = make_call()
        while True:
            with lock:
                if next(counter, None) is None or time.perf_counter() > stop_at:
                    return
            start = time.perf_counter()
            try:
                ok = call()
            except Exception:  # noqa: BLE001 - counted, the run goes on
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    with Stopwatch() as sw:
        with ThreadPoolExecutor(concurrency) as pool:
            for future in [pool.submit(worker) for _ in range(concurrency)]:
                future.result()
    summary = latency_summary(latencies)
    summary.update(concurrency=concurrency, errors=errors, seconds=sw.seconds,
                   requests_per_s=len(latencies) / sw.seconds if sw.seconds else float("nan"),
                   complete=len(latencies) >= requests)
    return summary


def http_call(url: str, payload: dict[str, Any] | list[dict[str, Any]],
              check: Callable[[dict], bool]) -> Callable[[], Callable[[], bool]]:
    """POSTs to /graphql; a list of payloads is taken in turn across all threads."""
    import itertools

    payloads = itertools.cycle(payload if isinstance(payload, list) else [payload])
    lock = threading.Lock()

    def make() -> Callable[[], bool]:
        import httpx

        client = httpx.Client(timeout=60)

        def call() -> bool:
            with lock:
                body = next(payloads)
            response = client.post(url + "/graphql", json=body)
            return response.status_code == 200 and check(response.json())

        return call

    return make


def ask_payloads() -> list[dict[str, Any]]:
    return [{"query": ASK, "variables": {"q": q}} for q in QUESTIONS]


def _answered(body: dict) -> bool:
    return bool(body.get("data") and body["data"]["ask"]["covered"] and not body.get("errors"))


def driver_call(driver, database: str, statements: list[tuple[str, dict]]) -> Callable[[], Callable[[], bool]]:
    """Each statement as its own `execute_query` (what graph/db.py `Graph.read` does)."""
    from neo4j import RoutingControl

    def make() -> Callable[[], bool]:
        def call() -> bool:
            for statement, params in statements:
                driver.execute_query(statement, parameters_=params, routing_=RoutingControl.READ, database_=database)
            return True

        return call

    return make


def driver_one_transaction(driver, database: str, statements: list[tuple[str, dict]]) -> Callable[[], Callable[[], bool]]:
    """All statements in one read transaction of one session: one BEGIN/COMMIT instead of one per statement."""

    def make() -> Callable[[], bool]:
        def work(tx) -> None:
            for statement, params in statements:
                tx.run(statement, **params).data()

        def call() -> bool:
            with driver.session(database=database) as session:
                session.execute_read(work)
            return True

        return call

    return make


# ---- in-process: the Cypher of one ask, and a profile -------------------------------------------

def recorded_ask(graph, settings: Settings) -> tuple[list[tuple[str, dict]], list[dict[str, Any]], Any]:
    """The Cypher statements (with parameters) one seed `ask` runs, in order, with their times
    (each run on its own here, so each can be timed)."""
    from contextlib import contextmanager

    from graph import cypher
    from service.answer import answer_question

    names = {cypher.load(path.stem): path.stem for path in Path(cypher.__file__).parent.glob("*.cypher")}
    calls: list[tuple[str, dict]] = []
    timings: list[dict[str, Any]] = []

    class Recorder:
        def read(self, name, timeout_s=None, **params):
            return self.read_text(cypher.load(name), timeout_s=timeout_s, **params)

        def read_text(self, statement, timeout_s=None, **params):
            calls.append((statement, dict(params)))
            with Stopwatch() as sw:
                rows = graph.read_text(statement, timeout_s=timeout_s, **params)
            timings.append({"query": names.get(statement, statement.strip().splitlines()[0][:60]),
                            "ms": round(1000 * sw.seconds, 2), "rows": len(rows)})
            return rows

        @contextmanager
        def reading(self, timeout_s=None):
            yield self

        def __getattr__(self, name):
            return getattr(graph, name)

    answer_question(graph, SEED, settings)  # warm: plan cache, lazy imports, ontology
    answer = answer_question(Recorder(), SEED, settings)
    return calls, timings, answer


def profile_ask(graph, settings: Settings, repeats: int, read_cache: bool = False) -> dict[str, Any]:
    """`answer_question` over QUESTIONS in process: straight from Neo4j, or (`read_cache`) through
    the service's read cache, filled by one untimed pass first."""
    from pyinstrument import Profiler

    from bench.extraction import top_frames
    from service.answer import answer_question
    from service.cache import GraphVersion, LruCache, ReadCache

    reads = graph
    if read_cache:
        reads = ReadCache(graph, GraphVersion(lambda: graph, 0).token(), LruCache(settings.read_cache_entries))
        for question in QUESTIONS:
            answer_question(reads, question, settings)
    profiler = Profiler(interval=0.0005)
    with Stopwatch() as sw:
        profiler.start()
        for i in range(repeats):
            answer_question(reads, QUESTIONS[i % len(QUESTIONS)], settings)
        profiler.stop()
    session = profiler.last_session
    return {"asks": repeats, "wall_ms_per_ask": 1000 * sw.seconds / repeats,
            "cpu_ms_per_ask": 1000 * session.cpu_time / repeats if session and session.cpu_time else None,
            "hotspots": top_frames(profiler, 12, own_code=("service/",))}


# ---- the run -----------------------------------------------------------------------------------

def run(report: Report, settings: Settings, graph, smoke: bool = False,
        ask_requests: dict[int, int] | None = None, cheap_requests: dict[int, int] | None = None,
        max_seconds_per_level: float = 25.0) -> dict[str, Any]:
    from contextlib import ExitStack

    from neo4j import GraphDatabase

    from graph import cypher

    ask_requests = ask_requests or {1: 120, 8: 240, 32: 320}
    cheap_requests = cheap_requests or {1: 300, 8: 800, 32: 960}
    if smoke:
        ask_requests, cheap_requests, max_seconds_per_level = {1: 3, 8: 8, 32: 32}, {1: 5, 8: 16, 32: 32}, 20.0
    details: dict[str, Any] = {"question": SEED, "questions": list(QUESTIONS), "workers": settings.workers,
                               "threads": settings.threads, "levels": {},
                               "configurations": {k: {"label": v[0], "env": v[1]} for k, v in CONFIGURATIONS.items()}}

    log("answering: recording the Cypher of one seed ask")
    statements, timings, answer = recorded_ask(graph, settings)
    details["cypher_of_one_ask"] = timings
    details["seed_answer"] = {"covered": answer.covered, "writer": answer.writer, "grounded": answer.grounded,
                              "facts": len(answer.facts), "citations": len(answer.citations)}
    path_statement = cypher.load("therapy_recommendations")
    # the seed's main path query: the therapy_recommendations call that returned the most rows
    path_calls = [(t["rows"], p) for (s, p), t in zip(statements, timings, strict=True) if s == path_statement]
    path_params = max(path_calls, key=lambda c: c[0])[1] if path_calls else None
    if path_params is None:
        path_params = {"therapy_id": "MDSKG:therapy/ist", "disease_id": "NCIT:C3247", "limit": 40}
    details["path_query_params"] = path_params
    details["cypher_per_ask"] = len(statements)

    driver = GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.resolved_neo4j_password))
    try:
        with ExitStack() as stack:
            servers = {name: stack.enter_context(Gunicorn(settings, env, name=f"gunicorn-{name}"))
                       for name, (_, env) in CONFIGURATIONS.items()}
            details["gunicorn"] = " ".join(servers["ask"].command()[1:])
            kinds = {
                name: (http_call(server.url, ask_payloads(), _answered),
                       cheap_requests if name == "ask" else ask_requests)
                for name, server in servers.items()
            }
            kinds.update({
                "graphql_typename": (http_call(servers["ask"].url, {"query": TYPENAME},
                                               lambda body: body.get("data") == {"__typename": "Query"}),
                                     cheap_requests),
                "driver_path_query": (driver_call(driver, settings.neo4j_database, [(path_statement, path_params)]),
                                      cheap_requests),
                "driver_all_cypher_of_one_ask": (driver_call(driver, settings.neo4j_database, statements),
                                                 ask_requests),
                "driver_all_cypher_one_transaction": (driver_one_transaction(driver, settings.neo4j_database,
                                                                             statements), ask_requests),
            })
            # The warm-up asks every question at least once per worker, so the figures are the
            # steady state (plans compiled, caches filled), not first-request costs.
            log("answering: warm-up")
            for make, _ in kinds.values():
                run_level(make, 4, max(4, 2 * len(QUESTIONS) * settings.workers) if not smoke else 4, 30)
            for level in LEVELS:
                for name, (make, counts) in kinds.items():
                    log(f"answering: {name} at concurrency {level} ({counts[level]} requests)")
                    details["levels"].setdefault(str(level), {})[name] = run_level(
                        make, level, counts[level], max_seconds_per_level)
    finally:
        driver.close()

    at8 = details["levels"]["8"]
    for level in LEVELS:
        row = details["levels"][str(level)]
        target = level == 8
        for name, (label, _) in CONFIGURATIONS.items():
            ask = row[name]
            report.add(SECTION, f"{label}: p50, concurrency {level}", ask["p50_ms"], "ms",
                       "<= 20 ms" if target else "", (lambda v: v <= 20) if target else None)
            report.add(SECTION, f"{label}: p95, concurrency {level}", ask["p95_ms"], "ms")
            report.add(SECTION, f"{label}: p99, concurrency {level}", ask["p99_ms"], "ms",
                       "<= 100 ms" if target else "", (lambda v: v <= 100) if target else None)
            report.add(SECTION, f"{label}: requests/s, concurrency {level}", ask["requests_per_s"], "req/s",
                       note=f"{ask['n']} requests, {ask['errors']} errors")
        for name, label in (("graphql_typename", "GraphQL { __typename }"), ("driver_path_query", "raw driver path query"),
                            ("driver_all_cypher_of_one_ask", f"raw driver, all {len(statements)} Cypher of one ask"),
                            ("driver_all_cypher_one_transaction", "the same in one read transaction")):
            r = row[name]
            report.add(SECTION, f"{label}, concurrency {level}: p50/p99",
                       f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}", "ms", note=f"{r['requests_per_s']:.0f} req/s")
    details["ratios_c8"] = {}
    path_p50 = at8["driver_path_query"]["p50_ms"]
    all_p50 = at8["driver_all_cypher_of_one_ask"]["p50_ms"]
    for name, (label, _) in CONFIGURATIONS.items():
        ratio = at8[name]["p50_ms"] / path_p50
        ratio_all = at8[name]["p50_ms"] / all_p50
        report.add(SECTION, f"{label}: p50 / raw driver path query p50 (c=8)", ratio, "x", "<= 2x", lambda v: v <= 2)
        report.add(SECTION, f"{label}: p50 / raw driver, all Cypher of one ask p50 (c=8)", ratio_all, "x", "<= 2x",
                   lambda v: v <= 2)
        details["ratios_c8"][name] = {"ask_over_path_query": ratio, "ask_over_all_cypher": ratio_all}
    report.add(SECTION, "GraphQL no-op p50 / raw driver path query p50 (c=8)",
               at8["graphql_typename"]["p50_ms"] / path_p50, "x")

    log("answering: profiling answer_question in process (pyinstrument)")
    details["profile"] = profile_ask(graph, settings, 3 if smoke else 40)
    details["profile_read_cache"] = profile_ask(graph, settings, 3 if smoke else 40, read_cache=True)
    for key, label in (("profile", "caches off"), ("profile_read_cache", "reads cached")):
        prof = details[key]
        report.add(SECTION, f"in-process answer_question, {label}: wall / CPU per ask",
                   f"{prof['wall_ms_per_ask']:.1f} / {prof['cpu_ms_per_ask'] or float('nan'):.1f}", "ms",
                   note=f"{len(statements)} Cypher reads per uncached ask")
    return details
