"""Eligibility lines the reader would read only in part are left unread whole, and listed as unchecked (issue 15;
etl/nlp/partial_lines.py). Every line here is made up. For each kind of wording: lines that must be left unread (no
criterion, the line listed for the study team, so no patient is ruled out or admitted on half of it) and a similar
line that is still read, checked with patients on both sides of it."""

from __future__ import annotations

import pytest

from etl.readers.ctgov import TrialFields, trial_document
from tests.unit.test_trial_logic import _check_line


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _extraction(extractor, line: str):
    section, text = line.split("|", 1)
    heading = "Inclusion Criteria:" if section == "I" else "Exclusion Criteria:"
    doc = trial_document(TrialFields("NCT00000000", brief_title="A made-up trial", conditions=["MDS"],
                                     eligibility_criteria=f"{heading}\n\n- {text}\n- Age 18 years or older\n"))
    return extractor.extract(doc)


UNREAD = [
    # a low-blast subtype named as the way in, only its sideroblast, karyotype or score part readable
    "I|ICC MDS with mutated TP53 and a complex karyotype",
    # an increased-blasts name opening the line with its definition (the definition's numbers are dropped later)
    "I|RAEB-2 (2008 WHO), defined as 10-19% marrow blasts, with blood blasts of 19% or less",
    # a condition naming a subtype that is not read
    "I|Any MDS; secondary MDS only if it is RAEB-2 by WHO 2008",
    # a ring-sideroblast minimum read from one name of a list
    "I|MDS-MLD/RS under WHO 2016 with transfusion dependence",
    # a finding the inclusion line says must be absent, with another finding before it (required or not: unclear)
    "I|Trisomy 8, and monosomy 7 must be absent",
    # numbered alternatives, one of which joins two conditions
    "I|(a) ESA failure, or (b) serum EPO above 500 mU/mL and transfusion dependence",
    # a looser limit for a group, in brackets
    "I|ECOG 0-1 (0-2 for those younger than 65)",
    "I|Platelets at least 50 x 10^9/L (at least 30 x 10^9/L for patients with ITP)",
    "I|Bilirubin up to 1.5 x ULN (up to 3 x ULN in patients with Gilbert syndrome)",
    # a limit for an age group after ";" that is not read
    "I|Creatinine clearance 30 mL/min or more; patients aged 75 or over need 45 mL/min or more",
    # a denied clause after ";" or a dash under the exclusion heading, not read as a requirement
    "E|Active hepatitis B - patients never exposed to azathioprine are also excluded",
    "E|QTc over 480 ms; participants who have never received red-cell support",
    "E|Prior AML; patients without a confirmed diagnosis of MDS-EB-2",
]


