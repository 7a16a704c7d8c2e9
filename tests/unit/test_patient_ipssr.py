"""IPSS-R (Greenberg 2012) and IPSS (Greenberg 1997): every table row, every boundary."""

import pytest

from service.patient.ipssr import (
    compute_ipss,
    compute_ipssr,
    ipss_category,
    ipss_score,
    ipssr_category,
    ipssr_score,
)
from service.patient.karyotype import parse_karyotype
from service.patient.record import PatientInput, Quantity, normalise


def points(result, name):
    return next(c.points for c in result.components if c.name == name)


def full(blasts=0, hb=12, plt=200, anc=2, cyto="very_good", age=None):
    return ipssr_score(blasts, hb, plt, anc, cyto, age)


# ---- point tables -------------------------------------------------------------------

@pytest.mark.parametrize("cyto,pts", [
    ("very_good", 0), ("good", 1), ("intermediate", 2), ("poor", 3), ("very_poor", 4),
])
def test_cytogenetic_points(cyto, pts):
    assert points(full(cyto=cyto), "cytogenetics") == pts


@pytest.mark.parametrize("blasts,pts", [
    (0, 0), (2, 0), (2.01, 1), (3, 1), (4.99, 1), (5, 2), (7, 2), (10, 2), (10.01, 3), (19, 3),
])
def test_blast_points(blasts, pts):
    assert points(full(blasts=blasts), "marrow_blasts_pct") == pts


@pytest.mark.parametrize("hb,pts", [(14, 0), (10, 0), (9.99, 1), (8, 1), (7.99, 1.5), (5, 1.5)])
def test_hemoglobin_points(hb, pts):
    assert points(full(hb=hb), "hemoglobin_g_dl") == pts


@pytest.mark.parametrize("plt,pts", [(300, 0), (100, 0), (99.9, 0.5), (50, 0.5), (49.9, 1), (5, 1)])
def test_platelet_points(plt, pts):
    assert points(full(plt=plt), "platelets_10e9_l") == pts


@pytest.mark.parametrize("anc,pts", [(3, 0), (0.8, 0), (0.79, 0.5), (0.1, 0.5)])
def test_anc_points(anc, pts):
    assert points(full(anc=anc), "anc_10e9_l") == pts


# ---- categories at every boundary --------------------------------------------------

@pytest.mark.parametrize("score,cat", [
    (0, "very_low"), (1.0, "very_low"), (1.5, "very_low"), (2.0, "low"), (3.0, "low"),
    (3.5, "intermediate"), (4.0, "intermediate"), (4.5, "intermediate"), (5.0, "high"),
    (6.0, "high"), (6.5, "very_high"), (10, "very_high"),
])
def test_category_function(score, cat):
    assert ipssr_category(score) == cat


@pytest.mark.parametrize("kwargs,score,cat,group", [
    (dict(cyto="good", plt=60), 1.5, "very_low", "lower"),             # 1 + 0.5
    (dict(cyto="good", plt=60, anc=0.5), 2.0, "low", "lower"),         # 1 + 0.5 + 0.5
    (dict(cyto="good", blasts=5), 3.0, "low", "lower"),                # 1 + 2
    (dict(cyto="good", blasts=5, plt=60), 3.5, "intermediate", "lower"),   # 3.5: still lower risk
    (dict(cyto="good", blasts=5, hb=9), 4.0, "intermediate", "higher"),    # > 3.5: higher risk
    (dict(cyto="intermediate", blasts=5, plt=60), 4.5, "intermediate", "higher"),
    (dict(cyto="intermediate", blasts=5, hb=9), 5.0, "high", "higher"),
    (dict(cyto="poor", blasts=11), 6.0, "high", "higher"),
    (dict(cyto="poor", blasts=11, anc=0.5), 6.5, "very_high", "higher"),
    (dict(cyto="very_poor", blasts=15, hb=7, plt=20, anc=0.3), 10.0, "very_high", "higher"),
])
def test_scores_at_category_boundaries(kwargs, score, cat, group):
    r = full(**kwargs)
    assert r.score == score
    assert r.category == cat
    assert r.risk_group == group
    assert r.missing == []
    assert r.score_min == r.score_max == score


# ---- missing values: a range, never a guess -----------------------------------------

def test_missing_everything_gives_full_range():
    r = ipssr_score(None, None, None, None, None)
    assert r.score is None and r.category is None and r.risk_group is None
    assert (r.score_min, r.score_max) == (0, 10)
    assert set(r.missing) == {"cytogenetics", "marrow_blasts_pct", "hemoglobin_g_dl",
                              "platelets_10e9_l", "anc_10e9_l"}


def test_missing_anc_range_within_one_category():
    # very good 0 + blasts 0 + hb 0 + plt 0, ANC missing -> 0 or 0.5: both very low
    r = ipssr_score(1, 12, 200, None, "very_good")
    assert r.score is None
    assert (r.score_min, r.score_max) == (0, 0.5)
    assert r.category == "very_low"
    assert r.risk_group == "lower"
    assert r.missing == ["anc_10e9_l"]


def test_missing_anc_range_straddling_categories():
    # good 1 + blasts 2 (5 %) = 3.0; ANC missing -> 3.0 (low) or 3.5 (intermediate)
    r = ipssr_score(5, 12, 200, None, "good")
    assert (r.score_min, r.score_max) == (3.0, 3.5)
    assert r.category is None
    assert (r.category_min, r.category_max) == ("low", "intermediate")
    assert r.risk_group == "lower"  # both <= 3.5


