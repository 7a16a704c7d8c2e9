"""Typed reads: one function per read statement in graph/cypher/, with declared parameters and a
typed row.

Each function takes a *read source* — a `Graph`, the reads of one transaction (`Graph.reading`) or
the answer read cache (`service.cache.ReadCache`) — and its parameters as keywords, and returns
frozen dataclass rows whose fields are the statement's RETURN columns. Values still travel only as
`$parameters`; the statement text never changes.

A row is built from the record's keys and nothing else: a column the dataclass expects and the
record lacks (a renamed or dropped column), or a column the record has and the dataclass does not
declare, raises `ReadShapeError` naming the statement and the column, so the mismatch fails in the
first test that runs the read rather than later in a caller.

Nested maps in a column (criteria, relations, path nodes…) stay dicts; their shape is declared as
TypedDicts for the type checker. Rows served from the read cache are shared between requests: their
list-valued columns are tuples there and their nested maps refuse writes (see service/cache.py), so
callers treat every row as read-only.

`WRITES` lists the write statements (run by graph/load.py and graph/schema.py through
`Graph.write` / `Graph.write_batches`) with the parameters each declares; `tests/unit/test_reads.py`
checks that every .cypher file is either a read here or a write there.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, TypeVar

from mdskg.errors import MdskgError


class ReadShapeError(MdskgError, RuntimeError):
    """A statement's result does not have the columns its typed row declares."""


class ReadSource(Protocol):
    """What the typed reads need: `Graph`, `TransactionReads` and `ReadCache` all have it."""

    def read(self, name: str, timeout_s: float | None = None, **params: Any) -> Sequence[Mapping[str, Any]]: ...


