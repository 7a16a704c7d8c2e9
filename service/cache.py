"""Caches that make a repeated question cheap without ever answering from an older graph.

An answer is a pure function of the graph's state, the question and the service's settings:
composition runs only reads, and the graph changes only when the ETL or `graph init` writes.
So both caches here are keyed by the graph's *version* — GraphMeta.build_number and built_at
(moved by every completed build) plus the node and relationship counts (count-store lookups,
which also move when a build is interrupted half-way):

* `ReadCache` keeps the rows of the named read statements an answer runs (the typed rows of
  graph/reads.py, built once per version), so questions that share concepts (most MDS questions
  touch MDS, its risk groups and a handful of therapies) share their reads;
* `ResponseCache` keeps whole GraphQL responses of requests whose every root field said it
  may be cached (`mark_cacheable`): answers without a patient, search, entity and path
  lookups. Patient data never enters either cache: fields that take a patient never opt in.

A worker re-reads the version at most every `MDSKG_GRAPH_VERSION_CHECK_S` seconds; after a
rebuild, answers from the new graph start within that interval.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from graph import reads as typed_reads
from graph.db import Graph

VersionToken = tuple


class GraphVersion:
    """The graph's current version, re-read at most every `interval_s` seconds."""

    def __init__(self, graph_getter: Callable[[], Graph], interval_s: float, clock: Callable[[], float] = time.monotonic):
        self._graph_getter = graph_getter
        self._interval_s = max(0.0, interval_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: VersionToken | None = None
        self._read_at = float("-inf")

    def token(self, timeout_s: float | None = None) -> VersionToken:
        """Raises GraphUnavailable (from the driver wrapper) when Neo4j cannot be reached."""
        now = self._clock()
        with self._lock:
            if self._token is not None and now - self._read_at < self._interval_s:
                return self._token
        info = typed_reads.graph_info(self._graph_getter(), timeout_s=timeout_s)
        token = (info.build_number, info.built_at, info.model_version, info.node_count, info.relationship_count)
        with self._lock:
            self._token, self._read_at = token, now
        return token

    def forget(self) -> None:
        with self._lock:
            self._token, self._read_at = None, float("-inf")


class LruCache:
    """A thread-safe least-recently-used map with a bound on entries and on their total size."""

    def __init__(self, max_entries: int, max_bytes: int | None = None):
        self.max_entries = max(0, max_entries)
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: Any, size: int = 0) -> None:
        if not self.enabled or (self.max_bytes is not None and size > self.max_bytes):
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_entries or (self.max_bytes is not None and self._bytes > self.max_bytes):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def freeze(value: Any) -> Hashable:
    """Parameters as a hashable key (lists and dicts become tuples, in a stable order)."""
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [freeze(v) for v in value]
        return tuple(sorted(items, key=repr)) if isinstance(value, (set, frozenset)) else tuple(items)
    return value


def _immutable(rows: Any) -> Any:
    """Cached rows are shared between requests: lists become tuples so no caller can change them."""
    if isinstance(rows, list):
        return tuple(_immutable(r) for r in rows)
    if isinstance(rows, dict):
        return _FrozenRow({k: _immutable(v) for k, v in rows.items()})
    return rows


class _FrozenRow(dict):
    """A dict that refuses writes: a row served from the cache to many requests at once."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("rows from the read cache are shared and cannot be changed; copy them first")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]


class ReadCache:
    """Read-through cache of named read statements for one graph version.

    Wraps a Graph for the duration of one answer: `read(name, **params)` is served from the
    cache when the same statement with the same parameters ran against the same version.
    Everything else is passed through to the graph unchanged."""

    def __init__(self, graph: Graph, version: VersionToken, store: LruCache):
        self._graph = graph
        self._version = version
        self._store = store

    def read(self, name: str, timeout_s: float | None = None, **params: Any):
        key = (self._version, name, freeze(params))
        rows = self._store.get(key)
        if rows is None:
            rows = _immutable(self._graph.read(name, timeout_s=timeout_s, **params))
            self._store.put(key, rows)
        return list(rows)

    def read_typed(self, name: str, row_type: type, timeout_s: float | None, params: dict[str, Any]) -> list[Any]:
        """A typed read (graph/reads.py) through the cache: the rows are converted once per graph
        version and the same row objects are handed to every answer of that version."""
        key = (self._version, name, freeze(params), row_type)
        rows = self._store.get(key)
        if rows is None:
            records = _immutable(self._graph.read(name, timeout_s=timeout_s, **params))
            rows = tuple(typed_reads.to_rows(name, row_type, records))
            self._store.put(key, rows)
        return list(rows)

    @contextmanager
    def reading(self, timeout_s: float | None = None) -> Iterator[ReadCache]:
        """The underlying graph's single read transaction, with this cache in front of it."""
        with self._graph.reading(timeout_s) as reads:
            yield ReadCache(reads, self._version, self._store)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)


class ResponseCache:
    """Whole GraphQL responses keyed by (graph version, document, variables, operation name).

    Stored as compact JSON text (its size bounds the memory) and decoded on a hit, so no
    response object is shared between requests."""

    def __init__(self, max_entries: int, max_bytes: int = 64 * 1024 * 1024):
        self._store = LruCache(max_entries, max_bytes)

    @property
    def enabled(self) -> bool:
        return self._store.enabled

    @property
    def stats(self) -> dict[str, int]:
        return {"entries": len(self._store), "hits": self._store.hits, "misses": self._store.misses}

    @staticmethod
    def key(version: VersionToken, query: str, variables: dict | None, operation_name: str | None) -> Hashable:
        return (version, query, json.dumps(variables or {}, sort_keys=True, default=str), operation_name or "")

    def get(self, key: Hashable) -> dict[str, Any] | None:
        text = self._store.get(key)
        return None if text is None else json.loads(text)

    def put(self, key: Hashable, data: dict[str, Any]) -> None:
        text = json.dumps(data, separators=(",", ":"))
        self._store.put(key, text, len(text))


# ---- opting in ----------------------------------------------------------------------------

_CACHEABLE = "mdskg.cacheable_fields"


def mark_cacheable(info) -> None:
    """Called by a root resolver whose result depends only on the graph and its arguments."""
    context = info.context
    if isinstance(context, dict) and info.path.prev is None:
        context.setdefault(_CACHEABLE, set()).add(info.path.key)


def response_is_cacheable(context: Any, data: dict[str, Any] | None) -> bool:
    """Every root field of the response opted in (a `__typename` beside them is a constant)."""
    if not isinstance(context, dict) or not data:
        return False
    opted = context.get(_CACHEABLE, set())
    fields = [k for k, v in data.items() if not (k == "__typename" and isinstance(v, str))]
    return bool(fields) and all(k in opted for k in fields)
