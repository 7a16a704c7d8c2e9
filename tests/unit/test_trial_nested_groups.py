"""Nested criteria groups judged right (issue 15, Deliver 2 and 7): an any-of whose member is an all-of (and that
all-of holding an any-of), and one criterion standing in several places of one trial. The trials and patients are
made up; each expected verdict is worked out by hand from the groups written in the test."""

from __future__ import annotations

import json

import pytest

from etl.rows import RowBuilder, _criterion, criterion_id
from mdskg.records import Evidence, ExtractedCriterion
from mdskg.scopes import group_steps, last_step, nested_group
from service.patient.trials import match_trial


def crit(variable, operator, value, role="required", group=None, unit=None, text=None, **extra):
    return {"id": f"{variable}{operator}{value}", "variable": variable, "operator": operator,
            "value_json": json.dumps(value), "unit": unit, "role": role,
            "text": text or f"{variable} {operator} {json.dumps(value)}", "scope": None, "group": group, **extra}


def trial(*criteria):
    return {"id": "MDSKG:study/nct00000077", "nct_id": "NCT00000077", "criteria": list(criteria)}


# "One of: age 55 to 70; or under 55 and unfit for intensive chemotherapy, shown by one of LVEF < 40% or
# DLCO < 50%". Adults only, on their own.
TOP, PART, REASONS = "any:100", "any:100/all:140", "any:100/all:140/any:170"
NESTED = trial(
    crit("age", ">=", 18, unit="years"),
    crit("age", "between", [55, 70], group=TOP, unit="years"),
    crit("age", "<", 55, group=PART, unit="years"),
    crit("intensive_chemo_candidate", "==", False, group=PART),
    crit("lvef_pct", "<", 40, group=REASONS, unit="%"),
    crit("dlco_pct_predicted", "<", 50, group=REASONS, unit="%"),
)


@pytest.mark.parametrize(("label", "patient", "verdict"), [
    ("first alternative met", {"age": 60}, "POSSIBLE"),
    ("second alternative, every part met", {"age": 40, "intensive_chemo_candidate": False, "lvef_pct": 35}, "POSSIBLE"),
    ("second alternative through its other reason", {"age": 40, "intensive_chemo_candidate": False, "lvef_pct": 55,
                                                     "dlco_pct_predicted": 45}, "POSSIBLE"),
    # too old for both: a flat group "55-70 or unfit" would offer the trial to an unfit 75-year-old
    ("too old for either alternative", {"age": 75, "intensive_chemo_candidate": False, "lvef_pct": 35}, "NOT_ELIGIBLE"),
    ("young and fit", {"age": 40, "intensive_chemo_candidate": True, "lvef_pct": 35}, "NOT_ELIGIBLE"),
    ("young, unfit, neither reason", {"age": 40, "intensive_chemo_candidate": False, "lvef_pct": 55,
                                      "dlco_pct_predicted": 70}, "NOT_ELIGIBLE"),
    ("young, unfit, one reason unknown", {"age": 40, "intensive_chemo_candidate": False, "lvef_pct": 55}, "UNKNOWN"),
    ("young, fitness unknown", {"age": 40, "lvef_pct": 35}, "UNKNOWN"),
    ("age unknown", {"intensive_chemo_candidate": False, "lvef_pct": 35}, "UNKNOWN"),
    ("a child", {"age": 12, "intensive_chemo_candidate": False, "lvef_pct": 35}, "NOT_ELIGIBLE"),
])
def test_an_all_of_inside_an_any_of(label, patient, verdict):
    match = match_trial(NESTED, patient)
    assert match.verdict == verdict, (label, match.reasons)


def test_the_reason_names_the_nested_parts():
    match = match_trial(NESTED, {"age": 75, "intensive_chemo_candidate": False, "lvef_pct": 35})
    [reason] = match.reasons
    assert reason == ("not met: age between [55, 70] or (age < 55 and intensive_chemo_candidate == false and "
                      "(lvef_pct < 40 or dlco_pct_predicted < 50))")


def test_unknown_names_only_what_could_still_decide():
    match = match_trial(NESTED, {"age": 40, "intensive_chemo_candidate": False, "lvef_pct": 55})
    assert match.verdict == "UNKNOWN" and match.missing == ("dlco_pct_predicted",)


# NCT01350258's shape, in made-up numbers: a performance limit that depends on age, two all-of alternatives.
BY_AGE = trial(
    crit("age", ">=", 65, group="any:10/all:11", unit="years"),
    crit("karnofsky", ">=", 80, group="any:10/all:11"),
    crit("age", "<", 65, group="any:10/all:12", unit="years"),
    crit("karnofsky", ">=", 60, group="any:10/all:12"),
)


