"""Eligibility criteria of NCT01029262 (MDS-005: lenalidomide vs placebo in lower-risk, non-del(5q),
ESA-refractory, transfusion-dependent MDS) as structured criteria; inclusion → required,
exclusion → excludes. Read with etl.readers.ctgov from ../shared/data/ctgov/legacy_xml/.

The record's criteria (abridged):
  Inclusion: 18 years or older; low or intermediate-1 risk MDS with any karyotype except del 5q[31];
  anemia that requires red blood cell transfusions; resistant to ESAs or blood erythropoietin
  level > 500 mU/mL; ECOG PS ≤ 2; pregnancy precautions, counselling, no blood donation, marrow
  aspirates (no structured variable).
  Exclusion: prior immunomodulating/immunosuppressive or epigenetic agents; allergy to thalidomide;
  creatinine clearance < 40 mL/min (clearance is not a model variable); other cancer unless free
  ≥ 5 years (a duration, not an age); ANC < 500/uL; platelets < 50,000/uL; AST/ALT > 3 × ULN (not a
  model variable); prior stem cell transplantation; …
"""

from __future__ import annotations

import pytest

from etl.extract import RuleExtractor
from etl.readers.ctgov import read_ctgov_xml
from tests.shared_data import requires_shared

MDS_005 = "data/ctgov/legacy_xml/NCT01029262.xml"
pytestmark = requires_shared(MDS_005)  # every test reads this trial record from ../shared

INCLUSION = {
    ("age", ">=", 18, "years"),
    ("ipss_category", "in", ("low", "intermediate_1"), None),
    ("karyotype_findings", "not_contains", "del5q", None),
    ("transfusion_dependent", "==", True, None),
    ("failed_therapies", "contains", "MDSKG:therapy/esa", None),
    ("serum_epo_mu_ml", ">", 500, "mU/mL"),
    ("ecog", "<=", 2, None),
}
EXCLUSION = {
    ("anc_10e9_l", "<", 0.5, "10^9/L"),
    ("platelets_10e9_l", "<", 50, "10^9/L"),
    ("prior_therapies", "contains", "MDSKG:therapy/allo-hsct", None),
    ("creatinine_clearance_ml_min", "<", 40, "mL/min"),
    ("ast_alt_x_uln", ">", 3, "x ULN"),  # "AST or ALT > 3 x ULN": either one above the limit excludes
    ("hiv_positive", "==", True, None),
    ("other_cancer_years", "<", 5, "years"),  # another cancer unless free of it for 5 years: a time window
    ("significant_cardiac_disease", "==", True, None),  # significant active heart disease in the last 6 months
}


def test_resistance_to_esa_or_a_high_epo_are_alternatives(extraction):
    groups = {c.variable: c.group for c in extraction.criteria}
    assert groups["failed_therapies"] and groups["failed_therapies"] == groups["serum_epo_mu_ml"]


def test_agreeing_to_pregnancy_precautions_is_not_a_pregnancy_criterion(extraction):
    assert not any(c.variable == "pregnant_or_breastfeeding" for c in extraction.criteria)


@pytest.fixture(scope="module")
def extraction(shared_dir):
    document = next(read_ctgov_xml(shared_dir / MDS_005))
    return RuleExtractor().extract(document)


def _key(c):
    value = tuple(c.value) if isinstance(c.value, list) else c.value
    return (c.variable, c.operator, value, c.unit)


def _section_kind(extraction, criterion):
    section = extraction.document.section_at(criterion.evidence.start)
    return section.kind if section else None


def test_inclusion_criteria_are_required(extraction):
    inclusion = [c for c in extraction.criteria if _section_kind(extraction, c) == "inclusion"]
    assert {_key(c) for c in inclusion} == INCLUSION
    assert {c.role for c in inclusion} == {"required"}


def test_exclusion_criteria_exclude(extraction):
    exclusion = [c for c in extraction.criteria if _section_kind(extraction, c) == "exclusion"]
    assert {_key(c) for c in exclusion} == EXCLUSION
    assert {c.role for c in exclusion} == {"excludes"}


def test_only_eligibility_sections_give_criteria(extraction):
    kinds = {_section_kind(extraction, c) for c in extraction.criteria}
    assert kinds == {"inclusion", "exclusion"}
    assert len(extraction.criteria) == len(INCLUSION) + len(EXCLUSION)


def test_no_false_conditions(extraction):
    variables = {c.variable for c in extraction.criteria}
    # 'creatinine clearance < 40 mL/min' is not serum creatinine; 'free of disease ≥ 5 years' is not age;
    # 'AST/ALT > 3X ULN' is not bilirubin.
    assert "creatinine_mg_dl" not in variables and "bilirubin_x_uln" not in variables
    assert [c for c in extraction.criteria if c.variable == "age"] == [
        c for c in extraction.criteria if c.variable == "age" and c.value == 18]


def test_criteria_evidence_and_concepts(extraction):
    text = extraction.document.text
    for c in extraction.criteria:
        assert text[c.evidence.start : c.evidence.end] == c.evidence.sentence
        assert c.evidence.source_id == "clinicaltrials:NCT01029262"
        assert c.evidence.section in ("Inclusion Criteria", "Exclusion Criteria")
    concepts = {c.variable: c.concept_id for c in extraction.criteria}
    assert concepts["serum_epo_mu_ml"] == "MDSKG:marker/serum-epo"
    assert concepts["platelets_10e9_l"] == "MDSKG:marker/platelets"
    assert concepts["karyotype_findings"] == "MDSKG:marker/del5q"
    assert concepts["failed_therapies"] == "MDSKG:therapy/esa"


def test_trial_mentions(extraction):
    ids = {m.concept_id for m in extraction.mentions}
    assert {"MDSKG:drug/lenalidomide", "MDSKG:therapy/esa", "MDSKG:marker/del5q", "NCIT:C3247"} <= ids
    del5q = [m for m in extraction.mentions if m.concept_id == "MDSKG:marker/del5q"]
    assert any(m.negated for m in del5q)  # 'Without Del 5q', 'except del 5q'
