"""WHO increased-blasts subtypes named in a trial line, read as the blast ranges that define them (issue 15).

The ranges come from the ontology (`blast_definition` on the MDS-IB concepts, source PMID:35732831), not from the
reader. Every line here is made up; each reading is checked with patients inside and outside it: a higher-risk
patient with 3% blasts, a lower-risk one with 7%, one with Auer rods, one with 12%, one with 25%, one with nothing
known. A patient whose blasts are low and whose Auer-rod status is not given stays UNKNOWN where Auer rods alone
would qualify."""

from __future__ import annotations

import json

import pytest

from etl.nlp import subtype_blasts
from ontology.criteria_text import describe
from service.patient.trials import match_trial
from tests.unit.trial_text import trial_criteria

HR_3 = {"risk_group": "higher", "marrow_blasts_pct": 3, "peripheral_blasts_pct": 0}
HR_3_NO_AUER = {**HR_3, "auer_rods": False}
LR_7 = {"risk_group": "lower", "marrow_blasts_pct": 7, "peripheral_blasts_pct": 0}
LR_7_NO_AUER = {**LR_7, "auer_rods": False}
AUER = {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 0, "auer_rods": True}
AUER_7 = {"marrow_blasts_pct": 7, "peripheral_blasts_pct": 0, "auer_rods": True}
BLOOD_3 = {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 3, "auer_rods": False}
BLOOD_6 = {"marrow_blasts_pct": 3, "peripheral_blasts_pct": 6}
M12 = {"marrow_blasts_pct": 12, "peripheral_blasts_pct": 1}
M25 = {"marrow_blasts_pct": 25, "peripheral_blasts_pct": 1}
NOTHING: dict = {}


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _read(extractor, line: str):
    section, text = line.split("|", 1)
    heading = "Inclusion Criteria:" if section == "I" else "Exclusion Criteria:"
    return trial_criteria(extractor, f"{heading}\n\n- {text}\n")


def _row(criteria) -> dict:
    return {"id": "MDSKG:study/t", "nct_id": "NCT00000001", "criteria": [
        {"id": f"c{i}", "variable": c.variable, "operator": c.operator, "value_json": json.dumps(c.value),
         "unit": c.unit, "role": c.role, "text": c.text, "scope": c.scope, "group": c.group}
        for i, c in enumerate(criteria)]}


def _verdicts(extractor, line: str, patients: dict[str, dict]) -> dict[str, str]:
    row = _row(_read(extractor, line))
    return {name: match_trial(row, p).verdict for name, p in patients.items()}


# ---- the ontology holds the ranges --------------------------------------------------------------

def test_the_ranges_are_ontology_data_with_a_source():
    from ontology.model import load_ontology

    onto = load_ontology()
    for concept in (subtype_blasts.IB, subtype_blasts.IB1, subtype_blasts.IB2):
        data = onto.concept(concept).properties["blast_definition"]
        assert data["source"] == "PMID:35732831"
        assert data["source"] in onto.concept(concept).sources
    ib2 = subtype_blasts.definition(onto, subtype_blasts.IB2)
    assert {(c.variable, c.operator, c.value, c.any_of) for c in ib2} == {
        ("marrow_blasts_pct", ">=", 10, True), ("peripheral_blasts_pct", ">=", 5, True),
        ("auer_rods", "==", True, True),
        ("marrow_blasts_pct", "<", 20, False), ("peripheral_blasts_pct", "<", 20, False)}
    ib1 = subtype_blasts.definition(onto, subtype_blasts.IB1)
    assert ("auer_rods", "==", False, False) in {(c.variable, c.operator, c.value, c.any_of) for c in ib1}
    assert onto.criterion_variables["auer_rods"].type == "boolean"
    assert describe("auer_rods", "==", True) != describe("auer_rods", "==", False)
    assert "Auer" in describe("auer_rods", "==", True)


@pytest.mark.parametrize(("text", "concept"), [
    ("RAEB-1 or RAEB-2", subtype_blasts.IB),
    ("RAEB-1/2", subtype_blasts.IB),
    ("RAEB I/II", subtype_blasts.IB),
    ("MDS-EB1 or MDS-EB2", subtype_blasts.IB),
    ("EB-1/EB-2", subtype_blasts.IB),
    ("MDS-IB2", subtype_blasts.IB2),
    ("MDS subtype RAEB-2", subtype_blasts.IB2),
    ("EB-2", subtype_blasts.IB2),
    ("refractory anaemia with excess blasts-2", subtype_blasts.IB2),
    ("refractory anemia with excess blasts type 1", subtype_blasts.IB1),
    ("excess blasts type 2", subtype_blasts.IB2),
    ("MDS with excess blasts", subtype_blasts.IB),
    ("RAEB", subtype_blasts.IB),
])
def test_names_and_lay_spellings(text, concept):
    names = subtype_blasts.named_subtypes(text)
    cover = subtype_blasts.covering_subtype(names, text)
    assert cover is not None and cover[0] == concept


