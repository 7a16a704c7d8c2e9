"""docs/analyst.md runs: every ```cypher block of the cookbook is read out of the Markdown and run against the
loaded corpus (plus the two fictional trial records of tests/data/trials), and its rows are checked against
what the text says the recipe returns. Also: every node is readable (a `name`) and linkable (a `url` where its
identifier resolves), sources use one `kind` vocabulary, evidence sentences are stored clean.
"""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from neo4j import RoutingControl

from mdskg.settings import PROJECT_ROOT
from ontology import curie_url, load_ontology, source_kinds, source_url
from tests.conftest import TEST_HOME
from tests.integration.conftest import trial_record_loaded

DOC = PROJECT_ROOT / "docs" / "analyst.md"
TRIALS = PROJECT_ROOT / "tests" / "data" / "trials"
FENCE = re.compile(r"(?:<!--\s*recipe:\s*(?P<recipe>[\w-]+)\s*-->\s*\n)?```cypher\n(?P<body>.*?)```", re.S)
PARAM = re.compile(r"^:param\s+(?P<name>\w+)\s*=>\s*(?P<value>.+)$", re.S)
MARKER = re.compile(r"\[\s*(?:PMID|DOI|clinicaltrials|MDSKG|NCT)\b", re.I)


@dataclass(frozen=True)
class Recipe:
    name: str
    query: str
    params: dict[str, Any] = field(hash=False)


def read_cookbook() -> tuple[list[Recipe], list[str]]:
    """The query blocks of the doc, each with the parameters set by the `:param` blocks before it (as the
    Browser keeps them); and the query blocks that carry no recipe name (there must be none)."""
    params: dict[str, Any] = {}
    recipes: list[Recipe] = []
    unnamed: list[str] = []
    for match in FENCE.finditer(DOC.read_text(encoding="utf-8")):
        body = match.group("body").strip()
        param = PARAM.match(body)
        if param:
            params[param.group("name")] = ast.literal_eval(param.group("value").strip())
        elif match.group("recipe"):
            recipes.append(Recipe(match.group("recipe"), body, dict(params)))
        else:
            unnamed.append(body)
    return recipes, unnamed


RECIPES, UNNAMED = read_cookbook()


@pytest.fixture(scope="module")
def cookbook_graph(loaded_graph, settings):
    """The bundled corpus plus the two fictional trial records, removed again after this module."""
    with contextlib.ExitStack() as stack:
        for nct in ("NCT99999901", "NCT99999902"):
            stack.enter_context(trial_record_loaded(loaded_graph, settings, TRIALS / f"{nct}.xml"))
        yield loaded_graph


def run(graph, recipe: Recipe) -> list[dict[str, Any]]:
    records, _, _ = graph.driver.execute_query(recipe.query, parameters_=recipe.params,
                                               routing_=RoutingControl.READ, database_=graph.database)
    return [dict(record.items()) for record in records]


def columns(rows, *names: str) -> None:
    assert rows, "the recipe returned no rows"
    assert all(list(row) == list(names) for row in rows), list(rows[0])


# ---- what each recipe's text says it returns ---------------------------------------------------------------

def therapies_for_group(rows, p):
    columns(rows, "recommendation", "therapy", "kind", "strength", "recommends", "curated", "drugs", "sources")
    assert all(r["recommends"] == (r["strength"] not in p["against"]) for r in rows)
    ist = [r for r in rows if r["therapy"] == "immunosuppressive therapy" and r["strength"] == "option"]
    assert ist and ist[0]["recommends"], rows
    assert {"horse antithymocyte globulin", "cyclosporine"} <= set(ist[0]["drugs"])
    assert ist[0]["sources"]


def therapies_with_risk_group(rows, p):
    columns(rows, "population", "therapy", "recommendations", "advised_against", "strengths")
    assert {r["population"] for r in rows} == {"lower-risk hypocellular MDS", "lower-risk MDS"}
    for population in ("lower-risk hypocellular MDS", "lower-risk MDS"):
        assert any(r["population"] == population and r["therapy"] == "immunosuppressive therapy"
                   and r["recommendations"] >= 1 for r in rows), population
    for r in rows:
        against = set(r["strengths"]) & set(p["against"])
        if not against:
            assert r["advised_against"] == 0, r
        if set(r["strengths"]) <= set(p["against"]):
            assert r["recommendations"] == 0, r


