"""Pure scoring of the real-text extraction evaluation (bench/extraction_scoring.py): canonical polarity,
group flattening, operator/value/unit equivalence, relation matching and polarity errors. No model, no data."""

from __future__ import annotations

import pytest

from bench import extraction_scoring as xs


def leaf(variable, operator, value, unit=None, role="required", scope=None):
    return xs.canonical_extracted(variable, operator, value, unit, role, scope=scope)


# ---- canonical polarity ---------------------------------------------------------------------

@pytest.mark.parametrize("op, negated", [("<", ">="), (">=", "<"), ("<=", ">"), (">", "<="), ("==", "!="),
                                         ("!=", "=="), ("in", "not_in"), ("not_in", "in"),
                                         ("contains", "not_contains"), ("not_contains", "contains")])
def test_negate_keeps_the_boundary_exact(op, negated):
    assert xs.negate(op, 5) == (negated, 5)


def test_negate_flips_booleans_instead_of_the_operator():
    assert xs.negate("==", True) == ("==", False)
    assert xs.negate("!=", False) == ("!=", True)


def test_excluded_lab_becomes_the_inclusion_form():
    # exclusion "LVEF <= 40%" -> eligible when LVEF > 40
    got = leaf("lvef_pct", "<=", 40, "%", role="excludes")
    assert (got.variable, got.operator, got.value, got.role) == ("lvef_pct", ">", 40, "inclusion")


def test_excluded_prior_therapy_becomes_not_contains():
    got = leaf("prior_therapies", "contains", "MDSKG:drug/azacitidine", role="excludes")
    assert (got.operator, got.value, got.role) == ("not_contains", "MDSKG:drug/azacitidine", "inclusion")


def test_excluded_boolean_flips_its_value():
    got = leaf("pregnant_or_breastfeeding", "==", True, role="excludes")
    assert (got.operator, got.value) == ("==", False)


def test_exclusion_role_variable_is_not_negated():
    got = leaf("other_cancer_years", "<", 3, "years", role="excludes")
    assert (got.operator, got.value, got.role) == ("<", 3, "exclusion")
    gold = xs.flatten_gold([{"variable": "other_cancer_years", "operator": "<", "value": 3, "unit": "years",
                             "role": "exclusion", "scope": "all"}])
    assert xs.leaf_matches(got, gold[0])


def test_required_and_favours_stay_as_written():
    assert leaf("age", ">=", 18, "years").operator == ">="
    assert leaf("age", ">=", 18, "years", role="favours").role == "inclusion"


# ---- flattening -----------------------------------------------------------------------------

GROUPED = [
    {"variable": "age", "operator": ">=", "value": 18, "unit": "years", "role": "inclusion", "scope": "all"},
    {"any_of": [
        {"variable": "disease_status", "operator": "in", "value": ["relapsed", "refractory"]},
        {"all_of": [
            {"variable": "disease_status", "operator": "==", "value": "newly_diagnosed"},
            {"variable": "age", "operator": ">", "value": 60, "unit": "years", "scope": "mds"},
        ]},
    ], "role": "inclusion", "scope": "aml", "arm": "part 2"},
]


def test_groups_flatten_into_leaves_that_inherit_role_scope_and_arm():
    leaves = xs.flatten_gold(GROUPED)
    assert len(leaves) == 4
    assert [x.group for x in leaves] == [0, 1, 1, 1]
    assert leaves[1].scope == "aml" and leaves[1].arm == "part 2" and leaves[1].role == "inclusion"
    assert leaves[3].scope == "mds"  # a leaf's own scope overrides the group's


# ---- equivalence ----------------------------------------------------------------------------

def test_per_microlitre_counts_convert_to_10e9_per_litre():
    gold = xs.flatten_gold([{"variable": "platelets_10e9_l", "operator": "<", "value": 50, "unit": "10^9/L"}])[0]
    assert xs.leaf_matches(leaf("platelets_10e9_l", "<", 50000, "/mm3"), gold)
    assert xs.leaf_matches(leaf("platelets_10e9_l", "<", 50, "10^9/L"), gold)
    assert xs.leaf_matches(leaf("platelets_10e9_l", "<", 50.0000001, None), gold)  # unit unknown: raw value
    assert not xs.leaf_matches(leaf("platelets_10e9_l", "<", 50000, None), gold)
    assert not xs.leaf_matches(leaf("platelets_10e9_l", "<=", 50, "10^9/L"), gold)  # boundary matters


