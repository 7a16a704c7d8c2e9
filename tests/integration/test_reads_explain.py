"""Every Cypher statement, EXPLAINed by the real Neo4j over the loaded test graph: it plans; a read's
result columns are the fields of its typed row; the labels and relationship types in the plan and in
the text are the ontology model's; the property keys it names are declared by the model or written
by the loader; and every $parameter it uses is declared by its typed function (graph/reads.py)."""

from __future__ import annotations

import re

import neo4j
import pytest

from graph import cypher
from graph.reads import READS, WRITES, columns
from mdskg.settings import PROJECT_ROOT
from ontology import load_ontology

TRIALS = [PROJECT_ROOT / "tests" / "data" / "trials" / f"NCT9999990{i}.xml" for i in (1, 2)]

_PLAN_LABEL = re.compile(r"(?<=[\w)])((?::[A-Z][A-Za-z0-9_]*)+)")
_PLAN_REL = re.compile(r"\[\w*:([A-Z][A-Z0-9_]*(?:\|[A-Z][A-Z0-9_]*)*)")
# GQL statuses of EXPLAIN warnings: the label (01N50) or relationship type (01N51) does not exist.
_UNKNOWN = ("01N50", "01N51")


def _model():
    model = load_ontology().model
    labels = set(model["node_types"]) | set(model.get("infrastructure_labels") or ())
    rel_types = set(model["relationship_types"])
    declared = set(model.get("required_node_properties") or ()) | set(model.get("edge_provenance") or ())
    declared |= {p for index in model.get("indexes") or () for p in index.get("properties") or ()}
    declared |= set((model.get("fulltext_index") or {}).get("properties") or ())
    return labels, rel_types, declared


def _plan_identifiers(plan) -> tuple[set[str], set[str]]:
    """Labels and relationship types named in the plan operators' details (e.g. `rec:Recommendation`,
    `(rec)-[rr:RECOMMENDS]->(t)`)."""
    labels: set[str] = set()
    rel_types: set[str] = set()
    stack = [plan]
    while stack:
        op = stack.pop()
        details = str((op.get("args") or op.get("arguments") or {}).get("Details", ""))
        details = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "''", details)
        rel_types |= {t for group in _PLAN_REL.findall(details) for t in group.split("|")}
        no_rels = re.sub(r"\[[^\]]*\]", "[]", details)
        labels |= {x for group in _PLAN_LABEL.findall(no_rels) for x in group.split(":") if x}
        stack.extend(op.get("children") or ())
    return labels, rel_types


def _statuses(summary) -> list[tuple[str, str]]:
    return [(g.gql_status, g.status_description) for g in summary.gql_status_objects if g.is_notification]


@pytest.fixture(scope="module")
def property_keys(loaded_graph, settings) -> set[str]:
    """The property keys the real loader writes: the bundled corpus (already loaded) and a trial record
    records (our fictional ones, loaded and removed again; a key, once written, stays in the token store)."""
    from etl.run import run_etl

    report = run_etl(TRIALS, loaded_graph, settings, force=True)
    assert not report.problems, report.to_text()
    keys = {row["propertyKey"] for row in loaded_graph.read_text("CALL db.propertyKeys()")}
    for nct in (p.stem for p in TRIALS):
        loaded_graph.write_text("MATCH (s:Study {nct_id: $nct})-[:HAS_CRITERION]->(c:Criterion) "
                                "WHERE NOT (c)<-[:HAS_CRITERION]-(:Recommendation) DETACH DELETE c", nct=nct)
        loaded_graph.write_text("MATCH (n:Entity) WHERE n.id IN [$study, $source] DETACH DELETE n",
                                study=f"MDSKG:study/{nct.lower()}", source=f"clinicaltrials:{nct}")
        loaded_graph.write_text("MATCH (d:Document {id: $source}) DETACH DELETE d", source=f"clinicaltrials:{nct}")
    return keys


@pytest.fixture(scope="module")
def explained(loaded_graph):
    """name -> (result keys, plan, notifications) of `EXPLAIN <statement>` with every declared
    parameter null, in a session that reports warnings (the service's driver turns them off)."""
    out = {}
    with loaded_graph.driver.session(database=loaded_graph.database, default_access_mode=neo4j.READ_ACCESS,
                                     notifications_min_severity="WARNING") as session:
        for name in cypher.names():
            params = READS[name].params if name in READS else WRITES[name]
            result = session.run("EXPLAIN " + cypher.load(name), {p: None for p in params})
            keys = list(result.keys())
            summary = result.consume()
            out[name] = (keys, summary.plan, _statuses(summary))
    return out


@pytest.mark.parametrize("name", cypher.names())
def test_statement_plans_against_the_loaded_graph(name, explained):
    keys, plan, notifications = explained[name]
    assert plan, f"{name}.cypher: EXPLAIN gave no plan"
    unknown = [description for status, description in notifications if status in _UNKNOWN]
    assert not unknown, f"{name}.cypher: {unknown}"
    if name in READS:
        assert keys == list(columns(READS[name].row_type)), \
            f"{name}.cypher returns {keys}; {READS[name].row_type.__name__} declares {list(columns(READS[name].row_type))}"


@pytest.mark.parametrize("name", cypher.names())
def test_plan_and_text_name_only_the_models_labels_and_types(name, explained):
    labels, rel_types, _ = _model()
    plan_labels, plan_types = _plan_identifiers(explained[name][1])
    found = cypher.identifiers(cypher.load(name))
    assert plan_labels | found.labels <= labels, f"{name}.cypher: {sorted((plan_labels | found.labels) - labels)}"
    assert plan_types | found.rel_types <= rel_types, f"{name}.cypher: {sorted((plan_types | found.rel_types) - rel_types)}"


@pytest.mark.parametrize("name", cypher.names())
def test_property_keys_are_declared_or_written_by_the_loader(name, property_keys):
    _, _, declared = _model()
    found = cypher.identifiers(cypher.load(name)).property_keys
    unknown = found - declared - property_keys
    assert not unknown, f"{name}.cypher names property keys that neither model.yaml declares nor the loader wrote: {sorted(unknown)}"


@pytest.mark.parametrize("name", cypher.names())
def test_parameters_are_the_typed_functions(name):
    used = cypher.identifiers(cypher.load(name)).parameters
    declared = READS[name].params if name in READS else WRITES[name]
    assert used == declared


def test_the_checks_see_what_they_check(loaded_graph, explained):
    """Not vacuous: the plan walk finds the labels and types of a statement, and the session reports
    an unknown label."""
    labels, rel_types = _plan_identifiers(explained["therapy_recommendations"][1])
    assert {"Recommendation", "Entity"} <= labels and "RECOMMENDS" in rel_types
    with loaded_graph.driver.session(database=loaded_graph.database, notifications_min_severity="WARNING") as session:
        summary = session.run("EXPLAIN MATCH (n:NoSuchLabel)-[:NO_SUCH_TYPE]->(m) RETURN n.no_such_key").consume()
    codes = {status for status, _ in _statuses(summary)}
    assert set(_UNKNOWN) <= codes, codes