@pytest.mark.parametrize("line", UNREAD)
def test_a_line_read_only_in_part_is_left_unread_and_listed(extractor, line):
    extraction = _extraction(extractor, line)
    assert {c.variable for c in extraction.criteria} == {"age"}, [(c.variable, c.operator, c.value)
                                                                  for c in extraction.criteria]
    kind = "exclusion" if line.startswith("E|") else "inclusion"
    assert [u.kind for u in extraction.unchecked_lines] == [kind]


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the same subtypes given with a marrow blast limit of the line's own: read
    ("I|MDS-SLD or MDS-MLD with marrow blasts under 5%", {"marrow_blasts_pct": 7}, True),
    ("I|MDS-SLD or MDS-MLD with marrow blasts under 5%", {"marrow_blasts_pct": 2}, False),
    # a low-blast subtype under the exclusion heading is read as before (reading part of it excludes no one it admits)
    ("E|MDS with isolated del(5q)", {"karyotype_findings": ["del5q"], "karyotype_abnormality_count": 1}, True),
    # CMML-0 with both of its limits written out and read
    ("I|CMML-0 with no more than 1% blood blasts and under 5% marrow blasts", {"marrow_blasts_pct": 6,
                                                                              "peripheral_blasts_pct": 0}, True),
    ("I|CMML-0 with no more than 1% blood blasts and under 5% marrow blasts", {"marrow_blasts_pct": 2,
                                                                              "peripheral_blasts_pct": 0}, False),
    # subtypes named as examples of "any subtype": the line asks none of them
    ("I|MDS of any WHO 2016 subtype (MDS-SLD, MDS-RS, MDS-EB-1 or MDS-EB-2), ECOG 0-2", {"ecog": 3}, True),
    ("I|MDS of any WHO 2016 subtype (MDS-SLD, MDS-RS, MDS-EB-1 or MDS-EB-2), ECOG 0-2", {"ecog": 1}, False),
    # a finding the inclusion line says must be absent, just before the words: excluded
    ("I|A deletion of 7q must not be present", {"karyotype_findings": ["del7q"], "karyotype_abnormality_count": 1},
     True),
    ("I|A deletion of 7q must not be present", {"karyotype_findings": ["plus8"], "karyotype_abnormality_count": 1},
     False),
    ("I|Monosomy 7 must be absent at screening", {"karyotype_findings": ["minus7"], "karyotype_abnormality_count": 1},
     True),
    ("I|Monosomy 7 must be absent at screening", {"karyotype_findings": ["normal"], "karyotype_abnormality_count": 0},
     False),
    ("I|An inv(3) or any other 3q26 change must be absent", {"karyotype_findings": ["inv3", "abn3q"],
                                                            "karyotype_abnormality_count": 1}, True),
    ("I|An inv(3) or any other 3q26 change must be absent", {"karyotype_findings": ["plus8"],
                                                            "karyotype_abnormality_count": 1}, False),
    # a finding required, then something else said absent: the finding stays required
    ("I|Trisomy 8 must be present", {"karyotype_findings": ["normal"], "karyotype_abnormality_count": 0}, True),
    # a tighter limit for a group in brackets: read as before (the group's own limit)
    ("I|ECOG 0-2 (0-1 for those over 75)", {"ecog": 2, "age": 80}, True),
    ("I|ECOG 0-2 (0-1 for those over 75)", {"ecog": 2, "age": 60}, False),
    # a tighter limit for an older group after ";" that is read: as before
    ("I|Adults; those older than 80 years must have an ECOG of 0-1", {"ecog": 2, "age": 85}, True),
    ("I|Adults; those older than 80 years must have an ECOG of 0-1", {"ecog": 2, "age": 60}, False),
    # a denial of its own after ";" read as a requirement: as before
    ("E|Uncontrolled diabetes; patients who have never had a platelet transfusion", {"prior_therapies": []}, True),
    ("E|Prior allogeneic transplant; patients who have never had decitabine", {"prior_therapies": []}, True),
    ("E|Prior allogeneic transplant; patients who have never had decitabine",
     {"prior_therapies": ["MDSKG:drug/decitabine", "MDSKG:therapy/hma"]}, False),
])
def test_a_similar_line_is_still_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("line", [
    "I|MDS-SLD or MDS-MLD with marrow blasts under 5%",
    "E|MDS with isolated del(5q)",
    "I|ECOG 0-2 (0-1 for those over 75)",
    "E|Prior allogeneic transplant; patients who have never had decitabine",
])
def test_a_line_read_whole_is_not_listed(extractor, line):
    assert not _extraction(extractor, line).unchecked_lines


# ---- low-blast subtypes read with the blast limits of MDS-LB (ontology data; etl/nlp/low_blasts.py) --------------

LOW = {"marrow_blasts_pct": 2, "peripheral_blasts_pct": 0, "auer_rods": False}
MARROW_7 = {"marrow_blasts_pct": 7, "peripheral_blasts_pct": 0, "auer_rods": False}
BLOOD_3 = {"marrow_blasts_pct": 2, "peripheral_blasts_pct": 3, "auer_rods": False}
AUER = {"marrow_blasts_pct": 2, "peripheral_blasts_pct": 0, "auer_rods": True}


@pytest.mark.parametrize("line", [
    "I|MDS-MLD (WHO 2016)",
    "I|Refractory cytopenia with multilineage dysplasia, WHO 2008",
    "I|MDS-LB by WHO 2022 with red-cell transfusion dependence",
    "I|MDS-SLD, MDS-MLD or MDS-RS with IPSS-R low",
    "I|WHO 2016 MDS-RS-MLD or MDS-SLD only",
    "I|MDS-LB with IPSS-R low or very low and transfusion dependence",
    "I|RCMD or RARS (WHO 2008), IPSS-R low",
    "I|Diagnosis of refractory anemia with ringed sideroblasts (RARS) per the 2008 WHO scheme",
])
def test_a_low_blast_subtype_asks_low_blasts(extractor, line):
    for patient, out in ((LOW, False), (MARROW_7, True), (BLOOD_3, True), (AUER, True)):
        patient = {**patient, "transfusion_dependent": True, "ipssr_category": "low", "ring_sideroblasts_pct": 20}
        _check_line(extractor, line, patient, out, must_read=True)