def test_weeks_convert_to_months_and_incompatible_units_do_not_match():
    gold = xs.flatten_gold([{"variable": "life_expectancy_months", "operator": ">=", "value": 3,
                             "unit": "months"}])[0]
    assert xs.leaf_matches(leaf("life_expectancy_months", ">=", 12, "weeks"), gold)
    assert not xs.leaf_matches(leaf("life_expectancy_months", ">=", 3, "years"), gold)


def test_categories_compare_as_sets():
    gold = xs.flatten_gold([{"variable": "ipss_category", "operator": "in", "value": ["high", "intermediate_2"]}])[0]
    assert xs.leaf_matches(leaf("ipss_category", "in", ["intermediate_2", "high"]), gold)
    assert not xs.leaf_matches(leaf("ipss_category", "in", ["intermediate_2"]), gold)
    assert not xs.leaf_matches(leaf("ipss_category", "==", "intermediate_2"), gold)
    one = xs.flatten_gold([{"variable": "disease_status", "operator": "==", "value": "newly_diagnosed"}])[0]
    assert xs.leaf_matches(leaf("disease_status", "in", ["newly_diagnosed"]), one)


def test_integer_scale_equivalences():
    gold = xs.flatten_gold([{"variable": "ecog", "operator": "<=", "value": 2}])[0]
    assert xs.leaf_matches(leaf("ecog", "between", [0, 2]), gold)
    assert xs.leaf_matches(leaf("ecog", "<", 3), gold)
    assert xs.leaf_matches(leaf("ecog", "in", [0, 1, 2]), gold)
    assert xs.leaf_matches(leaf("ecog", ">=", 3, role="excludes"), gold)
    assert not xs.leaf_matches(leaf("ecog", "between", [1, 2]), gold)
    # not an integer scale: the boundary stays exact
    blasts = xs.flatten_gold([{"variable": "marrow_blasts_pct", "operator": "<=", "value": 19, "unit": "%"}])[0]
    assert not xs.leaf_matches(leaf("marrow_blasts_pct", "<", 20, "%"), blasts)


def test_concept_values_match_by_id_or_slug_tail():
    gold = xs.flatten_gold([{"variable": "prior_therapies", "operator": "not_contains", "value": "hydroxyurea"}])[0]
    assert xs.leaf_matches(leaf("prior_therapies", "contains", "MDSKG:drug/hydroxyurea", role="excludes"), gold)
    assert not xs.leaf_matches(leaf("prior_therapies", "contains", "MDSKG:drug/hydroxyurea"), gold)


def test_contains_list_needs_the_same_set():
    gold = xs.flatten_gold([{"variable": "failed_therapies", "operator": "contains",
                             "value": ["MDSKG:therapy/hma", "cytarabine"]}])[0]
    assert xs.leaf_matches(leaf("failed_therapies", "contains", ["cytarabine", "MDSKG:therapy/hma"]), gold)
    assert not xs.leaf_matches(leaf("failed_therapies", "contains", "MDSKG:therapy/hma"), gold)


def test_role_must_agree():
    gold = xs.flatten_gold([{"variable": "other_cancer_years", "operator": "<", "value": 3, "role": "exclusion"}])[0]
    assert not xs.leaf_matches(leaf("other_cancer_years", "<", 3), gold)


# ---- criteria scores ------------------------------------------------------------------------

