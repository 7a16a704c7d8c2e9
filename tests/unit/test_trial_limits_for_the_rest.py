"""A limit for the patients outside a line's case ("80 or more if aged 65 or over, otherwise 70 or more"): read
whole or not at all (etl/nlp/partial_lines.py). Read as "the case's limit, or not the case", the others would meet
the line at any value. Every line is made up."""

from __future__ import annotations

import pytest

from tests.unit.test_trial_logic import _check_line, _rows
from tests.unit.trial_text import trial_criteria


@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


@pytest.mark.parametrize("line", [
    "I|Karnofsky 80% or more if aged 65 or over, otherwise 70% or more",
    "I|Platelets of 50 x 10^9/L or more if transfusion-free, or else 30 x 10^9/L or more",
    "I|Creatinine clearance of at least 50 mL/min in patients over 70, for all other patients at least 40 mL/min",
])
@pytest.mark.parametrize("patient", [
    {"age": 50, "karnofsky": 40, "platelets_10e9_l": 10, "transfusion_dependent": True,
     "creatinine_clearance_ml_min": 20},
])
def test_the_rest_would_meet_the_line_at_any_value_so_it_is_left_unread(extractor, line, patient):
    # a patient outside the case with a value no reading admits: never offered on a line read in part
    _check_line(extractor, line, patient, ruled_out=False)  # unread: UNKNOWN, listed as unchecked
    section, text = line.split("|", 1)
    assert not trial_criteria(extractor, f"Inclusion Criteria:\n\n- {text}\n")


@pytest.mark.parametrize(("line", "patient", "ruled_out"), [
    # "or, otherwise, B" is A or B: read, and judged
    ("I|Serum creatinine <= 1.5 x ULN or, otherwise, creatinine clearance >= 50 mL/min",
     {"creatinine_x_uln": 2.0, "creatinine_clearance_ml_min": 40}, True),
    ("I|Serum creatinine <= 1.5 x ULN or, otherwise, creatinine clearance >= 50 mL/min",
     {"creatinine_x_uln": 2.0, "creatinine_clearance_ml_min": 60}, False),
    # the other group's limit written as a requirement of its own is read
    ("I|ECOG 0-1 for patients over 75; ECOG 0-2 for all other patients", {"age": 60, "ecog": 3}, True),
    ("I|ECOG 0-1 for patients over 75; ECOG 0-2 for all other patients", {"age": 80, "ecog": 2}, True),
    ("I|ECOG 0-1 for patients over 75; ECOG 0-2 for all other patients", {"age": 60, "ecog": 2}, False),
    # "otherwise" with no case before it is what happens next, not a limit for other patients
    ("I|Marrow blasts below 10% (otherwise chemotherapy to bring them under 10% comes first)",
     {"marrow_blasts_pct": 14}, True),
])
def test_lines_whose_other_limit_is_read_stay_read(extractor, line, patient, ruled_out):
    _check_line(extractor, line, patient, ruled_out, must_read=True)


def test_the_row_helper_is_the_shared_one():
    assert _rows([])["criteria"] == []
