"""The GraphQL object types every feature shares: entities, citations, paths, facts, graph info.

The root schema (service/schema.py) and the patient feature (service/patient/graphql.py) both build
on these; this module imports neither. Field names are part of the API contract: rename none.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import graphene

from graph import reads as typed_reads
from ontology import load_ontology
from service.errors import UserFacingError
from service.extensions import get_graph, get_settings, request_sources

MAX_TEXT = 2000


def request_deadline(info) -> float:
    return float(get_settings().request_deadline_s)


def checked_text(name: str, value: str, limit: int = MAX_TEXT) -> str:
    if value is None or not value.strip():
        raise UserFacingError(f"`{name}` must not be empty.")
    if len(value) > limit:
        raise UserFacingError(f"`{name}` is too long ({len(value)} characters; at most {limit}).")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise UserFacingError(f"`{name}` contains control characters.")
    return value.strip()


# ---- closed vocabularies (values from ontology/data, one source of truth) -----------------------------

def _variable_values(*names: str) -> list[str]:
    """The values of category criterion variables in ontology/data/model.yaml, in order, once each."""
    out: list[str] = []
    for name in names:
        for value in load_ontology().criterion_variables[name].values or ():
            if value not in out:
                out.append(value)
    return out


def described_enum(name: str, values: list[str], description: str, words):
    """A GraphQL enum of ontology ids: names upper-cased ('IPSS-R' → IPSS_R), the Python value the id itself,
    each value described by `words(id)`."""

    def describe(member):
        return description if member is None else words(member.value)

    return graphene.Enum(name, [(v.upper().replace("-", "_"), v) for v in values], description=describe)


RiskScheme = described_enum(
    "RiskScheme", ["IPSS", "IPSS-R", "IPSS-RA", "IPSS-M"], "A prognostic scoring system for MDS.",
    lambda v: {"IPSS": "International Prognostic Scoring System (1997).",
               "IPSS-R": "Revised IPSS (2012).", "IPSS-RA": "IPSS-R adjusted for age.",
               "IPSS-M": "Molecular IPSS (2022): adds gene mutations."}[v])
RiskCategory = described_enum(
    "RiskCategory", _variable_values("ipss_category", "ipssr_category", "ipssm_category"),
    "A risk category of IPSS (LOW, INTERMEDIATE_1, INTERMEDIATE_2, HIGH), IPSS-R (VERY_LOW … VERY_HIGH) or IPSS-M "
    "(VERY_LOW, LOW, MODERATE_LOW, MODERATE_HIGH, HIGH, VERY_HIGH); values from ontology/data/model.yaml.",
    lambda v: "Risk category " + v.replace("_", " ") + ".")
RiskGroup = described_enum(
    "RiskGroup", _variable_values("risk_group"),
    "The treatment risk group: lower-risk MDS aims to improve blood counts, higher-risk MDS to change the disease's "
    "course.", lambda v: {"lower": "Lower-risk MDS.", "higher": "Higher-risk MDS."}.get(v, v))
CytogeneticGroup = described_enum(
    "CytogeneticGroup", _variable_values("ipssr_cytogenetic_group"), "IPSS-R cytogenetic risk group.",
    lambda v: "Cytogenetic group " + v.replace("_", " ") + ".")


# ---- identity ---------------------------------------------------------------------------------------

class Node(graphene.Interface):
    """An object with a global identity: its `id` is unique across every type of this API and stable across
    requests, so `node(id:)` finds it again and a client cache can normalise by it. Ids are the graph's CURIEs
    (NCIT:C3247, MDSKG:drug/luspatercept, PMID:…, clinicaltrials:NCT…)."""

    id = graphene.ID(required=True, description="Globally unique, stable id (a CURIE).")


class PageInfo(graphene.ObjectType):
    """Where a page of a connection sits (Relay cursor connections)."""

    has_next_page = graphene.Boolean(required=True, description="More items follow: ask again with `after: endCursor`.")
    has_previous_page = graphene.Boolean(required=True, description="Items come before this page.")
    start_cursor = graphene.String(description="Cursor of the first item of this page; null when empty.")
    end_cursor = graphene.String(description="Cursor of the last item of this page; null when empty.")


def connection_types(name: str, node: Any, *, edge_doc: str, node_doc: str, cursor_noun: str, connection_doc: str,
                     edges_doc: str, total_doc: str) -> tuple[type, type]:
    """The `<name>Edge` and `<name>Connection` object types of a cursor connection over `node`."""
    edge = type(f"{name}Edge", (graphene.ObjectType,), {
        "__doc__": edge_doc,
        "node": graphene.Field(node, required=True, description=node_doc),
        "cursor": graphene.String(required=True,
                                  description=f"Pass as `after` to get the {cursor_noun} after this one."),
    })
    connection = type(f"{name}Connection", (graphene.ObjectType,), {
        "__doc__": connection_doc,
        "edges": graphene.List(graphene.NonNull(edge), required=True, description=edges_doc),
        "page_info": graphene.Field(PageInfo, required=True, description="Cursors and whether more pages follow."),
        "total_count": graphene.Int(required=True, description=total_doc),
    })
    return edge, connection


def offset_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{position}".encode()).decode()


def cursor_offset(cursor: str | None) -> int:
    """The position after a cursor returned by an offset connection (0 without one)."""
    if not cursor:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "offset" or not number.isdigit():
            raise ValueError(cursor)
        return int(number) + 1
    except Exception as exc:
        raise UserFacingError("`after` is not a cursor this API returned.") from exc


def page_bounds(first: int | None, after: str | None, limit: int) -> tuple[int, int]:
    """(start, first) of an offset page, with `first` checked against its limit."""
    if first is None or not 1 <= first <= limit:
        raise UserFacingError(f"`first` must be between 1 and {limit}.")
    return cursor_offset(after), first


def offset_connection(connection, edge, nodes: list, start: int, first: int, total: int):
    """A page of `nodes` (all of them, in order) as a connection with offset cursors."""
    page = nodes[start:start + first]
    edges = [edge(node=n, cursor=offset_cursor(start + i)) for i, n in enumerate(page)]
    return connection(edges=edges, total_count=total, page_info=PageInfo(
        has_next_page=start + first < total, has_previous_page=start > 0,
        start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None))


# ---- typed values -------------------------------------------------------------------------------------

_VALUE_KINDS = {"NUMBER": "`number`.", "TEXT": "`text`.", "FLAG": "`flag` (true or false).",
                "LIST": "`texts` (and `numbers` when every item is a number).",
                "RANGE": "`low` and `high` (inclusive), e.g. a `between` criterion."}
ValueKind = described_enum("ValueKind", list(_VALUE_KINDS), "Which field of a TypedValue holds the value.",
                           lambda v: "The value is in " + _VALUE_KINDS[v])


class TypedValue(graphene.ObjectType):
    """A value with its type, instead of JSON in a string: read the field `kind` names."""

    kind = graphene.Field(ValueKind, required=True, description="Which field holds the value.")
    number = graphene.Float(description="With NUMBER.")
    text = graphene.String(description="With TEXT: a category id, a concept id or words.")
    flag = graphene.Boolean(description="With FLAG.")
    texts = graphene.List(graphene.NonNull(graphene.String), description="With LIST: the items as text.")
    numbers = graphene.List(graphene.NonNull(graphene.Float), description="With LIST when every item is a number.")
    low = graphene.Float(description="With RANGE: the lower bound.")
    high = graphene.Float(description="With RANGE: the upper bound.")


def typed_value(value, operator: str | None = None) -> TypedValue | None:
    """A Python value (a criterion's threshold, a patient's value) as a TypedValue; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return TypedValue(kind="FLAG", flag=value)
    if isinstance(value, (int, float)):
        return TypedValue(kind="NUMBER", number=float(value))
    if isinstance(value, str):
        return TypedValue(kind="TEXT", text=value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items)
        if operator == "between" and numeric and len(items) == 2:
            return TypedValue(kind="RANGE", low=float(items[0]), high=float(items[1]))
        return TypedValue(kind="LIST", texts=[x if isinstance(x, str) else json.dumps(x, default=str) for x in items],
                          numbers=[float(x) for x in items] if numeric else None)
    if isinstance(value, dict):
        return TypedValue(kind="TEXT", text=json.dumps(value, default=str, sort_keys=True))
    return TypedValue(kind="TEXT", text=str(value))


