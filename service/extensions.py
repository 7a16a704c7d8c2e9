"""Wiring shared resources into the Flask app (`init_app` style)."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from graph.db import Graph
from mdskg.settings import Settings

_GRAPH_KEY = "mdskg.graph"
_lock = threading.Lock()


def init_graph(app: Flask) -> None:
    """Register the driver lazily: a worker connects on first use, so the app starts even
    while Neo4j is still down (health then says 503 until it is back)."""
    app.extensions[_GRAPH_KEY] = None

    @app.teardown_appcontext
    def _noop(_exc):  # the driver is per process, not per request
        return None


def get_graph() -> Graph:
    app = current_app
    graph = app.extensions.get(_GRAPH_KEY)
    if graph is None:
        with _lock:
            graph = app.extensions.get(_GRAPH_KEY)
            if graph is None:
                graph = app.config.get("GRAPH") or Graph.connect(get_settings())
                app.extensions[_GRAPH_KEY] = graph
    return graph


def get_settings() -> Settings:
    return current_app.config["SETTINGS"]
