"""`etl.curation.diff`: extracted recommendation candidates against curated recommendations, on hand-made
candidates and hand-made curated rules (plus a few checks against the real ontology and guidance)."""

from __future__ import annotations

import json

import pytest

from etl.curation import (
    KINDS,
    SET_VARIABLES,
    Candidate,
    CandidateCriterion,
    Populations,
    candidates_from_rows,
    class_members_from_ontology,
    diff,
    diff_report,
)
from ontology import load_ontology
from ontology.guidance import CuratedGuidance, CuratedRecommendation, Evidence, Leaf, load_guidance, node_from

ESA = "MDSKG:therapy/esa"
DARBEPOETIN = "MDSKG:drug/darbepoetin-alfa"
IST = "MDSKG:therapy/ist"
LOWER = "MDSKG:risk/lower-risk"
HIGHER = "MDSKG:risk/higher-risk"
MDS = "NCIT:C3247"

CLASSES = {ESA: {"MDSKG:drug/epoetin-alfa", DARBEPOETIN}, IST: {"MDSKG:drug/horse-atg"}}
POPULATIONS = Populations(
    criteria={LOWER: (Leaf("risk_group", "==", "lower"),), HIGHER: (Leaf("risk_group", "==", "higher"),)},
    risk_of_category={("ipss_category", "low"): "lower", ("ipss_category", "intermediate_1"): "lower",
                      ("ipss_category", "intermediate_2"): "higher", ("ipss_category", "high"): "higher"})


def curated(rid: str, therapy: str, strength: str, requires, excludes=(), favours=()) -> CuratedRecommendation:
    problems: list = []
    rec = CuratedRecommendation(
        id=rid, therapy=therapy, name=rid, summary="", line="any", strength=strength,
        evidence=Evidence("low", "test"), requires=node_from(requires, rid, problems),
        excludes=tuple(node_from(x, rid, problems) for x in excludes),
        favours=tuple(node_from(x, rid, problems) for x in favours), citations=("PMID:1",))
    assert not problems
    return rec


CURATED = [
    curated("MDSKG:rec/esa-lr", ESA, "recommended", [
        {"variable": "risk_group", "operator": "==", "value": "lower"},
        {"variable": "serum_epo_mu_ml", "operator": "<=", "value": 500, "unit": "mU/mL"},
        {"none_of": [{"variable": "karyotype_findings", "operator": "contains", "value": "del5q"}]},
    ], favours=[{"variable": "transfusion_dependent", "operator": "==", "value": False}]),
    curated("MDSKG:rec/esa-not-over-500", ESA, "not_recommended", [
        {"variable": "risk_group", "operator": "==", "value": "lower"},
        {"variable": "serum_epo_mu_ml", "operator": ">", "value": 500, "unit": "mU/mL"},
    ]),
    curated("MDSKG:rec/ist-lr", IST, "recommended", [
        {"variable": "risk_group", "operator": "==", "value": "lower"},
        {"variable": "marrow_cellularity", "operator": "==", "value": "hypocellular"},
    ], favours=[{"variable": "age", "operator": "<=", "value": 60, "unit": "years"}]),
    curated("MDSKG:rec/ist-hr-not", IST, "not_recommended", [{"variable": "risk_group", "operator": "==", "value": "higher"}]),
]


def crit(variable, operator, value, unit=None, role="required") -> CandidateCriterion:
    return CandidateCriterion(variable, operator, value, unit, role, sentence=f"{variable} {operator} {value}",
                              source_ids=("PMID:99",))


def cand(cid, therapy, strength, populations=(LOWER,), criteria=()) -> Candidate:
    return Candidate(id=cid, therapy_id=therapy, strength=strength, population_ids=tuple(populations),
                     criteria=tuple(criteria), sentence=f"{cid} sentence", source_ids=("PMID:42",),
                     documents=("MDSKG:doc/test",))


def run(*candidates: Candidate):
    return diff(candidates, CURATED, CLASSES, POPULATIONS)


