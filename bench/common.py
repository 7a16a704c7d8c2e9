"""Shared pieces of the benchmark: figures with targets, timing, memory sampling, the bench server.

Every measured number becomes a `Figure` (section, name, value, unit, target, PASS/MISS/info),
so the printed table and bench/results/latest.json say the same thing.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from mdskg.settings import PROJECT_ROOT, Settings, load_settings

RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
# The bench server's own home: separate from the development (.neo4j) and test (.neo4j-test)
# servers, under .cache/ (git-ignored). Its data folder is wiped before every run.
BENCH_HOME = Path(os.environ.get("MDSKG_BENCH_NEO4J_HOME", PROJECT_ROOT / ".cache" / "neo4j-bench"))
BENCH_PASSWORD = "bench-" + "password-5e1a"  # a throwaway loopback-only server's password, not a secret


# ---- figures --------------------------------------------------------------------------------

@dataclass
class Figure:
    section: str
    name: str
    value: Any
    unit: str = ""
    target: str = ""  # human-readable target, e.g. ">= 60%"; empty: reported for information
    passed: bool | None = None  # None: no target
    note: str = ""

    @property
    def status(self) -> str:
        return "-" if self.passed is None else ("PASS" if self.passed else "MISS")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status
        return data


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, section: str, name: str, value: Any, unit: str = "", target: str = "",
            check: Callable[[Any], bool] | None = None, note: str = "") -> Figure:
        passed = None
        if check is not None and value is not None:
            try:
                passed = bool(check(value))
            except TypeError:
                passed = False
        figure = Figure(section, name, value, unit, target, passed, note)
        self.figures.append(figure)
        return figure

    def table(self) -> str:
        rows = [("section", "figure", "value", "target", "status")]
        for f in self.figures:
            value = f"{fmt(f.value)} {f.unit}".strip()
            rows.append((f.section, f.name + (f"  [{f.note}]" if f.note else ""), value, f.target or "-", f.status))
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        widths[1] = min(widths[1], 78)
        lines = []
        for index, row in enumerate(rows):
            cells = [row[0].ljust(widths[0]), _clip(row[1], widths[1]).ljust(widths[1]), row[2].rjust(widths[2]),
                     row[3].ljust(widths[3]), row[4]]
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


# ---- timing ---------------------------------------------------------------------------------

def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "mean_ms": sum(ms) / len(ms) if ms else float("nan"), "max_ms": max(ms) if ms else float("nan")}


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


# ---- memory ---------------------------------------------------------------------------------

def rss_mb(pid: int | None = None) -> float:
    try:
        return psutil.Process(pid or os.getpid()).memory_info().rss / 2**20
    except psutil.Error:
        return float("nan")


class RssSampler:
    """Samples the RSS of a process in a background thread; `peak_mb` is the largest seen."""

    def __init__(self, pid: int | None = None, interval_s: float = 0.1):
        self.pid = pid or os.getpid()
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self.start_mb = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        self.start_mb = self.peak_mb = rss_mb(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            value = rss_mb(self.pid)
            if value == value and value > self.peak_mb:
                self.peak_mb = value

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        value = rss_mb(self.pid)
        if value == value:
            self.peak_mb = max(self.peak_mb, value)


# ---- ports and the bench server -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_settings(bolt_port: int, http_port: int, home: Path = BENCH_HOME) -> Settings:
    env = {
        "NEO4J_URI": f"neo4j://localhost:{bolt_port}",
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": BENCH_PASSWORD,
        "NEO4J_DATABASE": "neo4j",
        "MDSKG_NEO4J_HOME": str(home),
        "MDSKG_NEO4J_BOLT_PORT": str(bolt_port),
        "MDSKG_NEO4J_HTTP_PORT": str(http_port),
        "MDSKG_LOG_LEVEL": "WARNING",
    }
    if os.environ.get("MDSKG_JAVA_HOME"):
        env["MDSKG_JAVA_HOME"] = os.environ["MDSKG_JAVA_HOME"]
    return load_settings(environ=env, dotenv=Path("/nonexistent"))


def _reuse_jars(home: Path) -> None:
    """Point the bench home's lib/ at an already resolved jar folder (same pom), if there is one."""
    from graph.server.manager import POM

    lib = home / "lib"
    if lib.exists() or lib.is_symlink():
        return
    pom = POM.read_text(encoding="utf-8").strip()
    for other in (PROJECT_ROOT / ".neo4j-test" / "lib", PROJECT_ROOT / ".neo4j" / "lib"):
        marker = other / ".resolved"
        if marker.is_file() and marker.read_text(encoding="utf-8").strip() == pom:
            home.mkdir(parents=True, exist_ok=True)
            lib.symlink_to(other.resolve(), target_is_directory=True)
            return


