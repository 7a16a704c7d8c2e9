"""IPSS-M against the reference R package's example patients and its derived-variable logic."""

import csv
import json
import math

import pytest

from service.patient.ipssm import (
    BETA,
    GENES_MAIN,
    GENES_RES,
    MEAN,
    compute_ipssm,
    ipssm_category,
    ipssm_from_inputs,
    patient_to_ipssm_inputs,
)
from service.patient.karyotype import parse_karyotype
from service.patient.record import Mutation, PatientInput, Quantity, normalise
from tests.shared_data import requires_shared, shared_path

# The reference package's example patients and its expected outputs (MIT, in ../shared: not ours).
EXAMPLES_CSV = shared_path("data/ipssm/IPSSMexample.csv")
EXPECTED_JSON = shared_path("data/ipssm/expected_ipssm.json")
needs_examples = requires_shared(EXAMPLES_CSV)
needs_expected = requires_shared(EXPECTED_JSON)
needs_both = requires_shared(EXAMPLES_CSV, EXPECTED_JSON)
EXAMPLE_IDS = ["pp347", "pp564", "zeroScore"]
CAT = {"Very Low": "very_low", "Low": "low", "Moderate Low": "moderate_low",
       "Moderate High": "moderate_high", "High": "high", "Very High": "very_high"}


