"""Readable, linkable rows (etl/rows.py): recommendation and criterion names from the concepts' names and the
guidance vocabulary, one source-kind vocabulary (model.yaml source_kinds), identifiers on sources, clean
evidence sentences."""

from __future__ import annotations

from etl.rows import clean_sentence, criterion_name, recommendation_id, recommendation_name, source_fields
from mdskg.records import Evidence, ExtractedCriterion, ExtractedRecommendation
from ontology import source_kind, source_kinds

EV = Evidence("MDSKG:doc/test", "s", 0, 1, "rules@test")


def test_recommendation_name_reads_as_words_and_the_id_is_unchanged():
    rec = ExtractedRecommendation("MDSKG:drug/luspatercept", ("MDSKG:group/lower-risk-rs-sf3b1",), "option", EV,
                                  line="after_failure", after_therapy_id="MDSKG:therapy/esa")
    assert recommendation_name(rec) == ("Luspatercept — an option after ESA failure — "
                                        "lower-risk MDS with ring sideroblasts or SF3B1 mutation")
    assert recommendation_id(rec) == "MDSKG:rec/drug-luspatercept--group-lower-risk-rs-sf3b1--after_failure"
    against = ExtractedRecommendation("MDSKG:therapy/ist", ("MDSKG:risk/higher-risk",), "not_recommended", EV)
    assert recommendation_name(against) == "Immunosuppressive therapy — not recommended — higher-risk MDS"
    first = ExtractedRecommendation("MDSKG:therapy/esa", ("MDSKG:risk/lower-risk",), "recommended", EV,
                                    line="first_line")
    assert recommendation_name(first) == ("Erythropoiesis-stimulating agents — recommended as first treatment — "
                                          "lower-risk MDS")


def test_criterion_name_uses_plain_words_concept_names_and_scope():
    donor = ExtractedCriterion("age", "between", [18, 70], "years", "required", "Age 18 to 70 years", EV, scope="donor")
    assert criterion_name(donor) == "age between 18 and 70 years (required; donor)"
    prior = ExtractedCriterion("prior_therapies", "contains", "MDSKG:drug/azacitidine", None, "excludes", "", EV)
    assert criterion_name(prior) == "earlier treatment with azacitidine (excludes)"
    cohort = ExtractedCriterion("marrow_blasts_pct", ">=", 20, "%", "required", "", EV, scope="cohort:AML")
    assert criterion_name(cohort) == "bone marrow blasts of 20% or more (required; AML cohort)"


def test_clean_sentence_drops_citation_markers_and_extra_whitespace():
    assert clean_sentence("IST is an option  for MDS [PMID:9401087].") == "IST is an option for MDS."
    assert clean_sentence("It helped. [PMID:1] [MDSKG:source/x-y]") == "It helped."
    assert clean_sentence("Survival improved.[18]\n   More text") == "Survival improved. More text"
    assert clean_sentence("MDS with a deletion 5q[31] abnormality.") == "MDS with a deletion 5q[31] abnormality."


def test_one_source_kind_vocabulary():
    kinds = set(source_kinds())
    assert {"publication", "trial_registration", "guideline", "label", "web_page", "text_document", "curated"} == kinds
    assert source_kind("PMID:1", "trial") == "publication"
    assert source_kind("PMID:1", "guideline") == "guideline"
    assert source_kind("clinicaltrials:NCT01234567") == "trial_registration"
    assert source_kind("MDSKG:doc/x", "text") == "text_document"
    assert source_kind("MDSKG:doc/x", "pubmed") == "publication"
    assert source_kind("MDSKG:ontology", "ontology") == "curated"
    assert source_kind("MDSKG:source/x", None, "https://example.org") == "web_page"
    assert source_kind("MDSKG:source/x") == "publication"


def test_source_fields_carry_identifiers_and_url():
    row = source_fields({"id": "PMID:35732831", "kind": "publication", "xrefs": ["DOI:10.1038/s41375-022-01613-1"]})
    assert (row["pmid"], row["doi"], row["url"]) == ("35732831", "10.1038/s41375-022-01613-1",
                                                     "https://pubmed.ncbi.nlm.nih.gov/35732831/")
    from_url = source_fields({"id": "MDSKG:source/x", "url": "https://doi.org/10.1016/S0140-6736(23)00874-7"})
    assert from_url["doi"] == "10.1016/S0140-6736(23)00874-7" and from_url["kind"] == "publication"
    trial = source_fields({"id": "clinicaltrials:NCT01234567", "kind": "trial"})
    assert (trial["nct_id"], trial["kind"]) == ("NCT01234567", "trial_registration")


def test_curated_data_declares_only_known_source_kinds():
    import glob

    import yaml

    from mdskg.settings import PROJECT_ROOT

    kinds = set(source_kinds())
    declared = set()
    for path in glob.glob(str(PROJECT_ROOT / "ontology" / "data" / "**" / "*.yaml"), recursive=True):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        if isinstance(data, dict):
            declared |= {s.get("kind") for s in data.get("sources") or [] if isinstance(s, dict) and s.get("kind")}
    assert declared and declared <= kinds, declared - kinds


def test_a_corpus_source_cited_by_id_takes_its_record_from_the_ontology():
    # the corpus front matter names an NCI page by id only; its title and link are kept once, in sources.yaml
    from etl.rows import cited_source_rows
    from mdskg.records import Document, SourceType

    doc = Document(id="MDSKG:doc/x", source_type=SourceType.TEXT, text="", title="x",
                   metadata={"sources": [{"id": "MDSKG:source/pdq-mds-treatment-patient", "kind": "guideline"},
                                         {"id": "PMID:1", "title": "A paper", "year": 2001}]})
    rows = {r["id"]: r for r in cited_source_rows(doc)}
    patient = rows["MDSKG:source/pdq-mds-treatment-patient"]
    assert patient["url"].startswith("https://www.cancer.gov/") and "Patient Version" in patient["title"]
    assert rows["PMID:1"]["title"] == "A paper" and rows["PMID:1"]["url"] is None  # nothing invented


def test_every_pdq_summary_the_corpus_cites_by_id_is_recorded_in_the_ontology():
    import glob

    from etl.readers.text import read_text_document
    from ontology import load_ontology

    registry = load_ontology().sources
    for path in glob.glob("etl/corpus/*.md"):
        for doc in read_text_document(path):
            for src in (doc.metadata or {}).get("sources") or []:
                if str(src["id"]).startswith("MDSKG:source/pdq-") and not src.get("url"):
                    assert src["id"] in registry and registry[src["id"]].url, (path, src["id"])
