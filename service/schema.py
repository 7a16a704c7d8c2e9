"""The GraphQL schema: the contract front-end apps build on.

Field names here are relied on by apps and by our own checks; add fields freely, rename none.
Expected outcomes are part of the schema (nullable fields, `covered`, verdicts such as
UNKNOWN); unexpected errors are masked by the view.
"""

from __future__ import annotations

import base64

import graphene

from graph import reads as typed_reads
from mdskg.records import Answer as AnswerRecord
from ontology import load_ontology
from service.errors import UserFacingError
from service.cache import mark_cacheable
from service.extensions import get_answer_graph, get_graph, get_settings

MAX_TEXT = 2000


def _deadline(info) -> float:
    return float(get_settings().request_deadline_s)


def _check_text(name: str, value: str, limit: int = MAX_TEXT) -> str:
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
    def from_id(curie: str) -> "Citation":
        title, year, url = source_details(curie)
        return Citation(id=curie, title=title, year=year, url=url)


_SOURCE_CACHE: dict[str, tuple] = {}
_SOURCE_CACHE_MAX = 20000


def source_details(curie: str) -> tuple[str | None, int | None, str | None]:
    """Title, year and url of a cited source: from the graph's Source node (corpus front matter,
    fetched records), else the ontology's source list, else the identifier's public resolver."""
    cached = _SOURCE_CACHE.get(curie)
    if cached is not None:
        return cached
    from etl.rows import _default_url

    row = None
    try:
        rows = typed_reads.sources_by_id(get_graph(), ids=[curie])
        row = rows[0] if rows else None
    except Exception:  # noqa: BLE001 - details are a nicety; the id itself is the citation
        row = None
    info = getattr(load_ontology(), "sources", {}).get(curie)
    title = (row and row.title if row and row.title != curie else None) or (info.title if info else None)
    year = (row and row.year) or (info.year if info else None)
    url = (row and row.url) or (info.url if info and info.url else None) or _default_url(curie)
    details = (title, int(year) if year else None, url)
    if row is not None and len(_SOURCE_CACHE) < _SOURCE_CACHE_MAX:
        _SOURCE_CACHE[curie] = details
    return details


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
    def make(id: str, label: str, name: str, props: dict | None = None) -> "Entity":
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
                                             timeout_s=_deadline(info))
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
    except Exception as exc:  # noqa: BLE001
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

    id = graphene.ID(required=True)
    section = graphene.String(required=True)
    text = graphene.String(required=True)
    citations = graphene.List(graphene.NonNull(graphene.ID), required=True)


class Answer(graphene.ObjectType):
    question = graphene.String(required=True)
    intent = graphene.String(required=True)
    entities = graphene.List(graphene.NonNull(Entity), required=True)
    paths = graphene.List(graphene.NonNull(Path), required=True)
    therapies = graphene.List(graphene.NonNull(Entity), required=True)
    sections = graphene.List(graphene.NonNull(Section), required=True)
    text = graphene.String(required=True)
    citations = graphene.List(graphene.NonNull(Citation), required=True)
    writer = graphene.String(required=True, description="template, claude:<model>, or template (claude fallback: …)")
    grounded = graphene.Boolean(required=True, description="Whether the text passed the grounding check.")
    disclaimer = graphene.String(required=True)
    covered = graphene.Boolean(required=True, description="False when our sources do not cover the question.")
    closest = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="With covered=false: the nearest topics our sources do cover.")
    facts = graphene.List(graphene.NonNull(FactType), required=True)
    eligibility = graphene.List(graphene.NonNull(lambda: EligibilityResult), required=True,
                                description="Per-therapy eligibility when a patient was given (one row per therapy).")
    treatment_plan = graphene.Field(lambda: TreatmentPlan,
                                    description="With a patient: the ranked treatment plan the answer leads with.")


