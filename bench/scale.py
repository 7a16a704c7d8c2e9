"""Scale: do the service's main queries stay fast as the graph grows from 10k to 1M nodes?

The real corpus graph (run_etl) stays in place; synthetic nodes with the ontology's real labels
(and relationships of the real types) are added around it until the database holds 10k, 100k
and 1M nodes. At each size the three main queries run through the driver:

* therapy_recommendations (the seed's path query: IST for MDS),
* entity_facts (IST),
* search_entities (the full-text index, with the Lucene query the service builds for the seed),

and their plans are read (EXPLAIN for operator names, PROFILE for db hits) to show they start
from an index (NodeUniqueIndexSeek/NodeIndexSeek on Entity.id, the entity_search full-text
procedure) rather than a scan. Growth 10k → 1M is the p50 ratio (target <= 2x).
"""

from __future__ import annotations

from typing import Any

from bench.common import Report, Stopwatch, latency_summary, log
from bench.synthetic import synthetic_graph

SECTION = "scale"
IST = "MDSKG:therapy/ist"
MDS = "NCIT:C3247"
INDEX_OPERATORS = ("NodeUniqueIndexSeek", "NodeIndexSeek", "NodeIndexContainsScan", "ProcedureCall")
SCAN_OPERATORS = ("AllNodesScan", "NodeByLabelScan", "NodeIndexScan")


def queries() -> dict[str, tuple[str, dict[str, Any]]]:
    from bench.answering import SEED
    from graph import cypher
    from service.search import lucene_query

    return {
        "therapy_recommendations": (cypher.load("therapy_recommendations"),
                                    {"therapy_id": IST, "disease_id": MDS, "limit": 40}),
        "entity_facts": (cypher.load("entity_facts"), {"id": IST, "limit": 60}),
        "search_entities": (cypher.load("search_entities"), {"lucene": lucene_query(SEED), "first": 10}),
    }


def node_count(graph) -> int:
    return graph.read_text("MATCH (n) RETURN count(n) AS n")[0]["n"]


def top_up(graph, target: int, serial: int, batch_size: int = 10_000) -> dict[str, Any]:
    """Add synthetic nodes (and as many relationships) until the database holds `target` nodes."""
    from graph.load import write_rows

    have = node_count(graph)
    missing = target - have
    if missing <= 0:
        return {"added_nodes": 0, "seconds": 0.0}
    rows = synthetic_graph(f"scale{serial}", missing, missing)
    with Stopwatch() as sw:
        counts = write_rows(graph, rows, batch_size)
    return {"added_nodes": counts.nodes, "added_relationship_rows": counts.relationships, "seconds": sw.seconds}


def plan_operators(plan) -> list[str]:
    out: list[str] = []

    def walk(node) -> None:
        name = node.get("operatorType", "?") if isinstance(node, dict) else getattr(node, "operator_type", "?")
        out.append(name.split("@")[0])
        for child in (node.get("children", []) if isinstance(node, dict) else getattr(node, "children", [])):
            walk(child)

    walk(plan)
    return out


def plans(graph, statement: str, params: dict[str, Any]) -> dict[str, Any]:
    with graph.driver.session(database=graph.database) as session:
        explain = session.run("EXPLAIN " + statement, **params).consume().plan
        profile = session.run("PROFILE " + statement, **params).consume().profile
    ops = plan_operators(explain)
    hits = 0

    def total_hits(node) -> None:
        nonlocal hits
        hits += int(node.get("dbHits", 0) or 0)
        for child in node.get("children", []):
            total_hits(child)

    total_hits(profile)
    return {"operators": ops, "db_hits": hits,
            "index_operators": sorted({o for o in ops if o.startswith(INDEX_OPERATORS)}),
            "scan_operators": sorted({o for o in ops if o.startswith(SCAN_OPERATORS)})}


def measure(graph, repeats: int) -> dict[str, Any]:
    from neo4j import RoutingControl

    out: dict[str, Any] = {}
    for name, (statement, params) in queries().items():
        for _ in range(20):  # warm-up: plan cache, JIT, page cache, Lucene searcher
            graph.driver.execute_query(statement, parameters_=params, routing_=RoutingControl.READ,
                                       database_=graph.database)
        seconds = []
        rows = 0
        for _ in range(repeats):
            with Stopwatch() as sw:
                records, _, _ = graph.driver.execute_query(statement, parameters_=params,
                                                           routing_=RoutingControl.READ, database_=graph.database)
            seconds.append(sw.seconds)
            rows = len(records)
        out[name] = {**latency_summary(seconds), "rows": rows, **plans(graph, statement, params)}
    return out


def run_level(graph, label: str, target: int, serial: int, repeats: int) -> dict[str, Any]:
    log(f"scale: topping up to {target:,} nodes")
    added = top_up(graph, target, serial)
    nodes = node_count(graph)
    rels = graph.read_text("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    log(f"scale: measuring at {nodes:,} nodes")
    return {"label": label, "target_nodes": target, "nodes": nodes, "relationships": rels, "top_up": added,
            "queries": measure(graph, repeats)}


def summarize(report: Report, levels: list[dict[str, Any]]) -> dict[str, Any]:
    first, last = levels[0], levels[-1]
    growth: dict[str, float] = {}
    for level in levels:
        for name, q in level["queries"].items():
            report.add(SECTION, f"{name} p50 at {level['nodes']:,} nodes ({level['label']})", q["p50_ms"], "ms",
                       note=f"p95 {q['p95_ms']:.1f} ms, {q['rows']} rows, {q['db_hits']:,} db hits")
    for name in first["queries"]:
        ratio = last["queries"][name]["p50_ms"] / first["queries"][name]["p50_ms"]
        growth[name] = ratio
        report.add(SECTION, f"{name} growth {first['label']} -> {last['label']} (p50)", ratio, "x", "<= 2x",
                   lambda v: v <= 2)
    for name, q in last["queries"].items():
        uses_index = bool(q["index_operators"]) and not q["scan_operators"]
        report.add(SECTION, f"{name} plan starts from an index (no scan)", uses_index, "", "True",
                   lambda v: v is True, note=", ".join(q["index_operators"] + q["scan_operators"]))
    return growth


def print_plans(levels: list[dict[str, Any]]) -> str:
    last = levels[-1]
    lines = [f"query plans at {last['nodes']:,} nodes (EXPLAIN operators, top to bottom):"]
    for name, q in last["queries"].items():
        lines.append(f"  {name}: " + " <- ".join(q["operators"]))
    return "\n".join(lines)
