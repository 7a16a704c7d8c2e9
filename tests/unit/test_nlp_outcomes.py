"""Outcome (endpoint + value) extraction from abstract sentences: etl/nlp/outcomes.py, and their graph rows.

All sentences are written for these tests; none is taken from a real record.
"""

from __future__ import annotations

import pytest

from etl.nlp.outcomes import find_outcomes, sentence_outcomes
from etl.rows import extraction_rows
from mdskg.records import Document, Evidence, Extraction, Mention, Section, SourceType


def one(sentence: str):
    found = find_outcomes(sentence)
    assert len(found) == 1, found
    return found[0]


def test_overall_response_rate_was():
    o = one("In the whole cohort the overall response rate was 45%.")
    assert (o.endpoint, o.value, o.unit) == ("overall_response_rate", 45.0, "%")
    assert o.comparator_value is None and o.n is None


def test_orr_with_slash_denominator():
    o = one("We observed an ORR of 45% (54/120) after four cycles.")
    assert (o.endpoint, o.value, o.n) == ("overall_response_rate", 45.0, 120)


def test_n_from_of_patients():
    o = one("The complete remission rate was 30% of 80 evaluable patients.")
    assert (o.endpoint, o.value, o.n) == ("complete_remission_rate", 30.0, 80)


def test_median_os_with_comparator_hr_ci_p():
    o = one("Median OS was 24.5 vs 15.0 months (HR 0.58; 95% CI 0.43-0.77; P = .0001).")
    assert (o.endpoint, o.value, o.unit) == ("median_overall_survival", 24.5, "months")
    assert o.comparator_value == 15.0
    assert o.hr == 0.58 and o.ci == "0.43-0.77" and o.p == "0.0001"


def test_median_os_versus_with_arms():
    o = one("Median overall survival was 18 months in the combination arm versus 11 months in the control arm "
            "(p < 0.001).")
    assert (o.value, o.comparator_value, o.p, o.arm) == (18.0, 11.0, "<0.001", "combination")


def test_cr_in_patients_percentage():
    o = one("CR in 12 patients (15%) was seen at the end of treatment.")
    assert (o.endpoint, o.value) == ("complete_remission_rate", 15.0)


def test_patients_percentage_before_cue():
    o = one("Twenty patients (25%) achieved a complete remission.")
    assert (o.endpoint, o.value) == ("complete_remission_rate", 25.0)


def test_two_year_os_with_comparator():
    o = one("2-year OS 50.8% vs 26.2% favoured the experimental group.")
    assert (o.endpoint, o.value, o.comparator_value) == ("overall_survival_at_years", 50.8, 26.2)


def test_os_at_years():
    o = one("After a median follow-up of 30 months, overall survival was 41% at 3 years.")
    assert (o.endpoint, o.value) == ("overall_survival_at_years", 41.0)


def test_respectively_pairs():
    o = one("The median event-free survival was 14 and 9 months in arm A and arm B, respectively (P = 0.04).")
    assert (o.endpoint, o.value, o.comparator_value, o.p) == ("median_event_free_survival", 14.0, 9.0, "0.04")


def test_several_endpoints_in_one_sentence():
    found = find_outcomes("The ORR was 52 %, and the median progression-free survival (PFS) was 8 months.")
    assert [(o.endpoint, o.value) for o in found] == [("overall_response_rate", 52.0),
                                                     ("median_progression_free_survival", 8.0)]


def test_hi_ti_and_progression():
    assert one("Hematologic improvement was recorded in 33% of patients.").endpoint == "hematologic_improvement_rate"
    assert one("Transfusion independence (28%) was reached in the erythroid subgroup.").value == 28.0
    o = one("Nine patients (11%) progressed to AML during follow-up.")
    assert (o.endpoint, o.value) == ("progression_to_aml_rate", 11.0)


def test_grade3_adverse_events():
    found = find_outcomes("Grade 3-4 toxicities included neutropenia (40%) and thrombocytopenia (22 %).")
    assert [(o.endpoint, o.event, o.value) for o in found] == [
        ("grade3plus_adverse_event_rate", "neutropenia", 40.0),
        ("grade3plus_adverse_event_rate", "thrombocytopenia", 22.0)]


def test_middle_dot_decimals_and_power_p():
    o = one("Median survival was 9·4 months versus 6·1 months (p<10(-4)).")
    assert (o.value, o.comparator_value, o.p) == (9.4, 6.1, "<0.0001")


@pytest.mark.parametrize("sentence", [
    "Decitabine was given at 20 mg/m2 daily for five days and azacitidine at 75 mg/m2.",
    "Patients with 10% to 19% marrow blasts or more than 5% blasts were eligible.",
    "Complete response required fewer than 5% blasts in the marrow.",
    "Response rates were not reported for the CMML subgroup.",
    "The median overall survival was not reached.",
    "The median age was 70 years and 60% were men.",
    "In previous trials the overall response rate was 40%.",
    "The overall response rate was approximately 40%.",
    "The rates of complete or partial remission, 20%, and stable disease were similar.",
])
def test_nothing_from(sentence):
    assert find_outcomes(sentence) == []


def test_sentence_outcomes_carry_evidence():
    ev = Evidence("PMID:1", "The ORR was 60%.", 10, 26, "rules@test", "Abstract")
    (o,) = sentence_outcomes("The ORR was 60%.", ev)
    assert o.evidence is ev and o.text.startswith("ORR") and o.value == 60.0


def test_extraction_rows_study_and_outcomes():
    title = "Drug X in higher-risk MDS."
    body = "The ORR was 60%."
    text = f"{title}\n\n{body}"
    start = text.index(body)
    doc = Document(id="PMID:123", source_type=SourceType.PUBMED, title=title, text=text,
                   sections=(Section("Title", 0, len(title), kind="title"),
                             Section("Abstract", start, len(text), kind="abstract")))
    ev = Evidence(doc.id, body, start, len(text), "rules@test", "Abstract")
    outcomes = tuple(sentence_outcomes(body, ev))
    mention = Mention("MDSKG:drug/azacitidine", "Drug", "Drug X", 0, 6)
    rows = extraction_rows(Extraction(document=doc, mentions=(mention,), outcomes=outcomes))
    (study,) = rows.nodes["Study"]
    assert study["id"] == "MDSKG:study/pmid-123" and study["kind"] == "publication_study"
    assert study["name"] == title and study["source_id"] == "PMID:123"
    (outcome,) = rows.nodes["Outcome"]
    assert outcome["id"] == "MDSKG:outcome/pmid-123/1"
    assert (outcome["endpoint"], outcome["value"], outcome["unit"], outcome["kind"]) == (
        "overall_response_rate", 60.0, "%", "response")
    assert outcome["extracted"] is True and outcome["citations"] == ["PMID:123"]
    (reported,) = rows.relationships["REPORTED"]
    assert (reported["from_id"], reported["to_id"]) == (study["id"], outcome["id"])
    assert reported["sentence"] == body and reported["offset"] == f"PMID:123:{start}-{len(text)}"
    supported = {(r["from_id"], r["to_id"]) for r in rows.relationships["SUPPORTED_BY"]}
    assert {(study["id"], "PMID:123"), (outcome["id"], "PMID:123")} <= supported
    studied = {(r["from_id"], r["to_id"]) for r in rows.relationships["STUDIED"]}
    assert studied == {(study["id"], "MDSKG:drug/azacitidine")}


def test_extraction_rows_without_outcomes_has_no_study():
    doc = Document(id="PMID:9", source_type=SourceType.PUBMED, title="t", text="t")
    assert "Study" not in extraction_rows(Extraction(document=doc)).nodes