class Row:
    """Base of the typed rows (frozen dataclasses): `as_dict()` for the few consumers that still take
    mappings (etl.curation, the pure trial matcher)."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


R = TypeVar("R", bound=Row)

_COLUMNS: dict[type, tuple[str, ...]] = {}


def columns(row_type: type[Row]) -> tuple[str, ...]:
    cols = _COLUMNS.get(row_type)
    if cols is None:
        cols = _COLUMNS[row_type] = tuple(f.name for f in dataclasses.fields(row_type))  # type: ignore[arg-type]
    return cols


def to_row(statement: str, row_type: type[R], record: Mapping[str, Any]) -> R:
    """One record as a typed row; a missing or unexpected column raises ReadShapeError."""
    cols = columns(row_type)
    try:
        values = {c: record[c] for c in cols}
    except KeyError as exc:
        raise ReadShapeError(f"{statement}.cypher returned no column {exc.args[0]!r} that {row_type.__name__} "
                             f"declares (its columns: {', '.join(record)})") from None
    if len(record) != len(cols):
        extra = [k for k in record if k not in values]
        raise ReadShapeError(f"{statement}.cypher returned column(s) {', '.join(map(repr, extra))} that "
                             f"{row_type.__name__} does not declare")
    return row_type(**values)


def to_rows(statement: str, row_type: type[R], records: Iterable[Mapping[str, Any]]) -> list[R]:
    return [to_row(statement, row_type, r) for r in records]


def _run(source: ReadSource, statement: str, row_type: type[R], timeout_s: float | None,
         params: dict[str, Any]) -> list[R]:
    # The read cache keeps typed rows (built once per graph version); anything else gives records.
    read_typed = getattr(type(source), "read_typed", None)
    if read_typed is not None:
        return list(read_typed(source, statement, row_type, timeout_s, params))
    return to_rows(statement, row_type, source.read(statement, timeout_s=timeout_s, **params))


def _one(statement: str, rows: list[R]) -> R:
    if len(rows) != 1:
        raise ReadShapeError(f"{statement}.cypher returned {len(rows)} rows, expected exactly one")
    return rows[0]


# ---- the registry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadSpec:
    statement: str
    function: Callable[..., Any]
    row_type: type[Row]
    params: frozenset[str]


READS: dict[str, ReadSpec] = {}

F = TypeVar("F", bound=Callable[..., Any])


def _read(statement: str, row_type: type[Row]) -> Callable[[F], F]:
    """Registers a typed read; its keyword-only parameters (but `timeout_s`) are the statement's
    declared $parameters."""

    def register(fn: F) -> F:
        params = frozenset(p.name for p in inspect.signature(fn).parameters.values()
                           if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "timeout_s")
        if statement in READS:
            raise ValueError(f"two typed reads for {statement}.cypher")
        READS[statement] = ReadSpec(statement, fn, row_type, params)
        return fn

    return register


#: The write statements and the $parameters each declares (run through Graph.write/write_batches).
WRITES: dict[str, frozenset[str]] = {
    "merge_nodes": frozenset({"rows"}),
    "merge_relationships": frozenset({"rows"}),
    "mark_documents_loaded": frozenset({"rows"}),
    "mark_graph_built": frozenset({"model_version", "built_at"}),
    "set_model_version": frozenset({"model_version"}),
    "retract_documents": frozenset({"doc_ids"}),
    "remove_orphans": frozenset(),
    "refresh_unmapped_terms": frozenset(),
}


# ---- nested maps ----------------------------------------------------------------------------------

class NodeRef(TypedDict):
    id: str
    name: str | None
    label: str | None


class StepRef(TypedDict):
    type: str
    from_id: str
    to_id: str
    citations: Sequence[str]


class RecommendationCriterion(TypedDict):
    id: str
    name: str | None
    variable: str | None
    operator: str | None
    value_json: str | None
    unit: str | None
    role: str | None
    text: str | None
    citations: Sequence[str] | None
    sentence: str | None


class CandidateCriterion(TypedDict):
    id: str
    variable: str | None
    operator: str | None
    value_json: str | None
    unit: str | None
    role: str | None
    sentence: str | None
    sentence_citations: str | None
    citations: Sequence[str]
    source_ids: Sequence[str]


class TrialCriterion(TypedDict):
    id: str
    variable: str | None
    operator: str | None
    value_json: str | None
    unit: str | None
    role: str | None
    text: str | None
    sentence: str | None
    scope: str | None  # for someone other than the patient (a donor, another cohort): not checked
    group: str | None  # the any-of group of an inclusion criterion


class Relation(TypedDict):
    type: str
    outgoing: bool
    other_id: str
    other_name: str | None
    other_label: str | None
    citations: Sequence[str]
    sentences: Sequence[str]
    note: str | None
    hedged: bool | None


class DrugRef(TypedDict):
    id: str
    name: str | None
    citations: Sequence[str] | None


class OutcomeMap(TypedDict, total=False):
    id: str
    kind: str | None
    endpoint: str | None
    arm: str | None
    value: float | None
    unit: str | None
    comparator_value: float | None
    p: str | None
    hr: float | None
    ci: str | None
    follow_up: str | None
    n: int | None
    primary: bool | None
    any_grade_pct: float | None
    grade3_pct: float | None
    comparator_any_grade_pct: float | None
    comparator_grade3_pct: float | None
    citations: Sequence[str] | None


# ---- graph metadata -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Counts(Row):
    nodes: int
    relationships: int


@_read("counts", Counts)
def counts(source: ReadSource, *, timeout_s: float | None = None) -> Counts:
    return _one("counts", _run(source, "counts", Counts, timeout_s, {}))


@dataclass(frozen=True, slots=True)
class GraphInfo(Row):
    node_count: int
    relationship_count: int
    model_version: str | None
    built_at: str | None
    build_number: int | None
    document_count: int | None


@_read("graph_info", GraphInfo)
def graph_info(source: ReadSource, *, timeout_s: float | None = None) -> GraphInfo:
    return _one("graph_info", _run(source, "graph_info", GraphInfo, timeout_s, {}))


@dataclass(frozen=True, slots=True)
class ServerVersion(Row):
    version: str
    edition: str


@_read("server_version", ServerVersion)
def server_version(source: ReadSource, *, timeout_s: float | None = None) -> ServerVersion:
    return _one("server_version", _run(source, "server_version", ServerVersion, timeout_s, {}))


@dataclass(frozen=True, slots=True)
class DocumentHash(Row):
    id: str
    content_hash: str | None


@_read("document_hashes", DocumentHash)
def document_hashes(source: ReadSource, *, ids: Sequence[str], timeout_s: float | None = None) -> list[DocumentHash]:
    return _run(source, "document_hashes", DocumentHash, timeout_s, {"ids": list(ids)})


# ---- entities, neighbours, paths, search ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EntityRow(Row):
    id: str
    name: str | None
    label: str | None
    props: Mapping[str, Any]


@_read("entity_by_id", EntityRow)
def entity_by_id(source: ReadSource, *, id: str, timeout_s: float | None = None) -> EntityRow | None:
    rows = _run(source, "entity_by_id", EntityRow, timeout_s, {"id": id})
    return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class EntityFacts(Row):
    id: str
    name: str | None
    label: str | None
    definition: str | None
    synonyms: Sequence[str] | None
    abbreviations: Sequence[str] | None
    brand_names: Sequence[str] | None
    relations: Sequence[Relation]


@_read("entity_facts", EntityFacts)
def entity_facts(source: ReadSource, *, id: str, limit: int, timeout_s: float | None = None) -> EntityFacts | None:
    rows = _run(source, "entity_facts", EntityFacts, timeout_s, {"id": id, "limit": limit})
    return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class Neighbour(Row):
    type: str
    outgoing: bool
    id: str
    name: str | None
    label: str | None
    citations: Sequence[str]
    cursor: str


@_read("entity_neighbours", Neighbour)
def entity_neighbours(source: ReadSource, *, id: str, rel_type: str | None, after: str | None, first: int,
                      timeout_s: float | None = None) -> list[Neighbour]:
    return _run(source, "entity_neighbours", Neighbour, timeout_s,
                {"id": id, "rel_type": rel_type, "after": after, "first": first})


@dataclass(frozen=True, slots=True)
class PathRow(Row):
    nodes: Sequence[NodeRef]
    steps: Sequence[StepRef]


@_read("paths_between", PathRow)
def paths_between(source: ReadSource, *, from_id: str, to_id: str, max_hops: int, limit: int,
                  timeout_s: float | None = None) -> list[PathRow]:
    return _run(source, "paths_between", PathRow, timeout_s,
                {"from_id": from_id, "to_id": to_id, "max_hops": max_hops, "limit": limit})


@dataclass(frozen=True, slots=True)
class SearchHit(Row):
    id: str
    name: str | None
    label: str | None
    definition: str | None
    score: float


@_read("search_entities", SearchHit)
def search_entities(source: ReadSource, *, lucene: str, first: int, timeout_s: float | None = None) -> list[SearchHit]:
    return _run(source, "search_entities", SearchHit, timeout_s, {"lucene": lucene, "first": first})


@dataclass(frozen=True, slots=True)
class MentioningDocument(Row):
    id: str
    title: str | None


@_read("mentioning_documents", MentioningDocument)
def mentioning_documents(source: ReadSource, *, id: str, limit: int,
                         timeout_s: float | None = None) -> list[MentioningDocument]:
    return _run(source, "mentioning_documents", MentioningDocument, timeout_s, {"id": id, "limit": limit})


# ---- sources --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourceRow(Row):
    id: str
    title: str | None
    year: int | str | None
    url: str | None
    kind: str | None


@_read("sources_by_id", SourceRow)
def sources_by_id(source: ReadSource, *, ids: Sequence[str], timeout_s: float | None = None) -> list[SourceRow]:
    return _run(source, "sources_by_id", SourceRow, timeout_s, {"ids": list(ids)})


@dataclass(frozen=True, slots=True)
class SourceListing(Row):
    id: str
    title: str | None
    year: int | str | None
    url: str | None


@_read("list_sources", SourceListing)
def list_sources(source: ReadSource, *, first: int, timeout_s: float | None = None) -> list[SourceListing]:
    return _run(source, "list_sources", SourceListing, timeout_s, {"first": first})


# ---- recommendations ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RecommendationRow(Row):
    rec_id: str
    strength: str | None
    line: str | None
    after_therapy_id: str | None
    therapy_id: str
    therapy_name: str | None
    therapy_label: str | None
    populations: Sequence[NodeRef]
    criteria: Sequence[RecommendationCriterion]
    citations: Sequence[str] | None
    sentences: Sequence[str] | None
    source_count: int | None


@_read("all_recommendations", RecommendationRow)
def all_recommendations(source: ReadSource, *, therapy_ids: Sequence[str] | None,
                        timeout_s: float | None = None) -> list[RecommendationRow]:
    return _run(source, "all_recommendations", RecommendationRow, timeout_s,
                {"therapy_ids": list(therapy_ids) if therapy_ids is not None else None})


@dataclass(frozen=True, slots=True)
class CuratedRecommendationRow(Row):
    id: str
    therapy_id: str
    therapy_name: str | None
    therapy_label: str | None
    name: str
    summary: str | None
    strength: str
    line: str | None
    after_failure_of: Sequence[str]
    evidence_level: str | None
    evidence_basis: str | None
    logic_json: str | None
    citations: Sequence[str]
    allowed_after_class_failure: bool
    population_ids: Sequence[str]
    guidance_file: str | None
    guidance_version: str | None


@_read("curated_recommendations", CuratedRecommendationRow)
def curated_recommendations(source: ReadSource, *,
                            timeout_s: float | None = None) -> list[CuratedRecommendationRow]:
    return _run(source, "curated_recommendations", CuratedRecommendationRow, timeout_s, {})


@dataclass(frozen=True, slots=True)
class CandidateRow(Row):
    id: str
    therapy_id: str
    therapy_name: str | None
    strength: str | None
    line: str | None
    after_therapy_id: str | None
    population_ids: Sequence[str]
    criteria: Sequence[CandidateCriterion]
    sentence: str | None
    sentence_citations: str | None
    citations: Sequence[str]
    source_ids: Sequence[str]


@_read("recommendation_candidates", CandidateRow)
def recommendation_candidates(source: ReadSource, *, therapy_ids: Sequence[str] | None,
                              timeout_s: float | None = None) -> list[CandidateRow]:
    return _run(source, "recommendation_candidates", CandidateRow, timeout_s,
                {"therapy_ids": list(therapy_ids) if therapy_ids is not None else None})


@dataclass(frozen=True, slots=True)
class TherapyRecommendation(Row):
    rec_id: str
    strength: str | None
    line: str | None
    after_therapy_id: str | None
    rec_citations: Sequence[str] | None
    rec_sentences: Sequence[str] | None
    source_count: int | None
    therapy_id: str
    therapy_name: str | None
    therapy_label: str | None
    population_id: str
    population_name: str | None
    population_label: str | None
    chain_nodes: Sequence[NodeRef]
    chain_steps: Sequence[StepRef]
    drugs: Sequence[DrugRef]


@_read("therapy_recommendations", TherapyRecommendation)
def therapy_recommendations(source: ReadSource, *, therapy_id: str, disease_id: str, limit: int,
                            timeout_s: float | None = None) -> list[TherapyRecommendation]:
    return _run(source, "therapy_recommendations", TherapyRecommendation, timeout_s,
                {"therapy_id": therapy_id, "disease_id": disease_id, "limit": limit})


@dataclass(frozen=True, slots=True)
class TherapyFamily(Row):
    id: str
    name: str | None
    label: str | None
    drugs: Sequence[str]


@_read("therapy_families", TherapyFamily)
def therapy_families(source: ReadSource, *, timeout_s: float | None = None) -> list[TherapyFamily]:
    return _run(source, "therapy_families", TherapyFamily, timeout_s, {})


# ---- curated evidence -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StatementRow(Row):
    id: str
    kind: str | None
    text: str
    citations: Sequence[str]
    about_id: str
    about_name: str | None


@_read("statements_about", StatementRow)
def statements_about(source: ReadSource, *, ids: Sequence[str], kinds: Sequence[str] | None,
                     timeout_s: float | None = None) -> list[StatementRow]:
    return _run(source, "statements_about", StatementRow, timeout_s,
                {"ids": list(ids), "kinds": list(kinds) if kinds is not None else None})


@dataclass(frozen=True, slots=True)
class StudyRow(Row):
    id: str
    name: str
    aliases: Sequence[str]
    nct_id: str | None
    pmid: str | None
    year: int | None
    design: str | None
    phase: str | None
    n: int | None
    population: str | None
    comparator: str | None
    conclusion: str | None
    summary: str | None
    citations: Sequence[str]
    therapy_ids: Sequence[str]
    outcomes: Sequence[OutcomeMap]


@_read("studies_for_therapies", StudyRow)
def studies_for_therapies(source: ReadSource, *, therapy_ids: Sequence[str] | None, study_ids: Sequence[str] | None,
                          timeout_s: float | None = None) -> list[StudyRow]:
    return _run(source, "studies_for_therapies", StudyRow, timeout_s,
                {"therapy_ids": list(therapy_ids) if therapy_ids is not None else None,
                 "study_ids": list(study_ids) if study_ids is not None else None})


@dataclass(frozen=True, slots=True)
class ApprovalRow(Row):
    id: str
    drug_id: str
    drug_name: str | None
    agency: str | None
    date: str | None
    indication: str | None
    study_id: str | None
    citations: Sequence[str]


@_read("approvals_for", ApprovalRow)
def approvals_for(source: ReadSource, *, drug_ids: Sequence[str], timeout_s: float | None = None) -> list[ApprovalRow]:
    return _run(source, "approvals_for", ApprovalRow, timeout_s, {"drug_ids": list(drug_ids)})


@dataclass(frozen=True, slots=True)
class TrialRow(Row):
    id: str
    nct_id: str
    name: str | None
    title: str | None
    phase: str | None
    status: str | None
    conditions: Sequence[str]
    interventions: Sequence[str]
    url: str | None
    source_id: str | None
    criteria: Sequence[TrialCriterion]
    therapies: Sequence[str]
    unchecked_inclusion: Sequence[str] = ()  # eligibility lines no criterion was read from
    unchecked_exclusion: Sequence[str] = ()


@_read("trials_with_criteria", TrialRow)
def trials_with_criteria(source: ReadSource, *, nct_ids: Sequence[str] | None, limit: int,
                         timeout_s: float | None = None) -> list[TrialRow]:
    return _run(source, "trials_with_criteria", TrialRow, timeout_s,
                {"nct_ids": list(nct_ids) if nct_ids is not None else None, "limit": limit})


# ---- export (graph/export/kgx.py streams these; the typed functions read them whole) --------------------

@dataclass(frozen=True, slots=True)
class KgxNodeRow(Row):
    id: str
    labels: Sequence[str]
    props: Mapping[str, Any]


@_read("kgx_nodes", KgxNodeRow)
def kgx_nodes(source: ReadSource, *, timeout_s: float | None = None) -> list[KgxNodeRow]:
    return _run(source, "kgx_nodes", KgxNodeRow, timeout_s, {})


@dataclass(frozen=True, slots=True)
class KgxEdgeRow(Row):
    subject: str
    type: str
    object: str
    props: Mapping[str, Any]


@_read("kgx_edges", KgxEdgeRow)
def kgx_edges(source: ReadSource, *, timeout_s: float | None = None) -> list[KgxEdgeRow]:
    return _run(source, "kgx_edges", KgxEdgeRow, timeout_s, {})
