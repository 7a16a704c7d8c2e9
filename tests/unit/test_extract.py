"""RuleExtractor on crafted sentences in the corpus's own patterns; ClaudeExtractor through a
loopback fake of the Messages API (tool use)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from etl.extract import ClaudeExtractor, RuleExtractor, document_chunks, get_extractor, tool_schema
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
    x = extractor.extract(make_doc(
        "Sabatolimab (MBG453) is an investigational antibody tested with azacitidine [PMID:1].",
        "Rigosertib is an investigational drug for higher-risk MDS [PMID:2]."))
    assert "Rigosertib" in x.unmapped_terms or "Sabatolimab" in x.unmapped_terms
    assert all("azacitidine" not in t.lower() for t in x.unmapped_terms)
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

    def do_POST(self):  # noqa: N802
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


def test_not_the_preferred_choice(extractor):
    x = extractor.extract(make_doc("Lenalidomide is not the preferred first choice for lower-risk MDS without del(5q)."))
    [rec] = x.recommendations
    assert rec.strength == "not_recommended"