def example_rows():
    with open(EXAMPLES_CSV, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def expected() -> dict:
    return json.loads(EXPECTED_JSON.read_text(encoding="utf-8"))


@needs_both
def test_reference_examples_are_the_three_known_patients():
    assert [r["ID"] for r in example_rows()] == EXAMPLE_IDS
    assert set(expected()) - {"_source"} == set(EXAMPLE_IDS)


@needs_both
@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_reference_examples(example_id):
    row = next(r for r in example_rows() if r["ID"] == example_id)
    exp = expected()[example_id]
    res = ipssm_from_inputs({k: v for k, v in row.items() if k != "ID"})
    assert res.score == pytest.approx(exp["IPSSM_SCORE"], abs=0.005)
    assert res.category == CAT[exp["IPSSM_CAT"]]
    assert res.score_best == pytest.approx(exp["IPSSM_SCORE_BEST"], abs=0.005)
    assert res.category_best == CAT[exp["IPSSM_CAT_BEST"]]
    assert res.score_worst == pytest.approx(exp["IPSSM_SCORE_WORST"], abs=0.005)
    assert res.category_worst == CAT[exp["IPSSM_CAT_WORST"]]


@needs_examples
def test_pp347_missing_residual_genes_reported():
    row = next(r for r in example_rows() if r["ID"] == "pp347")
    res = ipssm_from_inputs({k: v for k, v in row.items() if k != "ID"})
    assert res.missing == ["ETNK1", "GNB1", "PRPF8"]
    assert res.risk_group is None  # moderate high ... high: not determined


@needs_examples
def test_zero_score_patient_is_average():
    row = next(r for r in example_rows() if r["ID"] == "zeroScore")
    res = ipssm_from_inputs({k: v for k, v in row.items() if k != "ID"})
    raw = sum(c.points for c in res.components)
    assert abs(raw) < 0.005 and res.score == 0.0 and res.category == "moderate_low"


@pytest.mark.parametrize("score,cat", [
    (-3, "very_low"), (-1.5, "very_low"), (-1.49, "low"), (-0.5, "low"), (-0.49, "moderate_low"),
    (0, "moderate_low"), (0.01, "moderate_high"), (0.5, "moderate_high"), (0.51, "high"),
    (1.5, "high"), (1.51, "very_high"),
])
def test_category_cutpoints_closed_on_the_right(score, cat):
    assert ipssm_category(score) == cat


def test_gene_lists_and_weights():
    assert len(GENES_MAIN) == 13 and len(GENES_RES) == 15
    assert len(GENES_MAIN + GENES_RES) + 3 == 31  # + TP53, FLT3, MLL_PTD: 31 genes
    assert set(BETA) == set(MEAN) and len(BETA) == 22


def base(**over):
    d = {"HB": 10, "PLT": 150, "BM_BLAST": 2, "CYTO_IPSSR": "Good", "del5q": 0, "del7_7q": 0,
         "complex": 0, "del17_17p": 0, "TP53mut": "0", "TP53maxvaf": None, "TP53loh": 0,
         "MLL_PTD": 0, "FLT3": 0}
    d.update({g: 0 for g in GENES_MAIN + GENES_RES})
    d.update(over)
    return d


def contribution(res, name):
    return next(c for c in res.components if c.name == name)


def test_sf3b1_5q_and_alpha():
    r = ipssm_from_inputs(base(SF3B1=1, del5q=1))
    assert contribution(r, "SF3B1_5q").value == 1 and contribution(r, "SF3B1_alpha").value == 0
    r = ipssm_from_inputs(base(SF3B1=1))
    assert contribution(r, "SF3B1_5q").value == 0 and contribution(r, "SF3B1_alpha").value == 1
    r = ipssm_from_inputs(base(SF3B1=1, SRSF2=1))
    assert contribution(r, "SF3B1_alpha").value == 0
    r = ipssm_from_inputs(base(SF3B1=1, del5q=1, complex=1))
    assert contribution(r, "SF3B1_5q").value == 0


def test_tp53_multihit():
    # one mutation with VAF > 0.55: LOH inferred -> multi-hit
    assert contribution(ipssm_from_inputs(base(TP53mut="1", TP53maxvaf=0.6, TP53loh=None)), "TP53multi").value == 1
    # one mutation, VAF 0.55 (not above) and no LOH -> mono-allelic
    assert contribution(ipssm_from_inputs(base(TP53mut="1", TP53maxvaf=0.55, TP53loh=0)), "TP53multi").value == 0
    # one mutation with del(17p) -> multi-hit
    assert contribution(ipssm_from_inputs(base(TP53mut="1", del17_17p=1, TP53loh=None)), "TP53multi").value == 1
    assert contribution(ipssm_from_inputs(base(TP53mut="2 or more")), "TP53multi").value == 1
    # one mutation, LOH unknown: TP53multi missing -> best/worst differ by the TP53 weight
    r = ipssm_from_inputs(base(TP53mut="1", TP53maxvaf=0.3, TP53loh=None))
    assert r.score_worst - r.score_best == pytest.approx(BETA["TP53multi"] / math.log(2), abs=0.011)
    assert "TP53loh" in r.missing


def test_caps_platelets_blasts_hemoglobin():
    a = ipssm_from_inputs(base(PLT=250))
    assert ipssm_from_inputs(base(PLT=900)).score == a.score
    b = ipssm_from_inputs(base(BM_BLAST=20))
    assert ipssm_from_inputs(base(BM_BLAST=28)).score == b.score
    assert contribution(ipssm_from_inputs(base(HB=2)), "HB1").value == 4


def test_residual_genes_capped_at_two():
    one = ipssm_from_inputs(base(BCOR=1))
    two = ipssm_from_inputs(base(BCOR=1, STAG2=1))
    three = ipssm_from_inputs(base(BCOR=1, STAG2=1, WT1=1))
    assert contribution(one, "nRes2").value == 1
    assert contribution(two, "nRes2").value == 2 and two.score == three.score


def test_all_missing_clinical_gives_wide_range():
    r = ipssm_from_inputs({})
    assert r.score is None and r.category is None
    assert r.score_best < -1.5 and r.score_worst > 1.5
    assert "HB" in r.missing and "CYTO_IPSSR" in r.missing


# ---- from a patient record ---------------------------------------------------------

@needs_expected
def test_patient_to_inputs_reproduces_pp564():
    """pp564: HB 7.5, PLT 23, blasts 16, del5q, del7q, complex, very poor, one TP53 at VAF 0.85, NF1."""
    iscn = "44,XY,del(5)(q13q33),-7,-18,+8,-20[20]"
    kt = parse_karyotype(iscn)
    assert kt.ipssr_group == "very_poor"
    n = normalise(PatientInput(marrow_blasts_pct=16, hemoglobin=Quantity(75, "g/L"),
                               platelets=Quantity(23, "10^9/L"), karyotype=iscn,
                               mutations=[Mutation("TP53", 0.85), Mutation("NF1")]))
    inputs, _ = patient_to_ipssm_inputs(n, kt)
    assert inputs["del5q"] == 1 and inputs["del7_7q"] == 1 and inputs["complex"] == 1
    assert inputs["TP53mut"] == "1" and inputs["TP53maxvaf"] == 0.85 and inputs["NF1"] == 1
    res = compute_ipssm(n, kt)
    assert res.score == pytest.approx(expected()["pp564"]["IPSSM_SCORE"], abs=0.005)
    assert res.category == "very_high" and res.risk_group == "higher"


def test_patient_without_mutation_data_is_unknown_not_wild_type():
    n = normalise(PatientInput(marrow_blasts_pct=2, hemoglobin=Quantity(10, "g/dL"),
                               platelets=Quantity(150, "10^9/L"), ipssr_cytogenetic_group="good"))
    res = compute_ipssm(n, None)
    assert "SF3B1" in res.missing and res.score_best < res.score_worst


def test_sequenced_panel_limits_closed_world():
    n = normalise(PatientInput(mutations=[Mutation("ASXL1")], sequenced_genes=["ASXL1", "SF3B1", "TP53"]))
    inputs, _ = patient_to_ipssm_inputs(n, None)
    assert inputs["ASXL1"] == 1 and inputs["SF3B1"] == 0 and inputs["TP53mut"] == "0"
    assert inputs["RUNX1"] is None and inputs["BCOR"] is None


def test_flt3_and_mll_ptd_need_their_type():
    n = normalise(PatientInput(mutations=[Mutation("FLT3"), Mutation("KMT2A", hgvs="p.R123*")]))
    inputs, warnings = patient_to_ipssm_inputs(n, None)
    assert inputs["FLT3"] is None and inputs["MLL_PTD"] is None and len(warnings) == 2
    n = normalise(PatientInput(mutations=[Mutation("FLT3", kind="ITD"), Mutation("KMT2A", kind="PTD")]))
    inputs, _ = patient_to_ipssm_inputs(n, None)
    assert inputs["FLT3"] == 1 and inputs["MLL_PTD"] == 1


def test_germline_variants_not_counted():
    n = normalise(PatientInput(mutations=[Mutation("RUNX1", origin="germline")]))
    inputs, warnings = patient_to_ipssm_inputs(n, None)
    assert inputs["RUNX1"] == 0 and warnings