def test_score_criteria_precision_recall_groups_and_unknown_variables():
    gold = [
        {"variable": "age", "operator": ">=", "value": 18, "unit": "years", "role": "inclusion", "scope": "all"},
        {"any_of": [
            {"variable": "creatinine_x_uln", "operator": "<=", "value": 1.5, "unit": "x ULN"},
            {"variable": "creatinine_clearance_ml_min", "operator": ">=", "value": 50, "unit": "mL/min"},
        ], "role": "inclusion", "scope": "all"},
        {"variable": "prior_therapies", "operator": "not_contains", "value": ["MDSKG:drug/azacitidine",
                                                                               "MDSKG:drug/decitabine"],
         "role": "inclusion", "scope": "mds"},
    ]
    extracted = [
        leaf("age", ">=", 18, "years"),
        leaf("age", ">=", 18, "years"),  # a duplicate counts once
        leaf("creatinine_x_uln", "<=", 1.5, "x ULN", scope="donor"),  # right leaf, wrong scope
        leaf("prior_therapies", "contains", "MDSKG:drug/azacitidine", role="excludes"),
        leaf("prior_therapies", "contains", "MDSKG:drug/decitabine", role="excludes"),
        leaf("hemoglobin_g_dl", "<", 10, "g/dL"),  # wrong
        leaf("weight_loss_pct", ">", 10, "%"),  # a variable the gold does not know
    ]
    score = xs.score_criteria(extracted, gold)
    assert score.raw_extracted == 7 and score.unknown_variable == 1
    assert (score.extracted, score.extracted_matched) == (5, 4)
    assert (score.gold, score.gold_matched) == (4, 3)  # the not_contains list is covered by two leaves
    assert (score.groups, score.groups_matched) == (3, 2)  # the any_of misses its clearance leaf
    assert score.scope_errors == 1  # a donor scope on a patients' criterion; None and "mds" both mean patients
    assert score.precision == pytest.approx(0.8) and score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(2 * 0.8 * 0.75 / 1.55)


def test_a_partly_covered_not_contains_list_is_not_recalled():
    gold = [{"variable": "prior_therapies", "operator": "not_contains", "value": ["a", "b"]}]
    score = xs.score_criteria([leaf("prior_therapies", "not_contains", "a")], gold)
    assert score.extracted_matched == 1 and score.gold_matched == 0


# ---- relations ------------------------------------------------------------------------------

NAMES = {"NCIT:C3178": ["CMML", "chronic myelomonocytic leukemia"], "HGNC:11998": ["TP53"],
         "MDSKG:drug/decitabine": ["decitabine"], "MDSKG:drug/azacitidine": ["azacitidine", "AZA"],
         "MDSKG:therapy/hma": ["hypomethylating agents"], "MDSKG:drug/venetoclax": ["venetoclax"]}


def names_of(concept_id):
    return NAMES.get(concept_id, [])


def rel(pmid, type_, s, o, negated=False, direction=None):
    return xs.ExtractedRelation(pmid, type_, s, o, negated=negated, direction=direction, sentence="A sentence.")


def test_entities_match_by_id_slug_or_name():
    assert xs.entity_matches("MDSKG:drug/decitabine", "MDSKG:drug/decitabine")
    assert xs.entity_matches("hydroxyurea", "MDSKG:drug/hydroxyurea")
    assert xs.entity_matches("CMML", "NCIT:C3178", NAMES["NCIT:C3178"])
    assert xs.entity_matches("TP53 mutation", "HGNC:11998", NAMES["HGNC:11998"])
    assert not xs.entity_matches("MDSKG:drug/azacitidine", "MDSKG:drug/decitabine", ["decitabine"])


GOLD = {
    "1": {"relations": [
        {"type": "TREATS", "subject": "MDSKG:drug/decitabine", "object": "CMML", "direction": "positive"},
        {"type": "PREDICTS_RESPONSE_TO", "subject": "TP53 mutation", "object": "MDSKG:drug/decitabine",
         "direction": "none"},
        {"type": "NEXT_AFTER_FAILURE", "subject": "MDSKG:drug/decitabine", "object": "MDSKG:drug/azacitidine",
         "direction": "none"},
    ], "traps": ["x"]},
    "2": {"relations": [
        {"type": "NEXT_AFTER_FAILURE", "subject": "azacitidine + venetoclax", "object": "MDSKG:therapy/hma",
         "direction": "none"},
    ], "traps": ["'did not predict response' covers decitabine too"]},
}