# ---- the four kinds ------------------------------------------------------------------------------

def test_opposite_polarity_esa_not_recommended_for_lower_risk():
    wrong = cand("MDSKG:rec/not-esa-lr", ESA, "not_recommended")
    [d] = run(wrong)
    assert d.kind == "opposite_polarity"
    assert d.therapy_id == ESA and d.candidate_id == wrong.id and d.candidate_strength == "not_recommended"
    assert d.curated_ids == ("MDSKG:rec/esa-lr",) and d.curated_strengths == ("recommended",)
    assert d.sentence == "MDSKG:rec/not-esa-lr sentence" and d.source_ids == ("PMID:42",)


def test_wrong_threshold_serum_epo_200_vs_curated_500():
    wrong = cand("MDSKG:rec/esa-lr-epo-200", ESA, "recommended",
                 criteria=[crit("serum_epo_mu_ml", "<=", 200, "mU/mL")])
    [d] = run(wrong)
    assert (d.kind, d.variable, d.detail) == ("different_threshold", "serum_epo_mu_ml", "another value")
    assert (d.candidate_operator, d.candidate_value, d.candidate_unit) == ("<=", 200, "mU/mL")
    assert (d.curated_operator, d.curated_value, d.curated_unit, d.curated_role) == ("<=", 500, "mU/mL", "required")
    assert d.curated_ids == ("MDSKG:rec/esa-lr",)
    assert d.sentence == "serum_epo_mu_ml <= 200" and d.source_ids == ("PMID:99",)  # the criterion's own evidence


def test_flipped_comparison_is_reported_and_a_drug_counts_as_its_class():
    wrong = cand("MDSKG:rec/darbepoetin-lr", DARBEPOETIN, "recommended",
                 criteria=[crit("serum_epo_mu_ml", ">", 500, "mU/mL")])
    found = run(wrong)
    flipped = [d for d in found if d.kind == "different_threshold"]
    assert len(flipped) == 1 and flipped[0].detail == "opposite direction"
    assert (flipped[0].candidate_operator, flipped[0].curated_operator, flipped[0].curated_value) == (">", "<=", 500)
    # …and a positive candidate inside a curated "not recommended" is an opposite polarity too.
    assert [d.curated_ids for d in found if d.kind == "opposite_polarity"] == [("MDSKG:rec/esa-not-over-500",)]


def test_missing_criterion():
    extra = cand("MDSKG:rec/esa-lr-platelets", ESA, "recommended",
                 criteria=[crit("platelets_10e9_l", ">=", 50, "10^9/L")])
    [d] = run(extra)
    assert (d.kind, d.variable, d.candidate_operator, d.candidate_value) == ("missing_criterion", "platelets_10e9_l",
                                                                            ">=", 50)
    assert d.curated_ids == ("MDSKG:rec/esa-lr", "MDSKG:rec/esa-not-over-500")


def test_uncurated_therapy():
    [d] = run(cand("MDSKG:rec/rbc-transfusion", "MDSKG:therapy/rbc-transfusion", "recommended", populations=(MDS,)))
    assert (d.kind, d.therapy_id, d.curated_ids) == ("uncurated_therapy", "MDSKG:therapy/rbc-transfusion", ())


def test_a_candidate_that_agrees_gives_nothing():
    agrees = cand("MDSKG:rec/esa-mds", ESA, "recommended", populations=(MDS,), criteria=[
        crit("serum_epo_mu_ml", "<", 500, "mU/mL"),             # < vs <= at the same value: same threshold
        crit("karyotype_findings", "not_contains", "del5q"),      # the curated none_of, read the same way
        crit("transfusion_dependent", "==", False, role="favours"),
    ])
    assert run(agrees) == []


# ---- populations, polarity and roles ---------------------------------------------------------------

