"""Eligibility verdicts per criterion, over the real graph, for the patients of the issue."""

from __future__ import annotations

from tests.integration.conftest import gql

ELIGIBILITY = """
query($p: PatientInput!, $t: [ID!]) {
  eligibility(patient: $p, therapyIds: $t) {
    rank therapyId therapyName recommendationId populations verdict missing reasons
    criteria { text variable role status missing patientValue origin criterionId citations { id } }
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


def for_therapy(results, therapy_id):
    rows = [r for r in results if r["therapyId"] == therapy_id]
    assert len(rows) == 1, f"one row per therapy expected for {therapy_id}: {[r['therapyId'] for r in results]}"
    return rows[0]


HYPOCELLULAR_55 = {"age": 55, "marrowBlastsPct": 3, "marrowCellularity": "hypocellular", "pnhClone": True,
                   "karyotype": "46,XX[20]", "hemoglobin": {"value": 9, "unit": "g/dL"},
                   "platelets": {"value": 120, "unit": "10^9/L"}, "anc": {"value": 1.2, "unit": "10^9/L"},
                   "serumEpo": {"value": 700, "unit": "mU/mL"}, "anemiaSymptoms": True, "priorTherapies": []}


def test_hypocellular_55_year_old_with_pnh_clone_is_offered_ist(loaded_graph, client):
    risk = gql(client, RISK, {"p": HYPOCELLULAR_55})["data"]["assessRisk"]
    assert risk["ipssr"]["score"] == 3.0 and risk["ipssr"]["category"] == "low" and risk["riskGroup"] == "lower"
    rec = for_therapy(eligibility(client, HYPOCELLULAR_55, [IST]), IST)
    assert rec["verdict"] in {"FAVOURED", "POSSIBLE"}
    statuses = {(c["variable"], c["role"]): c["status"] for c in rec["criteria"]}
    assert statuses[("risk_group", "required")] == "MET"
    assert statuses[("marrow_cellularity", "required")] == "MET"
    assert all(c["citations"] for c in rec["criteria"])


def test_71_year_old_normocellular_without_clones_is_not_offered_ist(loaded_graph, client):
    """The issue's first patient: 'age 60 or younger AND 5% blasts or fewer' is one condition, not two."""
    patient = {"age": 71, "marrowBlastsPct": 3, "marrowCellularity": "normocellular", "pnhClone": False,
               "stat3TCellClone": False, "karyotype": "46,XY[20]", "hemoglobin": {"value": 8.9, "unit": "g/dL"},
               "platelets": {"value": 150, "unit": "10^9/L"}, "anc": {"value": 2.0, "unit": "10^9/L"},
               "serumEpo": {"value": 650, "unit": "mU/mL"}, "anemiaSymptoms": True, "priorTherapies": []}
    rec = for_therapy(eligibility(client, patient, [IST]), IST)
    assert rec["verdict"] in {"NOT_ELIGIBLE", "NOT_RECOMMENDED"}, rec
    assert not any("favoured by marrow_blasts_pct" in r for r in rec["reasons"])


ELDERLY_HIGH_BLASTS = {"age": 75, "marrowBlastsPct": 12, "karyotype": "46,XY[20]",
                       "hemoglobin": {"value": 8.5, "unit": "g/dL"}, "platelets": {"value": 80, "unit": "10^9/L"},
                       "anc": {"value": 1.0, "unit": "10^9/L"}, "priorTherapies": [], "transplantCandidate": False,
                       "mutations": []}


def test_75_year_old_with_12_percent_blasts_is_steered_to_azacitidine(loaded_graph, client):
    risk = gql(client, RISK, {"p": ELDERLY_HIGH_BLASTS})["data"]["assessRisk"]
    assert risk["ipssr"]["score"] == 5.5 and risk["riskGroup"] == "higher"
    results = eligibility(client, ELDERLY_HIGH_BLASTS)
    assert for_therapy(results, IST)["verdict"] in {"NOT_ELIGIBLE", "NOT_RECOMMENDED"}
    aza = for_therapy(results, "MDSKG:drug/azacitidine")
    assert aza["verdict"] in {"FAVOURED", "POSSIBLE"} and aza["rank"] == 1
    assert for_therapy(results, "MDSKG:therapy/allo-hsct")["verdict"] == "NOT_ELIGIBLE"
    assert [r["rank"] for r in results] == sorted(r["rank"] for r in results)


SF3B1_AFTER_ESA = {"age": 70, "marrowBlastsPct": 2, "karyotype": "46,XY[20]",
                   "mutations": [{"gene": "SF3B1", "vaf": 0.35}], "ringSideroblastsPct": 30,
                   "transfusionUnitsPer8wk": 4, "hemoglobin": {"value": 8.0, "unit": "g/dL"},
                   "platelets": {"value": 200, "unit": "10^9/L"}, "anc": {"value": 2.0, "unit": "10^9/L"},
                   "priorTherapies": [{"therapy": "epoetin alfa", "response": "no_response"}]}


