"""Properties of the planner over the curated guideline logic, for random patients (no graph needed):

- no therapy is offered (FAVOURED / POSSIBLE / POSSIBLE_LESS_LIKELY) while a requirement of the rule
  that decides it is NOT_MET, an exclusion is MET, a negative recommendation for it applies, or it (or
  a drug of its class) failed before;
- a missing value never produces MET;
- a value that is missing makes the therapy UNKNOWN, never offered, when the rule depends on it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from ontology import load_ontology
from ontology.guidance import check_guidance, leaves, load_guidance
from service.patient.guidance import check_text, default_curated
from service.patient.plan import MET, NOT_MET, build_plan, evaluate_recommendation, node_status

CURATED = default_curated()
OFFERED = {"FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY"}
THERAPIES = sorted(CURATED.names)
GENES = ["SF3B1", "TP53", "IDH1", "IDH2", "ASXL1", "RUNX1", "TET2", "DNMT3A", "SRSF2"]
FINDINGS = ["del5q", "del7q", "minus7", "plus8", "del20q", "complex", "del17p", "normal"]


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def criterion_values(draw):
    spec = {
        "age": _maybe(st.floats(18, 95)),
        "marrow_blasts_pct": _maybe(st.floats(0, 19)),
        "peripheral_blasts_pct": _maybe(st.floats(0, 19)),
        "marrow_cellularity": _maybe(st.sampled_from(["hypocellular", "normocellular", "hypercellular"])),
        "marrow_cellularity_pct": _maybe(st.floats(5, 95)),
        "hemoglobin_g_dl": _maybe(st.floats(5, 15)),
        "platelets_10e9_l": _maybe(st.floats(5, 400)),
        "anc_10e9_l": _maybe(st.floats(0.1, 6)),
        "serum_epo_mu_ml": _maybe(st.floats(5, 2000)),
        "serum_ferritin_ng_ml": _maybe(st.floats(10, 5000)),
        "transfusion_units_per_8wk": _maybe(st.floats(0, 10)),
        "transfusion_dependent": _maybe(st.booleans()),
        "rbc_units_total": _maybe(st.floats(0, 200)),
        "ring_sideroblasts_pct": _maybe(st.floats(0, 60)),
        "ipssr_cytogenetic_group": _maybe(st.sampled_from(["very_good", "good", "intermediate", "poor", "very_poor"])),
        "ipss_category": _maybe(st.sampled_from(["low", "intermediate_1", "intermediate_2", "high"])),
        "ipssr_category": _maybe(st.sampled_from(["very_low", "low", "intermediate", "high", "very_high"])),
        "ipssm_category": _maybe(st.sampled_from(["very_low", "low", "moderate_low", "moderate_high", "high",
                                                  "very_high"])),
        "ipssr_score": _maybe(st.floats(0, 10)),
        "risk_group": _maybe(st.sampled_from(["lower", "higher"])),
        "esa_status": _maybe(st.sampled_from(["naive", "responding", "responded_then_lost", "refractory",
                                              "intolerant", "ineligible"])),
        "anemia_symptoms": _maybe(st.booleans()),
        "bleeding": _maybe(st.booleans()),
        "platelet_transfusions": _maybe(st.booleans()),
        "recurrent_infections": _maybe(st.booleans()),
        "pnh_clone": _maybe(st.booleans()),
        "hla_dr15": _maybe(st.booleans()),
        "stat3_t_cell_clone": _maybe(st.booleans()),
        "transplant_candidate": _maybe(st.booleans()),
        "donor_available": _maybe(st.booleans()),
        "wants_transplant": _maybe(st.booleans()),
        "ecog": _maybe(st.integers(0, 4)),
        "hct_ci": _maybe(st.integers(0, 8)),
        "creatinine_clearance_ml_min": _maybe(st.floats(10, 150)),
        "karyotype_abnormality_count": _maybe(st.integers(0, 5)),
        "mutated_genes": _maybe(st.sets(st.sampled_from(GENES), max_size=3)),
        "karyotype_findings": _maybe(st.sets(st.sampled_from(FINDINGS), max_size=3)),
        "failed_therapies": _maybe(st.sets(st.sampled_from(THERAPIES), max_size=3)),
    }
    values = {k: draw(s) for k, s in spec.items()}
    values = {k: v for k, v in values.items() if v is not None}
    if "failed_therapies" in values:
        values["prior_therapies"] = set(values["failed_therapies"]) | draw(st.sets(st.sampled_from(THERAPIES),
                                                                                  max_size=2))
    return values


def _plan(values):
    return build_plan(CURATED.recommendations, values, CURATED.families, CURATED.names,
                      lambda c: check_text(c, CURATED.names))


def test_the_curated_guidance_has_no_problems():
    assert CURATED.recommendations, "no curated recommendations were loaded"
    problems = check_guidance(load_guidance(), load_ontology())
    assert not problems, "\n".join(str(p) for p in problems)


def test_every_positive_recommendation_has_a_population():
    """No recommendation may match everyone: each positive one constrains who it is for."""
    for rec in CURATED.recommendations:
        if rec.positive:
            assert leaves(rec.requires), rec.id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(criterion_values())
def test_no_therapy_is_offered_against_its_rules(values):
    plan = _plan(values)
    for item in plan.items:
        if item.verdict not in OFFERED:
            continue
        deciding = item.deciding
        rec = deciding.recommendation
        assert rec.positive, item.therapy_id
        by_path = {c.path: c for c in deciding.checks}
        assert node_status(rec.requires, "requires", by_path) == MET, (item.therapy_id, rec.id)
        for i, node in enumerate(rec.excludes):
            assert node_status(node, f"excludes[{i}]", by_path) == NOT_MET, (item.therapy_id, rec.id)
        failed = set(values.get("failed_therapies") or ())
        if not rec.allowed_after_class_failure:
            assert not (failed & CURATED.families.same(item.therapy_id)), (item.therapy_id, failed)
        assert "failed_therapies" in values, "offered without knowing the treatment history"
        for other in item.considered:
            if not other.recommendation.positive:
                assert other.requires_status == NOT_MET, (item.therapy_id, other.recommendation.id)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(criterion_values())
def test_a_missing_value_never_produces_met(values):
    for rec in CURATED.recommendations:
        outcome = evaluate_recommendation(rec, values, CURATED.families)
        for check in outcome.checks:
            if check.variable not in values:
                assert check.status == "UNKNOWN", (rec.id, check.variable)
                assert check.missing, (rec.id, check.variable)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(criterion_values(), st.data())
def test_removing_a_value_never_turns_a_ruled_out_or_unknown_therapy_into_an_option(values, data):
    """Knowing less can only make the plan less sure, never offer more."""
    if not values:
        return
    key = data.draw(st.sampled_from(sorted(values)))
    fewer = {k: v for k, v in values.items() if k != key and not (key == "failed_therapies" and k == "prior_therapies")}
    before = {i.therapy_id: i.verdict for i in _plan(values).items}
    after = {i.therapy_id: i.verdict for i in _plan(fewer).items}
    for therapy, verdict in after.items():
        if verdict in OFFERED:
            assert before[therapy] in OFFERED, (therapy, key, before[therapy], verdict)