@pytest.mark.parametrize(("patient", "verdict"), [
    ({"age": 70, "karnofsky": 90}, "POSSIBLE"),
    ({"age": 70, "karnofsky": 70}, "NOT_ELIGIBLE"),  # the younger patients' limit is not the older ones'
    ({"age": 50, "karnofsky": 70}, "POSSIBLE"),
    ({"age": 50, "karnofsky": 50}, "NOT_ELIGIBLE"),
    ({"age": 50}, "UNKNOWN"),
    ({"karnofsky": 90}, "UNKNOWN"),  # 90 meets both limits, but the age decides which applies: not known
    ({"karnofsky": 50}, "NOT_ELIGIBLE"),  # below both limits, whatever the age
])
def test_a_limit_that_depends_on_age(patient, verdict):
    assert match_trial(BY_AGE, patient).verdict == verdict, patient


# One criterion in several places: the graph's edge lists them (`groups`, `group` null when it also stands alone).
def test_a_criterion_standing_alone_and_as_an_alternative():
    row = trial(crit("marrow_blasts_pct", ">=", 5, unit="%", group=None, groups=["any:7"]),
                crit("karyotype_findings", "contains", "complex", group="any:7", groups=["any:7"]))
    assert match_trial(row, {"marrow_blasts_pct": 3, "karyotype_findings": ["complex"]}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"marrow_blasts_pct": 12}).verdict == "POSSIBLE"
    [blasts, _] = match_trial(row, {"marrow_blasts_pct": 12}).checks
    assert blasts.group is None and blasts.places == (None, "any:7")


def test_a_criterion_in_two_groups_counts_in_both():
    row = trial(crit("hemoglobin_g_dl", "<", 9, unit="g/dL", group="any:1", groups=["any:1", "any:2"]),
                crit("platelets_10e9_l", "<", 50, group="any:1", groups=["any:1"]),
                crit("anc_10e9_l", "<", 1, group="any:2", groups=["any:2"]))
    assert match_trial(row, {"hemoglobin_g_dl": 8, "platelets_10e9_l": 100, "anc_10e9_l": 2}).verdict == "POSSIBLE"
    assert match_trial(row, {"hemoglobin_g_dl": 10, "platelets_10e9_l": 30, "anc_10e9_l": 2}).verdict \
        == "NOT_ELIGIBLE"
    assert match_trial(row, {"hemoglobin_g_dl": 10, "platelets_10e9_l": 30, "anc_10e9_l": 0.5}).verdict \
        == "POSSIBLE"
    # an older graph without `groups` reads the edge's one group as before
    old = trial(crit("hemoglobin_g_dl", "<", 9, unit="g/dL", group="any:1"),
                crit("platelets_10e9_l", "<", 50, group="any:1"))
    assert match_trial(old, {"hemoglobin_g_dl": 10, "platelets_10e9_l": 30}).verdict == "POSSIBLE"


def test_a_conditional_place_beside_a_group_never_rules_out_by_itself():
    row = trial(crit("ecog", "<=", 1, group="any:3", groups=["any:3", "if:9"]),
                crit("age", "<", 60, group="any:3", groups=["any:3"], unit="years"))
    # ecog 2 at 50: the group is met by age; the conditional place makes the line one for the study team
    match = match_trial(row, {"ecog": 2, "age": 50})
    assert match.verdict == "UNKNOWN"
    assert match_trial(row, {"ecog": 2, "age": 70}).verdict == "NOT_ELIGIBLE"  # the group itself is not met
    assert match_trial(row, {"ecog": 1, "age": 70}).verdict == "POSSIBLE"


def test_exclusions_keep_excluding_on_their_own():
    row = trial(crit("prior_therapies", "contains", "MDSKG:drug/azacitidine", role="excludes", group="any:4"),
                crit("age", ">=", 18, unit="years"))
    assert match_trial(row, {"prior_therapies": ["MDSKG:drug/azacitidine"], "age": 50}).verdict == "NOT_ELIGIBLE"


def test_group_paths():
    assert group_steps("any:1/all:2/any:3") == ["any:1", "any:1/all:2", "any:1/all:2/any:3"]
    # a "/" inside a step's own name (a concept id) is not a step
    assert group_steps("any:78:either:MDSKG:drug/azacitidine") == ["any:78:either:MDSKG:drug/azacitidine"]
    assert last_step("any:1/all:2") == "all:2" and nested_group("any:1", "all:", 2) == "any:1/all:2"
    assert group_steps(None) == []


def _extracted(variable, operator, value, group, start):
    ev = Evidence(source_id="clinicaltrials:NCT00000077", sentence=f"made-up line {start}", start=start,
                  end=start + 10, extractor="test")
    return ExtractedCriterion(variable=variable, operator=operator, value=value, unit=None, role="required",
                              text=f"{variable} {operator} {value}", evidence=ev, group=group)


def test_the_edge_carries_every_place_on_each_of_its_rows():
    builder = RowBuilder()
    alone = _extracted("marrow_blasts_pct", ">=", 5, None, 10)
    grouped = _extracted("marrow_blasts_pct", ">=", 5, "any:30", 30)
    assert criterion_id(alone) == criterion_id(grouped)
    places = [None, "any:30"]
    for c in (alone, grouped):
        _criterion(builder, "MDSKG:study/nct00000077", c, places)
    rows = builder.build().relationships["HAS_CRITERION"]
    assert len(rows) == 2 and all(r["props"]["group"] is None and r["props"]["groups"] == ["any:30"] for r in rows)
    single = RowBuilder()
    _criterion(single, "MDSKG:study/nct00000077", grouped)
    [row] = single.build().relationships["HAS_CRITERION"]
    assert row["props"]["group"] == "any:30" and row["props"]["groups"] == ["any:30"]


