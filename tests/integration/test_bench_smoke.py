"""`bench.run --smoke` against the test session's Neo4j: every part runs and the JSON has every key.

No timing is asserted: this proves the benchmark code works, nothing more. The synthetic data
it writes (ids under MDSKG:bench/) is removed at the end."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def smoke(loaded_graph, settings, tmp_path_factory):
    from bench.run import run_all

    out = tmp_path_factory.mktemp("bench") / "smoke.json"
    before = loaded_graph.read("counts")[0]
    run_all(smoke=True, out=out, graph=loaded_graph, settings=settings)
    after = loaded_graph.read("counts")[0]
    return json.loads(out.read_text()), before, after


def test_every_section_and_machine_key(smoke):
    data, _, _ = smoke
    for key in ("mode", "started_at", "wall_seconds", "machine", "figures", "summary", "extraction", "answering",
                "loading", "scale"):
        assert key in data, key
    for key in ("cpu_count", "memory_gb", "python", "spacy", "neo4j_driver", "neo4j_server", "settings"):
        assert key in data["machine"], key


def test_answering_levels_and_layers(smoke):
    answering = smoke[0]["answering"]
    assert set(answering["levels"]) == {"1", "8", "32"}
    for level in answering["levels"].values():
        assert set(level) >= {"ask", "ask_read_cache", "ask_uncached", "graphql_typename", "driver_path_query",
                              "driver_all_cypher_of_one_ask"}
        for result in level.values():
            assert {"p50_ms", "p95_ms", "p99_ms", "requests_per_s", "errors"} <= set(result)
            assert result["errors"] == 0
    assert answering["seed_answer"]["covered"] is True
    assert set(answering["ratios_c8"]) == {"ask", "ask_read_cache", "ask_uncached"}
    for ratios in answering["ratios_c8"].values():
        assert set(ratios) == {"ask_over_path_query", "ask_over_all_cypher"}
    assert answering["profile"]["hotspots"] is not None
    assert answering["profile_read_cache"]["asks"] >= 1


def test_loading_first_load_reload_and_sweep(smoke):
    loading = smoke[0]["loading"]
    for key in ("sweep", "first_load", "reload", "before_statement", "after_statement", "ceiling", "peak_rss_mb",
                "counts"):
        assert key in loading, key
    assert loading["reload_changed_nothing"] is True
    assert loading["first_load"]["relationships_written"] == loading["reload"]["relationships_written"]


def test_scale_levels_growth_and_plans(smoke):
    scale = smoke[0]["scale"]
    assert len(scale["levels"]) == 3
    assert set(scale["growth"]) == {"therapy_recommendations", "entity_facts", "search_entities"}
    last = scale["levels"][-1]["queries"]
    assert "NodeUniqueIndexSeek" in last["therapy_recommendations"]["operators"]
    assert "NodeUniqueIndexSeek" in last["entity_facts"]["operators"]
    assert "ProcedureCall" in last["search_entities"]["operators"]


def test_figures_have_targets_and_status(smoke):
    figures = smoke[0]["figures"]
    assert all({"section", "name", "value", "target", "status"} <= set(f) for f in figures)
    assert {f["section"] for f in figures} >= {"extraction", "answering", "loading", "scale"}
    assert any(f["target"] for f in figures)


def test_synthetic_data_is_removed(smoke):
    _, before, after = smoke
    assert after == before


def test_soak_smoke(neo4j_server, monkeypatch, tmp_path):
    """The soak's code path with 40 requests at concurrency 4 (its own Neo4j and gunicorn)."""
    import bench.soak as soak

    monkeypatch.setattr(soak, "OUT", tmp_path / "soak.json")
    figures = soak.main(["--requests", "40", "--concurrency", "4"])
    assert figures["completed"] is True and figures["errors"] == 0
    assert figures["graph_unchanged"] is True
    assert len(figures["service_rss_mb_start_middle_end"]) == 3
