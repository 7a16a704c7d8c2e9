"""Fetch, configure, start and stop the local Neo4j Community server.

The server's jars come from Maven Central through graph/server/pom.xml; the server runs
on the machine's JDK with Neo4j's own boot loader (`org.neo4j.server.startup.Neo4jCommand`),
the same entry point the official distribution's `bin/neo4j` script uses.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mdskg.errors import MdskgError
from mdskg.settings import Settings

SERVER_DIR = Path(__file__).resolve().parent
POM = SERVER_DIR / "pom.xml"
CONF_TEMPLATE = SERVER_DIR / "neo4j.conf"
PLUGINS_POM = SERVER_DIR / "plugins.xml"  # APOC core and what it needs, into plugins/
APOC_CONF = SERVER_DIR / "apoc.conf"
BOOT_CLASS = "org.neo4j.server.startup.Neo4jCommand"
ADMIN_CLASS = "org.neo4j.server.startup.Neo4jAdminCommand"
MIN_JAVA = 21


class Neo4jServerError(MdskgError, RuntimeError):
    """A one-line, user-facing reason why the server could not be managed."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_url: str
    browser_url: str
    version: str | None = None


def neo4j_version() -> str:
    match = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text(encoding="utf-8"))
    if not match:
        raise Neo4jServerError(f"no <neo4j.version> in {POM}")
    return match.group(1)