def test_only_curated_recommendations_of_an_overlapping_population_are_compared():
    assert run(cand("MDSKG:rec/not-ist-hr", IST, "not_recommended", populations=(HIGHER,))) == []
    assert run(cand("MDSKG:rec/ist-lr", IST, "recommended", populations=(LOWER,))) == []
    # plain MDS overlaps both: a negative candidate meets the positive lower-risk rule.
    [d] = run(cand("MDSKG:rec/not-ist-mds", IST, "not_established", populations=(MDS,)))
    assert d.kind == "opposite_polarity" and d.curated_ids == ("MDSKG:rec/ist-lr",)


def test_a_narrow_negative_candidate_that_matches_the_curated_negative_agrees():
    narrow = cand("MDSKG:rec/not-esa-lr-epo", ESA, "not_recommended",
                  criteria=[crit("serum_epo_mu_ml", ">", 500, "mU/mL")])
    assert run(narrow) == []


def test_an_exclusion_is_compared_by_its_negation():
    same = cand("MDSKG:rec/esa-lr-ex", ESA, "recommended",
                criteria=[crit("serum_epo_mu_ml", ">", 500, "mU/mL", role="excludes")])
    assert run(same) == []
    other = cand("MDSKG:rec/esa-lr-ex2", ESA, "recommended",
                 criteria=[crit("serum_epo_mu_ml", ">", 1000, "mU/mL", role="excludes")])
    [d] = run(other)
    assert d.kind == "different_threshold" and d.detail == "another value"


def test_favours_compare_with_favours_and_fall_back_to_conditions():
    # age is only a `favours` of the curated IST rule; marrow_cellularity only a requirement.
    ok = cand("MDSKG:rec/ist-lr-f", IST, "recommended", criteria=[
        crit("age", "<=", 60, "years", role="favours"), crit("marrow_cellularity", "==", "hypocellular", role="favours")])
    assert run(ok) == []
    [d] = run(cand("MDSKG:rec/ist-lr-g", IST, "recommended", criteria=[crit("age", "<", 70, "years", role="favours")]))
    assert (d.kind, d.curated_value, d.curated_role) == ("different_threshold", 60, "favours")


def test_units_that_differ_are_reported_not_compared():
    [d] = run(cand("MDSKG:rec/esa-lr-u", ESA, "recommended", criteria=[crit("serum_epo_mu_ml", "<=", 500, "ng/mL")]))
    assert d.kind == "different_threshold" and d.detail.startswith("units differ")


def test_scheme_categories_count_as_the_risk_group():
    cat = cand("MDSKG:rec/ist-ipss", IST, "not_recommended", populations=(MDS,),
               criteria=[crit("ipss_category", "in", ["intermediate_2", "high"])])
    assert run(cat) == []  # higher-risk by IPSS: only the curated higher-risk negative applies, and agrees
    low = cand("MDSKG:rec/ist-ipss-low", IST, "recommended", populations=(MDS,),
               criteria=[crit("ipss_category", "in", ["low", "intermediate_1"])])
    assert run(low) == []  # not a missing criterion: the curated rules state the risk group


def test_output_is_sorted_and_deterministic():
    candidates = [
        cand("MDSKG:rec/rbc", "MDSKG:therapy/rbc-transfusion", "option", populations=(MDS,)),
        cand("MDSKG:rec/esa-lr-epo-200", ESA, "recommended", criteria=[crit("serum_epo_mu_ml", "<=", 200, "mU/mL"),
                                                                        crit("platelets_10e9_l", ">=", 50)]),
        cand("MDSKG:rec/not-esa-lr", ESA, "not_recommended"),
    ]
    first = run(*candidates)
    assert first == run(*reversed(candidates))
    assert [d.kind for d in first] == ["opposite_polarity", "different_threshold", "missing_criterion",
                                      "uncurated_therapy"]
    assert [KINDS.index(d.kind) for d in first] == sorted(KINDS.index(d.kind) for d in first)


# ---- inputs: graph rows, the real ontology and guidance ---------------------------------------------

