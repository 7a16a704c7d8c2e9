"""The GraphQL object types every feature shares: entities, citations, paths, facts, graph info.

The root schema (service/schema.py) and the patient feature (service/patient/graphql.py) both build
on these; this module imports neither. Field names are part of the API contract: rename none.
"""

from __future__ import annotations

import base64
import hashlib

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


# ---- entities -------------------------------------------------------------------------------------

class Citation(graphene.ObjectType):
    id = graphene.ID(required=True, description="CURIE of the source: PMID:…, clinicaltrials:NCT…, MDSKG:source/…")
    title = graphene.String()
    year = graphene.Int()
    url = graphene.String()

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


class Neighbour(graphene.ObjectType):
    type = graphene.String(required=True, description="Relationship type.")
    direction = graphene.String(required=True, description="OUT (this → other) or IN (other → this).")
    node = graphene.Field(lambda: Entity, required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    cursor = graphene.String(required=True)


class NeighbourPage(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(Neighbour), required=True)
    end_cursor = graphene.String()
    has_next_page = graphene.Boolean(required=True)


class CriterionInfo(graphene.ObjectType):
    variable = graphene.String(required=True)
    operator = graphene.String(required=True)
    value = graphene.String(required=True, description="JSON-encoded value.")
    unit = graphene.String()
    role = graphene.String(required=True, description="required | favours | excludes")
    text = graphene.String()


class Entity(graphene.ObjectType):
    id = graphene.ID(required=True)
    label = graphene.String(required=True, description="Node type from the ontology (Therapy, Drug, Disease, …).")
    name = graphene.String(required=True)
    definition = graphene.String()
    synonyms = graphene.List(graphene.NonNull(graphene.String), required=True)
    abbreviations = graphene.List(graphene.NonNull(graphene.String), required=True)
    brand_names = graphene.List(graphene.NonNull(graphene.String), required=True)
    url = graphene.String(description="Where the identifier resolves, when public.")
    criterion = graphene.Field(CriterionInfo, description="Set on Criterion nodes.")
    neighbours = graphene.Field(NeighbourPage, required=True, rel_type=graphene.String(),
                                first=graphene.Int(default_value=20), after=graphene.String())

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
        if first is None or first < 1 or first > 100:
            raise UserFacingError("`first` must be between 1 and 100.")
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
        return NeighbourPage(edges=edges, end_cursor=edges[-1].cursor if edges else None, has_next_page=has_next)


def _encode_cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except Exception as exc:
        raise UserFacingError("`after` is not a cursor this API returned.") from exc


# ---- paths and answers ----------------------------------------------------------------------------

class Step(graphene.ObjectType):
    type = graphene.String(required=True)
    from_id = graphene.ID(required=True)
    to_id = graphene.ID(required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    recommendation_id = graphene.ID(description="On RECOMMENDED steps: the Recommendation node walked through.")


class Path(graphene.ObjectType):
    nodes = graphene.List(graphene.NonNull(Entity), required=True)
    steps = graphene.List(graphene.NonNull(Step), required=True)
    text = graphene.String(required=True)


class Section(graphene.ObjectType):
    title = graphene.String(required=True)
    body = graphene.String(required=True)


class FactType(graphene.ObjectType):
    class Meta:
        name = "Fact"

    id = graphene.ID(required=True, description=(
        "Unique across answers and derived from the fact's content (section, text, citations): two answers share a "
        "fact id only when they state the same fact, so a client cache that normalises by id (Apollo, urql) never "
        "shows one answer's facts in another."))
    local_id = graphene.String(required=True, description="The fact's number within this answer (F1, F2, …).")
    section = graphene.String(required=True)
    text = graphene.String(required=True)
    citations = graphene.List(graphene.NonNull(graphene.ID), required=True)


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
    neo4j_version = graphene.String(required=True)
    neo4j_edition = graphene.String()
    node_count = graphene.Int(required=True)
    relationship_count = graphene.Int(required=True)
    model_version = graphene.String(description="Version of the ontology the graph was built with.")
    built_at = graphene.String(description="When the graph was last built (ISO 8601).")
    document_count = graphene.Int()
