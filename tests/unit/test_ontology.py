"""The ontology: the real data passes its own check, and the check catches each kind of problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

import ontology
from ontology import Label, RelType, load_ontology, normalise_surface
from ontology.biolink import category_for, ontology_to_kgx, predicate_for, to_kgx_edge, to_kgx_node
from ontology.model import DEFAULT_DIR, grass_stylesheet
from ontology.validate import KINDS, check, main

ROOT = Path(__file__).resolve().parents[2]
MODEL = DEFAULT_DIR / "model.yaml"
MDS = "NCIT:C3247"


@pytest.fixture(scope="module")
def onto():
    return load_ontology()


@pytest.fixture(scope="module")
def model_yaml():
    return yaml.safe_load(MODEL.read_text(encoding="utf-8"))


def forms_of(onto, text):
    key = normalise_surface(text)
    return {f.concept_id for f in onto.surface_forms() if f.normalised == key}


# ---- the real ontology -----------------------------------------------------------------------


def test_real_ontology_passes_the_check():
    report = check()
    assert report.ok, report.to_text()
    assert "OK" in report.to_text()


def test_loading_reports_no_problems_and_is_cached(onto):
    assert onto.problems == []
    assert load_ontology() is onto
    assert load_ontology(DEFAULT_DIR) is onto


def test_main_exit_codes(tmp_path, capsys):
    assert main() == 0
    assert "OK" in capsys.readouterr().out
    bad = _bad_ontology(tmp_path, [_concept("MDSKG:x/1", label="Nonsense")])
    assert main([str(bad)]) == 1
    assert "unknown_label" in capsys.readouterr().out


def test_enums_match_model_yaml(model_yaml):
    assert [m.value for m in Label] == list(model_yaml["node_types"])
    assert [m.value for m in RelType] == list(model_yaml["relationship_types"])
    assert Label.Drug == "Drug" and f"{Label.Drug}" == "Drug"
    assert RelType.MAY_REFER_TO == "MAY_REFER_TO"
    assert ontology.Label is Label and ontology.RelType is RelType and ontology.load_ontology is load_ontology


def test_model_objects(onto, model_yaml):
    assert onto.version == model_yaml["version"]
    assert set(onto.node_types) == set(model_yaml["node_types"])
    assert onto.node_types["Disease"].color == model_yaml["node_types"]["Disease"]["color"]
    assert ("Therapy", "Drug") in onto.relationship_types["INCLUDES_DRUG"].pairs
    assert onto.pair_allowed("INCLUDES_DRUG", "Therapy", "Drug")
    assert not onto.pair_allowed("INCLUDES_DRUG", "Drug", "Therapy")
    assert onto.criterion_variables["marrow_cellularity"].values == ("hypocellular", "normocellular", "hypercellular")
    assert onto.criterion_variables["age"].unit == "years"
    assert "contains" in onto.criterion_operators and "required" in onto.criterion_roles


def test_every_label_has_concepts_except_reified_ones(onto):
    counts = onto.counts()
    for label in Label:
        # Written by the ETL, or curated in their own files (recommendations, evidence, facts).
        if label.value in {"Criterion", "Recommendation", "Source", "Study", "Outcome", "Approval", "Statement",
                           "UnmappedTerm"}:
            continue
        assert counts.get(label.value, 0) > 0, label


def test_concept_lookups(onto):
    mds = onto.concept(MDS)
    assert mds.label == "Disease" and mds.name == "myelodysplastic syndromes"
    assert onto.get("MDSKG:nope") is None
    with pytest.raises(KeyError):
        onto.concept("MDSKG:nope")
    assert MDS in onto
    drugs = onto.by_label(Label.Drug)
    assert drugs == onto.by_label("Drug") and all(c.label == "Drug" for c in drugs)
    for concept in onto.concepts.values():
        assert concept.definition, concept.id
        assert len(concept.definition) < 600, concept.id  # plain language, a few sentences


REQUIRED = {
    "Disease": [MDS, "NCIT:C3171", "MDSKG:disease/aplastic-anemia", "MDSKG:disease/pnh", "NCIT:C27262",
                "NCIT:C3178"],
    "Subtype": ["MDSKG:subtype/who2022-mds-5q", "MDSKG:subtype/who2022-mds-sf3b1", "MDSKG:subtype/who2022-mds-bitp53",
                "MDSKG:subtype/who2022-mds-lb", "MDSKG:subtype/who2022-mds-h", "MDSKG:subtype/who2022-mds-ib1",
                "MDSKG:subtype/who2022-mds-ib2", "MDSKG:subtype/who2022-mds-f", "MDSKG:subtype/icc2022-mds-del5q",
                "MDSKG:subtype/icc2022-mds-sf3b1", "MDSKG:subtype/icc2022-mds-eb", "MDSKG:subtype/icc2022-mds-aml",
                "MDSKG:subtype/icc2022-mds-tp53", "MDSKG:subtype/icc2022-mds-nos-sld",
                "MDSKG:subtype/icc2022-mds-nos-mld", "MDSKG:subtype/icc2022-mds-nos-without-dysplasia"],
    "RiskScheme": ["MDSKG:scheme/ipss", "MDSKG:scheme/ipss-r", "MDSKG:scheme/ipss-m"],
    "RiskCategory": ["MDSKG:risk/lower-risk", "MDSKG:risk/higher-risk", "MDSKG:risk/ipss-low", "MDSKG:risk/ipss-int-1",
                     "MDSKG:risk/ipss-int-2", "MDSKG:risk/ipss-high", "MDSKG:risk/ipssr-intermediate",
                     "MDSKG:risk/ipssm-moderate-low", "MDSKG:risk/ipssm-moderate-high"],
    "PatientGroup": ["MDSKG:group/lower-risk-hypocellular-mds", "MDSKG:group/lower-risk-del5q",
                     "MDSKG:group/lower-risk-rs-sf3b1", "MDSKG:group/lower-risk-anemia-low-epo",
                     "MDSKG:group/lower-risk-esa-failure", "MDSKG:group/higher-risk-transplant-candidates",
                     "MDSKG:group/higher-risk-not-transplant-eligible", "MDSKG:group/idh1-mutated-mds",
                     "MDSKG:group/idh2-mutated-mds"],
    "Biomarker": ["HGNC:10768", "HGNC:11998", "HGNC:5382", "HGNC:5383", "HGNC:11364", "MDSKG:marker/del5q",
                  "MDSKG:marker/complex-karyotype", "MDSKG:marker/pnh-clone", "MDSKG:marker/hla-dr15",
                  "MDSKG:marker/stat3-t-cell-clone", "MDSKG:marker/marrow-cellularity", "MDSKG:marker/serum-epo",
                  "MDSKG:marker/iron-overload"],
    "Therapy": ["MDSKG:therapy/ist", "MDSKG:therapy/hma", "MDSKG:therapy/esa", "MDSKG:therapy/allo-hsct",
                "MDSKG:therapy/supportive-care", "MDSKG:therapy/iron-chelation", "MDSKG:therapy/tpo-ra",
                "MDSKG:therapy/idh-inhibitors", "MDSKG:therapy/checkpoint-inhibitors",
                "MDSKG:therapy/intensive-chemotherapy", "MDSKG:therapy/watchful-waiting",
                "MDSKG:therapy/clinical-trial"],
    "Drug": ["MDSKG:drug/horse-atg", "MDSKG:drug/rabbit-atg", "MDSKG:drug/cyclosporine", "MDSKG:drug/eltrombopag",
             "MDSKG:drug/luspatercept", "MDSKG:drug/imetelstat", "MDSKG:drug/lenalidomide", "MDSKG:drug/azacitidine",
             "MDSKG:drug/decitabine-cedazuridine", "MDSKG:drug/ivosidenib", "MDSKG:drug/enasidenib",
             "MDSKG:drug/olutasidenib", "MDSKG:drug/venetoclax", "MDSKG:drug/pembrolizumab"],
    "Term": ["MDSKG:term/immunotherapy"],
}


@pytest.mark.parametrize("label", sorted(REQUIRED))
def test_required_coverage(onto, label):
    for concept_id in REQUIRED[label]:
        assert onto.label_of(concept_id) == label, concept_id


def test_subtype_classifications(onto):
    for subtype in onto.by_label("Subtype"):
        assert subtype.properties.get("classification") in {"WHO2022", "ICC2022", "WHO2016", "WHO2008"}, subtype.id
        parents = onto.edges_of("SUBTYPE_OF", subject=subtype.id)
        assert parents, f"{subtype.id} has no SUBTYPE_OF edge"


def test_who_icc_crosswalk(onto):
    crosswalk = onto.edges_of("EQUIVALENT_TO")
    assert len(crosswalk) >= 6
    for edge in crosswalk:
        classes = {onto.concept(edge.subject).properties["classification"],
                   onto.concept(edge.object).properties["classification"]}
        assert classes == {"WHO2022", "ICC2022"}, edge
        assert edge.properties.get("match") in {"close", "partial"}
    assert onto.edges_of("EQUIVALENT_TO", "MDSKG:subtype/who2022-mds-5q", "MDSKG:subtype/icc2022-mds-del5q")


def test_risk_structure(onto):
    def group_of(category):
        return {e.object for e in onto.edges_of("IN_RISK_GROUP", subject=category)}

    lower, higher = "MDSKG:risk/lower-risk", "MDSKG:risk/higher-risk"
    for cat in ("ipss-low", "ipss-int-1", "ipssr-very-low", "ipssr-low"):
        assert group_of(f"MDSKG:risk/{cat}") == {lower}, cat
    for cat in ("ipss-int-2", "ipss-high", "ipssr-high", "ipssr-very-high"):
        assert group_of(f"MDSKG:risk/{cat}") == {higher}, cat
    split = onto.edges_of("IN_RISK_GROUP", subject="MDSKG:risk/ipssr-intermediate")
    assert {e.object for e in split} == {lower, higher}
    assert all(e.note and "3.5" in e.properties["condition"] for e in split)
    assert {e.object for e in onto.edges_of("HAS_RISK_GROUP", subject=MDS)} == {lower, higher}
    assert len(onto.edges_of("HAS_CATEGORY", subject="MDSKG:scheme/ipss")) == 4
    assert len(onto.edges_of("HAS_CATEGORY", subject="MDSKG:scheme/ipss-r")) == 5
    assert len(onto.edges_of("HAS_CATEGORY", subject="MDSKG:scheme/ipss-m")) == 6


def test_seed_question_structure(onto):
    """MDS → lower-risk → lower-risk hypocellular MDS, and IST → horse ATG (the ETL adds the
    Recommendation between the group and IST)."""
    group = "MDSKG:group/lower-risk-hypocellular-mds"
    assert onto.edges_of("HAS_RISK_GROUP", MDS, "MDSKG:risk/lower-risk")
    assert onto.edges_of("HAS_PATIENT_GROUP", "MDSKG:risk/lower-risk", group)
    assert onto.edges_of("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/horse-atg")
    assert onto.edges_of("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/cyclosporine")
    assert onto.edges_of("DEFINED_BY", group, "MDSKG:marker/marrow-cellularity")
    criteria = onto.concept(group).properties["criteria"]
    assert {"variable": "marrow_cellularity", "operator": "==", "value": "hypocellular"} in criteria
    synonyms = set(onto.concept(group).synonyms)
    assert {"hypocellular lower-risk MDS", "hypoplastic lower-risk MDS"} <= synonyms


def test_immunotherapy_term_links_both_meanings(onto):
    term = onto.concept("MDSKG:term/immunotherapy")
    assert term.label == "Term"
    links = {e.object: e for e in onto.edges_of("MAY_REFER_TO", subject=term.id)}
    assert set(links) >= {"MDSKG:therapy/ist", "MDSKG:therapy/checkpoint-inhibitors"}
    assert all(links[k].note for k in links)
    assert "immunosuppressive" in links["MDSKG:therapy/ist"].note
    not_established = onto.edges_of("NOT_ESTABLISHED_FOR", "MDSKG:therapy/checkpoint-inhibitors", MDS)
    assert not_established and not_established[0].note


def test_structural_drug_edges(onto):
    def drugs(therapy):
        return {e.object for e in onto.edges_of("INCLUDES_DRUG", subject=f"MDSKG:therapy/{therapy}")}

    assert drugs("hma") == {"MDSKG:drug/azacitidine", "MDSKG:drug/decitabine", "MDSKG:drug/decitabine-cedazuridine",
                            "MDSKG:drug/oral-azacitidine"}
    assert drugs("idh-inhibitors") == {"MDSKG:drug/ivosidenib", "MDSKG:drug/enasidenib", "MDSKG:drug/olutasidenib"}
    assert drugs("tpo-ra") == {"MDSKG:drug/eltrombopag", "MDSKG:drug/romiplostim"}
    assert drugs("checkpoint-inhibitors") == {"MDSKG:drug/pembrolizumab", "MDSKG:drug/nivolumab"}
    assert onto.edges_of("TARGETS", "MDSKG:drug/ivosidenib", "HGNC:5382")
    assert onto.edges_of("TARGETS", "MDSKG:drug/enasidenib", "HGNC:5383")
    assert onto.edges_of("PROGRESSES_TO", MDS, "NCIT:C3171")
    for therapy in ("rbc-transfusion", "platelet-transfusion", "iron-chelation", "myeloid-growth-factors", "tpo-ra"):
        assert onto.edges_of("PART_OF_CLASS", f"MDSKG:therapy/{therapy}", "MDSKG:therapy/supportive-care")


def test_every_cited_source_is_described(onto):
    cited = {s for c in onto.concepts.values() for s in c.sources} | {s for e in onto.edges for s in e.sources}
    assert cited <= set(onto.sources)
    for source in onto.sources.values():
        assert source.title and source.kind in {"publication", "guideline", "trial"}
    assert {"PMID:22740453", "PMID:19357394", "MDSKG:source/pdq-mds-treatment-hp"} <= set(onto.sources)


def test_biomarker_variables(onto):
    assert onto.concept("HGNC:10768").properties["variable"] == "mutated_genes"
    assert onto.concept("MDSKG:marker/marrow-cellularity").properties["variable"] == "marrow_cellularity"
    assert onto.concept("MDSKG:marker/del5q").properties == {"variable": "karyotype_findings", "value": "del5q"}
    for marker in onto.by_label("Biomarker"):
        variable = marker.properties.get("variable")
        assert variable is None or variable in onto.criterion_variables, marker.id


# ---- surface forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,concept_id", [
    ("imunotherapy", "MDSKG:term/immunotherapy"),
    ("immune therapy", "MDSKG:term/immunotherapy"),
    ("MSD", MDS),
    ("myelodisplastic syndrome", MDS),
    ("Myelodysplastic Syndromes", MDS),
    ("blood cancer", MDS),
    ("low platelets", "MDSKG:marker/platelets"),
    ("bone marrow transplant", "MDSKG:therapy/allo-hsct"),
    ("stem cell transplant", "MDSKG:therapy/allo-hsct"),
    ("chemo pill", "MDSKG:term/chemo-pill"),
    ("ATGAM", "MDSKG:drug/horse-atg"),
    ("Reblozyl", "MDSKG:drug/luspatercept"),
    ("Inqovi", "MDSKG:drug/decitabine-cedazuridine"),
    ("RAEB-2", "MDSKG:subtype/who2022-mds-ib2"),
    ("RARS", "MDSKG:subtype/who2022-mds-sf3b1"),
    ("MDS with isolated del(5q)", "MDSKG:subtype/who2022-mds-5q"),
    ("hypocellular lower-risk MDS", "MDSKG:group/lower-risk-hypocellular-mds"),
    ("IPSS-R", "MDSKG:scheme/ipss-r"),
    ("LR-MDS", "MDSKG:risk/lower-risk"),
    ("HLA-DR15", "MDSKG:marker/hla-dr15"),
])
def test_surface_forms(onto, text, concept_id):
    assert concept_id in forms_of(onto, text)


def test_surface_form_records(onto):
    forms = onto.surface_forms()
    kinds = {f.kind for f in forms}
    assert kinds == {"name", "synonym", "abbreviation", "lay_term", "brand_name"}
    by_text = {(f.text, f.concept_id): f for f in forms}
    assert by_text[("imunotherapy", "MDSKG:term/immunotherapy")].kind == "lay_term"
    assert by_text[("imunotherapy", "MDSKG:term/immunotherapy")].label == "Term"
    assert by_text[("ATGAM", "MDSKG:drug/horse-atg")].kind == "brand_name"
    assert by_text[("MDS-SF3B1", "MDSKG:subtype/icc2022-mds-sf3b1")].ambiguous
    assert not by_text[("MDS", MDS)].ambiguous
    assert forms_of(onto, "MDS-SF3B1") == {"MDSKG:subtype/who2022-mds-sf3b1", "MDSKG:subtype/icc2022-mds-sf3b1"}


def test_normalise_surface():
    assert normalise_surface("MDS-SF3B1") == normalise_surface("mds sf3b1")
    assert normalise_surface("\u22127") == normalise_surface("-7")
    assert normalise_surface("-7") != normalise_surface("7") != normalise_surface("+7")
    assert normalise_surface("  Low   Platelets ") == "low platelets"


def test_curie_url(onto):
    assert ontology.curie_url("PMID:22740453") == "https://pubmed.ncbi.nlm.nih.gov/22740453"
    assert ontology.curie_url("HGNC:10768") == "https://identifiers.org/hgnc:10768"
    assert onto.curie_url("NCIT:C3247") == "http://purl.obolibrary.org/obo/NCIT_C3247"
    assert ontology.curie_url("NOPE:1") is None and ontology.curie_url("no colon") is None


# ---- Biolink / KGX ---------------------------------------------------------------------------


def test_biolink_mappings(onto, model_yaml):
    for label, spec in model_yaml["node_types"].items():
        assert category_for(label) == spec["biolink"]
    for rel, spec in model_yaml["relationship_types"].items():
        assert predicate_for(RelType(rel)) == spec["biolink"]
    with pytest.raises(KeyError):
        category_for("Nonsense")


def test_kgx_helpers(onto):
    node = to_kgx_node(onto.concept("MDSKG:drug/horse-atg"))
    assert node["category"] == ["biolink:Drug"] and "ATGAM" in node["synonym"]
    assert node["mdskg_label"] == "Drug" and node["description"]
    edge = to_kgx_edge(onto.edges_of("IN_RISK_GROUP", subject="MDSKG:risk/ipssr-intermediate")[0])
    assert edge["predicate"] == "biolink:part_of" and edge["agent_type"] == "manual_agent"
    assert "PMID:22740453" in edge["publications"] and edge["condition"]
    etl = to_kgx_edge("TREATS", "MDSKG:therapy/ist", "MDSKG:group/lower-risk-hypocellular-mds",
                      properties={"source_ids": ["PMID:1"], "source_count": 1})
    assert etl["predicate"] == "biolink:treats" and etl["agent_type"] == "text_mining_agent"
    assert etl["publications"] == ["PMID:1"] and etl["source_count"] == 1
    nodes, edges = ontology_to_kgx(onto)
    assert len(nodes) == len(onto.concepts) and len(edges) == len(onto.edges)
    assert len({e["id"] for e in edges}) == len(edges)


# ---- browser style and analyst docs ------------------------------------------------------------


def test_style_grass_matches_model(onto):
    text = (ROOT / "graph" / "browser" / "style.grass").read_text(encoding="utf-8")
    assert text == grass_stylesheet(onto), "regenerate graph/browser/style.grass (see docs/analyst.md)"
    for name, spec in onto.node_types.items():
        block = re.search(r"node\." + name + r" \{(.*?)\n\}", text, re.S)
        assert block, name
        assert f"color: {spec.color};" in block.group(1) and 'caption: "{name}";' in block.group(1)
    assert "/*" not in text  # Neo4j Browser's GraSS parser has no comments


def test_analyst_queries_declare_their_params(onto):
    text = (ROOT / "docs" / "analyst.md").read_text(encoding="utf-8")
    assert "http://localhost:7474/browser/" in text and ":style" in text
    blocks = re.findall(r"```cypher\n(.*?)```", text, re.S)
    declared = set(re.findall(r":param (\w+) =>", text))
    used = {p for block in blocks if not block.startswith(":param") for p in re.findall(r"\$(\w+)", block)}
    assert used and used <= declared
    for rel in re.findall(r"\[(?:\w+)?:([A-Z_]+)\]", text):
        assert rel in RelType.__members__, rel
    helpers = set(onto.model.get("infrastructure_labels") or ())  # Entity: every node's id and name index
    for label in re.findall(r"\((?:\w+)?:([A-Z][A-Za-z]+)[ {)]", text):
        assert label in Label.__members__ or label in helpers, label


# ---- the check finds each kind of problem ------------------------------------------------------


def _concept(cid, label="Disease", name=None, definition="A test concept.", **extra):
    data = {"id": cid, "label": label, "name": name or cid.rsplit("/", 1)[-1], "definition": definition}
    data.update(extra)
    return data


BASE = [
    _concept("MDSKG:disease/a", name="disease a"),
    _concept("MDSKG:therapy/t", label="Therapy", name="therapy t"),
    _concept("MDSKG:drug/d", label="Drug", name="drug d"),
]


def _bad_ontology(tmp_path, concepts, edges=None, sources=None, raw_concepts=None, recommendations=None, facts=None):
    root = tmp_path / "onto"
    (root / "concepts").mkdir(parents=True)
    shutil.copy(MODEL, root / "model.yaml")
    if recommendations is not None:
        (root / "recommendations").mkdir()
        (root / "recommendations" / "test.yaml").write_text(
            yaml.safe_dump({"version": "1", "sources": [{"id": "MDSKG:source/s", "title": "s"}],
                            "recommendations": recommendations}), encoding="utf-8")
    if facts is not None:
        (root / "facts").mkdir()
        (root / "facts" / "test.yaml").write_text(
            yaml.safe_dump({"version": "1", "sources": [{"id": "MDSKG:source/s", "title": "s"}], "facts": facts}),
            encoding="utf-8")
    if raw_concepts is not None:
        (root / "concepts" / "test.yaml").write_text(raw_concepts, encoding="utf-8")
    else:
        (root / "concepts" / "test.yaml").write_text(yaml.safe_dump({"concepts": concepts}), encoding="utf-8")
    if edges is not None:
        (root / "edges.yaml").write_text(yaml.safe_dump({"edges": edges}), encoding="utf-8")
    if sources is not None:
        (root / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return root


def _rec(**overrides):
    rec = {"id": "MDSKG:rec/t-for-lower", "therapy": "MDSKG:therapy/t", "name": "t for lower-risk",
           "strength": "recommended", "line": "any", "evidence": {"level": "high", "basis": "b"},
           "requires": [{"variable": "risk_group", "operator": "==", "value": "lower"}],
           "citations": ["MDSKG:source/s"]}
    rec.update(overrides)
    return rec


CASES = {
    "bad_recommendation": dict(concepts=BASE, recommendations=[{"id": "MDSKG:rec/x", "colour": "red"}]),
    "bad_criterion": dict(concepts=BASE, recommendations=[_rec(requires=[
        {"variable": "risk_group", "operator": "==", "value": "lower"}, {"variable": "age", "operator": ">"}])]),
    "bad_id": dict(concepts=BASE, recommendations=[_rec(id="MDSKG:recommendation/t")]),
    "bad_value": dict(concepts=BASE, recommendations=[_rec(strength="mandatory")]),
    "bad_operator": dict(concepts=BASE, recommendations=[_rec(requires=[{"variable": "age", "operator": "=~",
                                                                           "value": 3}])]),
    "unknown_concept": dict(concepts=BASE, recommendations=[_rec(therapy="MDSKG:disease/a")]),
    "matches_everyone": dict(concepts=BASE, recommendations=[_rec(requires=[])]),
    "undeclared_number": dict(concepts=BASE, facts=[{"id": "MDSKG:fact/x", "about": "MDSKG:disease/a", "kind": "general",
                                                     "text": "It affects 42 people.", "numbers": [],
                                                     "citations": ["MDSKG:source/s"]}]),
    "load_error": dict(raw_concepts="concepts:\n  - id: MDSKG:x/1\n    name: [unclosed\n"),
    "unknown_label": dict(concepts=BASE + [_concept("MDSKG:x/1", label="Diseaze")]),
    "unknown_relationship": dict(concepts=BASE, edges=[{"type": "CURES", "subject": "MDSKG:therapy/t",
                                                        "object": "MDSKG:disease/a"}]),
    "pair_not_allowed": dict(concepts=BASE, edges=[{"type": "INCLUDES_DRUG", "subject": "MDSKG:disease/a",
                                                    "object": "MDSKG:drug/d"}]),
    "missing_property": dict(concepts=BASE + [{"id": "MDSKG:x/1", "label": "Disease", "name": "x one"}]),
    "duplicate_id": dict(concepts=BASE + [_concept("MDSKG:disease/a", name="another name")]),
    "duplicate_edge": dict(concepts=BASE, edges=[{"type": "INCLUDES_DRUG", "subject": "MDSKG:therapy/t",
                                                  "object": "MDSKG:drug/d"}] * 2),
    "synonym_clash": dict(concepts=BASE + [_concept("MDSKG:x/1", name="x one", synonyms=["Drug-D"])]),
    "unknown_prefix": dict(concepts=BASE + [_concept("FOO:1", name="foo")]),
    "unknown_endpoint": dict(concepts=BASE, edges=[{"type": "INCLUDES_DRUG", "subject": "MDSKG:therapy/t",
                                                    "object": "MDSKG:drug/missing"}]),
    "unknown_variable": dict(concepts=BASE + [_concept("MDSKG:marker/m", label="Biomarker", name="m",
                                                       properties={"variable": "shoe_size"})]),
    "unknown_value": dict(concepts=BASE + [_concept("MDSKG:marker/m", label="Biomarker", name="m",
                                                    properties={"variable": "karyotype_findings", "value": "del99q"})]),
    "unknown_source": dict(concepts=BASE, edges=[{"type": "INCLUDES_DRUG", "subject": "MDSKG:therapy/t",
                                                  "object": "MDSKG:drug/d", "sources": ["MDSKG:source/nowhere"]}]),
}


def test_every_kind_has_a_case():
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_check_reports_exactly_this_kind(tmp_path, kind):
    report = check(_bad_ontology(tmp_path, **{"concepts": [], **CASES[kind]}))
    assert not report.ok
    assert report.kinds() == {kind}, report.to_text()
    assert kind in report.to_text()


def test_small_good_ontology_is_ok(tmp_path):
    edges = [{"type": "INCLUDES_DRUG", "subject": "MDSKG:therapy/t", "object": "MDSKG:drug/d",
              "sources": ["PMID:1"]}]
    sources = [{"id": "PMID:1", "title": "A paper", "year": 2020, "kind": "publication"}]
    report = check(_bad_ontology(tmp_path, BASE, edges, sources))
    assert report.ok, report.to_text()
    assert report.edge_count == 1 and report.source_count == 1


def test_ambiguous_forms_and_terms_may_share(tmp_path):
    shared = {"text": "AB-1", "ambiguous": True}
    concepts = BASE + [
        _concept("MDSKG:x/1", name="x one", abbreviations=[shared]),
        _concept("MDSKG:x/2", name="x two", abbreviations=[shared]),
        _concept("MDSKG:term/w", label="Term", name="drug d", synonyms=["therapy t"]),
    ]
    assert check(_bad_ontology(tmp_path, concepts)).ok
    # marked on one side only: still a clash
    concepts[4] = _concept("MDSKG:x/2", name="x two", abbreviations=["AB-1"])
    report = check(_bad_ontology(tmp_path / "second", concepts))
    assert report.kinds() == {"synonym_clash"}


def test_check_reports_every_problem_at_once(tmp_path):
    concepts = BASE + [
        _concept("MDSKG:x/1", label="Diseaze"),
        {"id": "MDSKG:x/2", "label": "Disease", "name": "x two"},
        _concept("BAD:1", name="bad one"),
        _concept("MDSKG:marker/m", label="Biomarker", name="m", properties={"variable": "shoe_size"}),
    ]
    edges = [{"type": "CURES", "subject": "MDSKG:therapy/t", "object": "MDSKG:disease/a"},
             {"type": "INCLUDES_DRUG", "subject": "MDSKG:therapy/t", "object": "MDSKG:drug/missing"}]
    report = check(_bad_ontology(tmp_path, concepts, edges))
    assert report.kinds() == {"unknown_label", "missing_property", "unknown_prefix", "unknown_variable",
                              "unknown_relationship", "unknown_endpoint"}
    assert len(report.problems) == 6


def test_patient_group_criteria_are_checked(tmp_path):
    group = _concept("MDSKG:group/g", label="PatientGroup", name="g", properties={"criteria": [
        {"variable": "risk_group", "operator": "==", "value": "medium"},
        {"any_of": [{"variable": "nope", "operator": ">=", "value": 1}]},
        {"variable": "age", "operator": "~", "value": 60},
    ]})
    report = check(_bad_ontology(tmp_path, BASE + [group]))
    assert report.kinds() == {"unknown_value", "unknown_variable"}
    assert len(report.of_kind("unknown_value")) == 2


def test_loading_a_broken_directory_does_not_raise(tmp_path):
    root = _bad_ontology(tmp_path, [], raw_concepts=": : :\n  - [")
    (root / "edges.yaml").write_text("edges: {not: a list}\n", encoding="utf-8")
    broken = load_ontology(root)
    assert broken.concepts == {} and {p.kind for p in broken.problems} == {"load_error"}
    assert len(broken.problems) == 2
    missing = load_ontology(tmp_path / "does-not-exist")
    assert missing.problems and missing.problems[0].kind == "load_error"