class PatientField(graphene.ObjectType):
    """A value of the patient, named as the PatientInput field a form holds it in."""

    field = graphene.String(required=True, description="The PatientInput field (camelCase), e.g. `serumEpo`.")
    label = graphene.String(required=True, description="A short label to show, e.g. `Serum EPO`.")
    detail = graphene.String(description="What within the field, when that matters: a gene (`SF3B1`) within "
                                         "`mutations`, a finding (`del5q`) within `karyotype`.")


def patient_fields(names) -> list[PatientField]:
    """Criterion variables, score inputs or field names → PatientFields (service/patient/fields.py)."""
    from service.patient.fields import field_refs

    return [PatientField(field=r.field, label=r.label, detail=r.detail) for r in field_refs(names)]


# ---- entities -------------------------------------------------------------------------------------

class Citation(graphene.ObjectType):
    """A source: a publication, trial record, guideline, label or web page the graph's facts come from."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="CURIE of the source: PMID:…, clinicaltrials:NCT…, MDSKG:source/…")
    title = graphene.String(description="The source's title (or a short label for it).")
    year = graphene.Int(description="Year of publication, when known.")
    url = graphene.String(description="Where to read the source.")

    @staticmethod
    def from_id(curie: str) -> Citation:
        """A citation by id: its details are resolved with every other id of the request, in one read
        (service/sources.py), when a client asks for them."""
        request_sources().want(curie)
        citation = Citation(id=curie)
        citation._by_id = True
        return citation

    def _details(self):
        return request_sources().get(self.id) if getattr(self, "_by_id", False) else self

    def resolve_title(self, info):
        return self._details().title

    def resolve_year(self, info):
        return self._details().year

    def resolve_url(self, info):
        return self._details().url


Direction = described_enum("Direction", ["OUT", "IN"], "Which way a relationship points from the entity asked about.",
                           lambda v: {"OUT": "This entity → the other.", "IN": "The other → this entity."}[v])


class Neighbour(graphene.ObjectType):
    """One relationship of an entity (an edge of its `neighbours` connection)."""

    type = graphene.String(required=True, description="Relationship type (ontology/data/model.yaml).")
    direction = graphene.Field(Direction, required=True, description="OUT (this → other) or IN (other → this).")
    node = graphene.Field(lambda: Entity, required=True, description="The entity at the other end.")
    citations = graphene.List(graphene.NonNull(Citation), required=True,
                              description="Sources that state the relationship.")
    cursor = graphene.String(required=True, description="Pass as `after` to get the relationships after this one.")


MAX_NEIGHBOURS_PAGE = 100
MAX_NEIGHBOURS_COUNTED = 5000


class NeighbourPage(graphene.ObjectType):
    """A page of an entity's relationships, as a cursor connection (at most 100 per page)."""

    edges = graphene.List(graphene.NonNull(Neighbour), required=True, description="The relationships of this page.")
    page_info = graphene.Field(PageInfo, required=True, description="Cursors and whether more pages follow.")
    total_count = graphene.Int(required=True, description=f"How many relationships match in all (counted up to "
                                                          f"{MAX_NEIGHBOURS_COUNTED}).")
    end_cursor = graphene.String(description="Cursor of the last edge.", deprecation_reason="Use `pageInfo.endCursor`.")
    has_next_page = graphene.Boolean(required=True, description="More relationships follow.",
                                     deprecation_reason="Use `pageInfo.hasNextPage`.")

    def resolve_total_count(self, info):
        rows = typed_reads.entity_neighbours(get_graph(), id=self._entity_id, rel_type=self._rel_type, after=None,
                                             first=MAX_NEIGHBOURS_COUNTED, timeout_s=request_deadline(info))
        return len(rows)


