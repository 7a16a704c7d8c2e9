"""The ETL run: read → extract → rows → load, with a run report (`mdskg etl` is mdskg_cli/etl.py).

A broken document is reported and skipped while the rest loads; the exit code says whether
anything was skipped (0 all loaded, 2 some skipped, 1 failed). Documents whose content hash
is unchanged since the last load are skipped without extraction.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mdskg.records import Document, Extraction, GraphRows
from mdskg.settings import PROJECT_ROOT, Settings

CORPUS_DIR = PROJECT_ROOT / "etl" / "corpus"
DEFAULT_REPORT = PROJECT_ROOT / ".cache" / "etl-report.json"
DOCS_PER_BATCH = 25


@dataclass
class RunReport:
    documents_read: int = 0
    documents_loaded: int = 0
    documents_unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    recommendations: int = 0
    criteria: int = 0  # conditions attached to extracted recommendations
    trial_criteria: int = 0  # eligibility criteria of trial records (scoped, grouped)
    outcomes: int = 0  # results read from abstracts
    dropped_relations: list[dict[str, str]] = field(default_factory=list)
    unmapped_terms: dict[str, int] = field(default_factory=dict)
    nodes_written: int = 0
    relationships_written: int = 0
    node_count_before: int = 0
    node_count_after: int = 0
    relationship_count_before: int = 0
    relationship_count_after: int = 0
    seconds: float = 0.0
    extractor: str = ""

    @property
    def problems(self) -> list[dict[str, str]]:
        return [s for s in self.skipped if not s.get("benign")]

    def to_text(self) -> str:
        lines = [
            f"documents: {self.documents_read} read, {self.documents_loaded} loaded, "
            f"{self.documents_unchanged} unchanged, {len(self.problems)} skipped with problems",
            f"extracted: {self.entities} entity mentions, {self.relations} relations, "
            f"{self.recommendations} recommendations, {self.criteria} criteria, {self.trial_criteria} trial "
            f"criteria, {self.outcomes} outcomes ({self.extractor})",
            f"graph: nodes {self.node_count_before} → {self.node_count_after}, "
            f"relationships {self.relationship_count_before} → {self.relationship_count_after} "
            f"in {self.seconds:.1f}s",
        ]
        for s in self.problems:
            lines.append(f"  skipped {s['path']}: {s['reason']}")
        if self.dropped_relations:
            lines.append(f"  {len(self.dropped_relations)} relations dropped (pair not allowed by the model)")
        if self.unmapped_terms:
            top = sorted(self.unmapped_terms.items(), key=lambda kv: -kv[1])[:10]
            lines.append("  unmapped terms: " + ", ".join(f"{t} ({n})" for t, n in top))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = self.problems
        return data


class ModelGuard:
    """Drops relationships whose (from, to) labels the ontology does not allow, and says so."""

    def __init__(self) -> None:
        from ontology import load_ontology

        self.onto = load_ontology()
        self.labels = {cid: c.label for cid, c in self.onto.concepts.items()}

    def filter(self, rows: GraphRows, report: RunReport) -> GraphRows:
        labels = dict(self.labels)
        for label, items in rows.nodes.items():
            for item in items:
                labels[item["id"]] = label
        for source in rows.sources:
            labels.setdefault(source["id"], "Source")
        kept: dict[str, list[dict[str, Any]]] = {}
        for rel_type, items in rows.relationships.items():
            spec = self.onto.relationship_types.get(rel_type)
            for item in items:
                pair = (labels.get(item["from_id"]), labels.get(item["to_id"]))
                if spec is None or pair not in spec.pairs:
                    report.dropped_relations.append({"type": rel_type, "from": item["from_id"], "to": item["to_id"],
                                                     "reason": "unknown type" if spec is None else f"pair {pair} not allowed"})
                    continue
                kept.setdefault(rel_type, []).append(item)
        return GraphRows(nodes=rows.nodes, relationships=kept, sources=rows.sources)


def merge_rows(parts: Iterable[GraphRows]) -> GraphRows:
    nodes: dict[str, list] = {}
    rels: dict[str, list] = {}
    sources: dict[str, dict] = {}
    for part in parts:
        for label, items in part.nodes.items():
            nodes.setdefault(label, []).extend(items)
        for rel_type, items in part.relationships.items():
            rels.setdefault(rel_type, []).extend(items)
        for s in part.sources:
            sources[s["id"]] = {**sources.get(s["id"], {}), **s}
    return GraphRows(nodes=nodes, relationships=rels, sources=list(sources.values()))


def load_ontology_concepts(graph, batch_size: int | None = None) -> dict[str, int]:
    """The ontology's concepts and curated relationships into the graph (idempotent): the rows are
    built here (etl/rows.py) and written by graph/load.py."""
    from etl.rows import ontology_rows
    from graph.load import DEFAULT_BATCH_SIZE, mark_graph_built, write_rows
    from ontology import load_ontology

    onto = load_ontology()
    counts = write_rows(graph, ontology_rows(onto), batch_size or DEFAULT_BATCH_SIZE)
    mark_graph_built(graph, onto.version)
    return {"nodes": counts.nodes, "relationships": counts.relationships}


def run_etl(paths: list[Path], graph, settings: Settings | None = None, extractor_name: str = "rules",
            strict: bool = False, force: bool = False, batch_size: int | None = None, progress: bool = False,
            extractor=None) -> RunReport:
    from etl.extract import get_extractor
    from etl.readers.detect import read_documents
    from etl.rows import extraction_rows
    from graph.load import (
        DEFAULT_BATCH_SIZE,
        graph_counts,
        loaded_hashes,
        mark_documents_loaded,
        mark_graph_built,
        retract_documents,
        write_rows,
    )
    from graph.schema import init_schema
    from ontology import load_ontology

    batch_size = batch_size or DEFAULT_BATCH_SIZE

    started = time.monotonic()
    report = RunReport()
    extractor = extractor or get_extractor(extractor_name, settings)
    report.extractor = f"{extractor.name}@{extractor.version}"
    init_schema(graph)
    before = graph_counts(graph)
    report.node_count_before, report.relationship_count_before = before["nodes"], before["relationships"]
    load_ontology_concepts(graph, batch_size)
    guard = ModelGuard()

    pending_docs: list[Document] = []

    def flush() -> None:
        if not pending_docs:
            return
        known = {} if force else loaded_hashes(graph, [d.id for d in pending_docs])
        # A document is extracted again when its text or the extractor's version changed.
        todo = [d for d in pending_docs if known.get(d.id) != f"{d.content_hash}:{report.extractor}"]
        retract_documents(graph, [d.id for d in todo if d.id in known or force])
        report.documents_unchanged += len(pending_docs) - len(todo)
        parts = []
        loaded = []
        for doc in todo:
            try:
                extraction: Extraction = extractor.extract(doc)
            except Exception as exc:
                if strict:
                    raise
                report.skipped.append({"path": doc.path or doc.id, "reason": f"extraction failed: {exc}"})
                continue
            report.entities += len(extraction.mentions)
            report.relations += len(extraction.relations)
            report.recommendations += len(extraction.recommendations)
            report.criteria += sum(len(r.criteria) for r in extraction.recommendations)
            if extraction.document.source_type.value == "trial":
                report.trial_criteria += len(extraction.criteria)
            report.outcomes += len(extraction.outcomes)
            for term in extraction.unmapped_terms:
                report.unmapped_terms[term] = report.unmapped_terms.get(term, 0) + 1
            parts.append(extraction_rows(extraction))
            loaded.append((doc.id, f"{doc.content_hash}:{report.extractor}"))
        if parts:
            rows = guard.filter(merge_rows(parts), report)
            counts = write_rows(graph, rows, batch_size)
            report.nodes_written += counts.nodes
            report.relationships_written += counts.relationships
            mark_documents_loaded(graph, loaded)
            report.documents_loaded += len(loaded)
        pending_docs.clear()

    bar = _progress(progress)
    for item in read_documents(paths, strict=strict):
        if isinstance(item, Document):
            report.documents_read += 1
            pending_docs.append(item)
            if len(pending_docs) >= DOCS_PER_BATCH:
                flush()
        else:
            from etl.readers.detect import PROVENANCE_REASON

            report.skipped.append({"path": str(item.path), "reason": item.reason,
                                   **({"benign": "yes"} if item.reason == PROVENANCE_REASON else {})})
        bar.update(1)
    flush()
    bar.close()
    mark_graph_built(graph, load_ontology().version)
    after = graph_counts(graph)
    report.node_count_after, report.relationship_count_after = after["nodes"], after["relationships"]
    report.seconds = time.monotonic() - started
    return report


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit="doc", desc="etl", file=sys.stderr)
