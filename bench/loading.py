"""Loading speed: the real loader (`graph.load.write_rows`) on a synthetic graph with the real model.

Figures:

* a batch-size sweep: each batch size loads its own fresh 100k-relationship slice (a first
  load every time, never a reload), nodes first, relationships timed on their own;
* the statement the loader used before this benchmark (creating empty provenance lists, then
  appending) on a fresh slice, for a before/after figure;
* the ceiling of this machine and server: bare `CREATE` of relationships between existing
  nodes, no properties, no MERGE, same batches — no loader can beat it;
* the main load: 1M relationship rows (and their nodes) loaded once, then loaded again
  (idempotent reload: nothing may change); relationships/second of each, counts before/after;
* peak RSS of this process and of the Neo4j server, and the server's CPU seconds (the machine
  is shared, so wall-clock rates can be disturbed by others; CPU seconds are not).
"""

from __future__ import annotations

from typing import Any

import psutil

from bench.common import Report, RssSampler, Stopwatch, log
from bench.synthetic import count_rows, synthetic_graph
from mdskg.records import GraphRows

SECTION = "loading"
# The relationship statement as it was before this benchmark's change (empty lists on create,
# then an append): kept here to measure the before/after difference in every run.
BEFORE_MERGE_RELATIONSHIPS = """
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})
MATCH (b:Entity {id: row.to_id})
MERGE (a)-[r:$(row.type)]->(b)
  ON CREATE SET r.evidence_keys = [], r.source_ids = [], r.citations = [], r.sentences = [],
                r.offsets = [], r.extractors = [], r.evidence_citations = [], r.confidence = 0.0
WITH r, row
SET r += row.props
WITH r, row
WHERE NOT row.evidence_key IN r.evidence_keys
SET r.evidence_keys = r.evidence_keys + row.evidence_key,
    r.source_ids = r.source_ids + row.source_id,
    r.evidence_citations = r.evidence_citations + reduce(s = '', c IN row.citations | s + CASE WHEN s = '' THEN '' ELSE '|' END + c),
    r.citations = r.citations + [c IN row.citations WHERE NOT c IN r.citations],
    r.sentences = r.sentences + row.sentence,
    r.offsets = r.offsets + row.offset,
    r.extractors = r.extractors + row.extractor,
    r.confidence = CASE WHEN row.confidence > r.confidence THEN row.confidence ELSE r.confidence END
SET r.source_count = size(r.citations)
"""
CEILING_STATEMENT = """
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})
MATCH (b:Entity {id: row.to_id})
CREATE (a)-[:MENTIONS]->(b)
"""


class CpuMeter:
    """CPU seconds used by a process (the Neo4j server) while the block runs."""

    def __init__(self, pid: int | None):
        self.process = psutil.Process(pid) if pid else None
        self.seconds = float("nan")

    def _cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system + getattr(times, "children_user", 0) + getattr(times, "children_system", 0)

    def __enter__(self) -> CpuMeter:
        self._start = self._cpu() if self.process else 0.0
        return self

    def __exit__(self, *exc) -> None:
        if self.process:
            self.seconds = self._cpu() - self._start


def _nodes_only(rows: GraphRows) -> GraphRows:
    return GraphRows(nodes=rows.nodes, sources=rows.sources)


def _rels_only(rows: GraphRows) -> GraphRows:
    return GraphRows(relationships=rows.relationships)


def timed_load(graph, rows: GraphRows, batch_size: int, neo4j_pid: int | None) -> dict[str, Any]:
    """write_rows for the nodes, then for the relationships, each timed (wall and server CPU)."""
    from graph.load import write_rows

    nodes, rels = count_rows(rows)
    with Stopwatch() as node_sw, CpuMeter(neo4j_pid) as node_cpu:
        node_counts = write_rows(graph, _nodes_only(rows), batch_size)
    with Stopwatch() as rel_sw, CpuMeter(neo4j_pid) as rel_cpu:
        rel_counts = write_rows(graph, _rels_only(rows), batch_size)
    return {
        "batch_size": batch_size, "nodes": nodes, "relationship_rows": rels,
        "nodes_written": node_counts.nodes, "relationships_written": rel_counts.relationships,
        "node_seconds": node_sw.seconds, "relationship_seconds": rel_sw.seconds,
        "nodes_per_s": nodes / node_sw.seconds, "relationships_per_s": rels / rel_sw.seconds,
        "total_seconds": node_sw.seconds + rel_sw.seconds,
        "neo4j_cpu_s_nodes": node_cpu.seconds, "neo4j_cpu_s_relationships": rel_cpu.seconds,
        "neo4j_cpu_us_per_relationship": 1e6 * rel_cpu.seconds / rels if rels else None,
    }