def seed_path(rows, p):
    columns(rows, "path")
    for row in rows:
        nodes = row["path"].nodes
        assert [n["id"] for n in nodes[:3]] == [p["disease"], "MDSKG:risk/lower-risk", p["group"]]
        assert "Recommendation" in nodes[3].labels
        assert [n["id"] for n in nodes[4:]] == ["MDSKG:therapy/ist", p["drug"]]


def curated_risk_paths(rows, p):
    columns(rows, "path")
    ends = {row["path"].end_node["id"] for row in rows}
    assert all(row["path"].start_node["id"] == p["disease"] for row in rows)
    assert all("PatientGroup" in row["path"].end_node.labels for row in rows)
    assert "MDSKG:group/lower-risk-hypocellular-mds" in ends


def edges_citing_source(rows, p):
    columns(rows, "from", "relationship", "to", "documents", "cited_sources", "sentences", "note")
    assert all(r["documents"] <= r["cited_sources"] for r in rows if r["relationship"] != "MENTIONS")
    hit = [r for r in rows if (r["from"], r["relationship"], r["to"]) ==
           ("HLA-DR15", "PREDICTS_RESPONSE_TO", "immunosuppressive therapy")]
    assert hit and hit[0]["sentences"], rows
    assert not any(MARKER.search(s) for s in hit[0]["sentences"])


def nodes_supported_by_source(rows, p):
    columns(rows, "kind", "id", "name", "therapy", "populations")
    assert "HLA-DR15 (favours)" in {r["name"] for r in rows}
    assert any("Statement" in r["kind"] for r in rows)


def recommendations_with_criteria(rows, p):
    columns(rows, "recommendation", "strength", "curated", "populations", "role", "criterion", "variable",
            "operator", "value", "value_json", "unit", "sources")
    assert all(r["value"] is not None and r["value_json"] is not None and r["criterion"] for r in rows)
    curated = [r for r in rows
               if r["curated"] and r["strength"] == "recommended" and "hypocellular" in r["recommendation"]]
    assert any((r["variable"], r["role"], r["value"], r["unit"]) == ("age", "favours", "60", "years") for r in curated)
    assert any((r["variable"], r["role"], r["operator"], r["value"]) == ("serum_epo_mu_ml", "required", ">", "500")
               for r in curated)
    assert any(r["strength"] == "not_recommended" and "higher-risk" in r["recommendation"] for r in rows)


def evidence_behind_fact(rows, p):
    columns(rows, "subject", "relationship", "object", "document", "document_title", "sentence", "offset",
            "extractor", "cites")
    documents = {r["document"] for r in rows}
    assert len(documents) >= 2 and "MDSKG:doc/immunosuppressive-therapy" in documents
    assert all(r["extractor"].startswith("rules@") for r in rows)
    assert all(r["sentence"] and not MARKER.search(r["sentence"]) and " ".join(r["sentence"].split()) == r["sentence"]
               for r in rows)
    assert "PMID:12176872" in {c["id"] for r in rows for c in r["cites"]}


def trials_with_criteria(rows, p):
    columns(rows, "trial", "title", "phase", "status", "url", "criteria")
    by_trial = {r["trial"]: r for r in rows}
    assert {"NCT99999901", "NCT99999902"} <= set(by_trial)
    trial = by_trial["NCT99999902"]
    assert (trial["phase"], trial["status"]) == ("PHASE1/PHASE2", "RECRUITING")
    assert trial["url"] == "https://clinicaltrials.gov/study/NCT99999902"
    donor = [c for c in trial["criteria"] if c["scope"] == "donor"]
    assert len(donor) == 1 and "between 18 and 70 years" in donor[0]["criterion"]
    groups: dict[str, list[str]] = {}
    for c in trial["criteria"]:
        if c["group"]:
            groups.setdefault(c["group"], []).append(c["criterion"])
    assert len(groups) == 1
    (members,) = groups.values()
    assert len(members) == 2 and all("creatinine" in m for m in members)


