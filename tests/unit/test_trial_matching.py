"""Trial matching logic (service.patient.trials), without a graph: exclusions met or inclusions unmet rule a
trial out with the criterion named; unknown values give UNKNOWN naming them; a record with no readable
criteria is never shown as a match."""

from __future__ import annotations

import json

from service.patient.trials import match_trial, match_trials

ROW = {"id": "MDSKG:study/nct00000001", "nct_id": "NCT00000001", "name": "NCT00000001", "criteria": [
    {"id": "c1", "variable": "marrow_blasts_pct", "operator": ">=", "value_json": json.dumps(10), "unit": "%",
     "role": "required", "text": "bone marrow blasts of 10% or more"},
    {"id": "c2", "variable": "platelets_10e9_l", "operator": "<", "value_json": json.dumps(20), "unit": "10^9/L",
     "role": "excludes", "text": "platelet count below 20"},
]}


def test_possible_when_every_read_criterion_is_met():
    m = match_trial(ROW, {"marrow_blasts_pct": 12, "platelets_10e9_l": 80})
    assert m.verdict == "POSSIBLE" and not m.missing


def test_an_exclusion_met_rules_the_trial_out_naming_it():
    m = match_trial(ROW, {"marrow_blasts_pct": 12, "platelets_10e9_l": 15})
    assert m.verdict == "NOT_ELIGIBLE" and m.reasons == ("excluded by: platelet count below 20",)


def test_an_inclusion_not_met_rules_the_trial_out():
    m = match_trial(ROW, {"marrow_blasts_pct": 5, "platelets_10e9_l": 80})
    assert m.verdict == "NOT_ELIGIBLE" and "not met: bone marrow blasts of 10% or more" in m.reasons


def test_a_missing_value_is_unknown_never_a_pass():
    m = match_trial(ROW, {"marrow_blasts_pct": 12})
    assert m.verdict == "UNKNOWN" and m.missing == ("platelets_10e9_l",)


def test_a_record_without_readable_criteria_is_unknown():
    m = match_trial({**ROW, "criteria": []}, {"marrow_blasts_pct": 12})
    assert m.verdict == "UNKNOWN" and "no eligibility criteria" in m.reasons[0]


def test_favouring_criteria_do_not_decide_eligibility():
    row = {**ROW, "criteria": ROW["criteria"] + [{"id": "c3", "variable": "age", "operator": "<=", "value_json": "60",
                                                  "unit": "years", "role": "favours", "text": "age 60 or younger"}]}
    assert match_trial(row, {"marrow_blasts_pct": 12, "platelets_10e9_l": 80}).verdict == "POSSIBLE"


def test_matches_are_ordered_possible_unknown_ruled_out():
    rows = [{**ROW, "nct_id": n, "id": n} for n in ("NCT3", "NCT1", "NCT2")]
    values = [{"marrow_blasts_pct": 5, "platelets_10e9_l": 80}]
    ordered = match_trials(rows, values[0])
    assert [m.verdict for m in ordered] == ["NOT_ELIGIBLE"] * 3 and [m.nct_id for m in ordered] == ["NCT1", "NCT2", "NCT3"]


def _row(*criteria):
    return {"id": "MDSKG:study/t", "nct_id": "NCT00000001", "criteria": [
        {"id": f"c{i}", "variable": v, "operator": op, "value_json": json.dumps(val), "unit": "years", "role": role,
         "text": f"{v} {op} {val}"} for i, (v, op, val, role) in enumerate(criteria)]}


def test_conditions_that_cannot_all_hold_decide_nothing():
    # lines that each belong to an age group the record names elsewhere: read flat, nobody could qualify
    row = _row(("age", ">", 16, "required"), ("age", "<=", 16, "required"), ("age", "<", 21, "required"))
    got = match_trial(row, {"age": 40})
    assert got.verdict == "UNKNOWN"
    assert all("conflict" in r for r in got.reasons) and got.missing == ()


def test_an_exclusion_that_contradicts_an_inclusion_is_a_conflict_too():
    row = _row(("age", ">=", 60, "required"), ("age", ">=", 60, "excludes"))
    assert match_trial(row, {"age": 70}).verdict == "UNKNOWN"


def test_conditions_that_can_hold_together_still_decide():
    row = _row(("age", ">=", 18, "required"), ("age", "<=", 75, "required"), ("age", "<", 18, "excludes"))
    assert match_trial(row, {"age": 80}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 50}).verdict == "POSSIBLE"
    assert match_trial(_row(("age", ">=", 60, "required"), ("age", "<=", 60, "required")), {"age": 60}).verdict \
        == "POSSIBLE"