class CriterionInfo(graphene.ObjectType):
    """The condition a Criterion node states (a trial's or a recommendation's)."""

    variable = graphene.String(required=True, description="The criterion variable (ontology/data/model.yaml).")
    operator = graphene.String(required=True, description="Comparison: < <= > >= == != in not_in contains "
                                                          "not_contains between.")
    value = graphene.String(required=True, description="JSON-encoded value.",
                            deprecation_reason="Use `typedValue` (no JSON parsing).")
    typed_value = graphene.Field(TypedValue, required=True, description="The criterion's value, typed.")
    unit = graphene.String(description="Unit of the value, when it has one.")
    role = graphene.String(required=True, description="required | favours | excludes",
                           deprecation_reason="Use `criterionRole`.")
    criterion_role = graphene.Field(lambda: CRITERION_ROLE, required=True, description="What the criterion does.")
    text = graphene.String(description="The criterion as written in its source.")

    def resolve_typed_value(self, info):
        try:
            value = json.loads(self.value) if isinstance(self.value, str) else self.value
        except ValueError:
            value = self.value
        return typed_value(value, self.operator)

    def resolve_criterion_role(self, info):
        return self.role


def _criterion_role_enum():
    from ontology.guidance import load_vocabulary

    roles = load_vocabulary().criterion_roles
    words = {t.id: t.words for t in roles}
    return graphene.Enum("CriterionRole", [(t.id.upper(), t.id) for t in roles],
                         description=lambda m: "What a criterion does: needed, rules a therapy out, or favours it."
                         if m is None else f"The criterion {words[m.value]}.")


