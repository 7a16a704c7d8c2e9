"""Criterion roles from cue words and section kinds."""

from __future__ import annotations

import pytest

from etl.nlp.roles import ROLES, criterion_role, find_role, invert_operator


@pytest.mark.parametrize("text", [
    "Response to IST is more likely in patients aged 60 years or younger.",
    "HLA-DR15 predicts response to ATG.",
    "The best results were seen with a low serum EPO.",
    "A favourable karyotype was associated with response.",
    "A favorable karyotype was associated with response.",
    "ESAs work best when the serum EPO level is below 500 mU/mL.",
    "Higher response rates were reported in transfusion-independent patients.",
])
def test_favours(text):
    match = find_role(text)
    assert match.role == "favours" and not match.inverted


@pytest.mark.parametrize("text", [
    "Patients with RARS are unlikely to respond to erythropoietin alone.",
    "Responses are less likely with a high transfusion burden.",
])
def test_negative_predictors_are_inverted_favours(text):
    match = find_role(text)
    assert match.role == "favours" and match.inverted


@pytest.mark.parametrize("text", [
    "Patients are eligible only if they have del(5q).",
    "A bone marrow biopsy must show less than 20% blasts.",
    "Lenalidomide is approved for patients with del(5q).",
    "Treatment is restricted to transfusion-dependent patients.",
])
def test_required(text):
    assert criterion_role(text) == "required"


@pytest.mark.parametrize("text", [
    "Lenalidomide is not for patients with a platelet count below 50 × 10^9/L.",
    "ESAs are contraindicated in uncontrolled hypertension.",
    "Patients with prior transplant were excluded.",
    "Transplant should not be offered to patients older than 75 years.",
    "Exclusion: ANC < 0.5 × 10^9/L.",
])
def test_excludes(text):
    assert criterion_role(text) == "excludes"


def test_exclusion_cue_beats_response_cue():
    assert criterion_role("Response is more likely, but patients with TP53 mutation were excluded.") == "excludes"


def test_section_kind_decides_in_eligibility_sections():
    assert criterion_role("Platelets < 50,000/uL", section_kind="exclusion") == "excludes"
    assert criterion_role("ECOG PS ≤ 2", section_kind="inclusion") == "required"
    assert criterion_role("no cue here", default="required") == "required"
    assert criterion_role("no cue here") is None


def test_roles_and_inverse_operators():
    assert set(ROLES) == {"required", "favours", "excludes"}
    assert invert_operator("<") == ">=" and invert_operator(">=") == "<"
    assert invert_operator("contains") == "not_contains" and invert_operator("==") == "!="
    assert invert_operator("between") is None