class LocalNeo4j:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = Path(settings.neo4j_home).resolve()
        self.bolt_port = int(settings.neo4j_bolt_port)
        self.http_port = int(settings.neo4j_http_port)

    # ---- paths and urls --------------------------------------------------------------------
    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def plugins(self) -> Path:
        return self.home / "plugins"

    @property
    def import_dir(self) -> Path:
        """Where APOC's export procedures write (apoc.conf: the server's import folder)."""
        return self.home / "import"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def credentials_file(self) -> Path:
        return self.home / "credentials"

    @property
    def bolt_url(self) -> str:
        return f"neo4j://localhost:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://localhost:{self.http_port}/browser/"

    # ---- set-up ----------------------------------------------------------------------------
    def java_home(self) -> Path:
        candidates: list[Path] = []
        for value in (self.settings.java_home, os.environ.get("JAVA_HOME")):
            if value:
                candidates.append(Path(value))
        jvm_root = Path("/usr/lib/jvm")
        if jvm_root.is_dir():
            candidates += sorted((p for p in jvm_root.iterdir() if (p / "bin" / "java").exists()), reverse=True)
        seen = []
        for home in candidates:
            version = _java_major(home)
            seen.append(f"{home} ({version or 'unknown'})")
            if version and version >= MIN_JAVA:
                return home
        if not candidates and shutil.which("java") is None:
            raise Neo4jServerError(
                f"Java is missing: Neo4j {neo4j_version()} needs a JDK {MIN_JAVA}+ (apt-get install openjdk-21-jdk-headless)")
        raise Neo4jServerError(
            f"Neo4j {neo4j_version()} needs Java {MIN_JAVA}+; found only: {', '.join(seen) or 'none'} "
            "(set MDSKG_JAVA_HOME to a newer JDK)")

    def ensure_jars(self) -> bool:
        """Resolve the server's jars into lib/ and its plugins (APOC core) into plugins/ once; later starts
        need no download. True when anything was fetched."""
        fetched = self._resolve(POM, self.lib, f"Neo4j {neo4j_version()}")
        return self._resolve(PLUGINS_POM, self.plugins, "the APOC plugin") or fetched

    def _resolve(self, pom: Path, into: Path, what: str) -> bool:
        marker = into / ".resolved"
        text = pom.read_text(encoding="utf-8")
        if marker.is_file() and marker.read_text().strip() == text.strip():
            return False
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven is missing: the Neo4j jars come from Maven Central (apt-get install maven)")
        if into.is_symlink():
            into.unlink()  # a folder shared from another home (bench): leave the other home's jars alone
        elif into.exists():
            shutil.rmtree(into)
        into.mkdir(parents=True)
        cmd = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
               f"-DoutputDirectory={into}", "-DincludeScope=runtime"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
            raise Neo4jServerError(f"Maven could not resolve {what}: " + " | ".join(tail))
        marker.write_text(text)
        return True

    def write_config(self) -> None:
        conf_dir = self.home / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        text = CONF_TEMPLATE.read_text(encoding="utf-8")
        text = (text.replace("${BOLT_PORT}", str(self.bolt_port))
                    .replace("${HTTP_PORT}", str(self.http_port))
                    .replace("${HOME}", str(self.home)))
        (conf_dir / "neo4j.conf").write_text(text, encoding="utf-8")
        (conf_dir / "apoc.conf").write_text(APOC_CONF.read_text(encoding="utf-8"), encoding="utf-8")

    def initial_password(self) -> str:
        """The configured password, or one generated once for this local server."""
        if self.settings.neo4j_password:
            return str(self.settings.neo4j_password)
        if self.credentials_file.is_file():
            return self.credentials_file.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(18)
        self.credentials_file.parent.mkdir(parents=True, exist_ok=True)
        self.credentials_file.write_text(password + "\n", encoding="utf-8")
        self.credentials_file.chmod(0o600)
        return password

    def _database_created(self) -> bool:
        return (self.home / "data" / "databases" / "system").exists()

    # ---- running the boot loader ----------------------------------------------------------
    def _env(self, java_home: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update(JAVA_HOME=str(java_home), NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.home / "conf"))
        env.pop("NEO4J_PASSWORD", None)
        return env

    def _java(self, java_home: Path, main_class: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        cmd = [str(java_home / "bin" / "java"), "-cp", f"{self.lib}/*", f"-Dbasedir={self.home}", main_class, *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=self._env(java_home), timeout=timeout,
                              cwd=self.home)

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and b"neo4j" not in cmdline.read_bytes().lower():
            return None  # a stale pid file whose number now belongs to something else
        return pid

    # ---- public operations -----------------------------------------------------------------
    def status(self) -> ServerStatus:
        return ServerStatus(self.pid() is not None, self.pid(), self.bolt_url, self.browser_url, neo4j_version())

    def start(self, wait_s: float = 180.0, log: Callable[[str], object] = print) -> ServerStatus:
        if self.pid() is not None:
            self.wait_for_bolt(wait_s)
            return self.status()
        java_home = self.java_home()
        if self.ensure_jars():
            log(f"fetched Neo4j {neo4j_version()} and APOC jars from Maven Central into {self.lib} and {self.plugins}")
        for port, what in ((self.bolt_port, "Bolt"), (self.http_port, "HTTP")):
            if port_in_use(port):
                raise Neo4jServerError(
                    f"port {port} ({what}) is taken by another process; stop it or set "
                    f"MDSKG_NEO4J_{'BOLT' if what == 'Bolt' else 'HTTP'}_PORT")
        self.write_config()
        password = self.initial_password()
        if not self._database_created():
            result = self._java(java_home, ADMIN_CLASS, "dbms", "set-initial-password", password)
            if result.returncode != 0:
                raise Neo4jServerError("could not set the initial password: " + _last_line(result))
        result = self._java(java_home, BOOT_CLASS, "start")
        if result.returncode != 0:
            raise Neo4jServerError(self._explain_failure(_last_line(result)))
        try:
            self.wait_for_bolt(wait_s)
        except Neo4jServerError:
            raise
        return self.status()

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        if self.pid() is None:
            return False
        java_home = self.java_home()
        result = self._java(java_home, BOOT_CLASS, "stop", timeout=180)
        if result.returncode != 0 and self.pid() is not None:
            raise Neo4jServerError("Neo4j did not stop: " + _last_line(result))
        return True

    def wait_for_bolt(self, wait_s: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        deadline = time.monotonic() + wait_s
        password = self.settings.resolved_neo4j_password or self.initial_password()
        last_error = "no answer"
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise Neo4jServerError(self._explain_failure("the server process exited during start-up"))
            try:
                with GraphDatabase.driver(f"bolt://localhost:{self.bolt_port}",
                                          auth=(self.settings.neo4j_user, password),
                                          connection_timeout=2) as driver:
                    driver.verify_connectivity()
                    return
            except AuthError:
                raise Neo4jServerError(
                    f"Neo4j at bolt://localhost:{self.bolt_port} rejected the password for user "
                    f"'{self.settings.neo4j_user}' (check NEO4J_PASSWORD)") from None
            except (ServiceUnavailable, OSError) as exc:
                last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            time.sleep(0.5)
        raise Neo4jServerError(f"Bolt did not answer within {wait_s:.0f}s: {last_error}; see {self.home / 'logs'}")

    def _explain_failure(self, reason: str) -> str:
        log = self.home / "logs" / "neo4j.log"
        text = log.read_text(encoding="utf-8", errors="replace")[-20000:] if log.is_file() else ""
        if "locked by another process" in text.lower() or "filelockexception" in text.lower():
            return f"the data folder {self.home / 'data'} is locked by another Neo4j process; stop that one first"
        if "address already in use" in text.lower():
            return "a port Neo4j needs is taken by another process"
        return f"Neo4j failed to start: {reason} (see {log})"

    def memory_rss_mb(self) -> float | None:
        pid = self.pid()
        if pid is None:
            return None
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _java_major(java_home: Path) -> int | None:
    release = java_home / "release"
    if release.is_file():
        match = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
        if match:
            return int(match.group(1))
    java = java_home / "bin" / "java"
    if not java.exists():
        return None
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else None


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if line.strip() and not line.startswith("WARNING") and not set(line.strip()) <= {"-"}]
    return lines[-1].strip() if lines else f"exit code {result.returncode}"