def test_the_limits_are_ontology_data_with_a_source():
    from etl.nlp import low_blasts
    from ontology.model import load_ontology

    onto = load_ontology()
    limits = low_blasts.limits(onto)
    assert limits and {(x.variable, x.operator, x.value) for x in limits} == {
        ("marrow_blasts_pct", "<", 5), ("peripheral_blasts_pct", "<", 2), ("auer_rods", "==", False)}
    data = onto.concept(low_blasts.LOW_BLASTS).properties["blast_definition"]
    assert data["source"] in onto.concept(low_blasts.LOW_BLASTS).sources


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # the name's own part read beside the limits
    ("I|MDS with ring sideroblasts (15% or more ring sideroblasts)", {**LOW, "ring_sideroblasts_pct": 20}, False),
    ("I|MDS with ring sideroblasts (15% or more ring sideroblasts)", {**MARROW_7, "ring_sideroblasts_pct": 20}, True),
    ("I|MDS with ring sideroblasts (15% or more ring sideroblasts)", {**LOW, "ring_sideroblasts_pct": 5}, True),
    # another way in joined by "or": the limits are not asked of everyone (the line as before)
    ("I|MDS-SLD, or an IPSS-R score of 3 or less", {**MARROW_7, "ipssr_score": 2}, False),
    # a denied name, and examples of "any subtype": no limits
    ("I|MDS of any WHO subtype (for example MDS-SLD or MDS-EB-1), ECOG 0-2", {**MARROW_7, "ecog": 1}, False),
    ("E|MDS-SLD", {**MARROW_7}, False),
    # a line opening with a denial, or naming a leukaemia beside: no limits
    ("I|No hairy cell leukaemia in remission, or myelodysplasia with refractory anaemia", {**MARROW_7}, False),
    ("I|Not MDS-SLD by WHO 2016", {**MARROW_7}, False),
])
def test_low_blast_limits_only_where_the_names_are_asked(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out)


@pytest.mark.parametrize("line", [
    "I|MDS with ring sideroblasts per WHO 2016",  # the sideroblast part is not read: the limits alone would be half
    "I|FAB refractory anaemia with ring sideroblasts, IPSS low",  # FAB: other ranges, not encoded
])
def test_limits_alone_are_not_the_name(extractor, line):
    criteria = _extraction(extractor, line).criteria
    assert not any(c.variable in ("marrow_blasts_pct", "peripheral_blasts_pct") for c in criteria)


# ---- a planned allogeneic transplant opening the line: a transplant candidate (etl/nlp/conditions.py) ----------------

@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    ("I|Scheduled for an allogeneic stem cell transplant, HCT-CI of 2 or less",
     {"transplant_candidate": False, "hct_ci": 1}, True),
    ("I|Scheduled for an allogeneic stem cell transplant, HCT-CI of 2 or less",
     {"transplant_candidate": True, "hct_ci": 1}, False),
    ("I|Scheduled for an allogeneic stem cell transplant, HCT-CI of 2 or less",
     {"transplant_candidate": True, "hct_ci": 4}, True),
    ("E|A planned allo-HSCT", {"transplant_candidate": True}, True),
    ("E|A planned allo-HSCT", {"transplant_candidate": False}, False),
])
def test_a_planned_transplant_is_a_transplant_candidate(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


@pytest.mark.parametrize("line", [
    "E|Allogeneic transplant planned within the next 8 weeks",  # a timing, not who the patient is
    "E|Planned allogeneic transplant within 2 months of enrolment",
    "I|Planned allogeneic stem cell transplant from a matched unrelated donor",  # read as a donor, not here
])
def test_a_planned_transplant_with_a_time_or_a_donor_is_not_a_candidacy(extractor, line):
    assert not any(c.variable == "transplant_candidate" for c in _extraction(extractor, line).criteria)