def statement_load(graph, rows: GraphRows, statement, batch_size: int, neo4j_pid: int | None) -> dict[str, Any]:
    """Nodes with the real loader, then the relationship rows with another statement (a string, or
    a function of the relationship type, as the loader uses: one statement per type)."""
    from graph.load import relationship_rows, write_rows

    write_rows(graph, _nodes_only(rows), batch_size)
    rels = count_rows(rows)[1]
    with Stopwatch() as sw, CpuMeter(neo4j_pid) as cpu:
        graph.write_batches(statement, relationship_rows(rows), batch_size,
                            group_by="type" if callable(statement) else None)
    return {"relationship_rows": rels, "seconds": sw.seconds, "relationships_per_s": rels / sw.seconds,
            "neo4j_cpu_s": cpu.seconds, "neo4j_cpu_us_per_relationship": 1e6 * cpu.seconds / rels}


def _sample_ids(rows: GraphRows, size: int = 2_000) -> list[str]:
    """Start nodes of every n-th relationship row: a deterministic sample for the evidence check."""
    ids = [item["from_id"] for items in rows.relationships.values() for item in items]
    step = max(1, len(ids) // size)
    return sorted(set(ids[::step]))


def evidence_entries(graph, start_ids: list[str]) -> dict[str, int]:
    """Relationships and provenance entries (evidence keys, sentences) leaving the sampled nodes."""
    row = graph.read_text(
        "MATCH (a:Entity)-[r]->() WHERE a.id IN $ids "
        "RETURN count(r) AS relationships, sum(size(r.evidence_keys)) AS evidence_keys, "
        "sum(size(r.sentences)) AS sentences, sum(size(r.citations)) AS citations", ids=start_ids)[0]
    return {k: int(v or 0) for k, v in row.items()}


def store_mb(home) -> dict[str, float]:
    from pathlib import Path

    folder = Path(home) / "data" / "databases" / "neo4j"
    sizes: dict[str, float] = {}
    total = 0
    for path in folder.glob("neostore*.db*"):
        if path.suffix == ".id":
            continue
        size = path.stat().st_size
        total += size
        if size > 20 * 2**20:
            sizes[path.name] = round(size / 2**20, 1)
    sizes["total"] = round(total / 2**20, 1)
    return sizes


def run(report: Report, graph, neo4j_pid: int | None = None, neo4j_home=None, smoke: bool = False,
        relationships: int = 1_000_000, nodes: int = 850_000, sweep: tuple[int, ...] = (1_000, 5_000, 10_000, 20_000),
        slice_relationships: int = 100_000, main_batch: int | None = None) -> dict[str, Any]:
    from graph.load import graph_counts

    if smoke:
        relationships, nodes, sweep, slice_relationships = 400, 300, (50, 200), 150
    slice_nodes = max(50, slice_relationships // 4)
    details: dict[str, Any] = {"sweep": {}}

    # ---- batch-size sweep, every batch size on its own fresh slice ---------------------------
    with RssSampler() as py_rss, RssSampler(neo4j_pid) as neo_rss:
        log("loading: warm-up (JIT and caches of the write path; not timed)")
        from graph.load import write_rows

        write_rows(graph, synthetic_graph("warmup", slice_nodes // 2, slice_relationships // 3), 5_000)
        for size in sweep:
            log(f"loading: sweep, batch size {size:,} ({slice_relationships:,} relationships)")
            rows = synthetic_graph(f"sweep{size}", slice_nodes, slice_relationships)
            details["sweep"][str(size)] = timed_load(graph, rows, size, neo4j_pid)
        # The main load uses the loader's shipped default, so the figure is what `mdskg etl` does;
        # the sweep beside it says whether that default is still the right one.
        from graph.load import DEFAULT_BATCH_SIZE

        best = max(details["sweep"].values(), key=lambda r: r["relationships_per_s"])
        details["sweep_best_batch_size"] = best["batch_size"]
        batch = main_batch or (DEFAULT_BATCH_SIZE if not smoke else best["batch_size"])
        details["batch_size"] = batch

        half = max(1, slice_relationships // 2)
        log(f"loading: the statement before the change, the current one and the bare CREATE ceiling "
            f"({half:,} relationships each)")
        for key, prefix, statement in (("before_statement", "before", BEFORE_MERGE_RELATIONSHIPS),
                                       ("after_statement", "after", _current_statement()),
                                       ("ceiling", "ceiling", CEILING_STATEMENT)):
            details[key] = statement_load(graph, synthetic_graph(prefix, slice_nodes // 2, half), statement, batch,
                                          neo4j_pid)
        details["statement_slice_relationships"] = half
        del rows

        # ---- the main load and its idempotent reload ---------------------------------------
        log(f"loading: generating {relationships:,} relationship rows over {nodes:,} nodes")
        rows = synthetic_graph("main", nodes, relationships)
        details["generated"] = {"nodes": count_rows(rows)[0], "relationship_rows": count_rows(rows)[1]}
        before = graph_counts(graph)
        log(f"loading: first load, batch size {batch:,}")
        first = timed_load(graph, rows, batch, neo4j_pid)
        after_first = graph_counts(graph)
        sample = _sample_ids(rows)
        evidence_first = evidence_entries(graph, sample)
        log("loading: idempotent reload")
        second = timed_load(graph, rows, batch, neo4j_pid)
        after_second = graph_counts(graph)
        evidence_second = evidence_entries(graph, sample)
    details.update(first_load=first, reload=second, counts={"before": before, "after_first": after_first,
                                                             "after_reload": after_second},
                   evidence_sample={"start_nodes": len(sample), "after_first": evidence_first,
                                    "after_reload": evidence_second})
    details["reload_changed_nothing"] = after_first == after_second and evidence_first == evidence_second
    details["new_relationships"] = after_first["relationships"] - before["relationships"]
    details["peak_rss_mb"] = {"bench_process": round(py_rss.peak_mb, 1), "neo4j": round(neo_rss.peak_mb, 1)}
    if neo4j_home:
        details["store_mb"] = store_mb(neo4j_home)

    report.add(SECTION, f"first load, {relationships:,} relationship rows", first["relationships_per_s"], "rels/s",
               ">= 50,000 rels/s", lambda v: v >= 50_000,
               note=f"batch {batch:,}; {first['relationship_seconds']:.0f}s")
    report.add(SECTION, "first load, nodes", first["nodes_per_s"], "nodes/s",
               note=f"{first['nodes']:,} nodes in {first['node_seconds']:.0f}s")
    report.add(SECTION, "idempotent reload, relationship rows", second["relationships_per_s"], "rels/s",
               note=f"{second['relationship_seconds']:.0f}s")
    ratio = second["relationship_seconds"] / first["relationship_seconds"]
    report.add(SECTION, "reload time / first-load time (relationships)", ratio, "x", "<= 1.2x", lambda v: v <= 1.2)
    ratio_all = second["total_seconds"] / first["total_seconds"]
    report.add(SECTION, "reload time / first-load time (nodes + relationships)", ratio_all, "x", "<= 1.2x",
               lambda v: v <= 1.2)
    report.add(SECTION, "reload changed no count and no evidence list (idempotent)", details["reload_changed_nothing"],
               "", "True", lambda v: v is True,
               note=f"evidence checked on {evidence_first['relationships']:,} relationships")
    for size, result in details["sweep"].items():
        report.add(SECTION, f"sweep: batch {int(size):,} on a {slice_relationships // 1000 or slice_relationships}"
                   f"{'k' if slice_relationships >= 1000 else ''} slice", result["relationships_per_s"], "rels/s",
                   note=f"server CPU {result['neo4j_cpu_us_per_relationship']:.0f} us/rel"
                   if result["neo4j_cpu_us_per_relationship"] == result["neo4j_cpu_us_per_relationship"] else "")
    b, a, c = details["before_statement"], details["after_statement"], details["ceiling"]
    report.add(SECTION, "before: old merge_relationships statement", b["relationships_per_s"], "rels/s",
               note=f"server CPU {b['neo4j_cpu_us_per_relationship']:.0f} us/rel")
    report.add(SECTION, "after: current merge_relationships statement", a["relationships_per_s"], "rels/s",
               note=f"server CPU {a['neo4j_cpu_us_per_relationship']:.0f} us/rel")
    report.add(SECTION, "ceiling: bare CREATE, no properties, same batches", c["relationships_per_s"], "rels/s",
               note=f"server CPU {c['neo4j_cpu_us_per_relationship']:.0f} us/rel")
    report.add(SECTION, "peak RSS bench process / Neo4j", f"{py_rss.peak_mb:.0f} / {neo_rss.peak_mb:.0f}", "MB")
    return details


def _current_statement():
    from graph.load import relationship_statement

    return relationship_statement
