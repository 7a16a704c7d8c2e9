"""The generated drug vocabulary (ontology/data/vocabularies/drugs.generated.yaml, built by
ontology/vocab/build_drugs.py from drug-named-entity-recognition): it parses, records its source,
loads as Drug concepts with DrugBank xrefs, never duplicates a curated drug, and the entity ruler
recognises its names. Sentences are written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from etl.nlp.pipeline import build_pipeline
from ontology import load_ontology, normalise_surface
from ontology.model import DEFAULT_DIR, _load
from ontology.validate import check
from ontology.vocab import build_drugs

GENERATED = DEFAULT_DIR / "vocabularies" / "drugs.generated.yaml"
ISSUE_DRUGS = ("hydroxyurea", "cytarabine", "fludarabine", "pevonedistat", "rigosertib")
REAL = DEFAULT_DIR.parents[2] / "shared" / "data" / "real"


@pytest.fixture(scope="module")
def generated() -> dict:
    return yaml.safe_load(GENERATED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def onto():
    return load_ontology()


@pytest.fixture(scope="module")
def nlp(onto):
    return build_pipeline(onto, abbreviations=False)


def ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


# ---- the file ------------------------------------------------------------------------------


def test_generated_file_records_source_version_and_licence(generated):
    source = generated["source"]
    assert source["package"] == "drug-named-entity-recognition"
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", str(source["version"]))
    assert source["licence"] == "MIT"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(source["generated"]))
    assert "DrugBank" in source["data_sources"]
    assert generated["label"] == "Drug"


def test_generated_entries_hold_names_and_ids_only(generated):
    concepts = generated["concepts"]
    assert len(concepts) >= 40
    allowed = {"id", "name", "synonyms", "xrefs", "properties"}
    for entry in concepts:
        assert set(entry) <= allowed, entry["id"]
        assert entry["id"].startswith("MDSKG:drug/")
        assert "definition" not in entry  # no clinical text is generated
        assert any(re.fullmatch(r"DRUGBANK:DB\d{5}", x) for x in entry["xrefs"]), entry["id"]
        assert not any(x.startswith("MESH:") for x in entry["xrefs"])  # the package's mesh_id is a class


def test_issue_drugs_are_in_the_vocabulary(generated):
    by_name = {c["name"]: c for c in generated["concepts"]}
    for name in ISSUE_DRUGS:
        assert name in by_name, name
    assert by_name["hydroxyurea"]["xrefs"] == ["DRUGBANK:DB01005"]
    assert by_name["cytarabine"]["xrefs"] == ["DRUGBANK:DB00987"]
    assert "hydroxycarbamide" in by_name["hydroxyurea"]["synonyms"]


def test_generated_drugs_never_duplicate_curated_ones(generated):
    curated = _load(DEFAULT_DIR, vocabularies=False)
    curated_forms = {normalise_surface(sf.text) for sf in curated.surface_forms()}
    curated_drugbank = {x for c in curated.by_label("Drug") for x in c.xrefs if x.startswith("DRUGBANK:")}
    for entry in generated["concepts"]:
        assert entry["id"] not in curated.concepts
        for form in [entry["name"], *entry.get("synonyms", [])]:
            assert normalise_surface(form) not in curated_forms, (entry["id"], form)
        assert not set(entry["xrefs"]) & curated_drugbank, entry["id"]


# ---- loading -------------------------------------------------------------------------------


def test_loader_reads_generated_drugs_as_drug_concepts(onto):
    drug = onto.concept("MDSKG:drug/hydroxyurea")
    assert drug.label == "Drug"
    assert "DRUGBANK:DB01005" in drug.xrefs
    assert drug.definition.startswith("No curated definition")
    assert "drug-named-entity-recognition" in drug.properties["vocabulary"]
    assert onto.curie_url("DRUGBANK:DB01005") == "https://go.drugbank.com/drugs/DB01005"


def test_curated_azacitidine_keeps_its_id_and_is_not_duplicated(onto, generated):
    aza = onto.concept("MDSKG:drug/azacitidine")
    assert "vocabulary" not in aza.properties  # the curated concept, not a generated one
    assert aza.definition and not aza.definition.startswith("No curated definition")
    owners = {sf.concept_id for sf in onto.surface_forms() if normalise_surface(sf.text) == "azacitidine"}
    assert owners == {"MDSKG:drug/azacitidine"}
    assert any(m["id"] == "MDSKG:drug/azacitidine" and m["status"] == "xref present"
               for m in generated["curated_matches"])


def test_cmml_subtypes_are_in_the_ontology(onto):
    for number, ncit in (("1", "NCIT:C36061"), ("2", "NCIT:C36062")):
        subtype = onto.concept(f"MDSKG:subtype/cmml-{number}")
        assert subtype.label == "Subtype"
        assert ncit in subtype.xrefs and f"ONCOTREE:CMML{number}" in subtype.xrefs
        assert onto.edges_of("SUBTYPE_OF", subject=subtype.id, object="NCIT:C3178")


def test_ontology_check_passes_with_the_vocabulary():
    report = check()
    assert report.ok, report.to_text()
    assert report.counts["Drug"] > 23 + 40


def test_loader_reports_a_vocabulary_without_source(tmp_path: Path):
    (tmp_path / "vocabularies").mkdir()
    (tmp_path / "model.yaml").write_text((DEFAULT_DIR / "model.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "vocabularies" / "x.generated.yaml").write_text(
        "label: Drug\nconcepts:\n  - {id: 'MDSKG:drug/zorvenimab', name: zorvenimab}\n", encoding="utf-8")
    onto = _load(tmp_path)
    assert "MDSKG:drug/zorvenimab" in onto.concepts
    assert any(p.kind == "load_error" and "source" in p.message for p in onto.problems)


# ---- recognition ---------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, surface, concept_id", [
    ("Before the hypomethylating agent, her white count was controlled with hydroxyurea.",
     "hydroxyurea", "MDSKG:drug/hydroxyurea"),
    ("He had taken hydroxycarbamide for two years for proliferative CMML.",
     "hydroxycarbamide", "MDSKG:drug/hydroxyurea"),
    ("Fit patients received intensive induction with cytarabine and an anthracycline.",
     "cytarabine", "MDSKG:drug/cytarabine"),
    ("The conditioning regimen combined fludarabine with busulfan.",
     "fludarabine", "MDSKG:drug/fludarabine"),
    ("Pevonedistat was added to azacitidine in the experimental arm.",
     "Pevonedistat", "MDSKG:drug/pevonedistat"),
    ("After HMA failure, rigosertib was compared with physician's choice of care.",
     "rigosertib", "MDSKG:drug/rigosertib"),
])
def test_ruler_recognises_generated_drugs(nlp, sentence, surface, concept_id):
    assert (surface, "Drug", concept_id) in ents(nlp, sentence)


def test_ruler_keeps_curated_ids_beside_generated_ones(nlp):
    found = ents(nlp, "Azacitidine was given with venetoclax; hydroxyurea was stopped before the first cycle.")
    assert ("Azacitidine", "Drug", "MDSKG:drug/azacitidine") in found
    assert ("venetoclax", "Drug", "MDSKG:drug/venetoclax") in found
    assert ("hydroxyurea", "Drug", "MDSKG:drug/hydroxyurea") in found


def test_ruler_recognises_cmml_subtypes(nlp):
    found = ents(nlp, "Of the 40 patients, 25 had CMML-1 and 15 had CMML-2.")
    assert ("CMML-1", "Subtype", "MDSKG:subtype/cmml-1") in found
    assert ("CMML-2", "Subtype", "MDSKG:subtype/cmml-2") in found


def test_unmapped_terms_no_longer_list_vocabulary_drugs(nlp):
    from etl.extract import unmapped_terms

    text = ("Patients were treated with hydroxyurea or cytarabine before the study drug. "
            "Others were given Zorvenimab, an investigational antibody, with fludarabine.")
    terms = unmapped_terms([("d", nlp(text))])
    assert "Zorvenimab" in terms  # unknown terms are still reported
    assert not any(t.lower() in ("hydroxyurea", "cytarabine", "fludarabine") for t in terms)


# ---- the builder ---------------------------------------------------------------------------


def test_scope_rules():
    assert build_drugs.scope_reason("hydroxyurea", {"name": "Hydroxyurea"}) == "named in issue 15"
    assert build_drugs.scope_reason("x", {"name": "Gilteritinib"}) == "INN stem -nib"
    assert build_drugs.scope_reason("x", {"name": "Busulfan", "mesh_id": "D019653"}).startswith("MeSH class")
    assert build_drugs.scope_reason("x", {"name": "Digoxin", "mesh_id": "D004791"}) is None
    assert build_drugs.scope_reason("cedazuridine", {"name": "Cedazuridine"}) is None


def test_builder_reproduces_the_committed_vocabulary(generated):
    pytest.importorskip("drug_named_entity_recognition",
                        reason="build-time dependency: pip install -e '.[vocab]'")
    corpus = REAL if REAL.is_dir() else None  # without the corpus the previous scope is kept
    doc, _matches = build_drugs.build(corpus, previous=GENERATED)
    assert doc["source"]["version"] == generated["source"]["version"]
    assert [c["id"] for c in doc["concepts"]] == [c["id"] for c in generated["concepts"]]
    assert [c.get("synonyms") for c in doc["concepts"]] == [c.get("synonyms") for c in generated["concepts"]]
