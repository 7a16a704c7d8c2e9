"""IPSS-R (Greenberg et al., Blood 2012;120:2454, PMID 22740453) and IPSS (Greenberg et al.,
Blood 1997;89:2079).

IPSS-R prognostic score values (MDS Foundation IPSS-R calculator resource table, which
reproduces Greenberg 2012 Table 3):

    variable        0       0.5       1        1.5     2       3      4
    cytogenetics    v.good  -         good     -       interm. poor   v.poor
    BM blasts %     <=2     -         >2-<5    -       5-10    >10
    hemoglobin g/dL >=10    -         8-<10    <8
    platelets 10^9/L >=100  50-<100   <50
    ANC 10^9/L      >=0.8   <0.8

Risk categories: very low <=1.5; low >1.5-3; intermediate >3-4.5; high >4.5-6; very high >6.
Treatment groups: lower-risk <=3.5, higher-risk >3.5 (Pfeilstöcker et al., Blood
2016;128:902: "a reasonable division into lower- and higher-risk MDS based on the IPSS-R at
a cutoff of 3.5 points").
Age-adjusted IPSS-R (IPSS-RA, for survival only):
    score + (age - 70) x [0.05 - (score x 0.005)]
as implemented by the MDS Foundation / papaemmelab reference calculator (ipssm-api
`computeIpssr`), which also rounds the score to 4 decimals before categorising.

IPSS (1997): blasts <5 % 0, 5-10 % 0.5, 11-20 % 1.5, 21-30 % 2.0; karyotype good 0,
intermediate 0.5, poor 1.0; cytopenias 0/1 -> 0, 2/3 -> 0.5 (cytopenia = hemoglobin <10 g/dL,
ANC <1.8 x10^9/L, platelets <100 x10^9/L). Categories: low 0, intermediate-1 0.5-1.0,
intermediate-2 1.5-2.0, high >=2.5. The published blast ranges are whole numbers; values in
between are assigned as 5-10, >10-20, >20-30. Lower-risk = low / intermediate-1 (NCCN).

When inputs are missing the score is not guessed: the result gives the range of possible
scores (`score_min`, `score_max`) and a category only if the whole range falls in one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .record import NormalisedPatient

__all__ = [
    "Component",
    "IpssrResult",
    "IpssResult",
    "ipssr_score",
    "compute_ipssr",
    "ipss_score",
    "compute_ipss",
    "ipssr_category",
    "ipss_category",
    "IPSSR_CYTO_POINTS",
    "IPSSR_CATEGORIES",
    "IPSSR_LOWER_HIGHER_CUTOFF",
]


@dataclass(frozen=True)
class Component:
    name: str
    value: Any  # the patient's value (None if missing)
    points: float | None  # None if the value is missing


IPSSR_CYTO_POINTS = {"very_good": 0.0, "good": 1.0, "intermediate": 2.0, "poor": 3.0, "very_poor": 4.0}
IPSSR_CATEGORIES = ("very_low", "low", "intermediate", "high", "very_high")
# Upper bounds (inclusive) of the IPSS-R categories; the last is open.
_IPSSR_BOUNDS = (1.5, 3.0, 4.5, 6.0)
IPSSR_LOWER_HIGHER_CUTOFF = 3.5

IPSS_CYTO_POINTS = {"good": 0.0, "intermediate": 0.5, "poor": 1.0}
IPSS_CATEGORIES = ("low", "intermediate_1", "intermediate_2", "high")


def _blast_points(b: float) -> float:
    if b <= 2:
        return 0.0
    if b < 5:
        return 1.0
    if b <= 10:
        return 2.0
    return 3.0


def _hb_points(hb: float) -> float:
    if hb >= 10:
        return 0.0
    if hb >= 8:
        return 1.0
    return 1.5


def _plt_points(plt: float) -> float:
    if plt >= 100:
        return 0.0
    if plt >= 50:
        return 0.5
    return 1.0


def _anc_points(anc: float) -> float:
    return 0.0 if anc >= 0.8 else 0.5


_IPSSR_OPTIONS = {
    "cytogenetics": tuple(IPSSR_CYTO_POINTS.values()),
    "marrow_blasts_pct": (0.0, 1.0, 2.0, 3.0),
    "hemoglobin_g_dl": (0.0, 1.0, 1.5),
    "platelets_10e9_l": (0.0, 0.5, 1.0),
    "anc_10e9_l": (0.0, 0.5),
}


def ipssr_category(score: float) -> str:
    s = round(score, 4)
    for bound, cat in zip(_IPSSR_BOUNDS, IPSSR_CATEGORIES[:-1], strict=True):  # the last one is open
        if s <= bound:
            return cat
    return IPSSR_CATEGORIES[-1]


def _ipssr_risk_group(score: float) -> str:
    return "lower" if round(score, 4) <= IPSSR_LOWER_HIGHER_CUTOFF else "higher"


def _age_adjust(score: float, age: float) -> float:
    return round(score + (age - 70.0) * (0.05 - score * 0.005), 4)


@dataclass(frozen=True)
class IpssrResult:
    score: float | None
    category: str | None
    components: list[Component]
    missing: list[str]
    risk_group: str | None  # lower (<=3.5) | higher (>3.5) | None if the range straddles 3.5
    score_min: float
    score_max: float
    category_min: str = ""
    category_max: str = ""
    age_adjusted_score: float | None = None  # IPSS-RA
    age_adjusted_category: str | None = None
    age_adjusted_min: float | None = None
    age_adjusted_max: float | None = None
    warnings: list[str] = field(default_factory=list)


def ipssr_score(
    marrow_blasts_pct: float | None,
    hemoglobin_g_dl: float | None,
    platelets_10e9_l: float | None,
    anc_10e9_l: float | None,
    cytogenetic_group: str | None,
    age: float | None = None,
) -> IpssrResult:
    """IPSS-R from values in canonical units (None = missing)."""
    comps: list[Component] = []
    missing: list[str] = []
    lo = hi = 0.0
    warnings: list[str] = []

    def add(name: str, value: Any, fn) -> None:
        nonlocal lo, hi
        if value is None:
            comps.append(Component(name, None, None))
            missing.append(name)
            opts = _IPSSR_OPTIONS[name]
            lo += min(opts)
            hi += max(opts)
        else:
            p = fn(value)
            comps.append(Component(name, value, p))
            lo += p
            hi += p

    if cytogenetic_group is not None and cytogenetic_group not in IPSSR_CYTO_POINTS:
        raise ValueError(f"unknown IPSS-R cytogenetic group {cytogenetic_group!r}")
    add("cytogenetics", cytogenetic_group, IPSSR_CYTO_POINTS.__getitem__)
    add("marrow_blasts_pct", marrow_blasts_pct, _blast_points)
    add("hemoglobin_g_dl", hemoglobin_g_dl, _hb_points)
    add("platelets_10e9_l", platelets_10e9_l, _plt_points)
    add("anc_10e9_l", anc_10e9_l, _anc_points)
    if marrow_blasts_pct is not None and marrow_blasts_pct >= 20:
        warnings.append("marrow blasts >= 20 %: AML by WHO criteria; IPSS-R is for MDS")

    lo, hi = round(lo, 4), round(hi, 4)
    cmin, cmax = ipssr_category(lo), ipssr_category(hi)
    score = lo if lo == hi else None
    category = cmin if cmin == cmax else None
    rg_lo, rg_hi = _ipssr_risk_group(lo), _ipssr_risk_group(hi)
    risk_group = rg_lo if rg_lo == rg_hi else None

    aa = aa_cat = aa_min = aa_max = None
    if age is not None:
        # IPSS-RA increases with the score for any age below 270, so the bounds map directly.
        aa_min, aa_max = _age_adjust(lo, age), _age_adjust(hi, age)
        if score is not None:
            aa = aa_min
        c1, c2 = ipssr_category(aa_min), ipssr_category(aa_max)
        aa_cat = c1 if c1 == c2 else None
    return IpssrResult(
        score=score,
        category=category,
        components=comps,
        missing=missing,
        risk_group=risk_group,
        score_min=lo,
        score_max=hi,
        category_min=cmin,
        category_max=cmax,
        age_adjusted_score=aa,
        age_adjusted_category=aa_cat,
        age_adjusted_min=aa_min,
        age_adjusted_max=aa_max,
        warnings=warnings,
    )


def compute_ipssr(patient: NormalisedPatient, karyotype: Any = None) -> IpssrResult:
    """IPSS-R of a normalised patient; the cytogenetic group is the one given, else the
    parsed karyotype's (a karyotype.KaryotypeResult)."""
    cyto = patient.ipssr_cytogenetic_group
    warnings: list[str] = []
    kgroup = getattr(karyotype, "ipssr_group", None) if karyotype is not None else None
    if cyto is None:
        cyto = kgroup
    elif kgroup is not None and kgroup != cyto:
        warnings.append("the given IPSS-R cytogenetic group differs from the parsed karyotype; the given group is used")
    res = ipssr_score(
        patient.marrow_blasts_pct,
        patient.hemoglobin_g_dl,
        patient.platelets_10e9_l,
        patient.anc_10e9_l,
        cyto,
        patient.age_years,
    )
    if warnings:
        res.warnings.extend(warnings)
    return res


