"""Check the ontology data and report every problem at once.

    from ontology.validate import check
    report = check()             # the default data directory
    report.ok, report.to_text()

`mdskg ontology check` calls ``main()``; ``python -m ontology.validate [DATA_DIR]`` does the same.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology.model import (
    _FORM_FIELDS,
    SOURCE_KINDS,
    Ontology,
    Problem,
    RawEntry,
    normalise_surface,
    split_curie,
)

#: Every kind of problem the check reports.
KINDS = {
    "load_error": "a file could not be read or an entry has the wrong shape",
    "unknown_label": "a concept (or a relationship pair in the model) uses a label the model does not declare",
    "unknown_relationship": "an edge uses a relationship type the model does not declare",
    "pair_not_allowed": "the model does not allow this relationship between these two labels",
    "missing_property": "a required property is missing or empty",
    "duplicate_id": "two concepts (or two sources) share an id",
    "duplicate_edge": "the same (type, subject, object) edge is listed twice",
    "synonym_clash": "one normalised surface form names two concepts (Terms and forms marked ambiguous: true excepted)",
    "unknown_prefix": "a CURIE is malformed or its prefix is not declared in model.yaml",
    "unknown_endpoint": "an edge's subject or object is not a known concept",
    "unknown_variable": "a criterion variable is not declared in model.yaml",
    "unknown_value": "a value, operator, role or kind is not one the model allows",
    "unknown_source": "a cited source is not described in sources.yaml",
    # curated guideline logic (ontology/data/recommendations)
    "bad_recommendation": "a curated recommendation lacks a field or has an unknown key",
    "bad_criterion": "a curated criterion or group is malformed",
    "bad_id": "a curated recommendation id is not an MDSKG:rec/ CURIE",
    "bad_value": "a strength, line, evidence level or category value is not in the vocabulary",
    "bad_operator": "a criterion operator is not one the model allows",
    "unknown_concept": "a therapy, population or failed-therapy id is not a concept of the right label",
    "matches_everyone": "a positive recommendation has no `requires`, so it would match every patient",
    "undeclared_number": "a curated statement states a number that its `numbers` list does not declare (checked)",
}

_CONCEPT_REQUIRED = ("id", "label", "name", "definition")
_LIST_FIELDS = tuple(_FORM_FIELDS) + ("xrefs", "sources")
_XREF_PROPERTY_SUFFIX = "_xrefs"


@dataclass
class ValidationReport:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # concepts per label
    edge_count: int = 0
    source_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def kinds(self) -> set[str]:
        return {p.kind for p in self.problems}

    def of_kind(self, kind: str) -> list[Problem]:
        return [p for p in self.problems if p.kind == kind]

    def to_text(self) -> str:
        total = sum(self.counts.values())
        per_label = ", ".join(f"{label} {n}" for label, n in self.counts.items())
        lines = [f"ontology {self.path}: {total} concepts ({per_label}), {self.edge_count} curated edges, "
                 f"{self.source_count} sources"]
        if self.ok:
            lines.append("OK: no problems found")
            return "\n".join(lines)
        by_kind: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            by_kind[problem.kind].append(problem)
        lines.append(f"{len(self.problems)} problem(s):")
        for kind in sorted(by_kind):
            lines.append(f"  {kind} ({len(by_kind[kind])}): {KINDS.get(kind, '')}")
            for problem in by_kind[kind]:
                lines.append(f"    {problem.where}: {problem.message}")
        return "\n".join(lines)


class _Checker:
    def __init__(self, onto: Ontology):
        self.onto = onto
        self.problems: list[Problem] = list(onto.problems)

    def add(self, kind: str, where: str, message: str) -> None:
        self.problems.append(Problem(kind, where, message))

    # -- shared --
    def curie(self, value: Any, where: str, what: str) -> None:
        parts = split_curie(value) if isinstance(value, str) else None
        if parts is None:
            self.add("unknown_prefix", where, f"{what} {value!r} is not a CURIE (prefix:local)")
        elif parts[0] not in self.onto.prefixes:
            self.add("unknown_prefix", where, f"{what} {value!r} uses undeclared prefix {parts[0]!r}")

    def cited(self, sources: Any, where: str) -> None:
        for source_id in _list(sources):
            self.curie(source_id, where, "source")
            if isinstance(source_id, str) and split_curie(source_id) and source_id not in self.onto.sources:
                self.add("unknown_source", where, f"source {source_id!r} is not described in sources.yaml")

    def variable(self, name: Any, where: str) -> bool:
        if name not in self.onto.criterion_variables:
            self.add("unknown_variable", where, f"criterion variable {name!r} is not declared in model.yaml")
            return False
        return True

    def variable_values(self, name: str, values: Any, where: str) -> None:
        spec = self.onto.criterion_variables[name]
        if spec.values is None or values is None:
            return
        for value in values if isinstance(values, list) else [values]:
            if str(value) not in spec.values:
                self.add("unknown_value", where,
                         f"{value!r} is not a value of {name} (allowed: {', '.join(spec.values)})")

    # -- model --
    def model(self) -> None:
        if not self.onto.model:
            return
        for rel in self.onto.relationship_types.values():
            for a, b in sorted(rel.pairs):
                for label in (a, b):
                    if label not in self.onto.node_types:
                        self.add("unknown_label", f"model.yaml relationship_types.{rel.name}",
                                 f"pair ({a}, {b}) names undeclared label {label!r}")
        colours: dict[str, str] = {}
        for node_type in self.onto.node_types.values():
            where = f"model.yaml node_types.{node_type.name}"
            if not node_type.biolink.startswith("biolink:"):
                self.add("missing_property", where, "a node type needs its Biolink category (biolink: biolink:…)")
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", node_type.color or ""):
                self.add("missing_property", where, "a node type needs its colour as #RRGGBB (the Browser style)")
            elif node_type.color.upper() in colours:
                self.add("duplicate_id", where, f"colour {node_type.color} is already "
                                                f"{colours[node_type.color.upper()]}'s (each node type needs its own)")
            else:
                colours[node_type.color.upper()] = node_type.name
        for spec in self.onto.criterion_variables.values():
            if spec.type not in ("number", "category", "boolean", "set"):
                self.add("unknown_value", f"model.yaml criterion_variables.{spec.name}",
                         f"type {spec.type!r} is not number|category|boolean|set")

    # -- concepts --
    def concepts(self) -> None:
        seen: dict[str, str] = {}
        for raw in self.onto.raw_concepts:
            data = raw.data
            if not isinstance(data, Mapping):
                continue  # load_error already
            for key in _CONCEPT_REQUIRED:
                value = data.get(key)
                if value is None or (isinstance(value, str) and not value.strip()):
                    self.add("missing_property", raw.where, f"concept has no {key!r}")
            cid = data.get("id")
            if cid:
                cid = str(cid).strip()
                if cid in seen:
                    self.add("duplicate_id", raw.where, f"id {cid!r} is already used at {seen[cid]}")
                else:
                    seen[cid] = raw.where
                self.curie(cid, raw.where, "id")
            label = data.get("label")
            if label and str(label) not in self.onto.node_types:
                self.add("unknown_label", raw.where, f"label {label!r} is not a node type of the model")
            for key in _LIST_FIELDS:
                value = data.get(key)
                if value is not None and not isinstance(value, list):
                    self.add("load_error", raw.where, f"{key!r} must be a list")
                for item in _list(value):
                    if isinstance(item, Mapping):
                        if key in ("xrefs", "sources") or not isinstance(item.get("text"), str):
                            self.add("load_error", raw.where, f"{key!r} entry {dict(item)!r} is not a string "
                                                              "(or {text, ambiguous} for a surface form)")
                    elif not isinstance(item, str):
                        self.add("load_error", raw.where, f"{key!r} entry {item!r} is not a string")
            for xref in _list(data.get("xrefs")):
                if isinstance(xref, str):
                    self.curie(xref, raw.where, "xref")
            self.cited(data.get("sources"), raw.where)
            props = data.get("properties")
            if props is not None and not isinstance(props, Mapping):
                self.add("load_error", raw.where, "'properties' must be a mapping")
            elif props:
                self.properties(props, raw.where)

    def properties(self, props: Mapping[str, Any], where: str) -> None:
        for key, value in props.items():
            if key.endswith(_XREF_PROPERTY_SUFFIX):
                for xref in _list(value):
                    self.curie(xref, where, f"properties.{key}")
        if "variable" in props and self.variable(props["variable"], where):
            self.variable_values(props["variable"], props.get("value"), where)
        for name in _list(props.get("related_variables")):
            self.variable(name, where)
        if "criteria" in props:
            self.criteria(props["criteria"], where)
        if props.get("group") is not None and props["group"] not in ("lower", "higher"):
            self.add("unknown_value", where, f"properties.group {props['group']!r} is not lower|higher")

    def criteria(self, criteria: Any, where: str) -> None:
        if not isinstance(criteria, list):
            self.add("load_error", where, "properties.criteria must be a list")
            return
        for item in criteria:
            if not isinstance(item, Mapping):
                self.add("load_error", where, f"criterion {item!r} is not a mapping")
                continue
            if "any_of" in item:
                self.criteria(item["any_of"], where)
                continue
            for key in ("variable", "operator", "value"):
                if key not in item:
                    self.add("missing_property", where, f"criterion {dict(item)!r} has no {key!r}")
            if "variable" in item and self.variable(item["variable"], where):
                if item.get("operator") in ("==", "!=", "in", "not_in"):
                    self.variable_values(item["variable"], item.get("value"), where)
            if "operator" in item and item["operator"] not in self.onto.criterion_operators:
                self.add("unknown_value", where, f"operator {item['operator']!r} is not a criterion operator")
            if item.get("role") is not None and item["role"] not in self.onto.criterion_roles:
                self.add("unknown_value", where, f"role {item['role']!r} is not a criterion role")

    def synonyms(self) -> None:
        """A normalised surface form may name only one concept, unless every concept that uses it
        marks it ``ambiguous: true``. Terms are deliberately ambiguous and are not compared."""
        owners: dict[str, dict[str, tuple[str, bool]]] = defaultdict(dict)
        for concept in self.onto.concepts.values():
            if concept.label == "Term":
                continue
            for text, _kind in concept.forms():
                key = normalise_surface(text)
                if not key:
                    continue
                flagged = text in concept.ambiguous
                prior = owners[key].get(concept.id)
                owners[key][concept.id] = (text, flagged or bool(prior and prior[1]))
        for key, by_concept in sorted(owners.items()):
            if len(by_concept) < 2 or all(flag for _text, flag in by_concept.values()):
                continue
            listing = "; ".join(f"{cid} ({text!r})" for cid, (text, _f) in sorted(by_concept.items()))
            self.add("synonym_clash", f"surface form {key!r}",
                     f"names {len(by_concept)} concepts: {listing} (mark it ambiguous: true on each if intended)")

    # -- edges --
    def edges(self) -> None:
        seen: dict[tuple[str, str, str], str] = {}
        for raw in self.onto.raw_edges:
            data = raw.data
            if not isinstance(data, Mapping):
                continue
            missing = [k for k in ("type", "subject", "object") if not data.get(k)]
            for key in missing:
                self.add("missing_property", raw.where, f"edge has no {key!r}")
            rel_type, subject, obj = (str(data.get(k) or "").strip() for k in ("type", "subject", "object"))
            spec = self.onto.relationship_types.get(rel_type) if rel_type else None
            if rel_type and spec is None:
                self.add("unknown_relationship", raw.where, f"relationship type {rel_type!r} is not in the model")
            for role, cid in (("subject", subject), ("object", obj)):
                if cid and cid not in self.onto.concepts:
                    self.add("unknown_endpoint", raw.where, f"{role} {cid!r} is not a known concept")
            if spec and subject in self.onto.concepts and obj in self.onto.concepts:
                a, b = self.onto.concepts[subject].label, self.onto.concepts[obj].label
                if not spec.allows(a, b) and a in self.onto.node_types and b in self.onto.node_types:
                    allowed = ", ".join(f"{x}->{y}" for x, y in sorted(spec.pairs))
                    self.add("pair_not_allowed", raw.where, f"{rel_type} does not allow {a}->{b} (allowed: {allowed})")
            if not missing:
                edge = (rel_type, subject, obj)
                if edge in seen:
                    self.add("duplicate_edge", raw.where, f"same edge as {seen[edge]}")
                else:
                    seen[edge] = raw.where
            props = data.get("properties")
            if props is not None and not isinstance(props, Mapping):
                self.add("load_error", raw.where, "'properties' must be a mapping")
            elif props and "variable" in props and self.variable(props["variable"], raw.where):
                self.variable_values(props["variable"], props.get("value"), raw.where)
            if data.get("sources") is not None and not isinstance(data.get("sources"), list):
                self.add("load_error", raw.where, "'sources' must be a list")
            self.cited(data.get("sources"), raw.where)

    # -- sources --
    def sources(self) -> None:
        seen: dict[str, str] = {}
        for raw in self.onto.raw_sources:
            data = raw.data
            if not isinstance(data, Mapping):
                continue
            for key in ("id", "title", "kind"):
                if not data.get(key):
                    self.add("missing_property", raw.where, f"source has no {key!r}")
            sid = str(data.get("id") or "").strip()
            if sid:
                if sid in seen:
                    self.add("duplicate_id", raw.where, f"source id {sid!r} is already used at {seen[sid]}")
                else:
                    seen[sid] = raw.where
                self.curie(sid, raw.where, "source id")
            if data.get("kind") and data["kind"] not in SOURCE_KINDS:
                self.add("unknown_value", raw.where, f"kind {data['kind']!r} is not {'|'.join(SOURCE_KINDS)}")
            for xref in _list(data.get("xrefs")):
                self.curie(xref, raw.where, "xref")

    def run(self) -> list[Problem]:
        self.model()
        self.concepts()
        self.synonyms()
        self.edges()
        self.sources()
        return self.problems


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check(ontology_dir: str | Path | None = None) -> ValidationReport:
    """Load the ontology in ``ontology_dir`` (default: the package's data) afresh and check it."""
    from ontology.model import DEFAULT_DIR, _load, _resolve_dir

    data_dir = _resolve_dir(ontology_dir) if ontology_dir is not None else DEFAULT_DIR
    onto = _load(data_dir)  # never the cached copy: the files may have changed
    problems = _Checker(onto).run()
    from ontology.evidence import check_evidence, read_evidence
    from ontology.guidance import check_guidance, read_guidance

    guidance = read_guidance(data_dir)
    problems += check_guidance(guidance, onto)
    problems += check_evidence(read_evidence(data_dir), onto, extra_sources=[s.id for s in guidance.sources])
    return ValidationReport(path=data_dir, problems=problems, counts=onto.counts(),
                            edge_count=len(onto.edges), source_count=len(onto.sources))


def main(argv: list[str] | None = None) -> int:
    """Print the report for the ontology; exit code 0 when it is clean, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="mdskg ontology check", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=None,
                        help="ontology data directory (default: the package's ontology/data)")
    args = parser.parse_args([] if argv is None else argv)
    report = check(args.data_dir)
    print(report.to_text())
    return 0 if report.ok else 1


__all__ = ["KINDS", "Problem", "RawEntry", "ValidationReport", "check", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
