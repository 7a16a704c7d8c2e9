"""IPSS-M (Bernard et al., NEJM Evidence 2022; doi:10.1056/EVIDoa2200008).

A port of the reference R package papaemmelab/ipssm (MIT licence, (c) 2022 Elsa Bernard):
`IPSSMprocess` (derived variables), `calculateNres2` (residual genes), `IPSSMmain` /
`IPSSMmodel` / `FillScenario` (best / mean / worst scenarios) and `IPSSMannotate` (the
reported score and category). Coefficients, mean values, best / worst imputation values,
the residual gene list, Nref = 0.388, the LOH VAF threshold 0.55, the log2 scaling, the
rounding to 2 decimals and the cut points (-1.5, -0.5, 0, 0.5, 1.5; intervals closed on the
right as in R's `cut`) are copied from that package (R/IPSSMmain.R, R/IPSSMprocess.R, R/Nres.R).

Inputs follow the reference CSV columns (HB g/dL, PLT 10^9/L, BM_BLAST %, del5q, del7_7q,
complex, CYTO_IPSSR, del17_17p, TP53mut '0'|'1'|'2 or more', TP53maxvaf 0-1, TP53loh, MLL_PTD,
FLT3, the 28 other genes); None is the reference's NA.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .ipssr import Component
from .record import NormalisedPatient

__all__ = [
    "IpssmResult",
    "ipssm_from_inputs",
    "compute_ipssm",
    "patient_to_ipssm_inputs",
    "ipssm_category",
    "BETA",
    "MEAN",
    "BEST",
    "WORST",
    "GENES_MAIN",
    "GENES_RES",
    "CUTPOINTS",
    "CATEGORIES",
]

# IPSSMmain.R: betaValues, meanValues, bestValues, worstValues
BETA: dict[str, float] = {
    "HB1": -0.171, "TRANSF_PLT100": -0.222, "BLAST5": 0.352, "CYTOVEC": 0.287,
    "TP53multi": 1.1800, "FLT3": 0.7980, "MLL_PTD": 0.7980, "SF3B1_5q": 0.5040, "NPM1": 0.4300,
    "RUNX1": 0.4230, "NRAS": 0.4170, "ETV6": 0.3910,
    "IDH2": 0.3790, "CBL": 0.2950, "EZH2": 0.2700, "U2AF1": 0.2470, "SRSF2": 0.2390, "DNMT3A": 0.2210,
    "ASXL1": 0.2130, "KRAS": 0.2020, "SF3B1_alpha": -0.0794,
    "nRes2": 0.2310,
}
MEAN: dict[str, float] = {
    "HB1": 9.87, "TRANSF_PLT100": 1.41, "BLAST5": 0.922, "CYTOVEC": 1.39,
    "TP53multi": 0.0710, "FLT3": 0.0108, "MLL_PTD": 0.0247,
    "SF3B1_5q": 0.0166, "NPM1": 0.0112, "RUNX1": 0.1260, "NRAS": 0.0362, "ETV6": 0.0216,
    "IDH2": 0.0429, "CBL": 0.0473, "EZH2": 0.0588, "U2AF1": 0.0866, "SRSF2": 0.1580, "DNMT3A": 0.1610,
    "ASXL1": 0.2520, "KRAS": 0.0271, "SF3B1_alpha": 0.1860,
    "nRes2": 0.3880,
}
BEST: dict[str, float] = {
    "HB1": 20, "TRANSF_PLT100": 2.5, "BLAST5": 0, "CYTOVEC": 0,
    "TP53multi": 0, "FLT3": 0, "MLL_PTD": 0,
    "SF3B1_5q": 0, "NPM1": 0, "RUNX1": 0, "NRAS": 0, "ETV6": 0,
    "IDH2": 0, "CBL": 0, "EZH2": 0, "U2AF1": 0, "SRSF2": 0, "DNMT3A": 0,
    "ASXL1": 0, "KRAS": 0, "SF3B1_alpha": 1,
}
WORST: dict[str, float] = {
    "HB1": 4, "TRANSF_PLT100": 0, "BLAST5": 4, "CYTOVEC": 4,
    "TP53multi": 1, "FLT3": 1, "MLL_PTD": 1,
    "SF3B1_5q": 1, "NPM1": 1, "RUNX1": 1, "NRAS": 1, "ETV6": 1,
    "IDH2": 1, "CBL": 1, "EZH2": 1, "U2AF1": 1, "SRSF2": 1, "DNMT3A": 1,
    "ASXL1": 1, "KRAS": 1, "SF3B1_alpha": 0,
}
# IPSSMread.R: main effect genes (besides TP53, FLT3, MLL_PTD) and residual genes (Nres.R).
GENES_MAIN = ("ASXL1", "CBL", "DNMT3A", "ETV6", "EZH2", "IDH2", "KRAS", "NPM1", "NRAS",
              "RUNX1", "SF3B1", "SRSF2", "U2AF1")
GENES_RES = ("BCOR", "BCORL1", "CEBPA", "ETNK1", "GATA2", "GNB1", "IDH1", "NF1",
             "PHF6", "PPM1D", "PRPF8", "PTPN11", "SETBP1", "STAG2", "WT1")
NREF = 0.3880
MAXVAF_LOH = 0.55
CUTPOINTS = (-1.5, -0.5, 0.0, 0.5, 1.5)
CATEGORIES = ("very_low", "low", "moderate_low", "moderate_high", "high", "very_high")
CYTOVEC = {"very_good": 0, "good": 1, "intermediate": 2, "poor": 3, "very_poor": 4}
# IPSSMannotate: the mean scenario is reported when worst - best <= range.max (default 1).
RANGE_MAX = 1.0

# Risk treatment group. Only the categories that every lower/higher split in use puts on the
# same side are mapped; moderate low / moderate high are left unmapped (None) because the
# split between them is a guideline convention this module does not cite.
RISK_GROUP = {"very_low": "lower", "low": "lower", "high": "higher", "very_high": "higher"}


def ipssm_category(score: float) -> str:
    """R: cut(score, breaks=c(-Inf, cutpoints, Inf)) - intervals closed on the right."""
    for cut, cat in zip(CUTPOINTS, CATEGORIES[:-1], strict=True):  # the last category is open
        if score <= cut:
            return cat
    return CATEGORIES[-1]


# Three-valued (Kleene) logic as R evaluates `which(a == 1 & b == 0 ...)`: None = NA.
def _eq(x: Any, v: Any) -> bool | None:
    return None if x is None else x == v


def _and(*xs: bool | None) -> bool | None:
    if any(x is False for x in xs):
        return False
    if any(x is None for x in xs):
        return None
    return True


def _or(*xs: bool | None) -> bool | None:
    if any(x is True for x in xs):
        return True
    if any(x is None for x in xs):
        return None
    return False


def _nres2(values: Mapping[str, Any]) -> dict[str, float]:
    """Nres.R calculateNres2."""
    res = [values.get(g) for g in GENES_RES]
    m = sum(1 for x in res if x is None)
    s = len(res) - m
    ns = sum(float(x) for x in res if x is not None)
    return {
        "mean": min(ns, 2) + max(((2 - ns) / 2) * (m / (s + m)) * NREF, 0),
        "best": min(ns, 2),
        "worst": min(ns + m, 2),
    }


def _process(inp: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
    """IPSSMprocess.R: user variables -> model variables (None = NA)."""
    g = lambda k: inp.get(k)  # noqa: E731
    p: dict[str, Any] = {}

    sf3b1_5q = None
    if _eq(g("SF3B1"), 0) is True:
        sf3b1_5q = 0
    if _or(_eq(g("del5q"), 0), _eq(g("del7_7q"), 1), _eq(g("complex"), 1)) is True:
        sf3b1_5q = 0
    if _and(_eq(g("SF3B1"), 1), _eq(g("del5q"), 1), _eq(g("del7_7q"), 0), _eq(g("complex"), 0)) is True:
        sf3b1_5q = 1
    p["SF3B1_5q"] = sf3b1_5q

    alpha = None
    if _eq(g("SF3B1"), 0) is True:
        alpha = 0
    if _or(_eq(sf3b1_5q, 1), *(_eq(g(k), 1) for k in ("SRSF2", "STAG2", "BCOR", "BCORL1", "RUNX1", "NRAS"))) is True:
        alpha = 0
    if _and(_eq(g("SF3B1"), 1), _eq(sf3b1_5q, 0),
            *(_eq(g(k), 0) for k in ("SRSF2", "STAG2", "BCOR", "BCORL1", "RUNX1", "NRAS"))) is True:
        alpha = 1
    p["SF3B1_alpha"] = alpha

    loh = g("TP53loh")
    maxvaf = g("TP53maxvaf")
    if _or(None if maxvaf is None else maxvaf > MAXVAF_LOH, _eq(g("del17_17p"), 1)) is True:
        loh = 1
    tp53mut = g("TP53mut")
    multi = None
    if _or(tp53mut == "0", _and(tp53mut == "1", _eq(loh, 0))) is True:
        multi = 0
    if _or(tp53mut == "2 or more", _and(tp53mut in ("1", "2 or more"), _eq(loh, 1))) is True:
        multi = 1
    p["TP53multi"] = multi

    hb, bm, plt = g("HB"), g("BM_BLAST"), g("PLT")
    p["HB1"] = None if hb is None else min(max(4.0, hb), 20.0)
    p["BLAST5"] = None if bm is None else min(bm, 20.0) / 5.0
    p["TRANSF_PLT100"] = None if plt is None else min(plt, 250.0) / 100.0
    cyto = g("CYTO_IPSSR")
    p["CYTOVEC"] = None if cyto is None else CYTOVEC[_cyto_key(cyto)]
    for k in ("FLT3", "MLL_PTD", "NPM1", "RUNX1", "NRAS", "ETV6", "IDH2", "CBL", "EZH2", "U2AF1",
              "SRSF2", "DNMT3A", "ASXL1", "KRAS"):
        p[k] = g(k)
    return p, _nres2(inp)


def _cyto_key(c: str) -> str:
    return str(c).strip().lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class IpssmResult:
    score: float | None  # reported score (mean scenario if worst - best <= 1, as IPSSMannotate)
    category: str | None  # reported category (IPSSMannotate)
    score_best: float
    score_worst: float
    category_best: str
    category_worst: str
    components: list[Component]  # model variable, value and log2 contribution (mean scenario)
    missing: list[str]
    risk_group: str | None  # only when best and worst agree and the category is mapped
    score_mean: float = 0.0
    category_mean: str = ""
    warnings: list[str] = field(default_factory=list)


def _scenario(p: Mapping[str, Any], nres: Mapping[str, float], fill: Mapping[str, float], scen: str):
    values = {k: (fill[k] if p.get(k) is None else float(p[k])) for k in fill}
    values["nRes2"] = nres[scen]
    contrib = {k: (values[k] - MEAN[k]) * BETA[k] / math.log(2) for k in BETA}
    score = round(sum(contrib.values()), 2) + 0.0  # +0.0: no negative zero
    return score, ipssm_category(score), values, contrib


_INPUT_NAMES = (
    ("HB", "BM_BLAST", "PLT", "CYTO_IPSSR", "del5q", "del7_7q", "complex", "del17_17p",
     "TP53mut", "TP53maxvaf", "TP53loh", "MLL_PTD", "FLT3") + GENES_MAIN + GENES_RES
)


def ipssm_from_inputs(inputs: Mapping[str, Any]) -> IpssmResult:
    """IPSS-M from inputs in the reference CSV format (None or 'NA' = missing)."""
    inp = {k: (None if (v is None or (isinstance(v, str) and v.strip().upper() in ("NA", "N/A", ""))) else v)
           for k, v in inputs.items()}
    for k in list(inp):
        if k in ("TP53mut", "CYTO_IPSSR") or inp[k] is None:
            continue
        inp[k] = float(inp[k])
    if inp.get("TP53mut") is not None:
        t = str(inp["TP53mut"]).strip()
        if t in ("0", "1", "2 or more"):
            inp["TP53mut"] = t
        elif t in ("2", "3", "2+") or (t.isdigit() and int(t) >= 2):
            inp["TP53mut"] = "2 or more"
        else:
            raise ValueError("TP53mut must be '0', '1' or '2 or more'")
    if inp.get("TP53maxvaf") is not None and not 0 <= inp["TP53maxvaf"] <= 1:
        raise ValueError("TP53maxvaf must be between 0 and 1")

    p, nres = _process(inp)
    mean_fill = {k: v for k, v in MEAN.items() if k != "nRes2"}
    sb, cb, _, _ = _scenario(p, nres, BEST, "best")
    sm, cm, vm, contrib_m = _scenario(p, nres, mean_fill, "mean")
    sw, cw, _, _ = _scenario(p, nres, WORST, "worst")

    # IPSSMannotate
    rng = sw - sb  # as R: worst - best on the rounded scores
    score = sm if rng <= RANGE_MAX else None
    category = cm if (rng <= RANGE_MAX or cb == cw) else None

    missing = [k for k in _INPUT_NAMES if inp.get(k) is None]
    # TP53maxvaf / TP53loh are only needed to decide TP53multi; report them only then.
    if p["TP53multi"] is not None or inp.get("TP53mut") in (None, "0"):
        missing = [k for k in missing if k not in ("TP53maxvaf", "TP53loh")]
    components = [Component(k, vm[k], round(contrib_m[k], 4)) for k in BETA]
    rg_b, rg_w = RISK_GROUP.get(cb), RISK_GROUP.get(cw)
    risk_group = rg_b if (rg_b is not None and rg_b == rg_w) else None
    return IpssmResult(
        score=score,
        category=category,
        score_best=sb,
        score_worst=sw,
        category_best=cb,
        category_worst=cw,
        components=components,
        missing=missing,
        risk_group=risk_group,
        score_mean=sm,
        category_mean=cm,
    )


# --------------------------------------------------------------------------------------
# From a normalised patient
# --------------------------------------------------------------------------------------

_FLT3_KINDS = {"ITD", "TKD"}


def patient_to_ipssm_inputs(patient: NormalisedPatient, karyotype: Any = None) -> tuple[dict[str, Any], list[str]]:
    """Build the reference-format inputs from a patient; returns (inputs, warnings).

    Genes: 1 if a non-germline mutation is listed; 0 if mutation data was given and the gene
    was tested (all genes, unless `sequenced_genes` limits the panel); None otherwise.
    FLT3 counts ITD or TKD (kind, or 'ITD' / 'D835' / 'I836' in the HGVS text); a FLT3
    mutation of unstated type is unknown. MLL_PTD needs a KMT2A (MLL) mutation of kind PTD
    (or gene written MLL_PTD / KMT2A_PTD); another KMT2A variant leaves it unknown.
    Cytogenetic flags come from a fully parsed karyotype; del17_17p is any 17p loss
    (del(17p), -17, i(17q)).
    """
    w: list[str] = []
    inp: dict[str, Any] = {
        "HB": patient.hemoglobin_g_dl,
        "PLT": patient.platelets_10e9_l,
        "BM_BLAST": patient.marrow_blasts_pct,
    }
    cyto = patient.ipssr_cytogenetic_group or getattr(karyotype, "ipssr_group", None)
    inp["CYTO_IPSSR"] = cyto
    if karyotype is not None and getattr(karyotype, "complete", False):
        f = karyotype.findings
        inp["del5q"] = int("del5q" in f)
        inp["del7_7q"] = int("del7q" in f or "minus7" in f)
        inp["complex"] = int("complex" in f)
        inp["del17_17p"] = int(bool(getattr(karyotype, "loss_17p", False)))
    else:
        if karyotype is not None and getattr(karyotype, "findings", None):
            f = karyotype.findings
            # Partially read karyotype: only positive findings are certain.
            inp["del5q"] = 1 if "del5q" in f else None
            inp["del7_7q"] = 1 if ("del7q" in f or "minus7" in f) else None
            inp["complex"] = 1 if "complex" in f else None
            inp["del17_17p"] = 1 if getattr(karyotype, "loss_17p", False) else None
        else:
            inp.update({"del5q": None, "del7_7q": None, "complex": None, "del17_17p": None})

    muts = patient.mutations
    somatic = [m for m in (muts or ()) if m.origin != "germline"]
    if muts is not None and len(somatic) < len(muts):
        w.append("germline variants are not counted in the IPSS-M")

    def tested(gene: str) -> bool:
        return muts is not None and (patient.sequenced_genes is None or gene in patient.sequenced_genes)

    for gene in GENES_MAIN + GENES_RES:
        if any(m.gene == gene for m in somatic):
            inp[gene] = 1
        else:
            inp[gene] = 0 if tested(gene) else None

    # FLT3 (ITD or TKD)
    flt3 = [m for m in somatic if m.gene == "FLT3"]
    if flt3:
        kinds = {_flt3_kind(m) for m in flt3}
        if kinds & _FLT3_KINDS:
            inp["FLT3"] = 1
        else:
            inp["FLT3"] = None
            w.append("FLT3 mutation without ITD/TKD type: IPSS-M FLT3 left unknown")
    else:
        inp["FLT3"] = 0 if tested("FLT3") else None

    # MLL (KMT2A) partial tandem duplication
    ptd = [m for m in somatic if m.gene in ("MLL_PTD", "KMT2A_PTD", "KMT2A-PTD", "MLL-PTD")
           or (m.gene in ("KMT2A", "MLL") and m.kind == "PTD")]
    other_kmt2a = [m for m in somatic if m.gene in ("KMT2A", "MLL") and m.kind != "PTD"]
    if ptd:
        inp["MLL_PTD"] = 1
    elif other_kmt2a:
        inp["MLL_PTD"] = None
        w.append("KMT2A variant not stated to be a PTD: IPSS-M MLL_PTD left unknown")
    else:
        inp["MLL_PTD"] = 0 if (tested("KMT2A") or tested("MLL_PTD")) else None

    # TP53
    tp53 = [m for m in somatic if m.gene == "TP53"]
    if not tested("TP53") and not tp53:
        inp["TP53mut"] = None
    else:
        inp["TP53mut"] = "0" if not tp53 else ("1" if len(tp53) == 1 else "2 or more")
    vafs = [m.vaf for m in tp53 if m.vaf is not None]
    inp["TP53maxvaf"] = max(vafs) if vafs else None
    inp["TP53loh"] = None if patient.tp53_loh is None else int(patient.tp53_loh)
    return inp, w


def _flt3_kind(m) -> str | None:
    if m.kind:
        return m.kind.upper()
    h = (m.hgvs or "").upper()
    if "ITD" in h:
        return "ITD"
    if "D835" in h or "I836" in h:
        return "TKD"
    return None


def compute_ipssm(patient: NormalisedPatient, karyotype: Any = None) -> IpssmResult:
    inputs, warnings = patient_to_ipssm_inputs(patient, karyotype)
    res = ipssm_from_inputs(inputs)
    res.warnings.extend(warnings)
    if patient.marrow_blasts_pct is not None and patient.marrow_blasts_pct >= 20:
        res.warnings.append("marrow blasts >= 20 %: AML by WHO criteria; IPSS-M is for MDS")
    return res