# --------------------------------------------------------------------------------------
# IPSS (1997)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IpssResult:
    score: float | None
    category: str | None
    components: list[Component]
    missing: list[str]
    risk_group: str | None  # lower (low, int-1) | higher (int-2, high)
    score_min: float | None
    score_max: float | None
    warnings: list[str] = field(default_factory=list)


def _ipss_blast_points(b: float) -> float | None:
    if b < 5:
        return 0.0
    if b <= 10:
        return 0.5
    if b <= 20:
        return 1.5
    if b <= 30:
        return 2.0
    return None  # > 30 %: outside IPSS (AML)


def ipss_category(score: float) -> str:
    s = round(score, 4)
    if s == 0:
        return "low"
    if s <= 1.0:
        return "intermediate_1"
    if s <= 2.0:
        return "intermediate_2"
    return "high"


def _ipss_risk_group(cat: str) -> str:
    return "lower" if cat in ("low", "intermediate_1") else "higher"


def ipss_score(
    marrow_blasts_pct: float | None,
    hemoglobin_g_dl: float | None,
    platelets_10e9_l: float | None,
    anc_10e9_l: float | None,
    cytogenetic_group: str | None,  # IPSS group: good | intermediate | poor
) -> IpssResult:
    comps: list[Component] = []
    missing: list[str] = []
    warnings: list[str] = []
    lo = hi = 0.0

    if cytogenetic_group is not None and cytogenetic_group not in IPSS_CYTO_POINTS:
        raise ValueError(f"unknown IPSS cytogenetic group {cytogenetic_group!r}")
    if cytogenetic_group is None:
        comps.append(Component("cytogenetics", None, None))
        missing.append("cytogenetics")
        hi += 1.0
    else:
        p = IPSS_CYTO_POINTS[cytogenetic_group]
        comps.append(Component("cytogenetics", cytogenetic_group, p))
        lo += p
        hi += p

    if marrow_blasts_pct is None:
        comps.append(Component("marrow_blasts_pct", None, None))
        missing.append("marrow_blasts_pct")
        hi += 2.0
    else:
        p = _ipss_blast_points(marrow_blasts_pct)
        if p is None:
            warnings.append("marrow blasts > 30 %: outside the IPSS (AML)")
            return IpssResult(None, None, comps + [Component("marrow_blasts_pct", marrow_blasts_pct, None)],
                              missing, None, None, None, warnings)
        comps.append(Component("marrow_blasts_pct", marrow_blasts_pct, p))
        lo += p
        hi += p

    cyto_flags = [
        ("hemoglobin_g_dl", hemoglobin_g_dl, lambda x: x < 10),
        ("anc_10e9_l", anc_10e9_l, lambda x: x < 1.8),
        ("platelets_10e9_l", platelets_10e9_l, lambda x: x < 100),
    ]
    known = [f(v) for _, v, f in cyto_flags if v is not None]
    n_missing = sum(1 for _, v, _ in cyto_flags if v is None)
    for name, v, _ in cyto_flags:
        if v is None:
            missing.append(name)
    n_min = sum(known)
    n_max = n_min + n_missing
    p_min = 0.5 if n_min >= 2 else 0.0
    p_max = 0.5 if n_max >= 2 else 0.0
    comps.append(Component("cytopenias", n_min if n_missing == 0 else None, p_min if p_min == p_max else None))
    lo += p_min
    hi += p_max

    cmin, cmax = ipss_category(lo), ipss_category(hi)
    score = lo if lo == hi else None
    category = cmin if cmin == cmax else None
    g1, g2 = _ipss_risk_group(cmin), _ipss_risk_group(cmax)
    return IpssResult(score, category, comps, missing, g1 if g1 == g2 else None, lo, hi, warnings)


def compute_ipss(patient: NormalisedPatient, karyotype: Any = None) -> IpssResult:
    """IPSS (1997) of a normalised patient; cytogenetics from the parsed karyotype only
    (the IPSS-R group cannot be mapped back to the IPSS groups)."""
    group = getattr(karyotype, "ipss_group", None) if karyotype is not None else None
    return ipss_score(
        patient.marrow_blasts_pct,
        patient.hemoglobin_g_dl,
        patient.platelets_10e9_l,
        patient.anc_10e9_l,
        group,
    )