def _server_class(overrides: dict[str, str]):
    """LocalNeo4j, writing the project's neo4j.conf with `overrides` (key=value) applied on top."""
    from graph.server.manager import LocalNeo4j

    if not overrides:
        return LocalNeo4j

    class OverriddenNeo4j(LocalNeo4j):
        def write_config(self) -> None:
            super().write_config()
            conf = self.home / "conf" / "neo4j.conf"
            lines = [line for line in conf.read_text(encoding="utf-8").splitlines()
                     if line.partition("=")[0].strip() not in overrides]
            lines += [f"{key}={value}" for key, value in overrides.items()]
            conf.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return OverriddenNeo4j


class BenchServer:
    """The benchmark's own Neo4j Community server: own home and ports, fresh data, stopped at the end.

    By default it runs the project's graph/server/neo4j.conf unchanged; `conf_overrides`
    (`--neo4j-conf key=value`) replaces single settings, e.g. a larger page cache."""

    def __init__(self, home: Path = BENCH_HOME, log: Callable[[str], None] = print,
                 conf_overrides: dict[str, str] | None = None):
        self.home = home
        self.log = log
        self.conf_overrides = dict(conf_overrides or {})
        self.settings = bench_settings(free_port(), free_port(), home)
        self.server = _server_class(self.conf_overrides)(self.settings)
        self.start_seconds = 0.0

    def __enter__(self) -> BenchServer:
        import fcntl

        self.home.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.home / "bench.lock", "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise RuntimeError(
                f"another benchmark is using {self.home} (its lock is held); wait for it to finish") from None
        if self.server.pid() is not None:  # a bench server left over from an interrupted run
            self.server.stop()
        for sub in ("data", "logs", "run"):
            shutil.rmtree(self.home / sub, ignore_errors=True)
        (self.home / "credentials").unlink(missing_ok=True)
        _reuse_jars(self.home)
        with Stopwatch() as sw:
            self.server.start(log=self.log)
        self.start_seconds = sw.seconds
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.server.stop()
        except Exception as err:  # noqa: BLE001 - report, never mask the run's own error
            self.log(f"warning: the bench Neo4j did not stop cleanly: {err}")
        finally:
            if getattr(self, "_lock", None):
                self._lock.close()  # releases the lock

    @property
    def pid(self) -> int | None:
        return self.server.pid()


# ---- machine --------------------------------------------------------------------------------

def machine_info(graph=None, settings: Settings | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    import neo4j
    import spacy

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpu_count_physical": psutil.cpu_count(logical=False),
        "cpu_model": _cpu_model(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "spacy": spacy.__version__,
        "neo4j_driver": neo4j.__version__,
        "neo4j_server": None,
        "neo4j_edition": None,
    }
    try:
        from graph.server.manager import neo4j_version

        info["neo4j_server_pom"] = neo4j_version()
    except Exception:  # noqa: BLE001
        pass
    if graph is not None:
        try:
            from graph.reads import server_version

            row = server_version(graph)
            info["neo4j_server"], info["neo4j_edition"] = row.version, row.edition
        except Exception:  # noqa: BLE001
            pass
    if settings is not None:
        info["settings"] = {env: shown for env, shown, _ in settings.masked()
                            if env.startswith(("NEO4J_", "MDSKG_"))}
    try:
        from graph.server.manager import CONF_TEMPLATE

        conf = {}
        for line in CONF_TEMPLATE.read_text(encoding="utf-8").splitlines():
            if line.startswith(("server.memory.", "db.memory.", "db.transaction.timeout")):
                key, _, value = line.partition("=")
                conf[key.strip()] = value.strip()
        info["neo4j_conf"] = conf
    except Exception:  # noqa: BLE001
        pass
    info.update(extra or {})
    return info


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
