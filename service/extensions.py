"""Wiring shared resources into the Flask app (`init_app` style): the graph driver, the caches,
the answer writer (made once at app start, closed at shutdown) and each request's sources."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from flask import Flask, current_app, g

from graph.db import Graph
from mdskg.settings import Settings
from service.answer import grounding_vocabulary
from service.cache import GraphVersion, LruCache, ReadCache, ResponseCache
from service.sources import RequestSources
from service.writers import Writer, writer_from_settings

_GRAPH_KEY = "mdskg.graph"
_CACHES_KEY = "mdskg.caches"
_WRITER_KEY = "mdskg.writer"
_SOURCES_KEY = "mdskg_sources"
_lock = threading.Lock()


def init_graph(app: Flask) -> None:
    """Register the driver lazily: a worker connects on first use, so the app starts even
    while Neo4j is still down (health then says 503 until it is back)."""
    app.extensions[_GRAPH_KEY] = None
    settings: Settings = app.config["SETTINGS"]
    app.extensions[_CACHES_KEY] = Caches(
        version=GraphVersion(get_graph, settings.graph_version_check_s),
        reads=LruCache(settings.read_cache_entries),
        responses=ResponseCache(settings.response_cache_entries),
    )

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


@dataclass(frozen=True)
class Caches:
    version: GraphVersion
    reads: LruCache
    responses: ResponseCache


def get_caches() -> Caches:
    return current_app.extensions[_CACHES_KEY]


def get_answer_graph(timeout_s: float | None = None):
    """The graph as answer composition should read it: through the read cache of the current
    graph version when that cache is on, straight otherwise."""
    graph = get_graph()
    caches = get_caches()
    if not caches.reads.enabled:
        return graph
    return ReadCache(graph, caches.version.token(timeout_s), caches.reads)


def init_writer(app: Flask) -> None:
    """The answer writer, made once for the app (a Claude writer holds one HTTP client for every
    request) and closed when the app goes (at interpreter exit at the latest: a gunicorn worker's end)."""
    settings: Settings = app.config["SETTINGS"]
    writer = writer_from_settings(settings, grounding_vocabulary(), deadline_s=settings.request_deadline_s)
    app.extensions[_WRITER_KEY] = writer
    close = getattr(writer, "close", None)
    if close is not None:
        weakref.finalize(app, close)


def get_writer() -> Writer:
    return current_app.extensions[_WRITER_KEY]


def request_sources() -> RequestSources:
    """The sources the current request cites, resolved together (service/sources.py)."""
    sources = g.get(_SOURCES_KEY)
    if sources is None:
        deadline = float(get_settings().request_deadline_s)
        sources = RequestSources(lambda: get_answer_graph(deadline), deadline)
        setattr(g, _SOURCES_KEY, sources)
    return sources
