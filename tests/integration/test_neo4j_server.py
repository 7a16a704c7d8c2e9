"""The local Neo4j server: idempotent start/stop and one-line errors."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from graph.server.manager import LocalNeo4j, Neo4jServerError, neo4j_version
from tests.conftest import TEST_HOME, free_port, make_settings


def test_start_is_idempotent(neo4j_server):
    first = neo4j_server.status()
    again = neo4j_server.start()
    assert again.running and again.pid == first.pid


def test_server_is_the_pinned_version(graph):
    rows = graph.read("server_version")
    assert rows[0]["version"] == neo4j_version()
    assert rows[0]["edition"] == "community"


def test_browser_is_served(neo4j_server):
    import requests

    response = requests.get(f"http://localhost:{neo4j_server.http_port}/browser/", timeout=10)
    assert response.status_code == 200
    assert "<html" in response.text.lower() and "neo4j" in response.text.lower()


def test_wrong_password_is_a_clear_error(neo4j_server):
    server = LocalNeo4j(make_settings(neo4j_password="definitely-wrong"))
    with pytest.raises(Neo4jServerError, match="rejected the password for user 'neo4j'"):
        server.wait_for_bolt(20)


def test_cli_status_reports_wrong_password(neo4j_server, tmp_path):
    env = _cli_env(neo4j_server, NEO4J_PASSWORD="definitely-wrong")
    result = subprocess.run([sys.executable, "-m", "mdskg_cli", "neo4j", "status"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: ") and "rejected the password" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_start_and_status_on_running_server(neo4j_server, tmp_path):
    env = _cli_env(neo4j_server)
    start = subprocess.run([sys.executable, "-m", "mdskg_cli", "neo4j", "start"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, timeout=120)
    assert start.returncode == 0, start.stderr
    assert "already running" in start.stdout
    assert f"neo4j://localhost:{neo4j_server.bolt_port}" in start.stdout
    assert f"http://localhost:{neo4j_server.http_port}/browser/" in start.stdout
    status = subprocess.run([sys.executable, "-m", "mdskg_cli", "neo4j", "status"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=60)
    assert status.returncode == 0 and "running" in status.stdout


def test_port_taken_is_a_clear_error(tmp_path):
    port = free_port()
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        server = LocalNeo4j(make_settings(neo4j_home=str(tmp_path / "home"), neo4j_bolt_port=port,
                                          neo4j_http_port=free_port()))
        server.lib.parent.mkdir(parents=True)
        server.lib.symlink_to(TEST_HOME / "lib")  # reuse the cached jars
        with pytest.raises(Neo4jServerError, match=f"port {port} \\(Bolt\\) is taken"):
            server.start(wait_s=30)


def test_locked_data_folder_is_a_clear_error(neo4j_server, tmp_path):
    home = tmp_path / "second"
    home.mkdir()
    (home / "lib").symlink_to(TEST_HOME / "lib")
    (home / "data").symlink_to(TEST_HOME / "data")  # the running server's store
    server = LocalNeo4j(make_settings(neo4j_home=str(home), neo4j_bolt_port=free_port(),
                                      neo4j_http_port=free_port()))
    try:
        with pytest.raises(Neo4jServerError, match="locked by another Neo4j process"):
            server.start(wait_s=90)
    finally:
        server.stop()


def test_stop_then_start_again(tmp_path):
    """A second, throwaway server: stop is idempotent and a restart needs no download."""
    home = tmp_path / "third"
    home.mkdir()
    (home / "lib").symlink_to(TEST_HOME / "lib")
    server = LocalNeo4j(make_settings(neo4j_home=str(home), neo4j_bolt_port=free_port(),
                                      neo4j_http_port=free_port()))
    assert server.stop() is False
    try:
        assert server.start().running
        assert server.stop() is True
        assert server.stop() is False
        assert not server.status().running
        assert server.start().running
    finally:
        server.stop()


def _cli_env(server, **extra):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MDSKG_"))}
    env.update({"NEO4J_URI": f"neo4j://localhost:{server.bolt_port}", "NEO4J_PASSWORD": make_settings().neo4j_password,
                "MDSKG_NEO4J_HOME": str(server.home), "MDSKG_NEO4J_BOLT_PORT": str(server.bolt_port),
                "MDSKG_NEO4J_HTTP_PORT": str(server.http_port)})
    env.update(extra)
    return env
