"""Criterion operator semantics and the therapy verdict rules."""

import pytest

from service.patient.eligibility import (
    CriterionStatus,
    criterion_variables,
    evaluate_criterion,
    therapy_verdict,
)


def crit(variable, operator, value, unit=None, role="required"):
    return {"variable": variable, "operator": operator, "value": value, "unit": unit, "role": role}


def st(variable, operator, value, values, unit=None):
    return evaluate_criterion(crit(variable, operator, value, unit), values).status


def test_model_variables_loaded():
    v = criterion_variables()
    assert v["hemoglobin_g_dl"]["unit"] == "g/dL" and v["mutated_genes"]["type"] == "set"


# ---- numbers ----------------------------------------------------------------------------

@pytest.mark.parametrize("op,value,patient,expected", [
    ("<", 10, 9.9, "MET"), ("<", 10, 10, "NOT_MET"), ("<=", 10, 10, "MET"), ("<=", 10, 10.1, "NOT_MET"),
    (">", 500, 500, "NOT_MET"), (">", 500, 501, "MET"), (">=", 500, 500, "MET"), ("==", 1, 1, "MET"),
    ("!=", 1, 1, "NOT_MET"), ("between", [8, 10], 8, "MET"), ("between", [8, 10], 10, "MET"),
    ("between", [8, 10], 10.01, "NOT_MET"), ("in", [0, 1], 1, "MET"), ("not_in", [0, 1], 2, "MET"),
])
def test_numeric_operators(op, value, patient, expected):
    assert st("hemoglobin_g_dl", op, value, {"hemoglobin_g_dl": patient}) == expected


def test_unit_conversion_of_the_criterion():
    values = {"hemoglobin_g_dl": 9.5}
    assert st("hemoglobin_g_dl", "<", 100, {**values}, unit="g/L") == "MET"
    assert st("hemoglobin_g_dl", "<", 95, values, unit="g/L") == "NOT_MET"
    assert st("hemoglobin_g_dl", "<=", 95, values, unit="g/L") == "MET"
    assert st("platelets_10e9_l", "<", 50000, {"platelets_10e9_l": 45}, unit="/uL") == "MET"
    assert st("serum_epo_mu_ml", "<=", 500, {"serum_epo_mu_ml": 500}, unit="IU/L") == "MET"
    assert st("hemoglobin_g_dl", "between", [80, 100], values, unit="g/L") == "MET"
    s = evaluate_criterion(crit("hemoglobin_g_dl", "<", 10, unit="stones"), values)
    assert s.status == "UNKNOWN" and s.note and s.missing is None


def test_missing_number_is_unknown_naming_the_variable():
    s = evaluate_criterion(crit("serum_epo_mu_ml", "<=", 500), {"hemoglobin_g_dl": 9})
    assert s.status == "UNKNOWN" and s.missing == "serum_epo_mu_ml" and s.patient_value is None


# ---- categories and booleans --------------------------------------------------------------

def test_category_operators():
    v = {"ipssr_category": "low", "risk_group": "lower"}
    assert st("risk_group", "==", "lower", v) == "MET"
    assert st("risk_group", "==", "LOWER", v) == "MET"
    assert st("risk_group", "!=", "lower", v) == "NOT_MET"
    assert st("ipssr_category", "in", ["very_low", "low"], v) == "MET"
    assert st("ipssr_category", "not_in", ["very_low", "low"], v) == "NOT_MET"
    assert st("ipssr_category", "<=", "intermediate", v) == "MET"   # ordinal by model.yaml order
    assert st("ipssr_category", ">", "low", v) == "NOT_MET"
    assert st("ipssr_category", "between", ["very_low", "intermediate"], v) == "MET"
    assert st("ipssm_category", "in", ["high"], v) == "UNKNOWN"


def test_boolean_operators():
    v = {"transplant_candidate": False, "pnh_clone": True}
    assert st("transplant_candidate", "==", True, v) == "NOT_MET"
    assert st("transplant_candidate", "==", "false", v) == "MET"
    assert st("pnh_clone", "!=", False, v) == "MET"
    assert st("hla_dr15", "==", True, v) == "UNKNOWN"


# ---- sets ---------------------------------------------------------------------------------

def test_set_contains_closed_world_when_list_given():
    v = {"mutated_genes": {"ASXL1", "TET2"}}
    assert st("mutated_genes", "contains", "ASXL1", v) == "MET"
    assert st("mutated_genes", "contains", "sf3b1", v) == "NOT_MET"      # list given: absent = not mutated
    assert st("mutated_genes", "not_contains", "SF3B1", v) == "MET"
    assert st("mutated_genes", "not_contains", "ASXL1", v) == "NOT_MET"
    assert st("mutated_genes", "contains", ["ASXL1", "TET2"], v) == "MET"
    assert st("mutated_genes", "contains", ["ASXL1", "SF3B1"], v) == "NOT_MET"
    assert st("mutated_genes", "in", ["TP53", "TET2"], v) == "MET"
    assert st("mutated_genes", "not_in", ["TP53", "SF3B1"], v) == "MET"
    assert st("mutated_genes", "contains", "SF3B1", {"mutated_genes": set()}) == "NOT_MET"


