"""The ontology as Python objects: the graph model (model.yaml) plus the curated concepts, edges and sources.

    from ontology import load_ontology, Label, RelType
    onto = load_ontology()                      # cached for the default data directory
    onto.concept("NCIT:C3247").name             # 'myelodysplastic syndromes'
    onto.by_label(Label.Drug)                   # every Drug concept
    onto.surface_forms()                        # every name/synonym/abbreviation/lay term/brand name

Layout of a data directory (the default is ``ontology/data``)::

    model.yaml            node types, relationship types, criterion variables, prefixes
    concepts/*.yaml       ``concepts: [ {id, label, name, definition, synonyms, ...}, ... ]``
    vocabularies/*.yaml   generated from maintained dictionaries (``ontology/vocab``): a ``source:``
                          header (package, version, licence, date), a file-wide ``label:`` and
                          ``concepts:`` of the same shape without curated definitions; loaded after
                          concepts/, never overriding a curated concept (see docs/vocabularies.md)
    edges.yaml            ``edges: [ {type, subject, object, note?, properties?, sources?}, ... ]``
    sources.yaml          ``sources: [ {id, title, year?, url?, kind}, ... ]``

Loading never raises on a bad data file: it keeps what it can read and records a ``Problem`` for the
rest; ``ontology.validate.check`` adds the semantic checks and reports everything at once.

Surface-form entries (synonyms, abbreviations, lay terms, brand names) are plain strings, or
``{text: ..., ambiguous: true}`` for a form that deliberately names more than one concept (for
example "MDS-SF3B1", which is both a WHO 2022 and an ICC 2022 entity).
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

DEFAULT_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = "model.yaml"
CONCEPTS_DIR = "concepts"
VOCABULARIES_DIR = "vocabularies"
EDGES_FILE = "edges.yaml"
SOURCES_FILE = "sources.yaml"

SURFACE_KINDS = ("name", "synonym", "abbreviation", "lay_term", "brand_name")
_FORM_FIELDS = {"synonyms": "synonym", "abbreviations": "abbreviation", "lay_terms": "lay_term",
                "brand_names": "brand_name"}
SOURCE_KINDS = ("publication", "guideline", "trial")


# ---- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the ontology data. ``kind`` is a short stable code (see validate.KINDS)."""

    kind: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where}: {self.message}"