CriterionRole = _criterion_role_enum()
CRITERION_ROLE: Any = CriterionRole


class Entity(graphene.ObjectType):
    """A node of the knowledge graph: a concept (disease, subtype, therapy, drug, gene, …), a study, a trial, a
    recommendation, a criterion or a source."""

    class Meta:
        interfaces = (Node,)

    id = graphene.ID(required=True, description="The node's CURIE, unique across the graph.")
    label = graphene.String(required=True, description="Node type from the ontology (Therapy, Drug, Disease, …).")
    name = graphene.String(required=True, description="Preferred name.")
    definition = graphene.String(description="A definition in plain words, when the ontology has one.")
    synonyms = graphene.List(graphene.NonNull(graphene.String), required=True, description="Other names.")
    abbreviations = graphene.List(graphene.NonNull(graphene.String), required=True, description="Abbreviations.")
    brand_names = graphene.List(graphene.NonNull(graphene.String), required=True, description="Brand names (drugs).")
    url = graphene.String(description="Where the identifier resolves, when public.")
    criterion = graphene.Field(CriterionInfo, description="Set on Criterion nodes.")
    neighbours = graphene.Field(
        NeighbourPage, required=True, description="The entity's relationships, a page at a time (cursor connection).",
        rel_type=graphene.String(description="Only relationships of this type."),
        first=graphene.Int(default_value=20, description=f"Page size, 1 to {MAX_NEIGHBOURS_PAGE}."),
        after=graphene.String(description="`pageInfo.endCursor` of the previous page."))

    @staticmethod
    def make(id: str, label: str, name: str, props: dict | None = None) -> Entity:
        entity = Entity(id=id, label=label, name=name)
        entity._props = props or {}
        return entity

    def _concept(self):
        return load_ontology().concepts.get(self.id)

    def resolve_definition(self, info):
        concept = self._concept()
        return (concept.definition if concept else None) or getattr(self, "_props", {}).get("definition")

    def resolve_synonyms(self, info):
        concept = self._concept()
        return list(concept.synonyms) if concept else list(getattr(self, "_props", {}).get("synonyms") or [])

    def resolve_abbreviations(self, info):
        concept = self._concept()
        return list(concept.abbreviations) if concept else []

    def resolve_brand_names(self, info):
        concept = self._concept()
        return list(concept.brand_names) if concept else []

    def resolve_url(self, info):
        from ontology.model import curie_url

        try:
            return curie_url(self.id)
        except Exception:  # noqa: BLE001 - an id without a public resolver has no url
            return None

    def resolve_criterion(self, info):
        props = getattr(self, "_props", {})
        if self.label != "Criterion" or not props:
            return None
        return CriterionInfo(variable=props.get("variable"), operator=props.get("operator"),
                             value=props.get("value_json"), unit=props.get("unit"), role=props.get("role"),
                             text=props.get("text"))

    def resolve_neighbours(self, info, rel_type=None, first=20, after=None):
        if first is None or first < 1 or first > MAX_NEIGHBOURS_PAGE:
            raise UserFacingError(f"`first` must be between 1 and {MAX_NEIGHBOURS_PAGE}.")
        if rel_type is not None:
            from graph.labels import allowed_rel_types

            if rel_type not in allowed_rel_types():
                raise UserFacingError(f"unknown relationship type {rel_type!r}.")
        cursor = _decode_cursor(after) if after else None
        rows = typed_reads.entity_neighbours(get_graph(), id=self.id, rel_type=rel_type, after=cursor, first=first + 1,
                                             timeout_s=request_deadline(info))
        has_next = len(rows) > first
        rows = rows[:first]
        edges = [Neighbour(type=r.type, direction="OUT" if r.outgoing else "IN",
                           node=Entity.make(r.id, r.label, r.name or r.id),
                           citations=[Citation.from_id(c) for c in r.citations],
                           cursor=_encode_cursor(r.cursor)) for r in rows]
        page = NeighbourPage(edges=edges, end_cursor=edges[-1].cursor if edges else None, has_next_page=has_next,
                             page_info=PageInfo(has_next_page=has_next, has_previous_page=bool(after),
                                                start_cursor=edges[0].cursor if edges else None,
                                                end_cursor=edges[-1].cursor if edges else None))
        page._entity_id, page._rel_type = self.id, rel_type
        return page


