"""Test fixtures: a real Neo4j Community server that this test session starts and stops.

The test server has its own home (.neo4j-test/), ports (17687/17474 by default) and a fresh
database each session, so it never touches the development server of `make run`.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from mdskg.settings import PROJECT_ROOT, load_settings
from tests.shared_data import README_HINT, SHARED

# SHARED: the shared public test data, `PROJECT_ROOT.parent / "shared"` unless MDSKG_SHARED_DIR names
# another folder. Tests that need a file of it use `requires_shared("data/…")` (tests/shared_data.py).
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
TEST_HOME = Path(os.environ.get("MDSKG_TEST_NEO4J_HOME", PROJECT_ROOT / ".neo4j-test"))
TEST_BOLT = int(os.environ.get("MDSKG_TEST_NEO4J_BOLT_PORT", "17687"))
TEST_HTTP = int(os.environ.get("MDSKG_TEST_NEO4J_HTTP_PORT", "17474"))
TEST_PASSWORD = "test-" + "password-0f3c"  # a throwaway local test server's password, not a secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(**overrides):
    env = {
        "NEO4J_URI": f"neo4j://localhost:{TEST_BOLT}",
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": TEST_PASSWORD,
        "NEO4J_DATABASE": "neo4j",
        "MDSKG_NEO4J_HOME": str(TEST_HOME),
        "MDSKG_NEO4J_BOLT_PORT": str(TEST_BOLT),
        "MDSKG_NEO4J_HTTP_PORT": str(TEST_HTTP),
        "MDSKG_LOG_LEVEL": "WARNING",
    }
    if os.environ.get("MDSKG_JAVA_HOME"):
        env["MDSKG_JAVA_HOME"] = os.environ["MDSKG_JAVA_HOME"]
    return load_settings(environ=env, dotenv=Path("/nonexistent")).with_overrides(**overrides)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared public test data folder (PDQ summaries, ClinicalTrials.gov records, NER "
                    f"corpora, phenopackets, OncoTree, IPSS-M examples, data/real), missing: {SHARED}; put shared/ "
                    f"beside the project root or set MDSKG_SHARED_DIR ({README_HINT})")
    return SHARED


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def neo4j_server():
    """Start the test server on a fresh database; stop it when the session ends."""
    from graph.server.manager import LocalNeo4j

    settings = make_settings()
    server = LocalNeo4j(settings)
    reuse = os.environ.get("MDSKG_TEST_REUSE_NEO4J") == "1" and server.pid() is not None
    if not reuse:
        if server.pid() is not None:
            server.stop()
        for sub in ("data", "logs", "run"):
            shutil.rmtree(TEST_HOME / sub, ignore_errors=True)
        if (TEST_HOME / "credentials").exists():
            (TEST_HOME / "credentials").unlink()
        server.start()
    yield server
    if not reuse and os.environ.get("MDSKG_TEST_KEEP_NEO4J") != "1":
        server.stop()


@pytest.fixture(scope="session")
def settings(neo4j_server):
    return make_settings()


@pytest.fixture(scope="session")
def graph(settings):
    from graph.db import Graph

    g = Graph.connect(settings)
    yield g
    g.close()


@pytest.fixture(scope="session")
def loaded_graph(graph, settings):
    """The test database with the bundled corpus loaded by the real ETL (once per session)."""
    from etl.run import CORPUS_DIR, run_etl

    graph.write_text("MATCH (n) DETACH DELETE n")  # deterministic: only this code's extraction
    report = run_etl([CORPUS_DIR], graph, settings, force=True)
    assert not report.problems, report.to_text()
    return graph


class LiveServer:
    def __init__(self, app, port: int):
        import threading

        from werkzeug.serving import make_server

        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()


@pytest.fixture(scope="session")
def live_server(loaded_graph, settings):
    """The real Flask app on a loopback port, over the loaded test graph."""
    from service.app import create_app

    app = create_app({"SETTINGS": settings})
    server = LiveServer(app, free_port())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server_db_down(settings):
    """The same app configured for a Neo4j that is not there: the 'database down' state."""
    from service.app import create_app

    down = settings.with_overrides(neo4j_uri=f"neo4j://127.0.0.1:{free_port()}")
    server = LiveServer(create_app({"SETTINGS": down}), free_port())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download: the system binary)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed; `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"])
        yield b
        b.close()