@pytest.mark.parametrize("text", ["RAEB-T", "RAEB-t", "refractory anemia with excess blasts in transformation",
                                  "a web-2 form", "EBV", "PEG-2"])
def test_not_these_names(text):
    assert subtype_blasts.named_subtypes(text) == []


# ---- inclusion ------------------------------------------------------------------------------------

def test_high_risk_defined_as_raeb_1_or_2_is_the_blast_range_not_the_risk_group(extractor):
    line = "I|High-risk MDS (i.e. RAEB-1 or RAEB-2)"
    assert not any(c.variable == "risk_group" for c in _read(extractor, line))
    assert _verdicts(extractor, line, {"hr3": HR_3, "hr3_no_auer": HR_3_NO_AUER, "lr7": LR_7, "auer": AUER,
                                       "m12": M12, "m25": M25, "none": NOTHING, "blood3": BLOOD_3}) == {
        "hr3": "UNKNOWN",  # Auer rods alone would make it RAEB-2: not given, not known
        "hr3_no_auer": "NOT_ELIGIBLE",  # higher-risk without excess blasts: the trial's own definition rules out
        "lr7": "POSSIBLE",  # lower-risk by score, but 7% marrow blasts is RAEB-1
        "auer": "POSSIBLE", "m12": "POSSIBLE", "m25": "NOT_ELIGIBLE", "none": "UNKNOWN", "blood3": "POSSIBLE"}


@pytest.mark.parametrize("line", ["I|MDS-EB1 or MDS-EB2", "I|Refractory anaemia with excess blasts (RAEB)",
                                  "I|Patients with RAEB-1 and RAEB-2 are eligible",
                                  "I|High-risk MDS according to the WHO classification (i.e. RAEB-1 or RAEB-2)"])
def test_other_ways_to_name_both_levels(extractor, line):
    assert _verdicts(extractor, line, {"hr3_no_auer": HR_3_NO_AUER, "lr7": LR_7, "auer": AUER, "m25": M25}) == {
        "hr3_no_auer": "NOT_ELIGIBLE", "lr7": "POSSIBLE", "auer": "POSSIBLE", "m25": "NOT_ELIGIBLE"}


@pytest.mark.parametrize("line", ["I|MDS subtype RAEB-2", "I|MDS-EB-2", "I|Excess blasts type 2",
                                  "I|Refractory anemia with excess blasts-2"])
def test_raeb_2_alone(extractor, line):
    assert _verdicts(extractor, line, {
        "hr3_no_auer": HR_3_NO_AUER, "lr7": LR_7, "lr7_no_auer": LR_7_NO_AUER, "auer": AUER, "m12": M12, "m25": M25,
        "blood6": BLOOD_6, "none": NOTHING}) == {
        "hr3_no_auer": "NOT_ELIGIBLE", "lr7": "UNKNOWN", "lr7_no_auer": "NOT_ELIGIBLE", "auer": "POSSIBLE",
        "m12": "POSSIBLE", "m25": "NOT_ELIGIBLE", "blood6": "POSSIBLE", "none": "UNKNOWN"}


def test_raeb_1_alone(extractor):
    assert _verdicts(extractor, "I|Diagnosis of RAEB-1", {
        "hr3_no_auer": HR_3_NO_AUER, "lr7": LR_7, "lr7_no_auer": LR_7_NO_AUER, "auer7": AUER_7, "m12": M12,
        "m25": M25, "blood3": BLOOD_3, "blood6": BLOOD_6, "none": NOTHING}) == {
        "hr3_no_auer": "NOT_ELIGIBLE",
        "lr7": "UNKNOWN",  # Auer rods would make 7% RAEB-2
        "lr7_no_auer": "POSSIBLE", "auer7": "NOT_ELIGIBLE", "m12": "NOT_ELIGIBLE", "m25": "NOT_ELIGIBLE",
        "blood3": "POSSIBLE", "blood6": "NOT_ELIGIBLE", "none": "UNKNOWN"}


def test_both_definitions_as_alternatives(extractor):
    line = "I|High-risk MDS (RAEB-1/2 or IPSS int-2/high)"
    ipss_high_3 = {**HR_3_NO_AUER, "ipss_category": "high"}
    int1_3 = {**HR_3_NO_AUER, "ipss_category": "intermediate_1"}
    int1_7 = {**LR_7, "ipss_category": "intermediate_1"}
    assert _verdicts(extractor, line, {"ipss_high_3": ipss_high_3, "int1_3": int1_3, "int1_7": int1_7,
                                       "m25": {**M25, "ipss_category": "high"}}) == {
        "ipss_high_3": "POSSIBLE", "int1_3": "NOT_ELIGIBLE", "int1_7": "POSSIBLE", "m25": "NOT_ELIGIBLE"}


