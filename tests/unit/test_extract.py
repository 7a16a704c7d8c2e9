"""RuleExtractor on crafted sentences in the corpus's own patterns; ClaudeExtractor through a
loopback fake of the Messages API (tool use)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from etl.extract import ClaudeExtractor, RuleExtractor, document_chunks, get_extractor, tool_schema
from etl.nlp.relations import EXTRACTOR, RelationRules
from mdskg.records import Document, Section, SourceType
from ontology import load_ontology

IST_SENTENCE = ("Immunosuppressive therapy (IST) with horse antithymocyte globulin (ATG), with or without "
                "cyclosporine, is an option for lower-risk hypocellular MDS [PMID:9401087].")
RESPONSE_SENTENCE = ("Response to IST is more likely in patients aged 60 years or younger with bone marrow "
                     "blasts of 5% or less [PMID:12176872].")


@pytest.fixture(scope="module")
def extractor():
    return RuleExtractor()


def make_doc(*sentences: str, doc_id: str = "MDSKG:doc/test", sections: bool = False) -> Document:
    text = "\n".join(sentences)
    section_list = (Section("Treatment", 0, len(text)),) if sections else ()
    return Document(doc_id, "test", text, SourceType.TEXT, section_list)


def relations(extraction, rel_type=None):
    return {(r.type, r.subject_id, r.object_id) for r in extraction.relations
            if rel_type is None or r.type == rel_type}


def test_ist_recommendation_and_included_drugs(extractor):
    x = extractor.extract(make_doc(IST_SENTENCE))
    [rec] = x.recommendations
    assert rec.therapy_id == "MDSKG:therapy/ist"
    assert rec.population_ids == ("MDSKG:group/lower-risk-hypocellular-mds",)
    assert rec.strength == "option"
    assert rec.citations == ("PMID:9401087",)
    includes = {r.object_id: r for r in x.relations if r.type == "INCLUDES_DRUG"}
    assert set(includes) == {"MDSKG:drug/horse-atg", "MDSKG:drug/cyclosporine"}
    for r in includes.values():
        assert r.subject_id == "MDSKG:therapy/ist"
        assert r.evidence.citations == ("PMID:9401087",)
        assert r.evidence.sentence == IST_SENTENCE
        assert r.evidence.extractor.startswith("rules@")
    assert ("TREATS", "MDSKG:therapy/ist", "MDSKG:group/lower-risk-hypocellular-mds") in relations(x)


def test_response_criteria_attach_to_the_therapy_recommendation(extractor):
    x = extractor.extract(make_doc(IST_SENTENCE, RESPONSE_SENTENCE))
    criteria = {(c.variable, c.operator, c.value, c.role) for c in x.criteria}
    assert {("age", "<=", 60, "favours"), ("marrow_blasts_pct", "<=", 5, "favours")} <= criteria
    [rec] = x.recommendations
    assert {(c.variable, c.operator, c.value, c.role) for c in rec.criteria} >= {
        ("age", "<=", 60, "favours"), ("marrow_blasts_pct", "<=", 5, "favours")}
    blasts = next(c for c in rec.criteria if c.variable == "marrow_blasts_pct")
    assert blasts.unit == "%"
    assert blasts.concept_id == "MDSKG:marker/marrow-blasts"
    assert blasts.evidence.citations == ("PMID:12176872",)
    assert blasts.evidence.sentence == RESPONSE_SENTENCE


@pytest.mark.parametrize("sentence,variable,operator,value,concept", [
    ("Response to IST is more likely in patients with MDS who have a PNH clone [PMID:1].",
     "pnh_clone", "==", True, "MDSKG:marker/pnh-clone"),
    ("Response to IST is more likely in patients with MDS who carry HLA-DR15 [PMID:1].",
     "hla_dr15", "==", True, "MDSKG:marker/hla-dr15"),
    ("Response to IST may be more likely with a STAT3-mutant cytotoxic T-cell clone [PMID:1].",
     "stat3_t_cell_clone", "==", True, "MDSKG:marker/stat3-t-cell-clone"),
    ("Response to IST is more likely in patients with MDS who have a hypocellular bone marrow [PMID:1].",
     "marrow_cellularity", "==", "hypocellular", "MDSKG:marker/marrow-cellularity"),
    ("Lenalidomide works best in patients with del(5q) [PMID:1].",
     "karyotype_findings", "contains", "del5q", "MDSKG:marker/del5q"),
    ("Luspatercept works best in patients with an SF3B1 mutation [PMID:1].",
     "mutated_genes", "contains", "SF3B1", "HGNC:10768"),
    ("Luspatercept works best in patients with ring sideroblasts [PMID:1].",
     "ring_sideroblasts_pct", ">=", 15, "MDSKG:marker/ring-sideroblasts"),
    ("ESAs work best when the serum EPO level is below 500 mU/mL [PMID:1].",
     "serum_epo_mu_ml", "<", 500, "MDSKG:marker/serum-epo"),
])
def test_boolean_and_threshold_criteria(extractor, sentence, variable, operator, value, concept):
    x = extractor.extract(make_doc(sentence))
    found = [c for c in x.criteria if c.variable == variable]
    assert found, x.criteria
    assert (found[0].operator, found[0].value, found[0].role, found[0].concept_id) == (
        operator, value, "favours", concept)


def test_negated_biomarker_inverts_the_operator(extractor):
    x = extractor.extract(make_doc("Lenalidomide is an option for lower-risk MDS without del(5q) [PMID:1]."))
    [criterion] = [c for c in x.criteria if c.variable == "karyotype_findings"]
    assert (criterion.operator, criterion.value) == ("not_contains", "del5q")


def test_after_failure_recommendation(extractor):
    sentence = "After ESA failure, luspatercept is an option for lower-risk MDS with ring sideroblasts [PMID:31914241]."
    x = extractor.extract(make_doc(sentence))
    [rec] = x.recommendations
    assert rec.therapy_id == "MDSKG:drug/luspatercept"
    assert (rec.line, rec.after_therapy_id) == ("after_failure", "MDSKG:therapy/esa")
    assert ("NEXT_AFTER_FAILURE", "MDSKG:therapy/esa", "MDSKG:drug/luspatercept") in relations(x)
    assert ("failed_therapies", "contains", "MDSKG:therapy/esa", "required") in {
        (c.variable, c.operator, c.value, c.role) for c in rec.criteria}


@pytest.mark.parametrize("sentence,therapy,strength,rel_type", [
    ("Iron chelation is not recommended for patients with higher-risk MDS [PMID:1].",
     "MDSKG:therapy/iron-chelation", "not_recommended", "NOT_ESTABLISHED_FOR"),
    ("Eltrombopag is not an established treatment for MDS [MDSKG:source/x].",
     "MDSKG:drug/eltrombopag", "not_established", "NOT_ESTABLISHED_FOR"),
    ("Lenalidomide is recommended for lower-risk MDS with del(5q) [PMID:1].",
     "MDSKG:drug/lenalidomide", "recommended", "TREATS"),
    ("Luspatercept may be considered for lower-risk MDS [PMID:1].",
     "MDSKG:drug/luspatercept", "may_be_considered", "TREATS"),
    ("Azacitidine is an option for higher-risk MDS [PMID:1].",
     "MDSKG:drug/azacitidine", "option", "TREATS"),
])
def test_recommendation_strengths(extractor, sentence, therapy, strength, rel_type):
    x = extractor.extract(make_doc(sentence))
    [rec] = [r for r in x.recommendations if r.therapy_id == therapy]
    assert rec.strength == strength
    assert any(r.type == rel_type and r.subject_id == therapy for r in x.relations)


def test_not_recommended_recommendations_get_no_favouring_criteria(extractor):
    x = extractor.extract(make_doc(
        "IST is not recommended as standard treatment for higher-risk MDS [PMID:1].", RESPONSE_SENTENCE))
    [rec] = x.recommendations
    assert rec.strength == "not_recommended" and rec.criteria == ()


def test_two_clauses_two_recommendations(extractor):
    x = extractor.extract(make_doc(
        "IST is not a standard treatment for higher-risk MDS, for which hypomethylating agents are the "
        "first-line treatment. [MDSKG:source/y]"))
    recs = {(r.therapy_id, r.strength, r.line) for r in x.recommendations}
    assert recs == {("MDSKG:therapy/ist", "not_established", None),
                    ("MDSKG:therapy/hma", "recommended", "first_line")}
    assert ("NOT_ESTABLISHED_FOR", "MDSKG:therapy/ist", "MDSKG:risk/higher-risk") in relations(x)
    assert ("TREATS", "MDSKG:therapy/hma", "MDSKG:risk/higher-risk") in relations(x)


@pytest.mark.parametrize("sentence,pairs", [
    ("Hypomethylating therapy uses azacitidine or decitabine [PMID:1].",
     {("MDSKG:therapy/hma", "MDSKG:drug/azacitidine"), ("MDSKG:therapy/hma", "MDSKG:drug/decitabine")}),
    ("Immunosuppressive therapy (IST) for MDS uses horse antithymocyte globulin (ATG), with or without "
     "cyclosporine. [MDSKG:source/pdq-mds-treatment-hp]",
     {("MDSKG:therapy/ist", "MDSKG:drug/horse-atg"), ("MDSKG:therapy/ist", "MDSKG:drug/cyclosporine")}),
    ("Azacitidine and decitabine are hypomethylating agents [PMID:1].",
     {("MDSKG:therapy/hma", "MDSKG:drug/azacitidine"), ("MDSKG:therapy/hma", "MDSKG:drug/decitabine")}),
    ("Deferasirox is an oral iron chelation therapy [PMID:1].",
     {("MDSKG:therapy/iron-chelation", "MDSKG:drug/deferasirox")}),
])
def test_includes_drug(extractor, sentence, pairs):
    x = extractor.extract(make_doc(sentence))
    assert {(s, o) for t, s, o in relations(x, "INCLUDES_DRUG")} == pairs


def test_side_effects_and_predictors(extractor):
    x = extractor.extract(make_doc(
        "Lenalidomide can cause blood clots and myelosuppression [PMID:1].",
        "HLA-DR15 predicts response to IST [PMID:12176872].",
        "Patients with ring sideroblasts are unlikely to respond to ESAs alone [PMID:2].",
    ))
    assert {("HAS_SIDE_EFFECT", "MDSKG:drug/lenalidomide", "MDSKG:side-effect/blood-clots"),
            ("HAS_SIDE_EFFECT", "MDSKG:drug/lenalidomide", "MDSKG:side-effect/myelosuppression"),
            ("PREDICTS_RESPONSE_TO", "MDSKG:marker/hla-dr15", "MDSKG:therapy/ist"),
            ("PREDICTS_RESPONSE_TO", "MDSKG:marker/ring-sideroblasts", "MDSKG:therapy/esa")} <= relations(x)
    directions = {(r.subject_id, r.properties.get("direction")) for r in x.relations
                  if r.type == "PREDICTS_RESPONSE_TO"}
    assert ("MDSKG:marker/hla-dr15", "positive") in directions
    assert ("MDSKG:marker/ring-sideroblasts", "negative") in directions
    assert not any(r.type == "TREATS" and r.subject_id == "MDSKG:therapy/esa" for r in x.relations)


def test_association_and_alternative(extractor):
    x = extractor.extract(make_doc(
        "The 5q- syndrome is associated with an isolated del(5q) [PMID:1].",
        "Supportive care is an alternative to hypomethylating agents for frail higher-risk patients [PMID:2].",
    ))
    assert ("ASSOCIATED_WITH", "MDSKG:marker/del5q", "MDSKG:subtype/who2022-mds-5q") in relations(x)
    assert ("ALTERNATIVE_TO", "MDSKG:therapy/hma", "MDSKG:therapy/supportive-care") in relations(x) or \
        ("ALTERNATIVE_TO", "MDSKG:therapy/supportive-care", "MDSKG:therapy/hma") in relations(x)


def test_only_allowed_pairs_and_evidence_offsets(extractor):
    onto = load_ontology()
    text_lines = [IST_SENTENCE, RESPONSE_SENTENCE,
                  "After ESA failure, luspatercept is an option for lower-risk MDS [PMID:2].",
                  "Lenalidomide can cause blood clots [PMID:3]."]
    document = make_doc(*text_lines, sections=True)
    x = extractor.extract(document)
    assert x.relations
    for r in x.relations:
        spec = onto.relationship_types[r.type]
        assert (onto.concepts[r.subject_id].label, onto.concepts[r.object_id].label) in spec.pairs
        assert document.text[r.evidence.start : r.evidence.end] == r.evidence.sentence
        assert r.evidence.source_id == document.id and r.evidence.section == "Treatment"
        assert 0 < r.confidence <= 1
    for m in x.mentions:
        assert document.text[m.start : m.end] == m.text
        assert onto.concepts[m.concept_id].label == m.label


def test_hard_wrapped_names_are_found_and_evidence_is_verbatim(extractor):
    document = make_doc("The mainstay of treatment for MDS has been supportive\ncare [PMID:1].")
    x = extractor.extract(document)
    [rec] = x.recommendations
    assert rec.therapy_id == "MDSKG:therapy/supportive-care"
    assert "supportive\ncare" in rec.evidence.sentence


def test_reference_sections_are_skipped():
    text = "Lenalidomide is an option for lower-risk MDS [PMID:1].\nRefs\n1. Lenalidomide for lower-risk MDS."
    cut = text.index("Refs")
    document = Document("MDSKG:doc/r", "r", text, SourceType.TEXT,
                        (Section("Body", 0, cut), Section("References", cut, len(text), kind="references")))
    assert [c.title for c in document_chunks(document)] == ["Body"]


def test_unmapped_terms_are_short_and_unmapped(extractor):
    # Zorvenimab and Tralvosertib are made-up names no vocabulary knows; rigosertib is in the
    # generated drug vocabulary (ontology/data/vocabularies) and so is no longer unmapped.
    x = extractor.extract(make_doc(
        "Zorvenimab (QXZ4521) is an investigational antibody tested with azacitidine [PMID:1].",
        "Tralvosertib is an investigational drug for higher-risk MDS, like rigosertib [PMID:2]."))
    assert "Tralvosertib" in x.unmapped_terms or "Zorvenimab" in x.unmapped_terms
    assert all("azacitidine" not in t.lower() and "rigosertib" not in t.lower() for t in x.unmapped_terms)
    assert len(x.unmapped_terms) <= 25


def test_get_extractor():
    assert get_extractor("rules").name == "rules"
    with pytest.raises(ValueError):
        get_extractor("nope")

    class NoKey:
        anthropic_api_key = None

    with pytest.raises(ValueError):
        get_extractor("claude", NoKey())


# ---- Claude through a loopback fake ---------------------------------------------------------


class _ToolUseFake(BaseHTTPRequestHandler):
    reply: dict = {}
    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        type(self).requests.append(body)
        message = {
            "id": "msg_test", "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "tool_use", "id": "toolu_1", "name": body["tools"][0]["name"],
                         "input": type(self).reply}],
            "stop_reason": "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
        data = json.dumps(message).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ToolUseFake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _ToolUseFake.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class FakeSettings:
    anthropic_api_key = "test-key"
    claude_model = "claude-test"
    llm_timeout_s = 5.0
    llm_max_retries = 0
    llm_max_tokens = 1500

    def __init__(self, base_url):
        self.anthropic_base_url = base_url


def test_claude_extractor_validates_against_the_ontology(fake_api):
    document = make_doc(IST_SENTENCE, RESPONSE_SENTENCE)
    _ToolUseFake.reply = {
        "mentions": [{"concept_id": "MDSKG:therapy/ist", "text": "IST"},
                     {"concept_id": "MDSKG:made-up", "text": "IST"}],
        "relations": [
            {"type": "INCLUDES_DRUG", "subject_id": "MDSKG:therapy/ist", "object_id": "MDSKG:drug/cyclosporine",
             "sentence": IST_SENTENCE, "confidence": 0.9},
            {"type": "INCLUDES_DRUG", "subject_id": "MDSKG:drug/cyclosporine", "object_id": "MDSKG:therapy/ist",
             "sentence": IST_SENTENCE},  # wrong direction: Drug→Therapy is not allowed
            {"type": "TREATS", "subject_id": "MDSKG:therapy/ist", "object_id": "NCIT:C3247",
             "sentence": "A sentence that is not in the document."},
        ],
        "recommendations": [{"therapy_id": "MDSKG:therapy/ist",
                             "population_ids": ["MDSKG:group/lower-risk-hypocellular-mds"],
                             "strength": "option", "sentence": IST_SENTENCE}],
        "criteria": [
            {"variable": "age", "operator": "<=", "value": 60, "unit": "years", "role": "favours",
             "therapy_id": "MDSKG:therapy/ist", "sentence": RESPONSE_SENTENCE},
            {"variable": "shoe_size", "operator": "<", "value": 9, "role": "favours", "sentence": RESPONSE_SENTENCE},
        ],
    }
    extractor = ClaudeExtractor(FakeSettings(fake_api))
    x = extractor.extract(document)
    assert [(r.type, r.subject_id, r.object_id) for r in x.relations] == [
        ("INCLUDES_DRUG", "MDSKG:therapy/ist", "MDSKG:drug/cyclosporine")]
    assert x.relations[0].evidence.citations == ("PMID:9401087",)
    assert x.relations[0].evidence.extractor == "claude@claude-test"
    [rec] = x.recommendations
    assert [(c.variable, c.value) for c in rec.criteria] == [("age", 60)]
    assert [m.concept_id for m in x.mentions] == ["MDSKG:therapy/ist"]
    assert len(extractor.rejected) == 4
    request = _ToolUseFake.requests[0]
    assert request["tool_choice"] == {"type": "tool", "name": "record_extraction"}
    schema = request["tools"][0]["input_schema"]
    assert "MDSKG:therapy/ist" in schema["properties"]["relations"]["items"]["properties"]["subject_id"]["enum"]


def test_tool_schema_is_built_from_the_ontology():
    onto = load_ontology()
    schema = tool_schema(onto)["input_schema"]["properties"]
    assert set(schema["relations"]["items"]["properties"]["type"]["enum"]) == set(onto.relationship_types)
    assert set(schema["criteria"]["items"]["properties"]["variable"]["enum"]) == set(onto.criterion_variables)
    assert set(schema["criteria"]["items"]["properties"]["role"]["enum"]) == {"required", "favours", "excludes"}
    assert set(schema["mentions"]["items"]["properties"]["label"]["enum"]) == set(onto.node_types)


@pytest.mark.parametrize("sentence,absent,no_relation", [
    ("Eltrombopag combined with azacitidine is not recommended for higher-risk MDS [PMID:1].",
     "MDSKG:drug/azacitidine", True),
    ("Horse ATG is preferred over rabbit ATG when IST is used for MDS [PMID:1].", "MDSKG:drug/rabbit-atg", True),
    # a dose statement is not a recommendation (though luspatercept is still said to be used in MDS)
    ("The recommended starting dose of luspatercept in MDS is 1 mg/kg every 3 weeks [PMID:1].",
     "MDSKG:drug/luspatercept", False),
])
def test_combination_comparator_and_dose_sentences(extractor, sentence, absent, no_relation):
    x = extractor.extract(make_doc(sentence))
    assert absent not in {r.therapy_id for r in x.recommendations}
    if no_relation:
        assert not any(r.subject_id == absent and r.type in ("TREATS", "NOT_ESTABLISHED_FOR") for r in x.relations)


def test_not_the_preferred_choice_never_loses_its_qualifier(extractor):
    """'… for lower-risk MDS without del(5q)': never 'not recommended for lower-risk MDS'. By default
    the qualified negative is not kept (negatives are stated without criteria downstream); with
    qualified_negatives it carries the condition as a required criterion."""
    sentence = "Lenalidomide is not the preferred first choice for lower-risk MDS without del(5q) [PMID:1]."
    x = extractor.extract(make_doc(sentence))
    assert x.recommendations == ()
    assert not any(r.type == "NOT_ESTABLISHED_FOR" for r in x.relations)
    qualified = RuleExtractor()
    qualified.rules = RelationRules(qualified.ontology, EXTRACTOR, qualified_negatives=True)
    [rec] = qualified.extract(make_doc(sentence)).recommendations
    assert (rec.therapy_id, rec.population_ids, rec.strength) == (
        "MDSKG:drug/lenalidomide", ("MDSKG:risk/lower-risk",), "not_recommended")
    assert {(c.variable, c.operator, c.value, c.role) for c in rec.criteria} == {
        ("karyotype_findings", "not_contains", "del5q", "required")}


def recs(extraction) -> set[tuple]:
    return {(r.therapy_id, r.population_ids, r.strength) for r in extraction.recommendations}


# ---- regressions: the problems found in the corpus output, stated generally ----------------------

@pytest.mark.parametrize("sentence", [
    # trial results: the negation is about the added drug, not the standard it was added to
    "In the first randomized trial of an immune checkpoint inhibitor in higher-risk MDS, adding the PD-L1 antibody "
    "durvalumab to azacitidine was feasible but did not improve outcomes over azacitidine alone [PMID:1].",
    "Adding sabatolimab to a hypomethylating agent did not improve survival in higher-risk MDS [PMID:1].",
    "Two randomized trials of decitabine versus supportive care did not show a survival benefit in higher-risk MDS "
    "[PMID:1].",
    "Azacitidine improved overall survival compared with conventional care in higher-risk MDS [PMID:1].",
    # combinations: no single therapy is the subject
    "Eltrombopag combined with azacitidine is not recommended for higher-risk MDS with thrombocytopenia [PMID:1].",
    "Azacitidine plus venetoclax is not recommended for lower-risk MDS [PMID:1].",
    # descriptive, mechanistic, side-effect, brand-name and definition sentences
    "Differentiation syndrome, a potentially serious reaction, was reported in patients with IDH1-mutated AML "
    "treated with ivosidenib [PMID:1].",
    "Ivosidenib appears on the NCI list of drugs approved for myeloproliferative neoplasms or MDS [PMID:1].",
    "Imetelstat is sold under the brand name Rytelo and appears on the NCI list of drugs approved for "
    "myeloproliferative neoplasms or MDS [PMID:1].",
    "ESAs in MDS are given as injections under the skin, at doses higher than those used for other kinds of anemia "
    "[PMID:1].",
    "IST is used because, in some patients with MDS, T cells attack the patient's own blood-forming cells, as they "
    "do in aplastic anemia [PMID:1].",
    "People with germline DDX41 pathogenic variants who develop MDS or AML may respond to lenalidomide [PMID:1].",
    'The word "immunotherapy" is used for treatments that act through the immune system, and in MDS it can refer '
    "to two approaches [PMID:1].",
    "Imetelstat is an oligonucleotide telomerase inhibitor, the first medicine of its kind approved for MDS [PMID:1].",
    # investigational use is not a recommendation
    "Immune checkpoint inhibitors such as pembrolizumab and nivolumab are an option for higher-risk MDS in clinical "
    "trials [PMID:1].",
    "Nivolumab is being tested in clinical trials for higher-risk MDS [PMID:1].",
    # a qualifier that is not readable as a criterion: nothing rather than the bare population
    "Thrombopoietin receptor agonists (TPO-RAs) such as romiplostim and eltrombopag are options for lower-risk MDS "
    "with isolated thrombocytopenia [PMID:1].",
    "Patients with lower-risk MDS who have poor-risk genetic features, profound cytopenias, or a high transfusion "
    "burden may still be considered for allogeneic stem cell transplantation [PMID:1].",
])
def test_sentences_without_a_bound_recommendation_cue_give_none(extractor, sentence):
    x = extractor.extract(make_doc(sentence))
    assert x.recommendations == ()
    assert not any(r.type == "NOT_ESTABLISHED_FOR" for r in x.relations)


def test_trial_result_gives_no_relation_about_the_standard_arm(extractor):
    x = extractor.extract(make_doc(
        "In the first randomized trial of an immune checkpoint inhibitor in higher-risk MDS, adding the PD-L1 antibody "
        "durvalumab to azacitidine was feasible but did not improve outcomes over azacitidine alone [PMID:1]."))
    assert not any(r.subject_id in ("MDSKG:drug/azacitidine", "MDSKG:therapy/checkpoint-inhibitors")
                   for r in x.relations if r.type in ("TREATS", "NOT_ESTABLISHED_FOR"))


def test_not_for_a_population_is_a_negative_for_that_population(extractor):
    x = extractor.extract(make_doc(
        "Oral azacitidine tablets (Onureg) are approved for continued treatment of AML in first remission, not for "
        "MDS [MDSKG:source/onureg-label]."))
    assert recs(x) == {("MDSKG:drug/oral-azacitidine", ("NCIT:C3247",), "not_established")}
    assert ("NOT_ESTABLISHED_FOR", "MDSKG:drug/oral-azacitidine", "NCIT:C3247") in relations(x)
    assert ("TREATS", "MDSKG:drug/oral-azacitidine", "NCIT:C3247") not in relations(x)


def test_without_marker_becomes_a_required_criterion(extractor):
    x = extractor.extract(make_doc(
        "Erythropoiesis-stimulating agents (ESAs) remain the first-line treatment of anemia in most lower-risk MDS "
        "without del(5q) [PMID:1]."))
    [rec] = x.recommendations
    assert (rec.therapy_id, rec.population_ids, rec.strength, rec.line) == (
        "MDSKG:therapy/esa", ("MDSKG:risk/lower-risk",), "recommended", "first_line")
    assert ("karyotype_findings", "not_contains", "del5q", "required") in {
        (c.variable, c.operator, c.value, c.role) for c in rec.criteria}


@pytest.mark.parametrize("sentence,therapy,group", [
    ("Immunosuppressive therapy (IST) is an option for selected patients with lower-risk MDS, especially those with "
     "a hypocellular bone marrow [PMID:1].", "MDSKG:therapy/ist", "MDSKG:group/lower-risk-hypocellular-mds"),
    ("IST is an option for lower-risk MDS with a hypoplastic bone marrow [PMID:1].", "MDSKG:therapy/ist",
     "MDSKG:group/lower-risk-hypocellular-mds"),
    ("The US FDA approved lenalidomide for transfusion-dependent patients with lower-risk MDS who have a del(5q) "
     "chromosome abnormality [PMID:1].", "MDSKG:drug/lenalidomide", "MDSKG:group/lower-risk-del5q"),
    ("Luspatercept is an option for lower-risk MDS with an SF3B1 mutation [PMID:1].", "MDSKG:drug/luspatercept",
     "MDSKG:group/lower-risk-rs-sf3b1"),
    ("Ivosidenib is an option for adults with relapsed or refractory MDS with an IDH1 mutation [PMID:1].",
     "MDSKG:drug/ivosidenib", "MDSKG:group/idh1-mutated-mds"),
    ("Azacitidine is recommended for patients with higher-risk MDS who are not immediately eligible for allogeneic "
     "stem cell transplantation [PMID:1].", "MDSKG:drug/azacitidine", "MDSKG:group/higher-risk-not-transplant-eligible"),
    ("For higher-risk MDS, allogeneic stem cell transplantation is recommended early, at diagnosis, for fit patients "
     "with a donor [PMID:1].", "MDSKG:therapy/allo-hsct", "MDSKG:group/higher-risk-transplant-candidates"),
])
def test_a_risk_group_and_its_defining_marker_narrow_to_the_patient_group(extractor, sentence, therapy, group):
    x = extractor.extract(make_doc(sentence))
    assert {(r.therapy_id, r.population_ids) for r in x.recommendations} == {(therapy, (group,))}
    defining = {c["variable"] for c in load_ontology().concepts[group].properties["criteria"] if "variable" in c}
    for rec in x.recommendations:  # the group implies its own definition: no duplicate as a criterion
        assert not ({c.variable for c in rec.criteria} & (defining - {"risk_group"}))


def test_a_risk_range_is_the_risk_group_with_the_range_as_criterion(extractor):
    x = extractor.extract(make_doc(
        "After ESA failure, imetelstat is an option for adults with low- to intermediate-1 risk MDS who need 4 or more "
        "red blood cell units over 8 weeks [PMID:1]."))
    [rec] = x.recommendations
    assert (rec.population_ids, rec.line, rec.after_therapy_id) == (
        ("MDSKG:risk/lower-risk",), "after_failure", "MDSKG:therapy/esa")
    assert {(c.variable, c.operator, str(c.value), c.role) for c in rec.criteria} >= {
        ("ipss_category", "in", "['low', 'intermediate_1']", "required"),
        ("transfusion_units_per_8wk", ">=", "4", "required"),
        ("failed_therapies", "contains", "MDSKG:therapy/esa", "required")}


def test_criteria_of_one_therapy_do_not_leak_to_another(extractor):
    x = extractor.extract(make_doc(
        "Immunosuppressive therapy (IST) is an option for selected patients with lower-risk MDS [PMID:1].",
        "IST is not a standard treatment for higher-risk MDS, for which hypomethylating agents are the first-line "
        "treatment [PMID:1].",
        RESPONSE_SENTENCE,
        "Response to IST is more likely in patients with MDS who carry HLA-DR15 [PMID:12176872].",
    ))
    by_therapy = {(r.therapy_id, r.strength): r for r in x.recommendations}
    ist = by_therapy[("MDSKG:therapy/ist", "option")]
    assert {c.variable for c in ist.criteria} >= {"age", "marrow_blasts_pct", "hla_dr15"}
    assert by_therapy[("MDSKG:therapy/hma", "recommended")].criteria == ()
    assert by_therapy[("MDSKG:therapy/ist", "not_established")].criteria == ()


def test_required_conditions_of_one_recommendation_stay_with_it(extractor):
    """The after-ESA-failure use and the trial population do not become conditions of the first-line use."""
    x = extractor.extract(make_doc(
        "After ESA failure, luspatercept is an option for patients with lower-risk MDS with ring sideroblasts who need "
        "regular red blood cell transfusions [PMID:1].",
        "The MEDALIST trial enrolled patients with 15% or more ring sideroblasts [PMID:2].",
        "Luspatercept is an option as first-line treatment of anemia for ESA-naive patients with transfusion-dependent "
        "lower-risk MDS [PMID:3].",
    ))
    first_line = next(r for r in x.recommendations if r.line == "first_line")
    after = next(r for r in x.recommendations if r.line == "after_failure")
    assert first_line.population_ids == ("MDSKG:risk/lower-risk",)
    assert {(c.variable, c.operator, c.value) for c in first_line.criteria} == {
        ("transfusion_dependent", "==", True), ("prior_therapies", "not_contains", "MDSKG:therapy/esa")}
    assert (after.population_ids, after.after_therapy_id) == (("MDSKG:group/lower-risk-rs-sf3b1",), "MDSKG:therapy/esa")
    assert ("failed_therapies", "contains", "MDSKG:therapy/esa") in {(c.variable, c.operator, c.value)
                                                                    for c in after.criteria}


@pytest.mark.parametrize("sentence,expected", [
    # a list of features "suggesting a good probability of response": each favours, none is required
    ("The NCCN Guidelines list the following features as suggesting a good probability of response to IST: age 60 "
     "years or younger with bone marrow blasts of 5% or less, a hypocellular bone marrow, or a PNH clone [PMID:1].",
     {("age", "<=", 60, "favours"), ("marrow_blasts_pct", "<=", 5, "favours"),
      ("marrow_cellularity", "==", "hypocellular", "favours"), ("pnh_clone", "==", True, "favours")}),
    # "did not predict response": no criterion at all
    ("In a large cohort of patients treated with IST, transfusion dependence and HLA-DR15 did not predict response "
     "[PMID:1].", set()),
    # how long someone was transfusion-dependent is not whether they are
    ("Response to horse ATG in MDS was more likely in patients who carry HLA-DR15 and in patients with a shorter "
     "period of red cell transfusion dependence [PMID:1].", {("hla_dr15", "==", True, "favours")}),
])
def test_criterion_roles_from_response_statements(extractor, sentence, expected):
    x = extractor.extract(make_doc(sentence))
    assert {(c.variable, c.operator, c.value, c.role) for c in x.criteria} == expected


def test_a_condition_stated_for_another_disease_is_not_an_mds_criterion(extractor):
    x = extractor.extract(make_doc(
        "Patients with MDS who carry a STAT3-mutant T-cell clone had a lower bone marrow cellularity, and in aplastic "
        "anemia a STAT3-mutant clone showed a trend toward better response to IST [PMID:23926297]."))
    assert ("mutated_genes", "contains", "STAT3") not in {(c.variable, c.operator, c.value) for c in x.criteria}


def test_enumerated_therapies_keep_their_own_populations(extractor):
    x = extractor.extract(make_doc(
        "After ESA failure, treatment is chosen according to the main disease feature: lenalidomide for lower-risk MDS "
        "with del(5q), luspatercept for MDS with ring sideroblasts, and immunosuppression for hypoplastic MDS [PMID:1]."))
    treats = relations(x, "TREATS")
    assert ("TREATS", "MDSKG:drug/lenalidomide", "MDSKG:group/lower-risk-del5q") in treats
    assert ("TREATS", "MDSKG:drug/luspatercept", "MDSKG:subtype/who2022-mds-sf3b1") in treats
    assert not {("TREATS", "MDSKG:drug/lenalidomide", "MDSKG:subtype/who2022-mds-sf3b1"),
                ("TREATS", "MDSKG:drug/lenalidomide", "MDSKG:subtype/who2022-mds-h"),
                ("TREATS", "MDSKG:drug/luspatercept", "MDSKG:group/lower-risk-del5q"),
                ("TREATS", "MDSKG:drug/luspatercept", "MDSKG:subtype/who2022-mds-h")} & treats


def test_a_mechanism_sentence_is_not_a_treats_relation(extractor):
    x = extractor.extract(make_doc(
        "Immune checkpoint inhibitors, such as the PD-1 antibody nivolumab and the CTLA-4 antibody ipilimumab, are "
        "designed to block signals that MDS cells use to escape attack by T cells [MDSKG:source/pdq-mds-treatment-hp]."))
    assert relations(x, "TREATS") == set()


def test_hedged_recommender_lowers_the_strength(extractor):
    x = extractor.extract(make_doc(
        "Some consensus panels recommend iron chelation for patients with MDS who have ongoing transfusion needs "
        "[PMID:1]."))
    [rec] = x.recommendations
    assert (rec.therapy_id, rec.strength) == ("MDSKG:therapy/iron-chelation", "may_be_considered")
    assert ("transfusion_dependent", "==", True, "required") in {
        (c.variable, c.operator, c.value, c.role) for c in rec.criteria}