# ---- reading: "one of the following: A; or B and C, as shown by any of the following: c1, c2" --------------------

@pytest.fixture(scope="module")
def extractor():
    from etl.extract import RuleExtractor

    return RuleExtractor()


def _read(extractor, text):
    from tests.unit.trial_text import trial_criteria

    found = trial_criteria(extractor, text)
    row = {"id": "MDSKG:study/nct00000000", "nct_id": "NCT00000000", "criteria": [
        {"id": criterion_id(c), "variable": c.variable, "operator": c.operator, "value_json": json.dumps(c.value),
         "unit": c.unit, "role": c.role, "text": c.text, "scope": c.scope, "group": c.group} for c in found]}
    return found, row


UNDER_AND_UNFIT = """Inclusion Criteria:

- Meets one of the following:
    - Age 60 to 75 years
    - Age under 60 and not a candidate for intensive chemotherapy, as shown by any of the following:
        - LVEF below 45%
        - DLCO below 50%
"""


def test_an_alternative_with_parts_and_a_list_is_read_nested(extractor):
    found, row = _read(extractor, UNDER_AND_UNFIT)
    groups = {(c.variable, c.operator): c.group for c in found}
    top = groups[("age", "between")]
    assert top and "/" not in top
    part = groups[("age", "<")]
    assert part == groups[("intensive_chemo_candidate", "==")] and group_steps(part)[0] == top
    assert last_step(part).startswith("all:")
    shown = groups[("lvef_pct", "<")]
    assert shown == groups[("dlco_pct_predicted", "<")] and group_steps(shown)[:2] == [top, part]
    verdicts = {
        "in the age range": ({"age": 65}, "POSSIBLE"),
        "young, unfit, weak heart": ({"age": 50, "intensive_chemo_candidate": False, "lvef_pct": 40}, "POSSIBLE"),
        "young, unfit, heart and lungs fine": ({"age": 50, "intensive_chemo_candidate": False, "lvef_pct": 60,
                                               "dlco_pct_predicted": 80}, "NOT_ELIGIBLE"),
        "young and fit": ({"age": 50, "intensive_chemo_candidate": True, "lvef_pct": 40}, "NOT_ELIGIBLE"),
        # read flat, "unfit" alone would let in a 80-year-old; the all-of needs the age too
        "too old, unfit": ({"age": 80, "intensive_chemo_candidate": False, "lvef_pct": 40}, "NOT_ELIGIBLE"),
        "young, unfit, heart not known": ({"age": 50, "intensive_chemo_candidate": False,
                                           "dlco_pct_predicted": 80}, "UNKNOWN"),
    }
    for label, (patient, verdict) in verdicts.items():
        assert match_trial(row, patient).verdict == verdict, (label, match_trial(row, patient).reasons)


def test_a_list_with_an_unread_line_leaves_the_list_unread(extractor):
    text = UNDER_AND_UNFIT.replace("        - DLCO below 50%\n",
                                   "        - DLCO below 50%\n        - Poor liver function\n")
    found, row = _read(extractor, text)
    assert not any(c.variable in ("lvef_pct", "dlco_pct_predicted") for c in found), found
    groups = {(c.variable, c.operator): c.group for c in found}
    assert last_step(groups[("age", "<")]).startswith("all:")
    assert groups[("age", "<")] == groups[("intensive_chemo_candidate", "==")]
    assert match_trial(row, {"age": 80, "intensive_chemo_candidate": False}).verdict == "NOT_ELIGIBLE"
    assert match_trial(row, {"age": 50, "intensive_chemo_candidate": False}).verdict == "POSSIBLE"


@pytest.mark.parametrize("line", [
    # a part said as a denial: not read as a part to meet
    "    - Age under 60 and no earlier azacitidine, as shown by any of the following:\n",
    # no parts joined: the list says how the one condition is shown (left as before)
    "    - Not a candidate for intensive chemotherapy, as shown by any of the following:\n",
])
def test_other_shapes_are_not_nested(extractor, line):
    text = UNDER_AND_UNFIT.replace(
        "    - Age under 60 and not a candidate for intensive chemotherapy, as shown by any of the following:\n", line)
    found, _ = _read(extractor, text)
    assert not any(c.group and "/" in c.group.replace("MDSKG:", "") for c in found), found
    assert not any(c.variable in ("lvef_pct", "dlco_pct_predicted") for c in found), found


def test_a_single_alternative_is_not_nested(extractor):
    text = UNDER_AND_UNFIT.replace("    - Age 60 to 75 years\n", "")
    found, _ = _read(extractor, text)
    assert not any(c.group and "/all:" in c.group for c in found), found
