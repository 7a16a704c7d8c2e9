"""Plain-language wording of a Criterion (variable, operator, value, unit)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

# How a patient would read each variable; `{v}` is the value, `{u}` the unit.
_PHRASES: dict[str, str] = {
    "age": "age",
    "marrow_blasts_pct": "bone marrow blasts",
    "hemoglobin_g_dl": "hemoglobin",
    "platelets_10e9_l": "platelet count",
    "anc_10e9_l": "neutrophil count (ANC)",
    "wbc_10e9_l": "white blood cell count (WBC)",
    "serum_epo_mu_ml": "serum erythropoietin (EPO) level",
    "transfusion_units_per_8wk": "red-cell transfusions",
    "ring_sideroblasts_pct": "ring sideroblasts",
    "ecog": "ECOG performance status",
    "creatinine_mg_dl": "serum creatinine",
    "bilirubin_x_uln": "bilirubin",
    "hct_ci": "HCT-CI comorbidity score",
    "peripheral_blasts_pct": "blasts in the blood",
    "marrow_cellularity_pct": "bone marrow cellularity",
    "serum_ferritin_ng_ml": "serum ferritin",
    "rbc_units_total": "red-cell units received in all",
    "creatinine_clearance_ml_min": "creatinine clearance",
    "karyotype_abnormality_count": "number of chromosome abnormalities",
    "ipssr_score": "IPSS-R score",
    "creatinine_x_uln": "serum creatinine (times the upper limit of normal)",
    "bilirubin_mg_dl": "bilirubin",
    "direct_bilirubin_mg_dl": "direct bilirubin",
    "ast_x_uln": "AST (times the upper limit of normal)",
    "alt_x_uln": "ALT (times the upper limit of normal)",
    "ast_alt_x_uln": "AST and ALT (times the upper limit of normal)",
    "lvef_pct": "heart ejection fraction (LVEF)",
    "dlco_pct_predicted": "lung diffusing capacity (DLCO, % of predicted)",
    "pao2_mmhg": "blood oxygen (PaO2)",
    "copper_ug_dl": "serum copper",
    "bicarbonate_meq_l": "serum bicarbonate",
    "weight_kg": "body weight",
    "moca_score": "memory and thinking test score (MoCA)",
    "qtc_ms": "QTc interval on the ECG",
    "karnofsky": "Karnofsky performance status",
    "life_expectancy_months": "life expectancy",
    "ipss_score": "IPSS score",
    "prior_therapy_lines": "number of earlier treatment lines",
    "other_cancer_years": "years since another cancer",
    "acute_gvhd_grade": "acute graft-versus-host disease grade",
}
_BOOLEAN: dict[str, tuple[str, str]] = {
    "pnh_clone": ("a PNH clone", "no PNH clone"),
    "hla_dr15": ("HLA-DR15", "no HLA-DR15"),
    "stat3_t_cell_clone": ("a STAT3-mutant cytotoxic T-cell clone", "no STAT3-mutant T-cell clone"),
    "transfusion_dependent": ("dependence on red-cell transfusions", "no need for regular transfusions"),
    "transplant_candidate": ("being a candidate for a transplant", "not being a transplant candidate"),
    "anemia_symptoms": ("anemia causing symptoms", "no anemia symptoms"),
    "bleeding": ("clinically significant bleeding", "no significant bleeding"),
    "platelet_transfusions": ("needing platelet transfusions", "no platelet transfusions"),
    "recurrent_infections": ("repeated infections", "no repeated infections"),
    "donor_available": ("a stem cell donor", "no stem cell donor"),
    "wants_transplant": ("wanting a transplant", "not wanting a transplant"),
    "pregnant_or_breastfeeding": ("pregnancy or breastfeeding", "not pregnant or breastfeeding"),
    "hiv_positive": ("HIV infection", "no HIV infection"),
    "active_infection": ("an active infection", "no active infection"),
    "active_autoimmune_disease": ("an autoimmune disease needing treatment", "no autoimmune disease needing treatment"),
    "other_active_cancer": ("another cancer now", "no other cancer now"),
    "other_cancer_history": ("another cancer now or before", "no other cancer now or before"),
    "therapy_related": ("therapy-related disease", "disease that is not therapy-related"),
    "secondary_mds": ("secondary MDS", "MDS that is not secondary"),
    "significant_cardiac_disease": ("serious heart disease", "no serious heart disease"),
    "apl": ("acute promyelocytic leukemia", "not acute promyelocytic leukemia"),
    "auer_rods": ("Auer rods in the blasts", "no Auer rods in the blasts"),
    "prior_aml": ("an earlier acute myeloid leukemia (AML)", "no earlier acute myeloid leukemia (AML)"),
    "cmml_proliferative": ("proliferative CMML", "CMML that is not the proliferative kind"),
    "intensive_chemo_candidate": ("being fit for intensive chemotherapy", "not being fit for intensive chemotherapy"),
    "matched_donor_available": ("a matched donor (sibling or unrelated)", "no matched donor"),
    "haplo_donor_available": ("a half-matched family donor", "no half-matched family donor"),
    "matched_sibling_donor_available": ("a matched brother or sister as donor", "no matched sibling donor"),
    "active_gvhd": ("active graft-versus-host disease", "no active graft-versus-host disease"),
}
_OPS = {"<": "below", "<=": "or less", ">": "above", ">=": "or more", "==": "of", "!=": "other than"}
_CATEGORY_NAMES = {
    "marrow_cellularity": "{v} bone marrow",
    "risk_group": "{v}-risk MDS",
    "ipss_category": "IPSS {v}",
    "ipssr_category": "IPSS-R {v}",
    "ipssm_category": "IPSS-M {v}",
    "ipssr_cytogenetic_group": "IPSS-R cytogenetic group {v}",
    "esa_status": "ESA history: {v}",
    "disease_status": "disease {v}",
}
_FINDINGS = {"del5q": "del(5q)", "minus7": "monosomy 7 (−7)", "del7q": "del(7q)", "plus8": "trisomy 8 (+8)",
             "del20q": "del(20q)", "complex": "a complex karyotype", "del17p": "a 17p deletion", "minusY": "loss of Y (−Y)",
             "inv3": "inv(3)", "abn3q": "a 3q abnormality", "del11q": "del(11q)", "del12p": "del(12p)", "i17q": "i(17q)"}


def parse_value(value_json: str | None) -> Any:
    if value_json is None:
        return None
    try:
        return json.loads(value_json)
    except (TypeError, ValueError):
        return value_json


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("_", " ")


def _unit(unit: str | None) -> str:
    if not unit:
        return ""
    if unit == "%":
        return "%"
    return f" {unit}"


def describe(variable: str, operator: str, value: Any, unit: str | None = None) -> str:
    """"age 60 years or younger", "a PNH clone", "an SF3B1 mutation", "IPSS low or intermediate 1"."""
    if variable in _BOOLEAN:
        yes, no = _BOOLEAN[variable]
        positive = (operator in {"==", "in"} and value in (True, "true", "yes", [True])) or (
            operator == "!=" and value in (False, "false"))
        return yes if positive else no
    if variable == "age" and operator in {"<=", "<"}:
        return f"age {_fmt(value)} years or younger" if operator == "<=" else f"age under {_fmt(value)} years"
    if variable == "age" and operator in {">=", ">"}:
        return f"age {_fmt(value)} years or older" if operator == ">=" else f"age over {_fmt(value)} years"
    if variable == "mutated_genes":
        genes = value if isinstance(value, list) else [value]
        names = " or ".join(str(g) for g in genes)
        article = "an" if names[:1].upper() in "AEFHILMNORSX" else "a"
        return f"{article} {names} mutation" if operator in {"contains", "in", "=="} else f"no {names} mutation"
    if variable == "karyotype_findings":
        items = value if isinstance(value, list) else [value]
        names = " or ".join(_FINDINGS.get(str(v), str(v)) for v in items)
        return names if operator in {"contains", "in", "=="} else f"no {names}"
    if variable in {"prior_therapies", "failed_therapies"}:
        items = value if isinstance(value, list) else [value]
        names = " or ".join(str(v).split("/")[-1].replace("-", " ") for v in items)
        verb = "earlier treatment with" if variable == "prior_therapies" else "treatment that did not work or stopped working:"
        return f"{verb} {names}" if operator in {"contains", "in", "=="} else f"no {verb} {names}"
    if variable in _CATEGORY_NAMES:
        items = value if isinstance(value, list) else [value]
        names = " or ".join(_fmt(v) for v in items)
        text = _CATEGORY_NAMES[variable].format(v=names)
        return text if operator in {"==", "in", "contains"} else f"not {text}"
    name = _PHRASES.get(variable, variable.replace("_", " "))
    if operator == "between" and isinstance(value, list) and len(value) == 2:
        return f"{name} between {_fmt(value[0])} and {_fmt(value[1])}{_unit(unit)}"
    if operator in {"<", ">"}:
        return f"{name} {_OPS[operator]} {_fmt(value)}{_unit(unit)}"
    if operator in {"<=", ">="}:
        return f"{name} of {_fmt(value)}{_unit(unit)} {_OPS[operator]}"
    if operator in {"in", "not_in"}:
        items = value if isinstance(value, list) else [value]
        joined = " or ".join(_fmt(v) for v in items)
        return f"{name} {joined}" if operator == "in" else f"{name} not {joined}"
    return f"{name} {_OPS.get(operator, operator)} {_fmt(value)}{_unit(unit)}".strip()


_LABELS = {"mutated_genes": "gene mutation results", "karyotype_findings": "chromosome (karyotype) results",
           "karyotype_abnormality_count": "chromosome (karyotype) results", "failed_therapies": "earlier treatments",
           "prior_therapies": "earlier treatments", "esa_status": "earlier ESA (EPO shot) treatment",
           "risk_group": "risk score (IPSS-R or IPSS-M)", "ipss_category": "IPSS category",
           "ipssr_category": "IPSS-R category", "ipssm_category": "IPSS-M category",
           "ipssr_cytogenetic_group": "chromosome (karyotype) results", "marrow_cellularity": "marrow cellularity",
           "transplant_candidate": "whether a transplant is possible (fitness, donor, wish)"}


def variable_label(variable: str) -> str:
    """How a patient would name a criterion variable: "serum erythropoietin (EPO) level"."""
    if variable in _LABELS:
        return _LABELS[variable]
    if variable in _PHRASES:
        return _PHRASES[variable]
    if variable in _BOOLEAN:
        return _BOOLEAN[variable][0]
    return variable.replace("_", " ")


def join_words(items: Iterable[str | None], word: str = "and") -> str:
    """"a, b and c" (repeats and empty items left out)."""
    words = [i for i in dict.fromkeys(items) if i]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {word} " + words[-1]
