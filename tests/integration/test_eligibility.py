"""Eligibility verdicts per criterion, over the real graph, for the patients of the issue."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import gql

ELIGIBILITY = """
query($p: PatientInput!, $t: [ID!]) {
  eligibility(patient: $p, therapyIds: $t) {
    rank therapyId therapyName recommendationId populations verdict missing
    criteria { text variable role status missing patientValue origin citations { id } }
    nextIfFails { therapyId name }
  }
}"""
RISK = """
query($p: PatientInput!) {
  assessRisk(patient: $p) {
    riskGroup riskGroupBasis
    ipssr { score category riskGroup missing components { name points } }
    ipssm { score category scoreMin scoreMax missing }
    karyotype { findings ipssrGroup }
  }
}"""
IST = "MDSKG:therapy/ist"
HYPO_GROUP = "MDSKG:group/lower-risk-hypocellular-mds"


def eligibility(client, patient, therapy_ids=None):
    body = gql(client, ELIGIBILITY, {"p": patient, "t": therapy_ids})
    assert "errors" not in body, body
    return body["data"]["eligibility"]


def by_population(results, therapy_id, population_name):
    for r in results:
        if r["therapyId"] == therapy_id and population_name in r["populations"]:
            return r
    raise AssertionError(f"no {therapy_id} recommendation for {population_name}: "
                         f"{[(r['therapyId'], r['populations']) for r in results]}")


HYPOCELLULAR_55 = {"age": 55, "marrowBlastsPct": 3, "marrowCellularity": "hypocellular", "pnhClone": True,
                   "karyotype": "46,XX[20]", "hemoglobin": {"value": 9, "unit": "g/dL"},
                   "platelets": {"value": 120, "unit": "10^9/L"}, "anc": {"value": 1.2, "unit": "10^9/L"}}


def test_hypocellular_55_year_old_with_pnh_clone_is_favoured_for_ist(loaded_graph, client):
    risk = gql(client, RISK, {"p": HYPOCELLULAR_55})["data"]["assessRisk"]
    assert risk["ipssr"]["score"] == 3.0 and risk["ipssr"]["category"] == "low" and risk["riskGroup"] == "lower"
    results = eligibility(client, HYPOCELLULAR_55, [IST])
    rec = by_population(results, IST, "lower-risk hypocellular MDS")
    assert rec["verdict"] == "FAVOURED"
    statuses = {(c["variable"], c["role"]): c["status"] for c in rec["criteria"]}
    assert statuses[("risk_group", "required")] == "MET"
    assert statuses[("marrow_cellularity", "required")] == "MET"
    assert statuses[("age", "favours")] == "MET"
    assert statuses[("marrow_blasts_pct", "favours")] == "MET"
    assert statuses[("pnh_clone", "favours")] == "MET"
    for c in rec["criteria"]:
        if c["variable"] == "stat3_t_cell_clone":
            assert c["status"] == "UNKNOWN" and c["missing"] == "stat3_t_cell_clone"
    assert all(c["citations"] for c in rec["criteria"] if c["origin"] == "source")


ELDERLY_HIGH_BLASTS = {"age": 75, "marrowBlastsPct": 12, "karyotype": "46,XY[20]",
                       "hemoglobin": {"value": 8.5, "unit": "g/dL"}, "platelets": {"value": 80, "unit": "10^9/L"},
                       "anc": {"value": 1.0, "unit": "10^9/L"}}


def test_75_year_old_with_12_percent_blasts_is_steered_to_hma_and_transplant_evaluation(loaded_graph, client):
    risk = gql(client, RISK, {"p": ELDERLY_HIGH_BLASTS})["data"]["assessRisk"]
    assert risk["ipssr"]["score"] == 5.5 and risk["riskGroup"] == "higher"
    results = eligibility(client, ELDERLY_HIGH_BLASTS)
    ist = [r for r in results if r["therapyId"] == IST]
    assert ist and all(r["verdict"] in {"NOT_ELIGIBLE", "POSSIBLE_LESS_LIKELY", "NOT_RECOMMENDED"} for r in ist
                       if any(p.startswith("lower-risk") for p in r["populations"]))
    hypo = by_population(results, IST, "lower-risk hypocellular MDS")
    assert hypo["verdict"] == "NOT_ELIGIBLE"
    hma = by_population(results, "MDSKG:therapy/hma", "higher-risk MDS")
    assert hma["verdict"] in {"FAVOURED", "POSSIBLE"}
    transplant = by_population(results, "MDSKG:therapy/allo-hsct", "higher-risk MDS")
    assert transplant["verdict"] in {"FAVOURED", "POSSIBLE", "UNKNOWN"}
    ranks = {r["recommendationId"]: r["rank"] for r in results}
    assert ranks[hma["recommendationId"]] < ranks[hypo["recommendationId"]]


SF3B1_AFTER_ESA = {"age": 70, "marrowBlastsPct": 2, "karyotype": "46,XY[20]",
                   "mutations": [{"gene": "SF3B1", "vaf": 0.35}], "ringSideroblastsPct": 30,
                   "transfusionUnitsPer8wk": 4, "hemoglobin": {"value": 8.0, "unit": "g/dL"},
                   "platelets": {"value": 200, "unit": "10^9/L"}, "anc": {"value": 2.0, "unit": "10^9/L"},
                   "priorTherapies": [{"therapy": "epoetin alfa", "response": "no_response"}]}


def test_sf3b1_transfusion_dependent_after_esa_failure_points_to_luspatercept(loaded_graph, client):
    results = eligibility(client, SF3B1_AFTER_ESA, ["MDSKG:drug/luspatercept"])
    assert results
    group = [r for r in results if "lower-risk MDS with ring sideroblasts or SF3B1 mutation" in r["populations"]]
    assert group, [r["populations"] for r in results]
    assert all(r["verdict"] in {"FAVOURED", "POSSIBLE"} for r in group), [(r["verdict"], r["criteria"]) for r in group]
    not_met = [c for r in group for c in r["criteria"] if c["status"] == "NOT_MET" and c["role"] == "required"]
    assert not not_met


DEL5Q = {"age": 68, "marrowBlastsPct": 2, "karyotype": "46,XX,del(5)(q13q33)[20]", "transfusionDependent": True,
         "hemoglobin": {"value": 85, "unit": "g/L"}, "platelets": {"value": 150000, "unit": "/uL"},
         "anc": {"value": 1.5, "unit": "10^9/L"}}


def test_del5q_patient_points_to_lenalidomide(loaded_graph, client):
    risk = gql(client, RISK, {"p": DEL5Q})["data"]["assessRisk"]
    assert "del5q" in risk["karyotype"]["findings"] and risk["karyotype"]["ipssrGroup"] == "good"
    assert risk["riskGroup"] == "lower"
    results = eligibility(client, DEL5Q, ["MDSKG:drug/lenalidomide"])
    rec = by_population(results, "MDSKG:drug/lenalidomide", "lower-risk MDS with del(5q)")
    assert rec["verdict"] in {"FAVOURED", "POSSIBLE"}
    assert all(c["status"] != "NOT_MET" for c in rec["criteria"] if c["role"] == "required")


def test_missing_values_give_unknown_naming_them(loaded_graph, client):
    results = eligibility(client, {"age": 58}, [IST])
    rec = by_population(results, IST, "lower-risk hypocellular MDS")
    assert rec["verdict"] == "UNKNOWN"
    assert "risk_group" in rec["missing"] and "marrow_cellularity" in rec["missing"]
    unknown = {c["variable"]: c["missing"] for c in rec["criteria"] if c["status"] == "UNKNOWN"}
    assert unknown["marrow_cellularity"] == "marrow_cellularity"


def test_impossible_values_are_a_clear_error(loaded_graph, client):
    body = gql(client, ELIGIBILITY, {"p": {"marrowBlastsPct": 140}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "blast" in body["errors"][0]["message"].lower()
    body = gql(client, ELIGIBILITY, {"p": {"hemoglobin": {"value": 9, "unit": "furlongs"}}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"


def test_ask_am_i_a_candidate_uses_the_patients_values(loaded_graph, client):
    query = """query($q: String!, $p: PatientInput) { ask(question: $q, patient: $p) {
        intent sections { title body } eligibility { therapyId verdict criteria { variable status } } } }"""
    body = gql(client, query, {"q": "Am I a candidate for IST?", "p": HYPOCELLULAR_55})
    answer = body["data"]["ask"]
    assert answer["intent"] == "eligibility"
    first = answer["sections"][0]
    assert first["title"].startswith("For you")
    assert "immunosuppressive therapy" in first["body"].lower()
    assert "a PNH clone: met" in first["body"]
    assert all(e["therapyId"] == IST for e in answer["eligibility"])
