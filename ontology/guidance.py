"""Curated guideline logic as data: the guidance vocabulary and the curated recommendations.

`ontology/data/vocabulary.yaml` defines verdicts (best first), strengths (strongest first), criterion
roles, evidence levels and lines once; `ontology/data/recommendations/*.yaml` hold the curated
recommendations that drive patient verdicts (format: docs/guidance-contract.md). Both are read once
per process. `check_recommendations()` collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ontology.model import DEFAULT_DIR, Ontology, Problem

VOCABULARY_FILE = "vocabulary.yaml"
RECOMMENDATIONS_DIR = "recommendations"
GROUP_KEYS = ("all_of", "any_of", "none_of")
RULE_KEYS = ("requires", "excludes", "favours")
RECOMMENDATION_KEYS = {"id", "therapy", "name", "summary", "line", "after_failure_of", "strength", "evidence",
                       "requires", "excludes", "favours", "citations", "allowed_after_class_failure", "population",
                       "note"}
LEAF_KEYS = {"variable", "operator", "value", "unit", "label", "citations", "note"}


# ---- vocabulary --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    id: str
    words: str
    flags: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GuidanceVocabulary:
    verdicts: tuple[Term, ...]
    strengths: tuple[Term, ...]
    criterion_roles: tuple[Term, ...]
    criterion_statuses: tuple[Term, ...]
    evidence_levels: tuple[Term, ...]
    lines: tuple[Term, ...]
    root_concept: str

    def order(self, kind: str) -> dict[str, int]:
        """Rank of every id of a vocabulary (0 = best / strongest)."""
        return {t.id: i for i, t in enumerate(getattr(self, kind))}

    def words(self, kind: str, term_id: str) -> str:
        for t in getattr(self, kind):
            if t.id == term_id:
                return str(t.words)
        return term_id.replace("_", " ")

    def ids(self, kind: str) -> tuple[str, ...]:
        return tuple(t.id for t in getattr(self, kind))

    @property
    def offered_verdicts(self) -> frozenset[str]:
        return frozenset(t.id for t in self.verdicts if t.flags.get("offered"))

    @property
    def ruled_out_verdicts(self) -> frozenset[str]:
        return frozenset(t.id for t in self.verdicts if t.flags.get("ruled_out"))

    @property
    def positive_strengths(self) -> frozenset[str]:
        return frozenset(t.id for t in self.strengths if t.flags.get("positive"))


def _terms(entries: Iterable[Mapping[str, Any]]) -> tuple[Term, ...]:
    return tuple(Term(str(e["id"]), str(e.get("words") or e["id"]),
                      {k: v for k, v in e.items() if k not in {"id", "words"}}) for e in entries)


@functools.lru_cache(maxsize=4)
def load_vocabulary(data_dir: Path = DEFAULT_DIR) -> GuidanceVocabulary:
    data = yaml.safe_load((Path(data_dir) / VOCABULARY_FILE).read_text(encoding="utf-8")) or {}
    return GuidanceVocabulary(
        verdicts=_terms(data["verdicts"]), strengths=_terms(data["strengths"]),
        criterion_roles=_terms(data["criterion_roles"]), criterion_statuses=_terms(data["criterion_statuses"]),
        evidence_levels=_terms(data["evidence_levels"]), lines=_terms(data["lines"]),
        root_concept=str(data["root_concept"]))


# ---- curated recommendations -------------------------------------------------------------------

@dataclass(frozen=True)
class Leaf:
    """One typed condition: variable, operator, value (unit in the variable's unit or convertible)."""

    variable: str
    operator: str
    value: Any
    unit: str | None = None
    label: str | None = None
    citations: tuple[str, ...] = ()
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"variable": self.variable, "operator": self.operator, "value": self.value}
        for key in ("unit", "label", "note"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.citations:
            out["citations"] = list(self.citations)
        return out


@dataclass(frozen=True)
class Group:
    """all_of / any_of / none_of over leaves and groups."""

    kind: str
    items: tuple[Node, ...]

    def as_dict(self) -> dict[str, Any]:
        return {self.kind: [i.as_dict() for i in self.items]}


Node = Leaf | Group


def leaves(node: Node | None) -> list[Leaf]:
    if node is None:
        return []
    if isinstance(node, Leaf):
        return [node]
    return [leaf for item in node.items for leaf in leaves(item)]


@dataclass(frozen=True)
class Evidence:
    level: str
    basis: str


@dataclass(frozen=True)
class CuratedRecommendation:
    id: str
    therapy: str
    name: str
    summary: str
    line: str
    strength: str
    evidence: Evidence
    requires: Group
    excludes: tuple[Node, ...]
    favours: tuple[Node, ...]
    citations: tuple[str, ...]
    after_failure_of: tuple[str, ...] = ()
    allowed_after_class_failure: bool = False
    populations: tuple[str, ...] = ()
    file: str = ""
    version: str = ""

    @property
    def positive(self) -> bool:
        return self.strength != "not_recommended"

    def logic(self) -> dict[str, Any]:
        """The rule as plain data (stored on the graph's Recommendation node as JSON)."""
        return {"requires": self.requires.as_dict(), "excludes": [n.as_dict() for n in self.excludes],
                "favours": [n.as_dict() for n in self.favours]}

    def logic_json(self) -> str:
        return json.dumps(self.logic(), sort_keys=True)


@dataclass(frozen=True)
class CuratedSource:
    id: str
    title: str
    year: int | None
    kind: str
    url: str | None
    read: str


@dataclass(frozen=True)
class CuratedGuidance:
    recommendations: tuple[CuratedRecommendation, ...]
    sources: tuple[CuratedSource, ...]
    versions: Mapping[str, str]
    problems: tuple[Problem, ...] = ()

    @property
    def version(self) -> str:
        return "+".join(f"{name}@{v}" for name, v in sorted(self.versions.items()))

    def by_id(self) -> dict[str, CuratedRecommendation]:
        return {r.id: r for r in self.recommendations}


def node_from(data: Any, where: str, problems: list[Problem]) -> Node | None:
    """A leaf or group from YAML; a list means all_of."""
    if isinstance(data, list):
        items = [n for n in (node_from(d, f"{where}[{i}]", problems) for i, d in enumerate(data)) if n]
        return Group("all_of", tuple(items))
    if not isinstance(data, Mapping):
        problems.append(Problem("bad_criterion", where, f"expected a criterion or a group, got {type(data).__name__}"))
        return None
    groups = [k for k in GROUP_KEYS if k in data]
    if groups:
        if len(data) != 1:
            problems.append(Problem("bad_criterion", where, f"a group has exactly one key of {', '.join(GROUP_KEYS)}"))
            return None
        kind = groups[0]
        raw = data[kind]
        if not isinstance(raw, list) or not raw:
            problems.append(Problem("bad_criterion", where, f"{kind} needs a non-empty list"))
            return None
        items = [n for n in (node_from(d, f"{where}.{kind}[{i}]", problems) for i, d in enumerate(raw)) if n]
        return Group(kind, tuple(items))
    unknown = set(data) - LEAF_KEYS
    if unknown:
        problems.append(Problem("bad_criterion", where, f"unknown keys {sorted(unknown)}"))
    if not {"variable", "operator", "value"} <= set(data):
        problems.append(Problem("bad_criterion", where, "a criterion needs variable, operator and value"))
        return None
    return Leaf(variable=str(data["variable"]), operator=str(data["operator"]), value=data["value"],
                unit=data.get("unit"), label=data.get("label"), citations=tuple(data.get("citations") or ()),
                note=data.get("note"))


def _recommendation(data: Mapping[str, Any], where: str, file: str, version: str,
                    problems: list[Problem]) -> CuratedRecommendation | None:
    unknown = set(data) - RECOMMENDATION_KEYS
    if unknown:
        problems.append(Problem("bad_recommendation", where, f"unknown keys {sorted(unknown)}"))
    missing = [k for k in ("id", "therapy", "name", "strength", "citations") if not data.get(k)]
    if "requires" not in data:
        missing.append("requires")
    if missing:
        problems.append(Problem("bad_recommendation", where, f"missing {', '.join(missing)}"))
        return None
    rid = str(data["id"])
    requires = node_from(data["requires"] or [], f"{rid}.requires", problems)
    if isinstance(requires, Leaf):
        requires = Group("all_of", (requires,))
    excludes = tuple(n for n in (node_from(d, f"{rid}.excludes[{i}]", problems)
                                 for i, d in enumerate(data.get("excludes") or [])) if n)
    favours = tuple(n for n in (node_from(d, f"{rid}.favours[{i}]", problems)
                                for i, d in enumerate(data.get("favours") or [])) if n)
    ev = data.get("evidence") or {}
    populations = data.get("population") or ()
    if isinstance(populations, str):
        populations = (populations,)
    return CuratedRecommendation(
        id=rid, therapy=str(data["therapy"]), name=str(data["name"]), summary=str(data.get("summary") or "").strip(),
        line=str(data.get("line") or "any"), strength=str(data["strength"]),
        evidence=Evidence(level=str(ev.get("level") or ""), basis=str(ev.get("basis") or "").strip()),
        requires=requires or Group("all_of", ()), excludes=excludes, favours=favours,
        citations=tuple(str(c) for c in data["citations"]),
        after_failure_of=tuple(str(x) for x in data.get("after_failure_of") or ()),
        allowed_after_class_failure=bool(data.get("allowed_after_class_failure", False)),
        populations=tuple(str(p) for p in populations), file=file, version=version)


def _source(data: Mapping[str, Any]) -> CuratedSource | None:
    if not isinstance(data, Mapping) or not data.get("id"):
        return None
    year = data.get("year")
    return CuratedSource(id=str(data["id"]), title=str(data.get("title") or data["id"]),
                         year=int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None,
                         kind=str(data.get("kind") or "publication"), url=data.get("url"),
                         read=str(data.get("read") or "").strip())


def iter_data_files(data_dir: Path, folder: str, problems: list[Problem],
                    sources: dict[str, CuratedSource]) -> Iterator[tuple[Path, str, Mapping[str, Any]]]:
    """(path, where, document) for each YAML file of a curated-data folder; a file that cannot be read
    is a problem, not an exception. Each file's `sources:` block is collected into `sources`."""
    for path in sorted((Path(data_dir) / folder).glob("*.yaml")):
        where = f"{folder}/{path.name}"
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem("load_error", where, str(exc).replace("\n", " ")))
            continue
        if not isinstance(doc, Mapping):
            problems.append(Problem("load_error", where, "expected a mapping"))
            continue
        for entry in doc.get("sources") or []:
            src = _source(entry)
            if src:
                sources.setdefault(src.id, src)
        yield path, where, doc