def test_missing_cytogenetics_straddles_risk_groups():
    r = ipssr_score(3, 12, 200, 2, None)
    assert (r.score_min, r.score_max) == (1, 5)
    assert r.category is None and r.risk_group is None


# ---- age-adjusted (IPSS-RA) ---------------------------------------------------------

@pytest.mark.parametrize("kwargs,age,expected", [
    (dict(cyto="good", blasts=5), 72, 3.07),   # 3 + 2 * (0.05 - 0.015)
    (dict(cyto="good", blasts=5), 60, 2.65),   # 3 - 10 * 0.035
    (dict(cyto="good", blasts=5), 70, 3.0),
    (dict(), 80, 0.5),                         # 0 + 10 * 0.05
    (dict(cyto="poor", blasts=11), 50, 5.6),   # 6 - 20 * (0.05 - 0.03)
])
def test_age_adjusted(kwargs, age, expected):
    r = full(age=age, **kwargs)
    assert r.age_adjusted_score == pytest.approx(expected, abs=1e-9)
    assert r.age_adjusted_category == ipssr_category(expected)


def test_age_adjusted_category_can_differ():
    r = full(cyto="good", blasts=5, age=72)
    assert r.category == "low" and r.age_adjusted_category == "intermediate"


def test_unknown_cytogenetic_group_rejected():
    with pytest.raises(ValueError):
        ipssr_score(1, 12, 200, 2, "excellent")


def test_compute_from_patient_uses_karyotype_and_units():
    n = normalise(PatientInput(age=70, marrow_blasts_pct=3, hemoglobin=Quantity(95, "g/L"),
                               platelets=Quantity(80000, "/uL"), anc=Quantity(700, "/uL"),
                               karyotype="45,XY,-7[20]"))
    r = compute_ipssr(n, parse_karyotype(n.karyotype))
    # poor 3 + blasts 1 + hb 1 + plt 0.5 + anc 0.5
    assert r.score == 6.0 and r.category == "high" and r.risk_group == "higher"
    assert r.age_adjusted_score == 6.0


def test_given_cytogenetic_group_wins_with_warning():
    n = normalise(PatientInput(marrow_blasts_pct=1, hemoglobin=Quantity(12, "g/dL"),
                               platelets=Quantity(200, "10^9/L"), anc=Quantity(2, "10^9/L"),
                               ipssr_cytogenetic_group="good", karyotype="45,XY,-7[20]"))
    r = compute_ipssr(n, parse_karyotype(n.karyotype))
    assert r.score == 1.0
    assert r.warnings


# ---- IPSS (1997) --------------------------------------------------------------------

@pytest.mark.parametrize("blasts,pts", [(0, 0), (4.9, 0), (5, 0.5), (10, 0.5), (11, 1.5), (20, 1.5),
                                        (21, 2.0), (30, 2.0)])
def test_ipss_blast_points(blasts, pts):
    r = ipss_score(blasts, 12, 200, 2, "good")
    assert points(r, "marrow_blasts_pct") == pts


@pytest.mark.parametrize("group,pts", [("good", 0), ("intermediate", 0.5), ("poor", 1.0)])
def test_ipss_karyotype_points(group, pts):
    assert points(ipss_score(1, 12, 200, 2, group), "cytogenetics") == pts


@pytest.mark.parametrize("hb,anc,plt,pts", [
    (12, 2, 200, 0), (9, 2, 200, 0), (9, 1.7, 200, 0.5), (9, 1.7, 99, 0.5), (10, 1.8, 100, 0),
])
def test_ipss_cytopenia_points(hb, anc, plt, pts):
    assert points(ipss_score(1, hb, plt, anc, "good"), "cytopenias") == pts


@pytest.mark.parametrize("score,cat", [(0, "low"), (0.5, "intermediate_1"), (1.0, "intermediate_1"),
                                       (1.5, "intermediate_2"), (2.0, "intermediate_2"), (2.5, "high"),
                                       (3.5, "high")])
def test_ipss_categories(score, cat):
    assert ipss_category(score) == cat


def test_ipss_full_and_risk_group():
    r = ipss_score(12, 9, 50, 1.0, "poor")  # 1.5 + 1.0 + 0.5
    assert r.score == 3.0 and r.category == "high" and r.risk_group == "higher"
    r = ipss_score(3, 12, 200, 2, "intermediate")
    assert r.score == 0.5 and r.category == "intermediate_1" and r.risk_group == "lower"


def test_ipss_missing_and_over_30_blasts():
    r = ipss_score(3, 9, None, None, "good")
    assert r.score is None and (r.score_min, r.score_max) == (0, 0.5)
    assert r.category is None and r.risk_group == "lower"
    r = ipss_score(35, 12, 200, 2, "good")
    assert r.score is None and r.warnings


def test_compute_ipss_from_karyotype():
    n = normalise(PatientInput(marrow_blasts_pct=3, hemoglobin=Quantity(12, "g/dL"),
                               platelets=Quantity(200, "10^9/L"), anc=Quantity(2, "10^9/L"),
                               karyotype="46,XY,del(20)(q11q13)[20]"))
    r = compute_ipss(n, parse_karyotype(n.karyotype))
    assert r.score == 0 and r.category == "low"