def path_to_graphql(p) -> Path:
    return Path(nodes=[Entity.make(n.id, n.label, n.name) for n in p.nodes],
                steps=[Step(type=s.type, from_id=s.from_id, to_id=s.to_id,
                            citations=[Citation.from_id(c) for c in s.citations],
                            recommendation_id=s.properties.get("recommendationId")) for s in p.steps],
                text=p.text)


def answer_to_graphql(a: AnswerRecord, eligibility=None, treatment_plan=None) -> Answer:
    return Answer(
        question=a.question, intent=a.intent,
        entities=[Entity.make(e.id, e.label, e.name) for e in a.entities],
        paths=[path_to_graphql(p) for p in a.paths],
        therapies=[Entity.make(t.id, t.label, t.name) for t in a.therapies],
        sections=[Section(title=s.title, body=s.body) for s in a.sections],
        text=a.text,
        citations=[Citation(id=c.id, title=c.title, year=c.year, url=c.url) for c in a.citations],
        writer=a.writer, grounded=a.grounded, disclaimer=a.disclaimer, covered=a.covered, closest=list(a.closest),
        facts=[FactType(id=f.id, section=f.section, text=f.text, citations=list(f.citations)) for f in a.facts],
        eligibility=eligibility or [],
        treatment_plan=treatment_plan,
    )


class GraphInfo(graphene.ObjectType):
    neo4j_version = graphene.String(required=True)
    neo4j_edition = graphene.String()
    node_count = graphene.Int(required=True)
    relationship_count = graphene.Int(required=True)
    model_version = graphene.String(description="Version of the ontology the graph was built with.")
    built_at = graphene.String(description="When the graph was last built (ISO 8601).")
    document_count = graphene.Int()


# Patient types live in their own module; imported here so the schema is one object.
from service.patient_schema import (EligibilityResult, PatientInput, PatientMutations,  # noqa: E402
                                    PatientQueries, PlanQueries, TreatmentPlan, TrialQueries, patient_answer)


# Intents whose answer is a treatment plan when the question itself carries the patient's values.
PLAN_INTENTS = frozenset({"candidate", "next_after_failure", "alternatives", "treat_or_watch"})


def _question_patient(question: str):
    """The partial patient typed into a question ("I'm 72, low-risk, ring sideroblasts, 2 units every
    8 weeks - am I a candidate for luspatercept?"), when the question asks for a treatment plan."""
    from service.understand import understand

    u = understand(question[:2000])
    values = u.values
    if u.intent not in PLAN_INTENTS or values is None or getattr(values, "patient", None) is None:
        return None
    return values.patient


