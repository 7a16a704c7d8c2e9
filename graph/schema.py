"""`mdskg graph init`: constraints, indexes and the model version, from the ontology; idempotent.

These statements are built (labels cannot be parameters in Cypher), but only from the
ontology's declared labels, checked against its enum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.db import Graph
from graph.labels import allowed_labels, checked_label, model_raw
from ontology import load_ontology


@dataclass
class SchemaReport:
    constraints: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    model_version: str = ""

    def to_text(self) -> str:
        lines = [f"model version {self.model_version}: {len(self.constraints)} constraints, "
                 f"{len(self.indexes)} indexes declared; {len(self.created)} created now"]
        lines += [f"  created {name}" for name in self.created]
        return "\n".join(lines)


def declared_schema() -> tuple[dict[str, str], dict[str, str]]:
    """(constraints, indexes) as name → statement."""
    raw = model_raw()
    constraints: dict[str, str] = {}
    for label in sorted(allowed_labels()):
        if label == "GraphMeta":
            continue
        name = f"{label.lower()}_id_unique"
        constraints[name] = (f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                             f"FOR (n:{checked_label(label)}) REQUIRE n.id IS UNIQUE")
    indexes: dict[str, str] = {}
    for spec in raw.get("indexes", []):
        label = checked_label(spec["label"])
        props = spec["properties"]
        name = f"{label.lower()}_{'_'.join(props)}"
        columns = ", ".join(f"n.{p}" for p in props)
        indexes[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON ({columns})"
    ft = raw.get("fulltext_index")
    if ft:
        label = checked_label(ft["label"])
        columns = ", ".join(f"n.{p}" for p in ft["properties"])
        indexes[ft["name"]] = (f"CREATE FULLTEXT INDEX {ft['name']} IF NOT EXISTS FOR (n:{label}) ON EACH [{columns}] "
                               "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}")
    return constraints, indexes


def init_schema(graph: Graph) -> SchemaReport:
    constraints, indexes = declared_schema()
    existing = {row["name"] for row in graph.read_text("SHOW CONSTRAINTS YIELD name RETURN name")}
    existing |= {row["name"] for row in graph.read_text("SHOW INDEXES YIELD name RETURN name")}
    report = SchemaReport(constraints=sorted(constraints), indexes=sorted(indexes),
                          model_version=load_ontology().version)
    for name, statement in {**constraints, **indexes}.items():
        if name not in existing:
            graph.write_text(statement)
            report.created.append(name)
    graph.write_text("CALL db.awaitIndexes(120)")
    graph.write("set_model_version", model_version=report.model_version)
    return report