def read_guidance(data_dir: Path = DEFAULT_DIR) -> CuratedGuidance:
    """Every curated recommendation file, parsed; problems are collected, not raised."""
    problems: list[Problem] = []
    recs: list[CuratedRecommendation] = []
    sources: dict[str, CuratedSource] = {}
    versions: dict[str, str] = {}
    for path, where, doc in iter_data_files(Path(data_dir), RECOMMENDATIONS_DIR, problems, sources):
        version = str(doc.get("version") or "")
        versions[path.stem] = version
        for i, entry in enumerate(doc.get("recommendations") or []):
            if not isinstance(entry, Mapping):
                problems.append(Problem("bad_recommendation", f"{where}[{i}]", "expected a mapping"))
                continue
            rec = _recommendation(entry, f"{where}[{i}]", path.name, version, problems)
            if rec:
                recs.append(rec)
    return CuratedGuidance(tuple(recs), tuple(sources.values()), versions, tuple(problems))


@functools.lru_cache(maxsize=1)
def load_guidance() -> CuratedGuidance:
    """The curated guidance of the default ontology, read once per process."""
    return read_guidance(DEFAULT_DIR)


def check_guidance(guidance: CuratedGuidance, onto: Ontology, vocabulary: GuidanceVocabulary | None = None) -> list[Problem]:
    """Every problem of the curated guidance against the ontology (ids, variables, values, citations)."""
    vocab = vocabulary or load_vocabulary()
    problems = list(guidance.problems)
    seen: set[str] = set()
    known_sources = set(onto.sources) | {s.id for s in guidance.sources}
    variables = onto.criterion_variables
    operators = set(onto.criterion_operators)
    for rec in guidance.recommendations:
        where = f"{rec.file}:{rec.id}"
        if rec.id in seen:
            problems.append(Problem("duplicate_id", where, "recommendation id used twice"))
        seen.add(rec.id)
        if not rec.id.startswith("MDSKG:rec/"):
            problems.append(Problem("bad_id", where, "curated recommendation ids start with MDSKG:rec/"))
        if onto.label_of(rec.therapy) not in {"Therapy", "Drug"}:
            problems.append(Problem("unknown_concept", where, f"therapy {rec.therapy} is not a Therapy or Drug concept"))
        if rec.strength not in vocab.ids("strengths"):
            problems.append(Problem("bad_value", where, f"unknown strength {rec.strength!r}"))
        if rec.line not in vocab.ids("lines"):
            problems.append(Problem("bad_value", where, f"unknown line {rec.line!r}"))
        if rec.evidence.level and rec.evidence.level not in vocab.ids("evidence_levels"):
            problems.append(Problem("bad_value", where, f"unknown evidence level {rec.evidence.level!r}"))
        for cid in rec.after_failure_of:
            if onto.label_of(cid) not in {"Therapy", "Drug"}:
                problems.append(Problem("unknown_concept", where, f"after_failure_of {cid} is not a Therapy or Drug"))
        for pid in rec.populations:
            if pid not in onto:
                problems.append(Problem("unknown_concept", where, f"population {pid} is not a concept"))
        for cite in rec.citations:
            if cite not in known_sources:
                problems.append(Problem("unknown_source", where, f"citation {cite} is not in sources.yaml nor in the "
                                                                 f"file's sources"))
        if not rec.requires.items and rec.positive:
            problems.append(Problem("matches_everyone", where, "a positive recommendation needs `requires`"))
        all_leaves = leaves(rec.requires) + [lf for n in (*rec.excludes, *rec.favours) for lf in leaves(n)]
        for leaf in all_leaves:
            spec = variables.get(leaf.variable)
            if spec is None:
                problems.append(Problem("unknown_variable", where, f"criterion variable {leaf.variable!r}"))
                continue
            if leaf.operator not in operators:
                problems.append(Problem("bad_operator", where, f"{leaf.variable} {leaf.operator!r}"))
            vtype, values = spec.type, spec.values
            if vtype == "category" and values:
                wanted = leaf.value if isinstance(leaf.value, list) else [leaf.value]
                for v in wanted:
                    if str(v) not in [str(x) for x in values]:
                        problems.append(Problem("bad_value", where, f"{leaf.variable}: {v!r} is not one of {values}"))
            if leaf.variable in {"failed_therapies", "prior_therapies"}:
                wanted = leaf.value if isinstance(leaf.value, list) else [leaf.value]
                for v in wanted:
                    if onto.label_of(str(v)) not in {"Therapy", "Drug"}:
                        problems.append(Problem("unknown_concept", where, f"{leaf.variable}: {v} is not a therapy"))
            for cite in leaf.citations:
                if cite not in known_sources:
                    problems.append(Problem("unknown_source", where, f"criterion citation {cite} is unknown"))
    return problems