def test_sf3b1_transfusion_dependent_after_esa_failure_points_to_luspatercept(loaded_graph, client):
    results = eligibility(client, SF3B1_AFTER_ESA)
    lusp = for_therapy(results, "MDSKG:drug/luspatercept")
    assert lusp["verdict"] in {"FAVOURED", "POSSIBLE"} and lusp["rank"] == 1, lusp
    assert for_therapy(results, "MDSKG:therapy/esa")["verdict"] == "NOT_RECOMMENDED"


DEL5Q = {"age": 68, "marrowBlastsPct": 2, "karyotype": "46,XX,del(5)(q13q33)[20]", "transfusionDependent": True,
         "hemoglobin": {"value": 85, "unit": "g/L"}, "platelets": {"value": 150000, "unit": "/uL"},
         "anc": {"value": 1.5, "unit": "10^9/L"}, "priorTherapies": [], "mutations": []}


def test_del5q_patient_points_to_lenalidomide(loaded_graph, client):
    risk = gql(client, RISK, {"p": DEL5Q})["data"]["assessRisk"]
    assert "del5q" in risk["karyotype"]["findings"] and risk["karyotype"]["ipssrGroup"] == "good"
    assert risk["riskGroup"] == "lower"
    rec = for_therapy(eligibility(client, DEL5Q, ["MDSKG:drug/lenalidomide"]), "MDSKG:drug/lenalidomide")
    assert rec["verdict"] in {"FAVOURED", "POSSIBLE"}
    assert all(c["status"] != "NOT_MET" for c in rec["criteria"] if c["role"] == "required" and
               "any_of" not in c["criterionId"])


def test_missing_values_give_unknown_naming_them(loaded_graph, client):
    rec = for_therapy(eligibility(client, {"age": 58}, [IST]), IST)
    assert rec["verdict"] == "UNKNOWN"
    assert "marrowBlastsPct" in rec["missing"] or "hemoglobin" in rec["missing"], rec["missing"]
    assert all(c["status"] != "MET" for c in rec["criteria"] if c["patientValue"] is None)


def test_impossible_values_are_a_clear_error(loaded_graph, client):
    body = gql(client, ELIGIBILITY, {"p": {"marrowBlastsPct": 140}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "blast" in body["errors"][0]["message"].lower()
    body = gql(client, ELIGIBILITY, {"p": {"hemoglobin": {"value": 9, "unit": "furlongs"}}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"


ASK = """query($q: String!, $p: PatientInput) { ask(question: $q, patient: $p) {
    intent covered sections { title body } citations { id }
    eligibility { therapyId verdict } treatmentPlan { preferred { therapyId } } } }"""


def test_ask_am_i_a_candidate_uses_the_patients_values(loaded_graph, client):
    answer = gql(client, ASK, {"q": "Am I a candidate for IST?", "p": HYPOCELLULAR_55})["data"]["ask"]
    first = answer["sections"][0]
    assert first["title"].startswith("For you")
    assert first["body"].startswith(("Yes, it could fit", "It depends", "No:"))
    assert "your values give ipss-r low" in first["body"].lower()
    assert "Immunosuppressive therapy" in first["body"]
    assert all(e["therapyId"] == IST for e in answer["eligibility"])
    assert "[1]" in first["body"] and answer["citations"]


def test_ask_what_could_work_leads_with_the_plan(loaded_graph, client):
    answer = gql(client, ASK, {"q": "What treatments could work for me?", "p": SF3B1_AFTER_ESA})["data"]["ask"]
    assert answer["covered"] is True
    body = answer["sections"][0]["body"]
    assert "The option to discuss first: luspatercept" in body, body
    assert "Our sources do not cover" not in " ".join(s["body"] for s in answer["sections"])
    assert answer["treatmentPlan"]["preferred"][0]["therapyId"] == "MDSKG:drug/luspatercept"


def test_ask_stopped_working_treats_the_therapy_as_failed(loaded_graph, client):
    patient = dict(ELDERLY_HIGH_BLASTS)
    answer = gql(client, ASK, {"q": "azacitidine stopped working after 6 cycles, what now?", "p": patient})["data"]["ask"]
    body = answer["sections"][0]["body"]
    assert "treats azacitidine as not having worked" in body
    preferred = [p["therapyId"] for p in answer["treatmentPlan"]["preferred"]]
    assert preferred == ["MDSKG:therapy/clinical-trial"], preferred
    verdicts = {e["therapyId"]: e["verdict"] for e in answer["eligibility"]}
    assert verdicts.get("MDSKG:drug/azacitidine") == "NOT_RECOMMENDED"