def test_relation_precision_and_polarity_errors():
    extracted = [
        rel("1", "TREATS", "MDSKG:drug/decitabine", "NCIT:C3178"),                     # right
        rel("1", "TREATS", "MDSKG:drug/decitabine", "NCIT:C3178"),                     # same edge again
        rel("1", "PREDICTS_RESPONSE_TO", "HGNC:11998", "MDSKG:drug/decitabine"),       # positive vs none
        rel("1", "PREDICTS_RESPONSE_TO", "HGNC:11998", "MDSKG:drug/decitabine", negated=True),  # fine
        rel("1", "PREDICTS_RESPONSE_TO", "HGNC:11998", "MDSKG:drug/decitabine", direction="none"),  # fine
        # the graph edge runs failed -> next: azacitidine failed, decitabine next; the gold says none
        rel("1", "NEXT_AFTER_FAILURE", "MDSKG:drug/azacitidine", "MDSKG:drug/decitabine"),
        rel("1", "SUPERIOR_TO", "MDSKG:drug/decitabine", "MDSKG:drug/azacitidine"),    # a type the gold lacks
        rel("1", "MAY_REFER_TO", "a", "b"),                                           # type not labelled
        # a component of the gold combination, positive where the gold says none
        rel("2", "NEXT_AFTER_FAILURE", "MDSKG:therapy/hma", "MDSKG:drug/venetoclax"),
        # unmatched positive predictor whose therapy a trap names with a response cue
        rel("2", "PREDICTS_RESPONSE_TO", "HGNC:11998", "MDSKG:drug/decitabine"),
    ]
    score = xs.score_relations(extracted, GOLD, names_of)
    assert score.other_types == 2
    assert (score.extracted, score.matched) == (5, 3)  # unique (pmid, type, subject, object)
    assert score.gold == 4 and score.gold_matched == 3
    whys = [(e["pmid"], e["relation"].split("(")[0], e["why"].split(":")[0]) for e in score.polarity_errors]
    assert whys == [
        ("1", "PREDICTS_RESPONSE_TO", "positive claim, gold direction none"),
        ("1", "NEXT_AFTER_FAILURE", "positive claim, gold direction none"),
        ("2", "NEXT_AFTER_FAILURE", "positive claim, gold direction none"),
        ("2", "PREDICTS_RESPONSE_TO", "positive PREDICTS_RESPONSE_TO on a trap"),
    ]
    assert score.polarity_error_edges == 4


def test_negative_claim_for_a_none_finding_is_reported_apart():
    extracted = [rel("1", "PREDICTS_RESPONSE_TO", "HGNC:11998", "MDSKG:drug/decitabine", direction="negative")]
    score = xs.score_relations(extracted, GOLD, names_of)
    assert score.polarity_errors == [] and len(score.negative_for_none) == 1


def test_alternative_to_is_symmetric():
    gold = {"1": {"relations": [{"type": "ALTERNATIVE_TO", "subject": "MDSKG:drug/decitabine",
                                 "object": "MDSKG:drug/azacitidine", "direction": "positive"}]}}
    score = xs.score_relations([rel("1", "ALTERNATIVE_TO", "MDSKG:drug/azacitidine", "MDSKG:drug/decitabine")],
                               gold, names_of)
    assert score.matched == 1


# ---- outcomes and targets -------------------------------------------------------------------

def test_outcomes_without_an_outcome_type_are_zero_with_a_note():
    score = xs.score_outcomes(None, [{"endpoint": "overall_response_rate", "value": 38}] * 3)
    assert (score.extracted, score.gold, score.precision, score.recall) == (0, 3, 0.0, 0.0)
    assert "no outcome type" in score.note


def test_outcomes_match_on_endpoint_and_value():
    gold = [{"endpoint": "overall_response_rate", "value": 38}, {"endpoint": "overall_survival_hazard_ratio",
                                                                  "hr": 2.89}]
    score = xs.score_outcomes([{"endpoint": "overall_response_rate", "value": 38.0},
                               {"endpoint": "overall_survival_hazard_ratio", "hr": 2.89},
                               {"endpoint": "complete_remission_rate", "value": 10}], gold)
    assert (score.matched, score.gold_matched) == (2, 2)


def test_targets():
    results = xs.check_targets({"criteria precision": 0.95, "criteria recall": 0.79, "outcome precision": 0.9,
                                "outcome recall": 0.7, "polarity errors": 1})
    assert [ok for *_, ok in results] == [True, False, True, True, False]


def test_an_outcome_matches_only_within_its_own_abstract():
    gold = [{"endpoint": "overall_response_rate", "value": 40, "pmid": "1"}]
    assert xs.score_outcomes([{"endpoint": "overall_response_rate", "value": 40, "pmid": "2"}], gold).matched == 0
    assert xs.score_outcomes([{"endpoint": "overall_response_rate", "value": 40, "pmid": "1"}], gold).matched == 1