class Query(PatientQueries, PlanQueries, TrialQueries, graphene.ObjectType):
    graph_info = graphene.Field(GraphInfo, required=True, description="Counts and versions, from the live database.")
    ask = graphene.Field(Answer, required=True, question=graphene.String(required=True), patient=PatientInput())
    search = graphene.List(graphene.NonNull(Entity), required=True, text=graphene.String(required=True),
                           first=graphene.Int(default_value=10))
    entity = graphene.Field(Entity, id=graphene.ID(required=True))
    paths = graphene.List(graphene.NonNull(Path), required=True, from_id=graphene.ID(required=True),
                          to_id=graphene.ID(required=True), max_hops=graphene.Int(default_value=4))
    therapies = graphene.List(graphene.NonNull(Entity), required=True)
    drugs = graphene.List(graphene.NonNull(Entity), required=True)
    diseases = graphene.List(graphene.NonNull(Entity), required=True)
    subtypes = graphene.List(graphene.NonNull(Entity), required=True)
    criteria = graphene.List(graphene.NonNull(Entity), required=True, therapy_id=graphene.ID())
    sources = graphene.List(graphene.NonNull(Citation), required=True, first=graphene.Int(default_value=100))

    def resolve_graph_info(root, info):
        graph = get_graph()
        version = typed_reads.server_version(graph, timeout_s=_deadline(info))
        counts = typed_reads.graph_info(graph, timeout_s=_deadline(info))
        return GraphInfo(neo4j_version=version.version, neo4j_edition=version.edition,
                         node_count=counts.node_count, relationship_count=counts.relationship_count,
                         model_version=counts.model_version, built_at=counts.built_at,
                         document_count=counts.document_count)

    def resolve_ask(root, info, question, patient=None):
        question = _check_text("question", question)
        if patient is not None:
            return patient_answer(question, patient, _deadline(info))
        record = _question_patient(question)
        if record is not None:
            return patient_answer(question, None, _deadline(info), record=record)
        from service.answer import answer_question

        record = answer_question(get_answer_graph(_deadline(info)), question, get_settings(), deadline_s=_deadline(info))
        # A fallback after a failed Claude call is a stand-in; the next request should try again.
        if "fallback" not in record.writer:
            mark_cacheable(info)
        return answer_to_graphql(record)

    def resolve_search(root, info, text, first=10):
        text = _check_text("text", text, 500)
        if first is None or not 1 <= first <= 100:
            raise UserFacingError("`first` must be between 1 and 100.")
        from service.search import search_entities

        rows = search_entities(get_graph(), text, first, timeout_s=_deadline(info))
        mark_cacheable(info)
        return [Entity.make(r.id, r.label, r.name) for r in rows]

    def resolve_entity(root, info, id):
        _check_text("id", id, 300)
        r = typed_reads.entity_by_id(get_graph(), id=id, timeout_s=_deadline(info))
        mark_cacheable(info)
        if r is None:
            return None
        return Entity.make(r.id, r.label, r.name or r.id, r.props)

    def resolve_paths(root, info, from_id, to_id, max_hops=4):
        if max_hops is None or not 1 <= max_hops <= 6:
            raise UserFacingError("`maxHops` must be between 1 and 6.")
        from mdskg.records import PathNode, PathResult, PathStep

        rows = typed_reads.paths_between(get_graph(), from_id=from_id, to_id=to_id, max_hops=max_hops, limit=20,
                                         timeout_s=_deadline(info))
        mark_cacheable(info)
        out = []
        for r in rows:
            nodes = tuple(PathNode(n["id"], n["label"], n["name"] or n["id"]) for n in r.nodes)
            steps = tuple(PathStep(s["type"], s["from_id"], s["to_id"], tuple(s["citations"])) for s in r.steps)
            out.append(path_to_graphql(PathResult(nodes, steps, text=" → ".join(n.name for n in nodes))))
        return out

    def resolve_therapies(root, info):
        return _concepts("Therapy")

    def resolve_drugs(root, info):
        return _concepts("Drug")

    def resolve_diseases(root, info):
        return _concepts("Disease")

    def resolve_subtypes(root, info):
        return _concepts("Subtype")

    def resolve_criteria(root, info, therapy_id=None):
        rows = typed_reads.all_recommendations(get_graph(), therapy_ids=[therapy_id] if therapy_id else None,
                                               timeout_s=_deadline(info))
        seen = {}
        for row in rows:
            for c in row.criteria:
                seen.setdefault(c["id"], Entity.make(c["id"], "Criterion", c["name"], {
                    "variable": c["variable"], "operator": c["operator"], "value_json": c["value_json"],
                    "unit": c["unit"], "role": c["role"], "text": c["text"]}))
        return list(seen.values())

    def resolve_sources(root, info, first=100):
        if first is None or not 1 <= first <= 1000:
            raise UserFacingError("`first` must be between 1 and 1000.")
        rows = typed_reads.list_sources(get_graph(), first=first, timeout_s=_deadline(info))
        return [Citation(id=r.id, title=r.title, year=r.year, url=r.url) for r in rows]


def _concepts(label: str) -> list[Entity]:
    return [Entity.make(c.id, c.label, c.name) for c in load_ontology().by_label(label)]


class Mutation(PatientMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)


if __name__ == "__main__":
    # `python -m service.schema > schema.graphql` refreshes the committed contract.
    print(str(schema).rstrip())