@dataclass(frozen=True)
class NodeType:
    name: str
    description: str
    biolink: str
    color: str


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type of the model (``ontology.RelType`` is the enum of their names)."""

    name: str
    description: str
    pairs: frozenset[tuple[str, str]]
    biolink: str

    def allows(self, from_label: str, to_label: str) -> bool:
        return (str(from_label), str(to_label)) in self.pairs


@dataclass(frozen=True)
class VariableSpec:
    name: str
    type: str  # number | category | boolean | set
    unit: str | None = None
    values: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    name: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    lay_terms: tuple[str, ...] = ()
    brand_names: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[str, ...] = ()
    ambiguous: frozenset[str] = frozenset()  # surface forms marked `ambiguous: true`

    @property
    def prefix(self) -> str:
        return self.id.split(":", 1)[0]

    def forms(self) -> list[tuple[str, str]]:
        """(text, kind) for every surface form of this concept, name first."""
        out = [(self.name, "name")] if self.name else []
        for attr, kind in _FORM_FIELDS.items():
            out.extend((text, kind) for text in getattr(self, attr))
        return out


@dataclass(frozen=True)
class CuratedEdge:
    type: str
    subject: str
    object: str
    note: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceInfo:
    id: str
    title: str
    year: int | None = None
    url: str | None = None
    kind: str = "publication"  # one of model.yaml source_kinds (ontology.source_kind)
    authors: str | None = None
    journal: str | None = None
    version: str | None = None
    xrefs: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class SurfaceForm:
    """A string by which a concept may be mentioned."""

    text: str
    concept_id: str
    label: str
    kind: str  # name | synonym | abbreviation | lay_term | brand_name
    ambiguous: bool = False

    @property
    def normalised(self) -> str:
        return normalise_surface(self.text)


@dataclass(frozen=True)
class RawEntry:
    """An entry as read from a data file, kept for the validator (duplicates included)."""

    where: str
    data: Any


# ---- helpers -------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_JOINERS = re.compile(r"(?<=\w)[\s\-_/]+(?=\w)")
_SPACES = re.compile(r"\s+")


def normalise_surface(text: str) -> str:
    """The comparison key of a surface form: NFKC, case-folded, dashes unified, word joiners
    (space, hyphen, underscore, slash between two word characters) made one space.

    "MDS-SF3B1" == "mds sf3b1"; "−7" == "-7" but != "7" and != "+7"; "del(5q)" != "del5q".
    """
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    text = _JOINERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip().rstrip(".")


def split_curie(curie: str) -> tuple[str, str] | None:
    if not isinstance(curie, str) or ":" not in curie:
        return None
    prefix, local = curie.split(":", 1)
    if not prefix or not local or " " in prefix:
        return None
    return prefix, local


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, dict)):
        value = [value]
    out = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("text")
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
    return tuple(out)


def _ambiguous_forms(data: Mapping[str, Any]) -> frozenset[str]:
    found = set()
    for attr in _FORM_FIELDS:
        items = data.get(attr) or []
        if isinstance(items, (str, dict)):
            items = [items]
        for item in items:
            if isinstance(item, dict) and item.get("ambiguous") and isinstance(item.get("text"), str):
                found.add(item["text"].strip())
    return frozenset(found)


def _read_yaml(path: Path, where: str, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem("load_error", where, f"cannot read file: {exc}"))
    except yaml.YAMLError as exc:
        problems.append(Problem("load_error", where, f"invalid YAML: {exc}".replace("\n", " ")))
    return None


def _entries(doc: Any, key: str, where: str, problems: list[Problem]) -> list[Any]:
    """A file holds either a bare list or a mapping with `key:` → list."""
    if doc is None:
        return []
    if isinstance(doc, Mapping):
        doc = doc.get(key, [])
    if not isinstance(doc, list):
        problems.append(Problem("load_error", where, f"expected a list of {key} (or a `{key}:` key)"))
        return []
    return doc


def _label_for(entry: Any) -> str:
    if isinstance(entry, Mapping) and entry.get("id"):
        return f" ({entry.get('id')})"
    return ""


# ---- the ontology ---------------------------------------------------------------------------


@dataclass
class Ontology:
    path: Path
    version: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    node_types: dict[str, NodeType] = field(default_factory=dict)
    relationship_types: dict[str, RelationshipType] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    edges: list[CuratedEdge] = field(default_factory=list)
    sources: dict[str, SourceInfo] = field(default_factory=dict)
    criterion_variables: dict[str, VariableSpec] = field(default_factory=dict)
    criterion_operators: tuple[str, ...] = ()
    criterion_roles: tuple[str, ...] = ()
    required_node_properties: tuple[str, ...] = ()
    edge_provenance: tuple[str, ...] = ()
    model: dict[str, Any] = field(default_factory=dict)  # model.yaml as data
    problems: list[Problem] = field(default_factory=list)  # what loading could not read
    raw_concepts: list[RawEntry] = field(default_factory=list)
    raw_edges: list[RawEntry] = field(default_factory=list)
    raw_sources: list[RawEntry] = field(default_factory=list)
    _forms: list[SurfaceForm] | None = field(default=None, repr=False)

    # -- look-ups --
    def concept(self, concept_id: str) -> Concept:
        """The concept with this id; KeyError if there is none (use ``get`` for a None default)."""
        try:
            return self.concepts[concept_id]
        except KeyError:
            raise KeyError(f"no concept {concept_id!r} in the ontology") from None

    def get(self, concept_id: str, default: Concept | None = None) -> Concept | None:
        return self.concepts.get(concept_id, default)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self.concepts

    def by_label(self, label: str) -> list[Concept]:
        label = str(label.value if isinstance(label, enum.Enum) else label)
        return sorted((c for c in self.concepts.values() if c.label == label), key=lambda c: c.id)

    def label_of(self, concept_id: str) -> str | None:
        concept = self.concepts.get(concept_id)
        return concept.label if concept else None

    def edges_of(self, type: str | None = None, subject: str | None = None,
                 object: str | None = None) -> list[CuratedEdge]:
        type = str(type.value) if isinstance(type, enum.Enum) else type
        return [e for e in self.edges
                if (type is None or e.type == type) and (subject is None or e.subject == subject)
                and (object is None or e.object == object)]

    def pair_allowed(self, rel_type: str, from_label: str, to_label: str) -> bool:
        spec = self.relationship_types.get(str(rel_type))
        return bool(spec and spec.allows(from_label, to_label))

    def source(self, source_id: str) -> SourceInfo | None:
        return self.sources.get(source_id)

    def curie_url(self, curie: str) -> str | None:
        return curie_url(curie, self.prefixes)

    def surface_forms(self) -> list[SurfaceForm]:
        """Every name, synonym, abbreviation, lay term and brand name, one entry per (concept, text)."""
        if self._forms is None:
            forms: list[SurfaceForm] = []
            for concept in self.concepts.values():
                seen: set[str] = set()
                for text, kind in concept.forms():
                    if text in seen:
                        continue
                    seen.add(text)
                    forms.append(SurfaceForm(text, concept.id, concept.label, kind,
                                             text in concept.ambiguous or concept.label == "Term"))
            self._forms = forms
        return list(self._forms)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for concept in self.concepts.values():
            out[concept.label] = out.get(concept.label, 0) + 1
        return dict(sorted(out.items()))


# ---- loading -------------------------------------------------------------------------------


def _load_model(onto: Ontology, model_path: Path) -> None:
    where = MODEL_FILE
    if not model_path.exists():
        onto.problems.append(Problem("load_error", where, f"{model_path} does not exist"))
        return
    model = _read_yaml(model_path, where, onto.problems)
    if not isinstance(model, Mapping):
        if model is not None:
            onto.problems.append(Problem("load_error", where, "model.yaml is not a mapping"))
        return
    onto.model = dict(model)
    onto.version = str(model.get("version", ""))
    onto.prefixes = {str(k): str(v) for k, v in (model.get("prefixes") or {}).items()}
    for name, spec in (model.get("node_types") or {}).items():
        spec = spec or {}
        onto.node_types[name] = NodeType(name, spec.get("description", ""), spec.get("biolink", ""),
                                         spec.get("color", ""))
    for name, spec in (model.get("relationship_types") or {}).items():
        spec = spec or {}
        pairs = set()
        for pair in spec.get("pairs") or []:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                pairs.add((str(pair[0]), str(pair[1])))
            else:
                onto.problems.append(Problem("load_error", f"{where} relationship_types.{name}",
                                             f"pair {pair!r} is not a [from, to] list"))
        onto.relationship_types[name] = RelationshipType(name, spec.get("description", ""),
                                                         frozenset(pairs), spec.get("biolink", ""))
    for name, spec in (model.get("criterion_variables") or {}).items():
        spec = spec or {}
        values = spec.get("values")
        onto.criterion_variables[name] = VariableSpec(
            name, str(spec.get("type", "")), spec.get("unit"),
            tuple(str(v) for v in values) if values is not None else None, spec.get("description", ""))
    onto.criterion_operators = tuple(model.get("criterion_operators") or ())
    onto.criterion_roles = tuple(model.get("criterion_roles") or ())
    onto.required_node_properties = tuple(model.get("required_node_properties") or ("id", "name"))
    onto.edge_provenance = tuple(model.get("edge_provenance") or ())


def _concept_from(data: Mapping[str, Any]) -> Concept:
    props = data.get("properties") or {}
    return Concept(
        id=str(data["id"]).strip(),
        label=str(data.get("label") or "").strip(),
        name=str(data.get("name") or "").strip(),
        definition=" ".join(str(data.get("definition") or "").split()),
        synonyms=_as_tuple(data.get("synonyms")),
        abbreviations=_as_tuple(data.get("abbreviations")),
        lay_terms=_as_tuple(data.get("lay_terms")),
        brand_names=_as_tuple(data.get("brand_names")),
        xrefs=_as_tuple(data.get("xrefs")),
        properties=dict(props) if isinstance(props, Mapping) else {},
        sources=_as_tuple(data.get("sources")),
        ambiguous=_ambiguous_forms(data),
    )


def _add_concept(onto: Ontology, entry: Any, where: str) -> None:
    onto.raw_concepts.append(RawEntry(where, entry))
    if not isinstance(entry, Mapping):
        onto.problems.append(Problem("load_error", where, "a concept must be a mapping"))
        return
    if not entry.get("id"):
        return  # reported by the validator as missing_property
    try:
        concept = _concept_from(entry)
    except (TypeError, ValueError) as exc:  # pragma: no cover - defensive
        onto.problems.append(Problem("load_error", where, f"cannot read concept: {exc}"))
        return
    onto.concepts.setdefault(concept.id, concept)  # first wins; duplicates are reported


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))


def _load_concepts(onto: Ontology, data_dir: Path) -> None:
    for path in _yaml_files(data_dir / CONCEPTS_DIR):
        rel = f"{CONCEPTS_DIR}/{path.name}"
        doc = _read_yaml(path, rel, onto.problems)
        for index, entry in enumerate(_entries(doc, "concepts", rel, onto.problems)):
            _add_concept(onto, entry, f"{rel}#{index + 1}{_label_for(entry)}")


def vocabulary_source_tag(source: Mapping[str, Any]) -> str:
    """'drug-named-entity-recognition 2.0.9': the package and version a generated vocabulary came from."""
    return " ".join(str(source.get(k)) for k in ("package", "version") if source.get(k)).strip()


def vocabulary_definition(source: Mapping[str, Any]) -> str:
    """The stand-in definition of a concept that only a generated vocabulary knows (no clinical text)."""
    tag = vocabulary_source_tag(source) or "a generated vocabulary"
    licence = f", {source['licence']}" if source.get("licence") else ""
    return f"No curated definition; name and identifiers from {tag}{licence}."


def _load_vocabularies(onto: Ontology, data_dir: Path) -> None:
    """Concepts of the generated vocabularies (vocabularies/*.yaml), after the curated ones.

    Each file: ``source: {package, version, licence, ...}``, ``label: Drug`` (for every entry) and
    ``concepts: [{id, name, synonyms?, xrefs?, properties?}, ...]``. An entry gets the file's label,
    a stand-in definition naming the source, and ``properties.vocabulary`` (package and version).
    A curated concept with the same id wins, and the validator reports the duplicate.
    """
    for path in _yaml_files(data_dir / VOCABULARIES_DIR):
        rel = f"{VOCABULARIES_DIR}/{path.name}"
        doc = _read_yaml(path, rel, onto.problems)
        if doc is None:
            continue
        if not isinstance(doc, Mapping):
            onto.problems.append(Problem("load_error", rel, "a vocabulary file must be a mapping with `concepts:`"))
            continue
        raw_source = doc.get("source")
        source: Mapping[str, Any] = raw_source if isinstance(raw_source, Mapping) else {}
        if not source.get("package") or not source.get("version") or not source.get("licence"):
            onto.problems.append(Problem("load_error", rel, "`source:` must give package, version and licence"))
        label = str(doc.get("label") or "").strip()
        definition = vocabulary_definition(source)
        tag = vocabulary_source_tag(source)
        for index, entry in enumerate(_entries(doc, "concepts", rel, onto.problems)):
            where = f"{rel}#{index + 1}{_label_for(entry)}"
            if isinstance(entry, Mapping):
                props = entry.get("properties")
                entry = {"label": label, "definition": definition, **entry,
                         "properties": {**(props if isinstance(props, Mapping) else {}), "vocabulary": tag}}
            _add_concept(onto, entry, where)


def _load_edges(onto: Ontology, data_dir: Path) -> None:
    path = data_dir / EDGES_FILE
    if not path.exists():
        return
    doc = _read_yaml(path, EDGES_FILE, onto.problems)
    for index, entry in enumerate(_entries(doc, "edges", EDGES_FILE, onto.problems)):
        where = f"{EDGES_FILE}#{index + 1}"
        if isinstance(entry, Mapping):
            where += f" ({entry.get('subject')} -{entry.get('type')}-> {entry.get('object')})"
        onto.raw_edges.append(RawEntry(where, entry))
        if not isinstance(entry, Mapping):
            onto.problems.append(Problem("load_error", where, "an edge must be a mapping"))
            continue
        if not (entry.get("type") and entry.get("subject") and entry.get("object")):
            continue  # reported by the validator
        props = entry.get("properties") or {}
        onto.edges.append(CuratedEdge(
            type=str(entry["type"]).strip(), subject=str(entry["subject"]).strip(),
            object=str(entry["object"]).strip(),
            note=" ".join(str(entry["note"]).split()) if entry.get("note") else None,
            properties=dict(props) if isinstance(props, Mapping) else {},
            sources=_as_tuple(entry.get("sources"))))


def _load_sources(onto: Ontology, data_dir: Path) -> None:
    path = data_dir / SOURCES_FILE
    if not path.exists():
        return
    doc = _read_yaml(path, SOURCES_FILE, onto.problems)
    for index, entry in enumerate(_entries(doc, "sources", SOURCES_FILE, onto.problems)):
        where = f"{SOURCES_FILE}#{index + 1}{_label_for(entry)}"
        onto.raw_sources.append(RawEntry(where, entry))
        if not isinstance(entry, Mapping):
            onto.problems.append(Problem("load_error", where, "a source must be a mapping"))
            continue
        if not entry.get("id"):
            continue
        year = entry.get("year")
        try:
            year = int(year) if year is not None else None
        except (TypeError, ValueError):
            onto.problems.append(Problem("load_error", where, f"year {year!r} is not a number"))
            year = None
        info = SourceInfo(
            id=str(entry["id"]).strip(), title=" ".join(str(entry.get("title") or "").split()),
            year=year, url=entry.get("url"), kind=str(entry.get("kind") or ""),
            authors=entry.get("authors"), journal=entry.get("journal"),
            version=str(entry["version"]) if entry.get("version") is not None else None,
            xrefs=_as_tuple(entry.get("xrefs")), note=entry.get("note"))
        onto.sources.setdefault(info.id, info)


def _resolve_dir(path: str | Path | None) -> Path:
    if path is None:
        return DEFAULT_DIR
    path = Path(path)
    return path.parent if path.is_file() or path.name == MODEL_FILE else path


def _load(data_dir: Path, vocabularies: bool = True) -> Ontology:
    """The ontology in ``data_dir``; ``vocabularies=False`` leaves out the generated vocabularies
    (the curated ontology alone, as the vocabulary builders compare against it)."""
    onto = Ontology(path=data_dir)
    _load_model(onto, data_dir / MODEL_FILE)
    _load_concepts(onto, data_dir)
    if vocabularies:
        _load_vocabularies(onto, data_dir)
    _load_edges(onto, data_dir)
    _load_sources(onto, data_dir)
    return onto


@functools.lru_cache(maxsize=1)
def _load_default() -> Ontology:
    return _load(DEFAULT_DIR)


def load_ontology(path: str | Path | None = None) -> Ontology:
    """The ontology in ``path`` (a data directory or its model.yaml); the default one is cached.

    Call ``load_ontology.cache_clear()`` after editing the default data files in a running process.
    """
    if path is None:  # the common case, called per answer fact: no filesystem lookups
        return _load_default()
    data_dir = _resolve_dir(path)
    if data_dir.resolve() == DEFAULT_DIR:
        return _load_default()
    return _load(data_dir)


load_ontology.cache_clear = _load_default.cache_clear  # type: ignore[attr-defined]


# ---- CURIEs --------------------------------------------------------------------------------


def curie_url(curie: str, prefixes: Mapping[str, str] | None = None) -> str | None:
    """The resolvable URL of a CURIE (``PMID:22740453`` → https://pubmed.ncbi.nlm.nih.gov/22740453),
    using model.yaml prefixes; None for an unknown prefix or a malformed CURIE."""
    parts = split_curie(curie)
    if parts is None:
        return None
    if prefixes is None:
        prefixes = _model_prefixes()
    base = prefixes.get(parts[0])
    if base is None:
        return None
    return base + parts[1]


# Where a cited source can be read. The identifier prefixes of the sources we cite; their bases are
# model.yaml's prefixes. PubMed's canonical record address ends in "/", as PubMed itself links it.
SOURCE_PREFIXES = ("PMID", "clinicaltrials", "DOI")


def source_url(curie: str) -> str | None:
    """The public page of a cited source, the one place such URLs are built (the ETL's Source
    nodes, the readers' metadata and the API's citations all use it): ``PMID:22740453`` →
    https://pubmed.ncbi.nlm.nih.gov/22740453/, ``clinicaltrials:NCT01234567`` →
    https://clinicaltrials.gov/study/NCT01234567, ``DOI:10.1/x`` → https://doi.org/10.1/x;
    None for any other identifier (our own MDSKG: sources have no public page)."""
    parts = split_curie(curie)
    if parts is None or parts[0] not in SOURCE_PREFIXES:
        return None
    url = curie_url(curie)
    if url is not None and parts[0] == "PMID":
        url += "/"
    return url


@functools.lru_cache(maxsize=1)
def source_kinds() -> dict[str, str]:
    """The kinds a Source node may have (model.yaml ``source_kinds``), id → description."""
    spec = _read_model_quietly().get("source_kinds") or {}
    return {str(k): str((v or {}).get("description", "")) for k, v in spec.items()}


@functools.lru_cache(maxsize=1)
def _source_kind_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, spec in (_read_model_quietly().get("source_kinds") or {}).items():
        out[str(kind).lower()] = str(kind)
        for alias in (spec or {}).get("aliases") or ():
            out[str(alias).lower()] = str(kind)
    return out


def source_kind(curie: str, declared: str | None = None, url: str | None = None) -> str:
    """The one `kind` of a source (model.yaml ``source_kinds``), wherever a Source is written.

    The identifier decides where it can (``clinicaltrials:`` → trial_registration; ``PMID:``/``DOI:`` →
    publication, or the guideline or label declared for it); else the declared kind or its alias; else a
    page with a URL is a web_page and anything else a publication."""
    kind = _source_kind_aliases().get(str(declared or "").strip().lower())
    prefix = (split_curie(curie) or ("", ""))[0]
    if prefix == "clinicaltrials":
        return "trial_registration"
    if prefix in {"PMID", "DOI"}:
        return kind if kind in {"guideline", "label"} else "publication"
    if kind:
        return kind
    return "web_page" if url else "publication"


# ---- enums built from model.yaml at import -------------------------------------------------


def _read_model_quietly() -> dict[str, Any]:
    try:
        data = yaml.safe_load((DEFAULT_DIR / MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=1)
def _model_prefixes() -> dict[str, str]:
    return {str(k): str(v) for k, v in (_read_model_quietly().get("prefixes") or {}).items()}


def _make_enum(name: str, members: Iterable[str]) -> type[enum.StrEnum]:
    # The functional API makes a class; typeshed types the call as an instance.
    return cast("type[enum.StrEnum]", enum.StrEnum(name, {m: m for m in members}, module=__name__))


_MODEL_AT_IMPORT = _read_model_quietly()

#: Node labels of the graph model (str-valued: ``Label.Drug == "Drug"``).
Label = _make_enum("Label", (_MODEL_AT_IMPORT.get("node_types") or {}).keys())
#: Relationship types of the graph model (str-valued: ``RelType.TREATS == "TREATS"``).
RelType = _make_enum("RelType", (_MODEL_AT_IMPORT.get("relationship_types") or {}).keys())


# ---- Neo4j Browser style sheet -------------------------------------------------------------


def _text_colour(hex_colour: str) -> str:
    """Black or white caption text, whichever reads better on the node colour."""
    try:
        r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except (ValueError, IndexError):
        return "#FFFFFF"
    lum = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    return "#000000" if luminance > 0.35 else "#FFFFFF"


def _darker(hex_colour: str, factor: float = 0.8) -> str:
    try:
        rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    except (ValueError, IndexError):
        return hex_colour
    return "#" + "".join(f"{max(0, min(255, int(c * factor))):02X}" for c in rgb)


_DIAMETERS = {"Disease": 80, "RiskCategory": 65, "PatientGroup": 65, "Therapy": 65, "Recommendation": 55,
              "Criterion": 45, "Source": 45, "Term": 50, "UnmappedTerm": 45}
# The helper label every node carries (model.yaml infrastructure_labels): a neutral rule written before the
# node types', so each node type's own rule (later in the sheet) wins and Entity never colours a node.
_HELPER_LABEL = "Entity"


def grass_stylesheet(ontology: Ontology | None = None) -> str:
    """A Neo4j Browser style sheet (GraSS): one colour and a ``{name}`` caption per node type of the
    model, a neutral rule for the Entity helper label, and per relationship type its colour and a caption
    with the edge's ``reading``. graph/browser/style.grass is this text; regenerate it after changing model colours with
    ``python -c "from ontology.model import grass_stylesheet as g; print(g(), end='')" > graph/browser/style.grass``."""
    onto = ontology or load_ontology()
    # No comments in the output: Neo4j Browser's GraSS parser does not understand them.
    lines = [
        "node {", "  diameter: 55px;", "  color: #A5ABB6;", "  border-color: #9AA1AC;", "  border-width: 2px;",
        "  text-color-internal: #FFFFFF;", "  font-size: 10px;", "  caption: \"{name}\";", "}", "",
        "relationship {", "  color: #A5ABB6;", "  shaft-width: 2px;", "  font-size: 8px;", "  padding: 3px;",
        "  text-color-external: #000000;", "  text-color-internal: #FFFFFF;", "  caption: \"<type>\";", "}",
    ]
    lines += ["", f"node.{_HELPER_LABEL} {{", "  color: #A5ABB6;", "  border-color: #9AA1AC;",
              "  text-color-internal: #FFFFFF;", "  caption: \"{name}\";", "}"]
    for name, spec in onto.node_types.items():
        colour = spec.color or "#A5ABB6"
        lines += ["", f"node.{name} {{", f"  color: {colour};", f"  border-color: {_darker(colour)};",
                  f"  text-color-internal: {_text_colour(colour)};",
                  f"  diameter: {_DIAMETERS.get(name, 55)}px;", "  caption: \"{name}\";", "}"]
    # Relationships: the Browser styles them by type only, so what a fact carries (direction, hedging,
    # confidence) is its caption: the `reading` property the loader writes ("positive, hedged, conf 0.7"). The
    # types with a colour of their own (the facts read from text) show it; the colour says the type (the
    # Browser's overview lists which). Other types show their name.
    raw_types = (onto.model.get("relationship_types") or {}) if onto.model else {}
    for name in onto.relationship_types:
        rel_colour = str((raw_types.get(name) or {}).get("color") or "")
        caption = "{reading}" if rel_colour else "<type>"
        lines += ["", f"relationship.{name} {{", f"  color: {rel_colour or '#A5ABB6'};",
                  f"  shaft-width: {'3px' if rel_colour else '2px'};", f"  caption: \"{caption}\";", "}"]
    return "\n".join(lines) + "\n"