def test_set_without_data_is_unknown():
    s = evaluate_criterion(crit("mutated_genes", "contains", "SF3B1"), {"age": 70})
    assert s.status == "UNKNOWN" and s.missing == "mutated_genes"
    s = evaluate_criterion(crit("mutated_genes", "not_contains", "TP53"), {})
    assert s.status == "UNKNOWN" and s.missing == "mutated_genes"


def test_set_tested_domain_and_unknown_members():
    v = {"mutated_genes": {"SF3B1"}, "mutated_genes__tested": {"SF3B1", "TP53"}}
    assert st("mutated_genes", "contains", "SF3B1", v) == "MET"
    assert st("mutated_genes", "contains", "TP53", v) == "NOT_MET"
    s = evaluate_criterion(crit("mutated_genes", "contains", "ASXL1"), v)  # not on the panel
    assert s.status == "UNKNOWN" and s.missing == "mutated_genes"
    v = {"failed_therapies": {"ESA"}, "failed_therapies__unknown": {"LEN"}}
    assert st("failed_therapies", "contains", "esa", v) == "MET"
    assert st("failed_therapies", "contains", "LEN", v) == "UNKNOWN"
    assert st("failed_therapies", "contains", "HMA", v) == "NOT_MET"
    assert st("failed_therapies", "in", ["HMA", "ESA"], v) == "MET"
    assert st("failed_therapies", "in", ["HMA", "LEN"], v) == "UNKNOWN"


def test_karyotype_findings_set():
    v = {"karyotype_findings": {"del5q"}}
    assert st("karyotype_findings", "contains", "del5q", v) == "MET"
    assert st("karyotype_findings", "not_contains", "minus7", v) == "MET"
    assert st("karyotype_findings", "in", ["minus7", "del7q"], v) == "NOT_MET"


def test_unknown_variable_or_operator():
    assert st("favourite_colour", "==", "blue", {"favourite_colour": "blue"}) == "UNKNOWN"
    assert st("age", "~", 3, {"age": 3}) == "UNKNOWN"


# ---- verdicts -----------------------------------------------------------------------------

def S(status, role, variable="x", missing=None):
    return CriterionStatus(status, None, missing, variable, role)


@pytest.mark.parametrize("statuses,verdict", [
    ([S("MET", "excludes"), S("MET", "required")], "NOT_RECOMMENDED"),
    ([S("MET", "excludes"), S("NOT_MET", "required")], "NOT_RECOMMENDED"),
    ([S("NOT_MET", "required"), S("UNKNOWN", "required")], "NOT_ELIGIBLE"),
    ([S("MET", "required"), S("UNKNOWN", "required", "serum_epo_mu_ml", "serum_epo_mu_ml")], "UNKNOWN"),
    ([S("MET", "required"), S("MET", "favours"), S("NOT_MET", "favours")], "FAVOURED"),
    ([S("MET", "required"), S("NOT_MET", "favours"), S("NOT_MET", "favours")], "POSSIBLE_LESS_LIKELY"),
    ([S("MET", "required"), S("UNKNOWN", "favours"), S("NOT_MET", "favours")], "POSSIBLE"),
    ([S("MET", "required")], "POSSIBLE"),
    ([], "POSSIBLE"),
    ([S("NOT_MET", "excludes"), S("MET", "required")], "POSSIBLE"),
])
def test_verdict_rules(statuses, verdict):
    assert therapy_verdict(statuses).verdict == verdict


def test_unknown_verdict_lists_missing_and_open_exclusions():
    v = therapy_verdict([
        S("UNKNOWN", "required", "serum_epo_mu_ml", "serum_epo_mu_ml"),
        S("UNKNOWN", "required", "mutated_genes", "mutated_genes"),
        S("UNKNOWN", "excludes", "karyotype_findings", "karyotype_findings"),
    ])
    assert v.verdict == "UNKNOWN"
    assert v.missing == ["serum_epo_mu_ml", "mutated_genes", "karyotype_findings"]
    assert v.open_exclusions == ["karyotype_findings"]
    v = therapy_verdict([S("MET", "required"), S("UNKNOWN", "excludes", "pnh_clone", "pnh_clone")])
    assert v.verdict == "POSSIBLE" and v.open_exclusions == ["pnh_clone"]


def test_end_to_end_esa_like_recommendation():
    criteria = [
        crit("risk_group", "==", "lower"),
        crit("hemoglobin_g_dl", "<", 100, unit="g/L"),
        crit("serum_epo_mu_ml", "<=", 500, unit="U/L", role="favours"),
        crit("karyotype_findings", "contains", "del5q", role="excludes"),
    ]
    values = {"risk_group": "lower", "hemoglobin_g_dl": 9.1, "serum_epo_mu_ml": 120,
              "karyotype_findings": {"normal"}}
    assert therapy_verdict(evaluate_criterion(c, values) for c in criteria).verdict == "FAVOURED"
    values["karyotype_findings"] = {"del5q"}
    assert therapy_verdict(evaluate_criterion(c, values) for c in criteria).verdict == "NOT_RECOMMENDED"
    del values["karyotype_findings"]
    del values["risk_group"]
    v = therapy_verdict(evaluate_criterion(c, values) for c in criteria)
    assert v.verdict == "UNKNOWN" and "risk_group" in v.missing and "karyotype_findings" in v.missing


def test_ferritin_criterion_with_equivalent_unit():
    assert st("serum_ferritin_ng_ml", ">", 1000, {"serum_ferritin_ng_ml": 1500}, unit="ug/L") == "MET"