def _encode_cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except Exception as exc:
        raise UserFacingError("`after` is not a cursor this API returned.") from exc


# ---- paths and answers ----------------------------------------------------------------------------

class Step(graphene.ObjectType):
    """One relationship of a path."""

    type = graphene.String(required=True, description="Relationship type.")
    from_id = graphene.ID(required=True, description="Id of the entity the step starts from.")
    to_id = graphene.ID(required=True, description="Id of the entity the step leads to.")
    citations = graphene.List(graphene.NonNull(Citation), required=True, description="Sources that state it.")
    recommendation_id = graphene.ID(description="On RECOMMENDED steps: the Recommendation node walked through.")


class Path(graphene.ObjectType):
    """A chain of relationships between two entities (no id: it belongs to the answer it is in)."""

    nodes = graphene.List(graphene.NonNull(Entity), required=True, description="The entities, in order.")
    steps = graphene.List(graphene.NonNull(Step), required=True, description="The relationships between them.")
    text = graphene.String(required=True, description="The path in words: names joined by arrows.")


class Section(graphene.ObjectType):
    """A part of an answer (no id: it belongs to the answer it is in)."""

    title = graphene.String(required=True, description="The section's heading.")
    body = graphene.String(required=True, description=(
        "Plain text with a small Markdown subset (docs/api.md): paragraphs separated by a blank line, list items "
        "starting with '- ' (or '1.'), **bold**, and citation markers `[n]` or `[n, m]`, where n is the 1-based "
        "position in the answer's `citations`."))


class FactType(graphene.ObjectType):
    """One statement an answer rests on, with its sources."""

    class Meta:
        name = "Fact"

    id = graphene.ID(required=True, description=(
        "Unique across answers and derived from the fact's content (section, text, citations): two answers share a "
        "fact id only when they state the same fact, so a client cache that normalises by id (Apollo, urql) never "
        "shows one answer's facts in another."))
    local_id = graphene.String(required=True, description="The fact's number within this answer (F1, F2, …).")
    section = graphene.String(required=True, description="Title of the section the fact is used in.")
    text = graphene.String(required=True, description="The fact in plain words.")
    citations = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Ids of the sources behind it.")


def fact_id(fact) -> str:
    """A fact's GraphQL id: 'Fact:' and a digest of what it says (see FactType.id)."""
    digest = hashlib.sha256("\x1f".join([fact.section, fact.text, *fact.citations]).encode("utf-8")).hexdigest()
    return f"Fact:{digest[:20]}"


def path_to_graphql(p) -> Path:
    return Path(nodes=[Entity.make(n.id, n.label, n.name) for n in p.nodes],
                steps=[Step(type=s.type, from_id=s.from_id, to_id=s.to_id,
                            citations=[Citation.from_id(c) for c in s.citations],
                            recommendation_id=s.properties.get("recommendationId")) for s in p.steps],
                text=p.text)


class GraphInfo(graphene.ObjectType):
    """What the service answers from: the database and the graph in it."""

    neo4j_version = graphene.String(required=True, description="Version of the Neo4j server.")
    neo4j_edition = graphene.String(description="Neo4j edition (community, enterprise).")
    node_count = graphene.Int(required=True, description="Nodes in the graph.")
    relationship_count = graphene.Int(required=True, description="Relationships in the graph.")
    model_version = graphene.String(description="Version of the ontology the graph was built with.")
    built_at = graphene.String(description="When the graph was last built (ISO 8601).")
    document_count = graphene.Int(description="Documents the ETL has loaded.")
