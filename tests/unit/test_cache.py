"""The caches behind repeated questions: bounded, version-keyed, and never shared mutably."""

from __future__ import annotations

import types

import pytest

from service.cache import (
    GraphVersion,
    LruCache,
    ReadCache,
    ResponseCache,
    freeze,
    mark_cacheable,
    response_is_cacheable,
)


class FakeGraph:
    """Counts reads; returns rows that depend on the statement, its parameters and the graph state."""

    def __init__(self):
        self.reads = 0
        self.built_at = "2026-11-26T00:00:00Z"
        self.nodes = 10

    def read(self, name, timeout_s=None, **params):
        self.reads += 1
        if name == "graph_info":
            return [{"build_number": 1, "built_at": self.built_at, "model_version": "1", "node_count": self.nodes,
                     "relationship_count": 5, "document_count": 0}]
        return [{"name": name, "params": params, "nodes": self.nodes, "list": [1, 2]}]

    def other(self):
        return "passed through"


def test_lru_evicts_least_recently_used_and_bounds_bytes():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3

    sized = LruCache(10, max_bytes=100)
    sized.put("x", "x", 60)
    sized.put("y", "y", 60)  # over the byte bound: the oldest goes
    assert sized.get("x") is None and sized.get("y") == "y"
    sized.put("huge", "h", 101)  # larger than the whole cache: never stored
    assert sized.get("huge") is None and sized.get("y") == "y"


def test_disabled_cache_stores_nothing():
    cache = LruCache(0)
    cache.put("a", 1)
    assert not cache.enabled and cache.get("a") is None and len(cache) == 0


def test_freeze_is_order_stable_and_distinguishes_values():
    assert freeze({"b": [1, 2], "a": None}) == freeze({"a": None, "b": [1, 2]})
    assert freeze({"ids": [1, 2]}) != freeze({"ids": [2, 1]})  # list order can matter to a query
    assert freeze({"x": {"y": 1}}) != freeze({"x": {"y": 2}})
    hash(freeze({"a": [{"b": [1]}]}))


def test_version_is_reread_only_after_the_interval():
    graph, now = FakeGraph(), [0.0]
    version = GraphVersion(lambda: graph, 1.0, clock=lambda: now[0])
    first = version.token()
    graph.built_at = "2026-11-27T00:00:00Z"
    assert version.token() == first and graph.reads == 1  # within the interval: remembered
    now[0] = 1.5
    assert version.token() != first and graph.reads == 2  # after it: the new build is seen


def test_interval_zero_reads_the_version_every_time():
    graph = FakeGraph()
    version = GraphVersion(lambda: graph, 0.0)
    version.token()
    graph.nodes = 11  # an interrupted load moves the counts even without a new built_at
    assert version.token()[3] == 11 and graph.reads == 2


def test_read_cache_serves_same_statement_and_params_once_per_version():
    graph, store = FakeGraph(), LruCache(100)
    reads = ReadCache(graph, ("v1",), store)
    a = reads.read("entity_facts", id="X", limit=20)
    b = reads.read("entity_facts", id="X", limit=20)
    assert a == b and graph.reads == 1
    reads.read("entity_facts", id="Y", limit=20)
    assert graph.reads == 2
    ReadCache(graph, ("v2",), store).read("entity_facts", id="X", limit=20)
    assert graph.reads == 3  # a new graph version never sees the old rows
    assert reads.other() == "passed through"


def test_cached_rows_cannot_be_changed_by_a_caller():
    reads = ReadCache(FakeGraph(), ("v1",), LruCache(10))
    rows = reads.read("all_recommendations")
    rows.append("mine")  # the returned list is the caller's own
    with pytest.raises(TypeError):
        rows[0]["name"] = "changed"
    with pytest.raises(AttributeError):
        rows[0]["list"].append(3)  # nested lists are tuples
    assert reads.read("all_recommendations")[0]["name"] == "all_recommendations"
    assert len(reads.read("all_recommendations")) == 1


def test_response_cache_returns_a_fresh_copy_each_time():
    cache = ResponseCache(10)
    key = cache.key(("v1",), "{ ask }", {"q": "x", "a": 1}, None)
    assert key == cache.key(("v1",), "{ ask }", {"a": 1, "q": "x"}, None)
    assert key != cache.key(("v2",), "{ ask }", {"q": "x", "a": 1}, None)
    cache.put(key, {"ask": {"text": "t", "items": [1]}})
    got = cache.get(key)
    got["ask"]["items"].append(2)
    assert cache.get(key) == {"ask": {"text": "t", "items": [1]}}
    assert cache.stats["hits"] == 2


def _info(context, key, prev=None):
    return types.SimpleNamespace(context=context, path=types.SimpleNamespace(key=key, prev=prev))


def test_only_responses_whose_every_root_field_opted_in_are_cacheable():
    context: dict = {}
    mark_cacheable(_info(context, "ask"))
    mark_cacheable(_info(context, "nested", prev=object()))  # not a root field: ignored
    assert response_is_cacheable(context, {"ask": {}})
    assert response_is_cacheable(context, {"ask": {}, "__typename": "Query"})
    assert not response_is_cacheable(context, {"ask": {}, "assessRisk": {}})  # a patient field did not opt in
    assert not response_is_cacheable(context, {"__typename": "Query"})
    assert not response_is_cacheable({}, {"ask": {}})
    assert not response_is_cacheable(context, None)