def open_trials_excluding_prior(rows, p):
    columns(rows, "trial", "phase", "status", "url", "excludes")
    assert [r["trial"] for r in rows] == ["NCT99999902"]
    assert any("azacitidine" in e for e in rows[0]["excludes"])


def drugs_by_mentions(rows, p):
    columns(rows, "drug", "id", "documents")
    assert rows[0]["drug"] == "azacitidine" and rows[0]["documents"] > rows[1]["documents"]
    counts = [r["documents"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def weakly_supported_facts(rows, p):
    columns(rows, "subject", "relationship", "object", "documents", "cited_sources", "confidence", "hedged", "sentence")
    assert all(r["documents"] == 1 for r in rows)
    assert any(r["cited_sources"] > 1 for r in rows)  # one document citing several papers is still one
    assert ("STAT3", "PREDICTS_RESPONSE_TO", "immunosuppressive therapy") in {
        (r["subject"], r["relationship"], r["object"]) for r in rows}


def facts_by_direction(rows, p):
    columns(rows, "relationship", "direction", "hedged", "facts", "min_confidence", "max_confidence")
    assert all(0.0 <= r["min_confidence"] <= r["max_confidence"] <= 1.0 for r in rows)
    assert any(r["relationship"] == "PREDICTS_RESPONSE_TO" and r["direction"] == "positive" for r in rows)
    assert all(r["direction"] is None for r in rows if r["relationship"] != "PREDICTS_RESPONSE_TO")


def facts_drawn(rows, p):
    columns(rows, "path")
    assert all(row["path"].relationships[0].type == p["type"] for row in rows)
    readings = [row["path"].relationships[0].get("reading") for row in rows]
    assert all(readings) and any("positive" in r for r in readings)


def uncertain_facts(rows, p):
    columns(rows, "subject", "relationship", "object", "direction", "confidence", "hedged", "sentences")
    assert all(r["hedged"] or r["confidence"] < p["min_confidence"] for r in rows)
    assert any(r["hedged"] for r in rows) and any(r["confidence"] < p["min_confidence"] for r in rows)


def sources_by_year(rows, p):
    columns(rows, "year", "kind", "sources")
    assert {r["kind"] for r in rows} <= set(source_kinds())
    assert any(r["year"] == 2012 and r["kind"] == "publication" for r in rows)


def facts_by_year(rows, p):
    columns(rows, "year", "facts", "sources")
    years = [r["year"] for r in rows]
    assert len(years) == len(set(years)) and all(r["facts"] >= 1 for r in rows)
    assert 2002 in years


def sources_without_link(rows, p):
    assert all(list(r) == ["kind", "id", "name"] for r in rows)
    assert all(r["id"].startswith("MDSKG:source/") and r["kind"] not in p["own"] for r in rows)


def find_by_name(rows, p):
    columns(rows, "kind", "id", "name", "url")
    assert "lower-risk hypocellular MDS" in {r["name"] for r in rows}


def term_meanings(rows, p):
    columns(rows, "meaning", "kind", "when")
    assert {"immunosuppressive therapy", "immune checkpoint inhibitors"} <= {r["meaning"] for r in rows}


def subtype_crosswalk(rows, p):
    columns(rows, "entity", "counterpart", "match", "note")


def unmapped_terms(rows, p):
    columns(rows, "term", "documents", "in_documents")
    assert all(r["documents"] >= p["min_documents"] for r in rows)
    assert all(r["documents"] == len(r["in_documents"]) for r in rows if r["documents"] <= 10)
    counts = [r["documents"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert {"ipilimumab", "durvalumab"} <= {r["term"] for r in rows if r["documents"] == counts[0]}


def model_schema(rows, p):
    columns(rows, "nodes", "relationships")
    (row,) = rows
    names = {n["name"] for n in row["nodes"]}
    assert not names & set(p["helpers"])
    model = set(load_ontology().node_types)
    assert {"Disease", "Therapy", "Recommendation", "Source", "UnmappedTerm"} <= names <= model
    assert {r.type for r in row["relationships"]} >= {"RECOMMENDS", "MENTIONS_UNMAPPED", "HAS_CRITERION"}


def export_csv(rows, p):
    import csv

    columns(rows, "file", "rows", "time")
    (row,) = rows
    path = TEST_HOME / "import" / p["export_file"]
    with path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert row["rows"] == len(written) > 0
    assert list(written[0]) == ["id", "recommendation", "strength", "curated", "therapy"]
    assert {w["curated"] for w in written} == {"true", "false"}


def nodes_by_label(rows, p):
    columns(rows, "label", "nodes")
    assert rows[0]["label"] == "Entity"
    assert {"Recommendation", "Criterion", "Source"} <= {r["label"] for r in rows}


EXPECTED = {
    "therapies-for-group": therapies_for_group, "therapies-with-risk-group": therapies_with_risk_group,
    "seed-path": seed_path, "curated-risk-paths": curated_risk_paths, "edges-citing-source": edges_citing_source,
    "nodes-supported-by-source": nodes_supported_by_source,
    "recommendations-with-criteria": recommendations_with_criteria, "evidence-behind-fact": evidence_behind_fact,
    "trials-with-criteria": trials_with_criteria, "open-trials-excluding-prior": open_trials_excluding_prior,
    "drugs-by-mentions": drugs_by_mentions, "weakly-supported-facts": weakly_supported_facts,
    "facts-by-direction": facts_by_direction, "uncertain-facts": uncertain_facts, "sources-by-year": sources_by_year,
    "facts-by-year": facts_by_year, "sources-without-link": sources_without_link, "find-by-name": find_by_name,
    "term-meanings": term_meanings, "subtype-crosswalk": subtype_crosswalk, "nodes-by-label": nodes_by_label,
    "unmapped-terms": unmapped_terms, "model-schema": model_schema, "export-csv": export_csv,
    "facts-drawn": facts_drawn,
}


def test_every_query_of_the_doc_is_a_named_recipe_with_an_expectation():
    assert not UNNAMED, f"cypher blocks without a <!-- recipe: name --> line: {UNNAMED}"
    names = [r.name for r in RECIPES]
    assert len(names) == len(set(names))
    assert set(names) == set(EXPECTED)


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_uses_parameters_set_before_it_and_no_literal_values(recipe):
    used = set(re.findall(r"\$(\w+)", recipe.query))
    assert used <= set(recipe.params), used - set(recipe.params)
    assert set(re.findall(r"'[^']*'", recipe.query)) <= {"'|'"}  # values travel as parameters


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_returns_what_the_doc_says(cookbook_graph, recipe):
    EXPECTED[recipe.name](run(cookbook_graph, recipe), recipe.params)


def test_unmapped_terms_are_where_the_doc_says():
    from etl.run import DEFAULT_REPORT, RunReport

    text = DOC.read_text(encoding="utf-8")
    assert ".cache/etl-report.json" in text and "unmapped_terms" in text
    assert DEFAULT_REPORT.relative_to(PROJECT_ROOT).as_posix() == ".cache/etl-report.json"
    assert "unmapped_terms" in RunReport.__dataclass_fields__


def test_style_instruction_is_the_style_command():
    text = DOC.read_text(encoding="utf-8")
    assert "(echo ':style'; cat graph/browser/style.grass)" in text
    assert (PROJECT_ROOT / "graph" / "browser" / "style.grass").is_file()
    # the one-liner and the guide, served by the service (service/web/analyst.py; the Browser test runs them)
    assert ":style http://localhost:8000/analyst/style.grass" in text
    assert ":guide http://localhost:8000/analyst/guide.md" in text


# ---- readable and linkable -----------------------------------------------------------------------------------

def test_every_node_has_a_readable_name(cookbook_graph):
    unnamed = cookbook_graph.read_text("MATCH (n:Entity) WHERE n.name IS NULL OR trim(n.name) = '' RETURN n.id AS id")
    assert unnamed == []
    names = [r["name"] for r in cookbook_graph.read_text("MATCH (r:Recommendation) RETURN r.name AS name")]
    slugs = [n for n in names if re.search(r"\b(?:therapy|drug|group|risk|subtype)-[a-z]|MDSKG:|\bc\d{4}\b", n)]
    assert not slugs, slugs
    luspatercept = ("Luspatercept — an option after ESA failure — "
                    "lower-risk MDS with ring sideroblasts or SF3B1 mutation")
    assert luspatercept in names
    donor = cookbook_graph.read_text("MATCH (:Study {nct_id: $nct})-[:HAS_CRITERION {scope: $scope}]->(c) "
                                     "RETURN c.name AS name", nct="NCT99999902", scope="donor")
    assert [r["name"] for r in donor] == ["age between 18 and 70 years (required; donor)"]


def test_nodes_whose_identifier_resolves_have_its_url(cookbook_graph):
    rows = cookbook_graph.read_text(
        "MATCH (n:Entity) WHERE NOT n:Source AND NOT n:Study RETURN n.id AS id, n.xrefs AS xrefs, n.url AS url")
    checked = 0
    for row in rows:
        candidates = [c for c in [row["id"], *(row["xrefs"] or [])] if not c.startswith("MDSKG:") and curie_url(c)]
        expected = curie_url(candidates[0]) if candidates else None
        assert row["url"] == expected, row
        checked += bool(expected)
    assert checked >= 100  # drugs (DrugBank), genes (HGNC), diseases (NCIT/MONDO) …


def test_sources_have_one_kind_vocabulary_and_their_identifiers(cookbook_graph):
    kinds = {r["kind"] for r in cookbook_graph.read_text("MATCH (s:Source) RETURN DISTINCT s.kind AS kind")}
    assert kinds <= set(source_kinds()), kinds - set(source_kinds())
    by_id = {r["id"]: r for r in cookbook_graph.read_text(
        "MATCH (s:Source) RETURN s.id AS id, s.kind AS kind, s.pmid AS pmid, s.doi AS doi, s.nct_id AS nct_id, "
        "s.url AS url")}
    assert by_id["PMID:22740453"]["pmid"] == "22740453" and by_id["PMID:22740453"]["kind"] == "publication"
    assert by_id["clinicaltrials:NCT99999902"]["nct_id"] == "NCT99999902"
    assert by_id["clinicaltrials:NCT99999902"]["kind"] == "trial_registration"
    assert by_id["MDSKG:doc/immunosuppressive-therapy"]["kind"] == "text_document"
    assert by_id["MDSKG:ontology"]["kind"] == "curated"
    assert by_id["PMID:35732831"]["doi"] == "10.1038/s41375-022-01613-1"  # from the source's xrefs
    assert all(r["url"] for r in by_id.values() if r["pmid"] or r["doi"] or r["nct_id"])


def test_evidence_sentences_are_stored_clean(cookbook_graph):
    sentences = [r["s"] for r in cookbook_graph.read_text("MATCH ()-[e]->() UNWIND e.sentences AS s RETURN s")]
    assert len(sentences) > 1000
    assert not [s for s in sentences if MARKER.search(s)]
    assert not [s for s in sentences if " ".join(s.split()) != s]


def test_sources_and_studies_link_where_their_identifier_resolves(cookbook_graph):
    """A Source or Study whose id, PMID, DOI or NCT id resolves (PubMed, doi.org, ClinicalTrials.gov) has a URL."""
    rows = cookbook_graph.read_text(
        "MATCH (n:Entity) WHERE n:Source OR n:Study RETURN n.id AS id, n.url AS url, "
        "n.pmid AS pmid, n.doi AS doi, n.nct_id AS nct_id")
    resolvable = [r for r in rows if source_url(r["id"]) or r["pmid"] or r["doi"] or r["nct_id"]]
    assert len(resolvable) >= 100
    assert not [r for r in resolvable if not (r["url"] or "").startswith(("https://", "http://"))]