def test_a_line_that_admits_aml_too_has_no_mds_ceiling(extractor):
    assert _verdicts(extractor, "I|MDS (RAEB-1 or RAEB-2) or AML", {"m25": M25, "hr3_no_auer": HR_3_NO_AUER}) == {
        "m25": "POSSIBLE", "hr3_no_auer": "NOT_ELIGIBLE"}


# ---- exclusion -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["E|RAEB-2", "E|No MDS-EB2", "I|MDS of any subtype except RAEB-2",
                                  "I|Patients with RAEB-2 are not eligible"])
def test_raeb_2_excluded_rules_out_raeb_2_patients(extractor, line):
    assert _verdicts(extractor, line, {
        "hr3_no_auer": HR_3_NO_AUER, "lr7": LR_7, "auer": AUER, "m12": M12, "blood6": BLOOD_6, "hr3": HR_3,
        "none": NOTHING}) == {
        "hr3_no_auer": "POSSIBLE", "lr7": "UNKNOWN", "auer": "NOT_ELIGIBLE", "m12": "NOT_ELIGIBLE",
        "blood6": "NOT_ELIGIBLE", "hr3": "UNKNOWN", "none": "UNKNOWN"}
    assert {c.role for c in _read(extractor, line)} == {"excludes"}
    assert _verdicts(extractor, line, {"lr7_no_auer": LR_7_NO_AUER}) == {"lr7_no_auer": "POSSIBLE"}


def test_raeb_1_excluded_is_left_unread(extractor):
    # its ceiling (under 10%) cannot be said by flat exclusions: unread, listed for the study team
    assert not _read(extractor, "E|RAEB-1")


# ---- left as before --------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "I|MDS-EB as defined by the ICC 2022 classification",  # ICC: 5-9% marrow or 2-9% blood, 10-19% is MDS/AML
    "I|MDS (RAEB-1 or RAEB-2) or MDS/AML",
    "I|RAEB or RAEB-T by FAB criteria",  # FAB RAEB is 5-20%
    "I|RAEB, RAEB-T or CMML",
    "I|MDS (RAEB-1, RAEB-2) or CMML-2",  # CMML blasts count promonocytes too
    "I|RAEB-2 patients must have received at least 4 cycles of azacitidine",  # the subtype is a case
    "I|If RAEB-2, prior azacitidine is required",
    "E|Patients with RAEB-2 who have not received azacitidine",
    "E|RAEB-1",
    "I|MDS of any subtype, including RAEB-1 and RAEB-2",  # examples of who may join, not a requirement
    "I|MDS (e.g. RAEB-2)",
    "I|RAEB-1, RAEB-2, RARS, RA or RCMD",  # other subtypes listed beside: a blast range would rule them out
    "I|WHO subtypes RCMD, RAEB-1 or RAEB-2",
    "I|Therapy-related MDS or RAEB-2",
])
def test_lines_this_reader_leaves(extractor, line):
    assert not any(c.variable == "auer_rods" or subtype_blasts.from_definition(c) for c in _read(extractor, line))


def test_a_definition_the_line_gives_itself_is_the_reading(extractor):
    found = _read(extractor, "I|RAEB-2, meaning 10-19% blasts in the marrow")
    assert not any(c.variable == "auer_rods" for c in found)


def test_risk_group_defined_by_subtypes_beside_a_blast_limit_of_its_own(extractor):
    # "High-risk MDS (i.e. RAEB-1 or RAEB-2) or CMML with > 5% marrow blasts": the blast limit stays, the risk group
    # the subtypes define is not asked as well (a lower-risk patient with 7% blasts is RAEB-1)
    line = "I|High-risk MDS (i.e. RAEB-1 or RAEB-2) or CMML with more than 5% marrow blasts"
    assert not any(c.variable == "risk_group" for c in _read(extractor, line))
    assert _verdicts(extractor, line, {"lr7": LR_7, "hr3": HR_3}) == {"lr7": "POSSIBLE", "hr3": "NOT_ELIGIBLE"}


@pytest.mark.parametrize("line", ["I|RAEB-1, RAEB-2, RARS, RA or RCMD",
                                  "I|MDS of any subtype, including RAEB-1 and RAEB-2",
                                  "I|WHO subtypes RCMD, RAEB-1 or RAEB-2"])
def test_other_subtypes_beside_are_not_ruled_out(extractor, line):
    assert _verdicts(extractor, line, {"hr3_no_auer": HR_3_NO_AUER}) != {"hr3_no_auer": "NOT_ELIGIBLE"}