def test_candidate_from_graph_row():
    row = {"id": "MDSKG:rec/therapy-esa--risk-lower-risk", "therapy_id": ESA, "therapy_name": "ESA",
           "strength": "recommended", "line": None, "population_ids": [LOWER],
           "criteria": [{"variable": "serum_epo_mu_ml", "operator": "<=", "value_json": "200", "unit": "mU/mL",
                         "role": "required", "sentence": "EPO 200 or less.", "sentence_citations": "PMID:1|PMID:2",
                         "citations": ["PMID:1", "PMID:2", "PMID:3"], "source_ids": ["MDSKG:doc/x"]}],
           "sentence": "ESAs are recommended.", "sentence_citations": "PMID:1", "citations": ["PMID:1", "PMID:3"],
           "source_ids": ["MDSKG:doc/x", "MDSKG:doc/x"]}
    [c] = candidates_from_rows([row])
    assert c.criteria[0].value == 200 and c.criteria[0].source_ids == ("PMID:1", "PMID:2")
    assert c.source_ids == ("PMID:1",) and c.documents == ("MDSKG:doc/x",) and c.positive


def test_set_variables_are_the_models_set_variables():
    onto = load_ontology()
    assert SET_VARIABLES == {name for name, spec in onto.criterion_variables.items() if spec.type == "set"}


def test_populations_and_classes_from_the_ontology():
    onto = load_ontology()
    pops = Populations.from_ontology(onto)
    assert Leaf("risk_group", "==", "lower") in pops.criteria["MDSKG:group/lower-risk-del5q"]
    assert pops.criteria[LOWER] == (Leaf("risk_group", "==", "lower"),)
    assert pops.risk_of_category[("ipss_category", "intermediate_1")] == "lower"
    assert "ipssr_category" in pops.risk_variables
    classes = class_members_from_ontology(onto)
    assert DARBEPOETIN in classes[ESA] and "MDSKG:drug/azacitidine" in classes["MDSKG:therapy/hma"]


def test_against_the_real_curated_guidance():
    onto = load_ontology()
    guidance = load_guidance()
    candidates = [cand("MDSKG:rec/not-therapy-esa--risk-lower-risk", ESA, "not_recommended"),
                  cand("MDSKG:rec/therapy-esa--risk-lower-risk", ESA, "recommended",
                       criteria=[crit("serum_epo_mu_ml", "<=", 200, "mU/mL")])]
    report = diff_report(candidates, guidance, class_members_from_ontology(onto), Populations.from_ontology(onto))
    polarity = [d for d in report.disagreements if d.kind == "opposite_polarity"]
    assert polarity and "MDSKG:rec/esa-lr-anemia-epo-up-to-500" in polarity[0].curated_ids
    threshold = [d for d in report.disagreements if d.kind == "different_threshold"]
    assert [(d.curated_operator, d.curated_value) for d in threshold] == [("<=", 500)]
    assert report.counts()["opposite_polarity"] == 1 and report.candidates == 2
    text = report.to_text()
    assert "opposite_polarity (1)" in text and "different_threshold (1)" in text
    assert json.loads(json.dumps(report.to_json()))[0]["kind"] == "opposite_polarity"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_text_line(kind):
    report = diff_report([
        cand("MDSKG:rec/not-esa-lr", ESA, "not_recommended"),
        cand("MDSKG:rec/esa-lr-x", ESA, "recommended", criteria=[crit("serum_epo_mu_ml", "<=", 200, "mU/mL"),
                                                                 crit("platelets_10e9_l", ">=", 50)]),
        cand("MDSKG:rec/rbc", "MDSKG:therapy/rbc-transfusion", "option", populations=(MDS,)),
    ], CuratedGuidance(tuple(CURATED), (), {"test": "1"}), CLASSES, POPULATIONS)
    lines = [d.text() for d in report.disagreements if d.kind == kind]
    assert len(lines) == 1 and "\n" not in lines[0] and "PMID:" in lines[0]
