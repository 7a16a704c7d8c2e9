"""Parse quantitative and categorical conditions ("blasts <5%", "IPSS low or intermediate-1")
into `Threshold` records named after the ontology's `criterion_variables`.

Pure functions over a string: no spaCy, no ontology. The parser works in two steps, the usual
way for lab-value extraction: first find *quantities* (operator, number or range, unit), then
decide which variable each quantity measures from its unit and the nearest cue word
("platelets", "ECOG", "blasts"). Units are normalised to the variable's unit in model.yaml.
Categorical conditions (IPSS/IPSS-R/IPSS-M categories), transfusion dependence and
transfusion burden have their own small recognisers. Offsets are into the given text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mdskg.records import Threshold

# The criterion variables this module can emit (checked against model.yaml by the tests).
VARIABLE_UNITS: dict[str, str | None] = {
    "creatinine_x_uln": "x ULN",  # "creatinine ≤ 1.5 x ULN"
    "bilirubin_mg_dl": "mg/dL",  # "total bilirubin ≤ 2 mg/dL" (µmol/L ÷ 17.1); a ×ULN needs the lab's ULN
    "age": "years",
    "marrow_blasts_pct": "%",
    "peripheral_blasts_pct": "%",
    "marrow_cellularity_pct": "%",
    "ring_sideroblasts_pct": "%",
    "hemoglobin_g_dl": "g/dL",
    "platelets_10e9_l": "10^9/L",
    "anc_10e9_l": "10^9/L",
    "wbc_10e9_l": "10^9/L",  # white-cell count ("no hyperleukocytosis, WBC > 30,000/mm3")
    "serum_epo_mu_ml": "mU/mL",
    "transfusion_units_per_8wk": "units/8 weeks",
    "transfusion_dependent": None,
    "ecog": None,
    "creatinine_mg_dl": "mg/dL",
    "bilirubin_x_uln": "x ULN",
    "ipss_category": None,
    "ipssr_category": None,
    "ipssm_category": None,
    # Trial eligibility labs and scores.
    "direct_bilirubin_mg_dl": "mg/dL",
    "ast_x_uln": "x ULN",
    "alt_x_uln": "x ULN",
    "ast_alt_x_uln": "x ULN",
    "creatinine_clearance_ml_min": "mL/min",
    "lvef_pct": "%",
    "dlco_pct_predicted": "%",
    "pao2_mmhg": "mmHg",
    "qtc_ms": "ms",
    "karnofsky": None,
    "life_expectancy_months": "months",
    "serum_ferritin_ng_ml": "ng/mL",
    "ipss_score": None,
    "ipssr_score": None,  # IPSS-R points, 0-10
    "hct_ci": None,  # HCT-CI (Sorror) comorbidity index, 0 and up
    "copper_ug_dl": "ug/dL",
    "bicarbonate_meq_l": "mEq/L",
    "weight_kg": "kg",
    "moca_score": None,  # Montreal Cognitive Assessment, 0-30
    "rbc_units_total": "units",  # red-cell units received in all (a lifetime count, not a rate)
}

# Variables a phrase can clearly name but model.yaml does not (yet) define: a condition on one is
# recognised — so its number is not given to another variable — and reported as rejected, not
# stored. Move an entry into VARIABLE_UNITS once model.yaml's criterion_variables has it.
PENDING_VARIABLES: dict[str, str] = {}

# Values outside these bounds (in the variable's unit, after conversion) are not believable for
# the variable: usually a unit written loosely ("EPO ≤ 200 IU/mL", "platelets ≥ 100/µL").
# They are rejected and reported rather than stored.
PLAUSIBLE_RANGES: dict[str, tuple[float, float]] = {
    "age": (0, 120),
    "marrow_blasts_pct": (0, 100),
    "peripheral_blasts_pct": (0, 100),
    "marrow_cellularity_pct": (0, 100),
    "ring_sideroblasts_pct": (0, 100),
    "hemoglobin_g_dl": (3, 20),
    "platelets_10e9_l": (1, 2000),
    "anc_10e9_l": (0, 50),
    "wbc_10e9_l": (0.1, 500),
    "serum_epo_mu_ml": (1, 10000),
    "creatinine_mg_dl": (0.1, 20),
    "bilirubin_mg_dl": (0.1, 50),
    "creatinine_x_uln": (0.1, 50),
    "bilirubin_x_uln": (0.1, 50),
    "direct_bilirubin_mg_dl": (0.1, 30),
    "ast_x_uln": (0.5, 30),
    "alt_x_uln": (0.5, 30),
    "ast_alt_x_uln": (0.5, 30),
    "creatinine_clearance_ml_min": (5, 200),
    "lvef_pct": (10, 90),
    "dlco_pct_predicted": (10, 150),
    "pao2_mmhg": (30, 150),
    "qtc_ms": (300, 600),
    "karnofsky": (0, 100),
    "life_expectancy_months": (0.25, 120),
    "serum_ferritin_ng_ml": (1, 20000),
    "ipss_score": (0, 3.5),
    "ipssr_score": (0, 10),
    "hct_ci": (0, 25),
    "copper_ug_dl": (10, 500),
    "bicarbonate_meq_l": (5, 50),
    "weight_kg": (2, 300),
    "moca_score": (0, 30),
    "rbc_units_total": (1, 1000),
}

# µmol/L per mg/dL, by analyte (molar masses: creatinine 113.1 g/mol, bilirubin 584.7 g/mol).
_UMOL_PER_MG_DL = {"creatinine_mg_dl": 88.4, "bilirubin_mg_dl": 17.1}


@dataclass(frozen=True)
class RejectedThreshold:
    """A condition whose variable is clear but which is not stored, with the reason."""

    variable: str
    operator: str
    values: tuple
    unit: str | None
    reason: str  # "implausible" | "variable-not-in-model"
    text: str
    start: int
    end: int

# ---- numbers and operators ------------------------------------------------------------------

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUM_RE = re.compile(NUM)

# Operator words/symbols written *before* the number, longest alternatives first.
_PREFIX_OPERATORS: list[tuple[str, str]] = [
    ("<=", r"less\s+than\s+or\s+equal\s+to|lower\s+than\s+or\s+equal\s+to|no\s+(?:more|greater|higher)\s+than"
           r"|younger\s+than\s+or\s+equal\s+to"
           r"|not\s*>|not\s+(?:be\s+)?(?:above|over)|equal\s+(?:to\s+)?or\s+less\s+than"
           r"|not\s+(?:more|greater|higher)\s+than|not\s+(?:to\s+)?exceed(?:ing)?|at\s+most|up\s+to"
           r"|(?:from\s+)?birth\s+(?:to|through|until)"  # "age birth to 70 years": no lower limit
           r"|a\s+maximum\s+of|maximum(?:\s+of)?|equal\s+to\s+or\s+(?:less|lower|below)(?:\s+than)?"
           r"|≤\s?/?\s?=?|⩽|≦|=<|=/<|<\s?/\s?=|<\s*or\s*=|<\s?="),
    (">=", r"greater\s+than\s+or\s+equal\s+to|more\s+than\s+or\s+equal\s+to|higher\s+than\s+or\s+equal\s+to"
           r"|older\s+than\s+or\s+equal\s+to"
           r"|no\s+(?:less|fewer|lower)\s+than|not\s+(?:less|fewer|lower)\s+than|at\s+least|a\s+minimum\s+of"
           r"|minimum(?:\s+of)?|reach(?:es|ed)?\s+or\s+exceed(?:s|ed)?|not\s*<|not\s+(?:be\s+)?below"
           r"|equal\s+(?:to\s+)?or\s+(?:greater|more)\s+than"
           r"|equal\s+to\s+or\s+(?:greater|more|higher|above)(?:\s+than)?"
           r"|≥\s?/?\s?=?|⩾|≧|=>|=/>|>\s?/\s?=|>\s*or\s*=|>\s?="),
    ("<", r"less\s+than|lower\s+than|fewer\s+than|below|under|younger\s+than|<|＜|‹"),
    (">", r"more\s+than|greater\s+than|higher\s+than|above|over|exceeding|exceeds?|older\s+than"
          r"|in\s+excess\s+of|>|＞|›"),
    ("==", r"=|equal\s+to"),
]
_PREFIX_RE = re.compile(
    r"(?:^|(?<=[^\w]))(?:" + "|".join(f"(?P<op{i}>{alt})" for i, (_, alt) in enumerate(_PREFIX_OPERATORS))
    # "under age 55", "below the age of 70": the operator's words, then the word age, then the number
    + r")(?P<age_word>\s+(?:the\s+)?age(?:\s+of)?)?[\s)]*$",  # "less than or equal to (</=) 2": a bracketed symbol repeats the words
    re.IGNORECASE,
)
_POSTFIX_RE = re.compile(
    r"\s*,?\s*(?:or|and)\s+(?P<word>less|lower|fewer|below|under|younger|smaller|more|greater|higher|above|older|over|larger)\b",
    re.IGNORECASE,
)
_POSTFIX_LE = {"less", "lower", "fewer", "below", "under", "younger", "smaller"}
_BETWEEN_RE = re.compile(r"between\s*$|from\s*$|range\s*(?:of\s*)?$|ranging\s+from\s*$", re.IGNORECASE)
_UPPER_BOUND_AFTER = re.compile(r"\s*(?:years?\s+)?(?:,\s*)?(?:but|and)\s+(?:also\s+)?(?:≤|<=|=<|at\s+most|not\s+(?:more|older)\s+than"
                                r"|no\s+(?:more|older)\s+than|up\s+to)\s*", re.IGNORECASE)
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|to|and)\s*(?=\d)", re.IGNORECASE)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:or\s+)?|or\s+)(?=\d\b)", re.IGNORECASE)

# ---- units ----------------------------------------------------------------------------------
# (kind, pattern, factor to the canonical unit of the kind). Order matters: first match wins.
_MICRO = r"(?:µ|μ|u|mc)"
_UNITS: list[tuple[str, str, float]] = [
    ("count", r"\s*(?:[x×X\*·]\s*)?10\s*(?:\^|\*\*|[eE])\s*\(?9\)?\s*(?:cells\s*)?/\s*[lL]\b", 1.0),
    ("count", r"\s*(?:[x×X\*·]\s*)?10\s*⁹\s*(?:cells\s*)?/\s*[lL]\b", 1.0),
    ("count", r"\s*[x×X\*·]\s*10\s*\(?9\)?\s*(?:cells\s*)?/\s*[lL]\b", 1.0),
    ("count", r"\s*(?:[x×X\*·]\s*)?10\s*(?:\^|\*\*|[eE])?\s*(?:\(3\)|3|³)\s*(?:cells\s*)?/\s*" + _MICRO + r"[lL]\b", 1.0),
    ("count", r"\s*(?:cells\s*)?(?:/|per\s+)(?:" + _MICRO + r"[lL]\b|micro[\s-]?lit(?:er|re)s?\b)", 0.001),
    ("count", r"\s*(?:cells\s*)?/\s*nL\b", 1.0),
    ("count", r"\s*(?:cells\s*)?(?:/|per\s+)(?:mm\s*(?:3|³|\^3)|cu\.?\s*mm|cubic\s+millimet(?:er|re))", 0.001),
    ("count", r"\s*G(?:pt)?\s*/\s*[lL]\b", 1.0),  # giga per litre: "G/L", "G/l", "Gpt/L" (10^9/L)
    ("count", r"\s*(?:thou|K)\s*/\s*(?:mm\s*(?:3|³)|cu\.?\s*mm|" + _MICRO + r"[lL])\b", 1.0),  # thousands per µL
    ("count", r"\s*[x×X]\s*109\s*/\s*[lL]\b", 1.0),  # "x 109/L": 10^9/L with the superscript lost
    ("uln", r"\s*(?:[x×X\*]|times|fold)\s*(?:(?i:the|an?|institutional|laboratory|lab|site|local|reference|normal)\s+)*"
            r"(?:I?ULN\b|(?i:upper\s+(?:limits?|level)\s+of\s+(?:the\s+)?normal(?:\s+range)?)|(?:upper\s+)?normal(?:\s+(?:limits?|range|value))?\b|ULRR\b)",
     1.0),
    ("uln", r"\s*(?:I?ULN\b|(?i:upper\s+limits?\s+of\s+normal))", 1.0),  # also "Upper Limit of Normal"; IULN: institutional
    ("epo", r"\s*m(?:I)?U\s*/\s*m[lL]\b", 1.0),
    ("epo", r"\s*(?:I)?U\s*/\s*[lL]\b", 1.0),
    ("epo", r"\s*(?:I)?U\s*/\s*m[lL]\b", 1000.0),
    ("hb", r"\s*g\s*/\s*d[lL]\b|\s*gm\s*/\s*d[lL]\b|\s*g\s*%", 1.0),
    ("mgdl", r"\s*mg\s*/\s*d[lL]\b|\s*mg\s*%", 1.0),
    ("umol", r"\s*" + _MICRO + r"mol\s*/\s*[lL]\b", 1.0),  # µmol/L, converted per analyte (_UMOL_PER_MG_DL)
    ("hb", r"\s*mmol\s*/\s*[lL]\b", 1.611),  # hemoglobin mmol/L → g/dL
    ("hb", r"\s*g\s*/\s*[lL]\b", 0.1),  # g/L → g/dL
    ("mlmin", r"\s*m[lL]\s*(?:/|\s+per\s+)\s*min(?:ute)?\b(?:\s*(?:/|per)\s*1\.73\s*m(?:2|²|\^2)\b)?", 1.0),
    ("mlmin", r"\s*m[lL]\s*/\s*s(?:ec(?:ond)?)?\b", 60.0),  # SI clearance: 0.5 mL/s = 30 mL/min
    ("ugdl", r"\s*" + _MICRO + r"g\s*/\s*d[lL]\b", 1.0),
    ("ngml", r"\s*(?:ng\s*/\s*m[lL]|" + _MICRO + r"g\s*/\s*[lL])\b", 1.0),
    ("meql", r"\s*m[eE][qQ]\s*/\s*[lL]\b", 1.0),
    ("kg", r"\s*kg\b(?!\s*/)", 1.0),  # body weight; "mg/kg" is a dose
    ("ms", r"\s*(?:ms|msecs?|milli[\s-]?seconds?)\b", 1.0),
    ("mmhg", r"\s*mm\s*Hg\b", 1.0),
    ("months", r"\s*months?\b", 1.0),
    ("months", r"\s*(?:weeks?|wks?)\b", 0.25),  # life expectancy: 12 weeks = 3 months
    ("pct", r"\s*(?:%|percent\b|per\s?cent\b)", 1.0),
    ("years", r"\s*(?:years?|yrs?)\b(?:\s+of\s+age|\s+old)?", 1.0),
    ("other", r"\s*(?:[a-zA-Zµμ]+\s*/\s*[a-zA-Z0-9²³]+|months?|weeks?|days?|hours?|cycles?|doses?|mg|g|kg|units?"
              r"|patients?|subjects?|cases?|studies|trials?|times|fold|log|m[lL])\b", 1.0),  # "20 mL of marrow"
]
_UNIT_RES = [(kind, re.compile(pattern), factor) for kind, pattern, factor in _UNITS]

# Which variables a unit kind can measure, and the variable assumed when no cue is found.
_UNIT_VARIABLES: dict[str, tuple[list[str], str | None]] = {
    "pct": (["marrow_blasts_pct", "ring_sideroblasts_pct", "lvef_pct", "dlco_pct_predicted", "karnofsky",
             "marrow_cellularity_pct"], None),
    "years": (["age"], "age"),
    "count": (["platelets_10e9_l", "anc_10e9_l", "wbc_10e9_l"], None),
    "hb": (["hemoglobin_g_dl"], "hemoglobin_g_dl"),
    "epo": (["serum_epo_mu_ml"], "serum_epo_mu_ml"),
    "mgdl": (["creatinine_mg_dl", "bilirubin_mg_dl", "direct_bilirubin_mg_dl"], None),
    "umol": (["creatinine_mg_dl", "bilirubin_mg_dl"], None),
    "uln": (["bilirubin_x_uln", "creatinine_x_uln", "ast_x_uln", "alt_x_uln", "ast_alt_x_uln"], None),
    "none": (["ecog", "age", "hemoglobin_g_dl", "platelets_10e9_l", "anc_10e9_l", "karnofsky", "ipss_score", "ipssr_score",
              "pao2_mmhg", "hct_ci", "creatinine_mg_dl", "creatinine_clearance_ml_min", "lvef_pct",
              "dlco_pct_predicted", "moca_score"], None),
    "mlmin": (["creatinine_clearance_ml_min"], None),
    "ugdl": (["copper_ug_dl"], None),
    "meql": (["bicarbonate_meq_l"], None),
    "kg": (["weight_kg"], None),
    "ngml": (["serum_ferritin_ng_ml"], None),
    "ms": (["qtc_ms"], None),
    "mmhg": (["pao2_mmhg"], None),
    "months": (["life_expectancy_months"], None),
    "other": ([], None),
}

# The cue patterns below are named after one variable of an analyte; with another unit the same
# cue names the analyte's variable in that unit.
_CUE_BY_UNIT = {
    ("uln", "creatinine_mg_dl"): "creatinine_x_uln",
    ("mgdl", "bilirubin_x_uln"): "bilirubin_mg_dl",
    ("umol", "bilirubin_x_uln"): "bilirubin_mg_dl",
}

# ---- cue words ------------------------------------------------------------------------------

_CUES: dict[str, re.Pattern] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "age": r"\b(?:age[ds]?|years?\s+old|older|younger)\b",
        "marrow_blasts_pct": r"\b(?:(?:bone\s+)?marrow\s+)?(?:myelo)?blasts?\b",
        "ring_sideroblasts_pct": r"\bring[\s-]*sideroblasts?\b|\bsideroblasts\b|(?-i:\bRS\b)",
        "platelets_10e9_l": r"\bplatelets?(?:\s+counts?)?\b|\bPLTs?\b|\bthrombocytes?\b",
        "anc_10e9_l": r"\bANC\b|\babsolute\s+neutrophils?(?:\s+counts?)?\b|\bneutrophils?(?:\s+counts?)?\b|\bAGC\b"
                      r"|\bgranulocytes?\b",
        "hemoglobin_g_dl": r"\bh(?:a)?emoglobin\b|(?-i:\bHg?b\b)|\bHGB\b",
        "wbc_10e9_l": r"\bWBC\b|\bwhite\s+(?:blood\s+)?cells?(?:\s+counts?)?\b(?!\s+(?:or|and)\s+(?:bone\s+)?marrow)"
                      r"|\b(?:leu[ck]ocytes?|leu[ck]ocyte\s+counts?)\b(?!\s+antigen)",
        "serum_epo_mu_ml": r"\b(?:s-?)?EPO\b|\berythropoietin\b",
        "creatinine_mg_dl": r"\bcreatinine\b(?!\s+clearance)|(?-i:\bSCr\b)",
        # "total or direct bilirubin ≤ 1.5 × ULN": one limit for either, read as the (total) bilirubin limit
        "bilirubin_x_uln": r"(?<!direct )(?<!conjugated )\bbilirubin\b"
                           r"|\btotal\s*(?:or|and|and/or|/)\s*(?:direct|conjugated)\s+bilirubin\b",
        "direct_bilirubin_mg_dl": r"\b(?:direct|conjugated)\s+bilirubin\b",
        "ecog": r"\bECOG\b|(?<!Karnofsky )(?<!Lansky )\bperformance\s+status\b|(?-i:\bPS\b)|\bZubrod\b|\bWHO\s+performance\b",
        "karnofsky": r"\bKarnofsky\b|(?-i:\bKPS\b)",
        # AST and ALT: which of the three variables is decided from the words around (_transaminase_variable).
        "ast_alt_x_uln": r"\b(?:AST|ALT|SGOT|SGPT|aminotransferases?|transaminases?|ASAT|ALAT)\b",
        "creatinine_clearance_ml_min": r"\bcreatinine\s+clearance\b|\bCrC[l1]\b|\be?GFR\b|\bclearance\b"
                                       r"|\bglomerular\s+filtration\b",
        "lvef_pct": r"\bLVEF\b|\bejection\s+fraction\b|(?-i:\bL?V?EF\b)|\bshortening\s+fraction\b",
        "dlco_pct_predicted": r"\bDLCOc?\b|\bdiffusi(?:ng|on)\s+capacity\b|\bDLco\b",
        "pao2_mmhg": r"\bP_?A?O\s?_?2\b|\barterial\s+oxygen\b",  # "P_AO_2", "PO _2": the registry's subscript markup
        "qtc_ms": r"\bQTc[FB]?\b|\bQT\s*c?\s*interval\b|\bQT\b",
        "life_expectancy_months": r"\blife\s+expectancy\b|\b(?:expected|anticipated|estimated)\s+survival\b"
                                  r"|\bsurvival\s+expectancy\b|\bexpected\s+to\s+(?:live|survive)\b",
        "serum_ferritin_ng_ml": r"\bferritin\b",
        # "IPSS > 1.0", "IPSS-R <= 3.5": the scheme's name right before the limit (a cue is searched for up to the
        # limit's operator) is its score
        "ipss_score": r"(?<!revised )\bIPSS\s+(?:risk\s+)?score\b|\bIPSS\b(?![-\s]*R\b)(?=\s*$)",
        # "IPSS-R … intermediate with a score ≤ 3.5": a score in the clause that names IPSS-R is its score
        "ipssr_score": r"\bIPSS-?R\s+(?:risk\s+)?score\b|\brevised\s+IPSS\s+(?:risk\s+)?score\b"
                       r"|\b(?:with\s+an?|a\s+total|an\s+overall)\s+score\b|\bIPSS-?R\b(?=\s*$)",
        "marrow_cellularity_pct": r"\b(?:(?:bone\s+)?marrow\s+)?cellularity\b",
        "hct_ci": r"\bHCT-?CI\b|\bco-?morbidity\s+(?:index|score)\b|\bSorror\b",
        "copper_ug_dl": r"\bcopper\b|(?-i:\bCu\b)",
        "bicarbonate_meq_l": r"\bbicarbonate\b|(?-i:\bHCO3-?)",
        "weight_kg": r"\b(?:body\s+)?weight\b|\bweighs?\b|\bweighing\b",
        "moca_score": r"\bMoCA\b|\bMontreal\s+Cognitive\s+Assessment\b",
    }.items()
}
# Analytes that are *not* criterion variables: when one is the nearest cue, the number is theirs.
_OTHER_ANALYTES = re.compile(
    r"\b(?:LDH|lactate\s+dehydrogenase|albumin|FEV1|FVC|calculated|dose|doses"
    r"|monocytes?|lymphocytes?"
    r"|alkaline\s+phosphatase|troponin|lipase"
    r"|amylase|INR|glucose|potassium|sodium|calcium|magnesium|uric\s+acid|transferrin|reticulocytes?"
    r"|response|survival|remission|risk|patients?|cases|OS|CR|PR|HR|rate)\b",
    re.IGNORECASE,
)
# "consent signed by the donor or a legal guardian over 18 years of age": the signer's age, not the patient's
_SIGNER_BEFORE = r"\b(?:guardians?|parents?|representatives?)\b[^.;]{0,15}$"
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:for|within|past|last|after|since|during|duration|period|history|follow[\s-]*up|survival|median"
    r"|interval|elapsed|previous|prior|every|each|least\s+\d)\b[^.;]{0,12}$"
    r"|" + _SIGNER_BEFORE,
    re.IGNORECASE,
)
_SIGNER = re.compile(_SIGNER_BEFORE, re.IGNORECASE)
# A number of years followed by these words is a time span, not an age ("> 5 years since another
# cancer", "3 years after transplant", "2 years disease-free").
_NOT_AGE_AFTER = re.compile(
    r"\s*(?:\(|,)?\s*(?:since|ago|before|after|prior|from|following|post\b|previously|earlier|elapsed|have\s+elapsed"
    r"|has\s+elapsed|must\s+have\s+elapsed|without|free|disease[\s-]*free|relapse[\s-]*free"
    r"|in\s+(?:complete\s+)?remission"
    r"|of\s+(?:follow|treatment|therapy|remission|disease|survival|life|diagnosis|last)|duration|interval"
    r"|between|until|beyond|earlier|post[\s-]?menopaus\w*|menopaus\w*|post[\s-]?partum)\b",
    re.IGNORECASE,
)
_NOT_AGE_CONTEXT = re.compile(
    r"\b(?:malignan\w*|cancers?|tumou?rs?|neoplasms?|carcinoma|diagnos\w*|remission|relapse|life\s+expectancy"
    r"|progress\w*|stages?)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_LIMIT_JUST_BEFORE = re.compile(r"\d\s*(?:%|percent|[a-zµ/]+(?:/[a-z]+)?)?\s*,?\s*$", re.IGNORECASE)
_AGE_WORD_INSIDE = re.compile(r"\b(?:under|below|over|above|younger\s+than|older\s+than)\s+(?:the\s+)?age\b", re.IGNORECASE)
_AGE_UNIT = re.compile(r"of\s+age|old\b", re.IGNORECASE)
_AGE_OPERATOR = re.compile(r"(?:older|younger)\s+than\b", re.IGNORECASE)
_AGE_OPERATOR_AFTER = re.compile(r"\bor\s+(?:younger|older)\b", re.IGNORECASE)  # "must be 65 or younger"
# "0-1 for patients over 75": a bare number with "over"/"under" right after the people a limit before it is for is
# their age (a clause opening with the group, "In adults over 60, PS 0-1; younger: PS 2", is left as before)
_PEOPLE_BEFORE = re.compile(r"\w[^.;:]*?[\s(](?:for|in|among)\s+(?:the\s+)?(?:patients|people|persons|participants|subjects"
                            r"|individuals|adults|those)\s+(?:aged\s+)?$", re.IGNORECASE)
_OVER_UNDER = re.compile(r"(?:over|above|under|below)\s+\d", re.IGNORECASE)
_DESCRIPTIVE = re.compile(r"\b(?:median|mean|average)\b[^.;,]*$", re.IGNORECASE)
_PERIPHERAL = re.compile(r"\b(?:blood|peripheral|circulating)\b", re.IGNORECASE)
_IN_BLOOD_AFTER = re.compile(r"\s*(?:of\s+)?(?:blasts?\s+)?(?:in\s+(?:the\s+)?)?(?:peripheral\s+blood|blood|circulation)\b",
                             re.IGNORECASE)
_MARROW = re.compile(r"\bmarrow\b|\bBM\b", re.IGNORECASE)
_SF3B1_RS = re.compile(r"[^.;]{0,40}?\bSF3B1\b", re.IGNORECASE)
# A clause boundary that cue search must not cross.
_CLAUSE_BREAK = re.compile(r";|\.\s|\n\s*\n|\n\s*(?:[-•*·]|\d{1,3}[.)])\s")

LEFT_WINDOW = 60
RIGHT_WINDOW = 75


@dataclass(frozen=True)
class Quantity:
    """A number (or range/list of numbers) with its operator and unit, before a variable is known."""

    start: int
    end: int
    operator: str | None  # <, <=, >, >=, ==, between, in; None when none was written
    values: tuple[float, ...]  # already scaled to the unit kind's canonical unit
    unit_kind: str  # a key of _UNIT_VARIABLES
    raw_values: tuple[float, ...]  # as written (before scaling), for unitless defaults


# ---- public API -----------------------------------------------------------------------------


def parse_thresholds(text: str) -> list[Threshold]:
    """Every quantitative or categorical condition in `text`, in reading order, non-overlapping."""
    return parse_thresholds_reporting(text)[0]


def parse_thresholds_reporting(text: str) -> tuple[list[Threshold], list[RejectedThreshold]]:
    """(thresholds, rejected): as `parse_thresholds`, plus the conditions that were recognised
    but not kept — an implausible value after unit conversion, or a variable model.yaml lacks."""
    digits = number_words_as_digits(european_numbers(text))
    if digits == text:
        return _parse_thresholds_reporting(text)
    kept, rejected = _parse_thresholds_reporting(digits)  # same length: every offset holds in the original text
    return ([replace(t, text=text[t.start : t.end]) for t in kept],
            [replace(r, text=text[r.start : r.end]) for r in rejected])


# ---- European number writing ------------------------------------------------------------------
# "ANC >= 1,5 G/l", "Hb < 9,5 g/dL": a decimal comma, read only right before a unit of measurement (a bare "0,1" is a
# list: "ECOG 0,1 or 2"); "platelets >= 20.000/ul": a thousands point, read only before a per-microlitre (per mm3)
# count unit, where a fraction of a cell would make no sense. Rewritten in place, so every offset holds.
_EURO_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d,])")
_EURO_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])")
_DECIMAL_UNIT_KINDS = frozenset({"count", "hb", "mgdl", "umol", "uln", "epo", "mlmin", "ngml"})


def european_numbers(text: str) -> str:
    """The text with European decimal commas and thousands points written the English way, same length."""
    if "," not in text and "." not in text:
        return text
    out = list(text)
    for match in _EURO_DECIMAL.finditer(text):
        if _read_unit(text, match.end())[0] in _DECIMAL_UNIT_KINDS:
            out[match.start() + match.group().index(",")] = "."
    for match in _EURO_THOUSANDS.finditer(text):
        kind, factor, _ = _read_unit(text, match.end())
        if kind == "count" and factor < 1:
            for i in range(match.start(), match.end()):
                out[i] = "," if text[i] == "." else out[i]
    return "".join(out)


# ---- numbers written in words -----------------------------------------------------------------
# "aged at least eighteen years", "platelets of at least fifty thousand per microlitre", "QTcF of more than four
# hundred and eighty milliseconds": the words become digits padded with spaces to the same length, where an
# operator or a unit beside them says they are a limit (not "one of the following").
_ONES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SMALL = r"(?:(?:" + "|".join(_TENS) + r")(?:[\s-]+(?:" + "|".join(list(_ONES)[1:10]) + r"))?|" + "|".join(
    sorted(_ONES, key=len, reverse=True)) + r")"
_NOT_A_MULTIPLE = r"(?!\s+(?:hundred|thousand))"  # "between one hundred and five hundred": two numbers
_NUMBER_WORDS = re.compile(r"\b(?P<n>" + _SMALL + r"(?:\s+hundred(?:\s+(?:and\s+)?" + _SMALL + _NOT_A_MULTIPLE + r")?)?"
                           r"(?:\s+thousand(?:\s+(?:and\s+)?" + _SMALL + _NOT_A_MULTIPLE + r")?)?)\b", re.IGNORECASE)
_WORD_LIMIT_BEFORE = re.compile(r"(?:≥|≤|>|<|=|\bat\s+(?:least|most)|\b(?:more|less|greater|fewer|higher|lower|older"
                                r"|younger)\s+than(?:\s+or\s+equal\s+to)?|\bup\s+to(?:\s+and\s+including)?|\bover"
                                r"|\bunder|\bbelow|\babove|\bbetween|\band|\bfrom|\bto|\baged?|\bof)\s*$", re.IGNORECASE)
_WORD_LIMIT_AFTER = re.compile(r"\s*(?:(?:-|\s)?years?\b|%|percent|or\s+(?:more|less|fewer|greater|higher|lower|older"
                               r"|younger|above|below|over|under)\b|(?:m[IU]|U|mL|ms|milli|per\b|/|x\s*10|×))",
                               re.IGNORECASE)


_COUNT_OF_ITEMS = re.compile(r"\s+(?:or\s+more\s+)?of\s+(?:the|these|those|following)\b|\s*(?:of\s*)?:", re.IGNORECASE)


def _number_value(words: str) -> int | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and" or not word:
            continue
        if word in _ONES:
            current += _ONES[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = (total + max(current, 1)) * 1000, 0
        else:
            return None
    return total + current


def number_words_as_digits(text: str) -> str:
    """The text with limits written in words as digits, padded to the same length ("eighteen" → "18      ")."""
    if not any(w in text.lower() for w in ("teen", "ty", "hundred", "thousand", "one", "two", "three", "four", "five",
                                            "six", "seven", "eight", "nine", "ten", "eleven", "twelve")):
        return text
    out = text
    for match in _NUMBER_WORDS.finditer(text):
        value = _number_value(match.group("n"))
        digits = str(value) if value is not None else ""
        if not digits or len(digits) > len(match.group()) or _COUNT_OF_ITEMS.match(text, match.end()) or not (
                _WORD_LIMIT_BEFORE.search(text, 0, match.start()) or _WORD_LIMIT_AFTER.match(text, match.end())):
            continue
        out = out[: match.start()] + digits.ljust(len(match.group())) + out[match.end() :]
    return out


def _parse_thresholds_reporting(text: str) -> tuple[list[Threshold], list[RejectedThreshold]]:
    candidates: list[Threshold] = []
    rejected: list[RejectedThreshold] = []
    candidates += parse_transfusion_burden(text)
    candidates += parse_risk_categories(text)
    candidates += parse_transfusion_dependence(text)
    candidates += parse_within_normal(text)
    candidates += parse_rbc_units_total(text)
    candidates += parse_quantity_thresholds(text, blocked=[(t.start, t.end) for t in candidates], rejected=rejected)
    kept = _non_overlapping(candidates)
    kept += _both_compartments(text, kept)
    kept = sorted(kept + listed_limits(text, kept), key=lambda t: t.start)
    kept = _one_limit_for_both_enzymes(sorted(kept + shared_limits(text, kept), key=lambda t: t.start), text)
    rejected = [r for r in rejected if all(r.end <= k.start or k.end <= r.start for k in kept)]
    return kept, rejected


# "blasts < 20% in both the bone marrow and the peripheral blood", "… in marrow and blood": one limit, two places
# "≥ 20% blasts in marrow or peripheral blood", "in blood or marrow": the same limit in either place (excluded, each
# place excludes; required, each place must meet it)
_BOTH_COMPARTMENTS = re.compile(r"[^.;\d]{0,12}?\b(?:in\s+)?(?:both\s+)?(?:the\s+)?(?:bone\s+)?marrow\s+(?:and|as\s+well\s+as"
                                r"|or|and/or)\s+(?:in\s+)?(?:the\s+)?(?:peripheral\s+)?blood\b"
                                r"|[^.;\d]{0,12}?\b(?:in\s+)?(?:both\s+)?(?:the\s+)?(?:peripheral\s+)?blood\s+(?:and|or|and/or)\s+"
                                r"(?:in\s+)?(?:the\s+)?(?:bone\s+)?marrow\b", re.IGNORECASE)
_OTHER_COMPARTMENT = {"marrow_blasts_pct": "peripheral_blasts_pct", "peripheral_blasts_pct": "marrow_blasts_pct"}


def _both_compartments(text: str, kept: list[Threshold]) -> list[Threshold]:
    variables = {t.variable for t in kept}
    return [Threshold(_OTHER_COMPARTMENT[t.variable], t.operator, t.value, t.unit, t.text, t.start, t.end)
            for t in kept if t.variable in _OTHER_COMPARTMENT and not variables & set(_OTHER_COMPARTMENT)
            - {t.variable} and _BOTH_COMPARTMENTS.match(text, t.end)]


def parse_quantity_thresholds(text: str, blocked: list[tuple[int, int]] | None = None,
                              rejected: list[RejectedThreshold] | None = None) -> list[Threshold]:
    """Thresholds built from quantities whose variable can be told from unit and cue words.

    Conditions recognised but not kept are appended to `rejected` when it is given."""
    blocked = blocked or []
    quantities = [q for q in find_quantities(text) if not any(q.start < b and a < q.end for a, b in blocked)]
    results: list[Threshold] = []
    previous: tuple[Quantity, Threshold] | None = None
    for index, quantity in enumerate(quantities):
        # "platelets measured in the 4-week run-in must be below 30": a bare time span between the
        # cue and the number does not hide the cue
        earlier = [q for q in quantities[:index] if not _bare_time_span(text, q)]
        left_limit = earlier[-1].end if earlier else 0
        right_limit = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
        threshold = threshold_for_quantity(text, quantity, left_limit, right_limit, previous, rejected)
        if threshold is not None:
            results.append(threshold)
            previous = (quantity, threshold)
    return results


_TIME_WORD = re.compile(r"[\s-]*(?:weeks?|days?|hours?|months?)\b", re.IGNORECASE)


def _bare_time_span(text: str, quantity: Quantity) -> bool:
    """A number of weeks, days, hours or months written with no operator ("within 2 weeks", "a 2-week period")."""
    return quantity.operator is None and len(quantity.values) == 1 and bool(_TIME_WORD.match(text, _num_end(text, quantity)))


def _num_end(text: str, quantity: Quantity) -> int:
    match = _NUM_RE.match(text, quantity.start)
    return match.end() if match else quantity.end


def find_quantities(text: str) -> list[Quantity]:
    """Operator + number(s) + unit spans, left to right; numbers glued to words are skipped."""
    quantities: list[Quantity] = []
    position = 0
    for match in _NUM_RE.finditer(text):
        if match.start() < position or _glued_to_word(text, match.start(), match.end()):
            continue
        quantity = _read_quantity(text, match)
        if quantity is not None:
            quantities.append(quantity)
            position = quantity.end
    return quantities


def threshold_for_quantity(
    text: str,
    quantity: Quantity,
    left_limit: int = 0,
    right_limit: int | None = None,
    previous: tuple[Quantity, Threshold] | None = None,
    rejected: list[RejectedThreshold] | None = None,
) -> Threshold | None:
    """Name the variable a quantity measures and normalise it, or None when unclear.

    None also when the value is implausible for the variable or the variable is not in the
    model; those are appended to `rejected` (when given) with the reason."""
    if quantity.operator is None:
        return None  # a bare number ("median, 56 years") states a value, not a condition
    if _DESCRIPTIVE.search(text[max(left_limit, quantity.start - 30) : quantity.start]):
        return None  # "a median age younger than 50 years" describes a cohort, not a condition
    right_limit = len(text) if right_limit is None else right_limit
    variable, cue_span = _variable_for(text, quantity, left_limit, right_limit, previous)
    if variable is None:
        return None
    if cue_span and previous is not None and previous[1].start <= cue_span[0] and cue_span[1] <= previous[1].end:
        cue_span = None  # a cue shared with the previous threshold stays in that one's words
    values = _values_in_variable_unit(variable, quantity)
    if values is None:
        return None
    start = min(quantity.start, cue_span[0]) if cue_span else quantity.start
    end = max(quantity.end, cue_span[1]) if cue_span else quantity.end
    reason = None
    if variable not in VARIABLE_UNITS:
        reason = "variable-not-in-model"
    elif variable in PLAUSIBLE_RANGES:
        low, high = PLAUSIBLE_RANGES[variable]
        if not all(low <= v <= high for v in values):
            reason = "implausible"
    if reason is not None:
        if rejected is not None:
            unit = VARIABLE_UNITS.get(variable, PENDING_VARIABLES.get(variable))
            rejected.append(RejectedThreshold(variable, quantity.operator, values, unit, reason, text[start:end],
                                              start, end))
        return None
    value = values[0] if quantity.operator not in ("between", "in") else list(values)
    return Threshold(
        variable=variable,
        operator=quantity.operator,
        value=value,
        unit=VARIABLE_UNITS[variable],
        text=text[start:end],
        start=start,
        end=end,
    )


# ---- quantities -----------------------------------------------------------------------------


def _glued_to_word(text: str, start: int, end: int) -> bool:
    """'RAEB-1', 'T1b', 'del(5q)', 'PMID:123', 'section_1.1' are names, not quantities."""
    before = text[max(0, start - 2) : start]
    if before[-1:].isalpha() or before[-1:] in ("_", ":", "/", "#", ".", "^"):
        return True
    if before[-1:] in ("-", "‐", "(") and before[:1].isalpha():
        return True
    after = text[end : end + 1]
    # A number immediately followed by letters that are not a unit ("5q", "1a", "2nd").
    if after.isalpha():
        return not any(r.match(text, end) for _, r, _ in _UNIT_RES)
    return False


def _read_unit(text: str, position: int) -> tuple[str, float, int]:
    for kind, regex, factor in _UNIT_RES:
        match = regex.match(text, position)
        if match:
            return kind, factor, match.end()
    return "none", 1.0, position


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _prefix_operator(text: str, start: int) -> tuple[str | None, int]:
    window = text[max(0, start - 45) : start]
    match = _PREFIX_RE.search(window)
    if not match:
        return None, start
    for i, (operator, _) in enumerate(_PREFIX_OPERATORS):
        if match.group(f"op{i}") is not None:
            return operator, start - len(window) + match.start()
    return None, start


def _read_quantity(text: str, match: re.Match) -> Quantity | None:
    first = _number(match.group())
    kind, factor, end = _read_unit(text, match.end())
    operator, start = _prefix_operator(text, match.start())
    values = [first]

    # A range "5% to 9%", "0-2", "between 40 and 60 mL/min".
    range_match = _RANGE_SEP_RE.match(text, end)
    if range_match:
        sep = range_match.group().strip().lower()
        second = _NUM_RE.match(text, range_match.end())
        between = _BETWEEN_RE.search(text[max(0, match.start() - 20) : match.start()])
        if second and not _glued_to_word(text, second.start(), second.end()) and (sep != "and" or between):
            kind2, factor2, end2 = _read_unit(text, second.end())
            hi = _number(second.group())
            if (kind2 == kind or kind == "none" or kind2 == "none") and first < hi and operator in (None, "=="):
                kind = kind2 if kind == "none" else kind
                factor = factor2 if kind2 != "none" else factor
                values, end, operator = [first, hi], end2, "between"
                if between:
                    start = match.start() - 20 + between.start() if match.start() >= 20 else between.start()

    # "≥ 70 but ≤ 75 years", "over 60 and under 70": a lower and an upper bound together are one range
    if operator in (">=", ">") and values == [first]:
        bound = _UPPER_BOUND_AFTER.match(text, end)
        second = _NUM_RE.match(text, bound.end()) if bound else None
        if bound and second and not _glued_to_word(text, second.start(), second.end()):
            kind2, factor2, end2 = _read_unit(text, second.end())
            hi = _number(second.group())
            upper, _ = _prefix_operator(text, second.start())
            if (kind2 == kind or kind == "none" or kind2 == "none") and first < hi and upper in ("<=", "<") \
                    and operator == ">=" and upper == "<=":
                kind = kind2 if kind == "none" else kind
                factor = factor2 if kind2 != "none" else factor
                values, end, operator = [first, hi], end2, "between"

    # A short list "0, 1 or 2" (ECOG).
    if operator is None and kind == "none":
        listed, list_end = [first], end
        while True:
            sep = _LIST_SEP_RE.match(text, list_end)
            nxt = _NUM_RE.match(text, sep.end()) if sep else None
            if not nxt or _glued_to_word(text, nxt.start(), nxt.end()):
                break
            listed.append(_number(nxt.group()))
            list_end = nxt.end()
        if len(listed) > 1:
            values, end, operator = listed, list_end, "in"

    post = _POSTFIX_RE.match(text, end)
    if post and operator in (None, "=="):
        operator = "<=" if post.group("word").lower() in _POSTFIX_LE else ">="
        end = post.end()
    scaled = tuple(v * factor for v in values)
    return Quantity(start, end, operator, scaled, kind, tuple(values))


# ---- variables ------------------------------------------------------------------------------


def _clause_window(text: str, start: int, end: int, backwards: bool) -> int:
    """The clause boundary nearest to the quantity within [start, end)."""
    segment = text[start:end]
    breaks = list(_CLAUSE_BREAK.finditer(segment))
    if not breaks:
        return start if backwards else end
    return start + breaks[-1].end() if backwards else start + breaks[0].start()


_OWN_NUMBER_AFTER = re.compile(r"[\s():,]*(?:\([A-Za-z]{2,6}\)\s*)?(?:of\s+|is\s+|must\s+be\s+)?(?:[<>≤≥=]|at\s+least"
                               r"|less\s+than|more\s+than|greater\s+than|\d)", re.IGNORECASE)


def _bare_score_without_scheme(text: str, m: re.Match) -> bool:
    """'with a score of 3' names the IPSS-R score only after 'IPSS-R' in the same clause."""
    return not re.search(r"IPSS", m.group(), re.I) and not re.search(
        r"\bIPSS-?R\b[^.;()]{0,60}$", text[max(0, m.start() - 80) : m.start()], re.I)


def _nearest_cue(text: str, quantity: Quantity, left_limit: int, right_limit: int, allow_right: bool,
                 taken: tuple[int, int] | None = None):
    """(name, span, distance) of the nearest cue word: a variable name or 'other' analyte. A cue on the left inside
    `taken` (the previous threshold's words: "< 5% marrow blasts and < 1% blood blasts") is that threshold's."""
    left_start = _clause_window(text, max(left_limit, quantity.start - LEFT_WINDOW), quantity.start, True)
    right_end = _clause_window(text, quantity.end, min(right_limit, quantity.end + RIGHT_WINDOW), False)
    found = []
    for name, regex in list(_CUES.items()) + [("other", _OTHER_ANALYTES)]:
        for m in regex.finditer(text, left_start, quantity.start):
            if name == "ipssr_score" and _bare_score_without_scheme(text, m):
                continue
            if taken is not None and taken[0] <= m.start() and m.end() <= taken[1]:
                continue
            found.append((quantity.start - m.end(), 0, name, (m.start(), m.end())))
        if allow_right:
            for m in regex.finditer(text, quantity.end, right_end):
                if _OWN_NUMBER_AFTER.match(text, m.end()) and not (
                        m.start() - quantity.end <= 2 and re.match(r"\s*\(", text[m.end() : m.end() + 3])):
                    # "… > 50%, ejection fraction > 45%": that cue has its own number ("≥ 15% ring sideroblasts
                    # (≥ 5% if …)": right after the number, with a bracketed aside after it, the cue is this one's)
                    continue
                found.append((m.start() - quantity.end, 1, name, (m.start(), m.end())))
    if not found:
        return None
    distance, _, name, span = min(found)
    return name, span, distance


_JOINED_BY_AND = re.compile(r"[\s)]*\band\s+[^.;,:<>≤≥=\d]{0,60}", re.IGNORECASE)
_MEASURED_BY = re.compile(r"\s*,?\s*(?:as\s+)?(?:measured|assessed|determined|evaluated)\s+(?:by|with|using|on)\s+"
                          r"[^.;,:<>≤≥=\d]{0,90}?[\s,]*(?:of\s+|must\s+be\s+|is\s+)?", re.IGNORECASE)
_KARNOFSKY_NAMED_AFTER = re.compile(r"\s*\(\s*(?:[\w-]+\s+){0,2}?(?:Karnofsky|(?-i:KPS))\b", re.IGNORECASE)
# "a pregnancy test with a sensitivity of at least 25 mIU/mL": the test's sensitivity to hCG, not an EPO level
_TEST_SENSITIVITY_BEFORE = re.compile(r"\b(?:pregnan\w*|hCG|(?:beta|β)[\s-]*hCG|gonadotrophin|gonadotropin"
                                      r"|sensitivity)\b[^.;]{0,80}$", re.IGNORECASE)


def _variable_for(text, quantity, left_limit, right_limit, previous):
    candidates, default = _UNIT_VARIABLES[quantity.unit_kind]
    if not candidates:
        return None, None
    if quantity.unit_kind == "epo" and _TEST_SENSITIVITY_BEFORE.search(text, max(0, quantity.start - 120),
                                                                       quantity.start) \
            and not _CUES["serum_epo_mu_ml"].search(text, max(0, quantity.start - 40), quantity.start):
        return None, None
    if quantity.unit_kind in ("none", "years") and (_AGE_OPERATOR.match(text, quantity.start)
                                                    or _AGE_OPERATOR_AFTER.search(text, quantity.start, quantity.end)) \
            and all(12 <= v <= 110 for v in quantity.values) and not _NOT_AGE_AFTER.match(text, quantity.end):
        return "age", None  # "patients older than 75": the operator's words say it is an age
    if quantity.unit_kind in ("none", "years") and _OVER_UNDER.match(text, quantity.start) \
            and _PEOPLE_BEFORE.search(text, max(0, quantity.start - 60), quantity.start) \
            and all(12 <= v <= 110 for v in quantity.values) and not _NOT_AGE_AFTER.match(text, quantity.end):
        return "age", None  # "for patients over 75", "those under 60"
    if quantity.unit_kind in ("none", "years") and _AGE_WORD_INSIDE.search(text, quantity.start, quantity.end) \
            and all(12 <= v <= 110 for v in quantity.values) and not _NOT_AGE_AFTER.match(text, quantity.end):
        if _LIMIT_JUST_BEFORE.search(text, max(0, quantity.start - 20), quantity.start):
            return None, None  # "cellularity below 25% under age 65": the patients another limit is for
        return "age", None  # "under age 55": the word between the operator and the number says it is an age
    right_cues = quantity.unit_kind in ("pct", "count", "hb", "months")  # "≥15% ring sideroblasts", "3 month life expectancy"
    if quantity.unit_kind == "years" and _NOT_AGE_AFTER.match(text, quantity.end):
        return None, None  # "> 5 years since another cancer": a time span, never an age
    taken = (previous[1].start, previous[1].end) if previous is not None and previous[1].start < previous[0].start \
        or previous is not None and previous[1].end > previous[0].end else None
    cue = _nearest_cue(text, quantity, left_limit, right_limit, right_cues, taken) if taken else None
    if cue is None:  # no cue of its own: the one shared with the previous threshold ("10-19% blasts …, or 5-19% …")
        cue = _nearest_cue(text, quantity, left_limit, right_limit, right_cues)
    if cue is not None and quantity.unit_kind == "years" and cue[0] == "other" and \
            re.fullmatch(r"(?i)patients?|subjects?|participants?", text[cue[1][0] : cue[1][1]]):
        cue = None  # "Patients must be 18 years or older": the person, not a count of patients
    if cue is not None:
        cue = (_CUE_BY_UNIT.get((quantity.unit_kind, cue[0]), cue[0]),) + tuple(cue[1:])
        if cue[0] == "ast_alt_x_uln":
            # "SGOT or SGPT (the serum transaminases, written out in full) ≤ 3 × ULN": the cue may stand far before the limit
            window_start = _clause_window(text, max(left_limit, cue[1][0] - 90), cue[1][0], True)
            cue = (transaminase_variable(text[window_start : quantity.start]),) + tuple(cue[1:])
    if quantity.unit_kind == "years" and _SIGNER.search(text[max(0, quantity.start - 40) : quantity.start]):
        return None, None  # "… signed by a legal guardian over 18 years of age": the signer's age
    if quantity.unit_kind == "years" and _AGE_UNIT.search(text, quantity.start, quantity.end) and \
            (cue is None or cue[0] in ("other", "age")):
        return "age", (cue[1] if cue is not None and cue[0] == "age" and cue[2] <= 30 else None)  # "60 years of age"
    if quantity.unit_kind == "pct" and _SF3B1_RS.match(text, quantity.end) and (cue is None or cue[0] == "other"):
        return "ring_sideroblasts_pct", None  # "5% or more with an SF3B1 mutation" (WHO MDS-RS)
    if cue is not None and cue[0] == "wbc_10e9_l" and _CMML_BEFORE.search(text, max(0, cue[1][0] - 60), cue[1][0]):
        return None, None  # "CMML with WBC < 13 × 10⁹/L": the count defines a kind of CMML, not a limit for everyone
    if cue is not None and cue[0] in candidates:
        name, span, distance = cue
        if quantity.unit_kind == "none" and distance > 30:
            return None, None
        if name == "marrow_blasts_pct" and (not _is_marrow_blast(text, span) or _IN_BLOOD_AFTER.match(text, quantity.end)):
            # "peripheral blood blasts below 1%", "2-19% in the peripheral blood"
            return "peripheral_blasts_pct", (span if distance <= 30 else None)
        if name == "age" and quantity.unit_kind == "none" and not all(10 <= v <= 120 for v in quantity.values):
            return None, None
        return name, (span if distance <= 30 else None)
    if cue is not None and cue[0] in _CUES and cue[0] != "age" and cue[1][0] < quantity.start:
        # "DLCO corrected for hemoglobin > 55%": the nearest cue is a variable this unit cannot
        # measure; a candidate named just before it in the same clause is the one measured.
        window_start = _clause_window(text, max(left_limit, cue[1][0] - 45), cue[1][0], True)
        earlier = [(m.end(), name) for name in candidates if name in _CUES
                   for m in _CUES[name].finditer(text, window_start, cue[1][0])]
        if earlier:
            return max(earlier)[1], None
    if cue is not None and cue[0] == "other" and cue[1][0] < quantity.start and quantity.unit_kind == "pct":
        # "DLCO and FEV1 > 60% predicted": one limit for both; the candidate named first, joined by "and", has it too
        window_start = _clause_window(text, max(left_limit, cue[1][0] - 70), cue[1][0], True)
        # (not blasts: "blasts and promonocytes < 20%" is one count of both)
        joined = [(m.end(), name) for name in candidates if name in _CUES and not name.endswith("blasts_pct")
                  for m in _CUES[name].finditer(text, window_start, cue[1][0])
                  if _JOINED_BY_AND.fullmatch(text, m.end(), cue[1][0])]
        if joined:
            return max(joined)[1], None
    if cue is None and quantity.unit_kind != "none":
        # "Ejection fraction measured by echocardiogram or MUGA scan >= 50%": the test's name between the cue and
        # its number
        window_start = _clause_window(text, max(left_limit, quantity.start - 140), quantity.start, True)
        measured = [(m.end(), name) for name in candidates if name in _CUES
                    for m in _CUES[name].finditer(text, window_start, quantity.start)
                    if _MEASURED_BY.fullmatch(text, m.end(), quantity.start)]
        if measured:
            return max(measured)[1], None
    if cue is not None and cue[0] == "ecog" and quantity.unit_kind == "pct" and "karnofsky" in candidates \
            and _KARNOFSKY_NAMED_AFTER.match(text, quantity.end):
        return "karnofsky", None  # "performance status ≥ 80% (Karnofsky)": the scale named in the bracket after
    if cue is not None and cue[0] != "age" and cue[2] <= 30:
        return None, None  # the nearest cue names another analyte (ALT, clearance, survival …)
    inherited = _inherited_variable(text, quantity, previous)
    if inherited == "marrow_blasts_pct" and _IN_BLOOD_AFTER.match(text, quantity.end):
        return "peripheral_blasts_pct", None  # "5-19% in the marrow or 2-19% in the peripheral blood"
    if inherited:
        return inherited, None
    if default == "age" and (quantity.operator is None
                             # with no word for age, a bound under 12 years is a time span ("stage I/II < 1 year")
                             or not all(12 <= v <= 120 for v in quantity.values)
                             or _NOT_AGE_BEFORE.search(text[max(0, quantity.start - 40) : quantity.start])
                             or _NOT_AGE_CONTEXT.search(text[max(left_limit, quantity.start - 60) : quantity.start])):
        return None, None
    return default, None


_CMML_BEFORE = re.compile(r"\b(?:CMML|chronic\s+myelomonocytic\s+leuka?emia)\b[^.;]{0,40}?\b(?:with|and|having)\s+"
                          r"(?:an?\s+|the\s+)?$", re.IGNORECASE)
_AST = re.compile(r"\b(?:AST|SGOT|ASAT|aspartate)\b", re.IGNORECASE)
_ALT = re.compile(r"\b(?:ALT|SGPT|ALAT|alanine)\b", re.IGNORECASE)


def transaminase_variable(window: str) -> str:
    """Which liver-enzyme variable a limit is written for: one limit naming both AST and ALT (or
    'transaminases') is `ast_alt_x_uln`; AST alone `ast_x_uln`; ALT alone `alt_x_uln`."""
    has_ast, has_alt = bool(_AST.search(window)), bool(_ALT.search(window))
    if has_ast != has_alt:
        return "ast_x_uln" if has_ast else "alt_x_uln"
    return "ast_alt_x_uln"  # both named, or only "transaminases"


def _is_marrow_blast(text: str, cue: tuple[int, int]) -> bool:
    """Blasts count as marrow blasts unless the words around them say blood/peripheral."""
    around_after = text[cue[1] : cue[1] + 25]
    around_before = text[max(0, cue[0] - 20) : cue[0]]
    if _MARROW.search(text[cue[0] : cue[1]]):
        return True  # "marrow blasts < 20% and blood blasts < 5%": the cue itself says marrow
    if _PERIPHERAL.search(around_before) and not _MARROW.search(around_before):
        return False  # "peripheral blood blasts < 1% and marrow blasts 5-19%": the words before it decide
    if _MARROW.search(around_after) or _MARROW.search(around_before):
        return True
    return not (_PERIPHERAL.search(around_after) or _PERIPHERAL.search(around_before))


def _inherited_variable(text: str, quantity: Quantity, previous) -> str | None:
    """'ring sideroblasts ≥15%, or ≥5% …': a close follow-on with the same unit shares the variable."""
    if previous is None:
        return None
    prev_quantity, prev_threshold = previous
    if prev_quantity.unit_kind != quantity.unit_kind:
        return None
    gap = text[prev_threshold.end : quantity.start]
    if len(gap) > 30 or not re.fullmatch(r"[\s,]*(?:(?:or|and|but|if|with|to)\b[\s,]*)*[^.;\d]{0,20}", gap):
        return None
    return prev_threshold.variable


def _values_in_variable_unit(variable: str, quantity: Quantity) -> tuple | None:
    values = quantity.values
    if quantity.unit_kind == "none":
        values = _unitless_values(variable, quantity.raw_values)
        if values is None:
            return None
    if quantity.unit_kind == "umol":
        if variable not in _UMOL_PER_MG_DL:
            return None
        values = tuple(v / _UMOL_PER_MG_DL[variable] for v in values)
    if variable == "ecog" and not all(0 <= v <= 5 for v in values):
        return None
    return tuple(_tidy(v) for v in values)


def _unitless_values(variable: str, raw: tuple[float, ...]) -> tuple[float, ...] | None:
    """Defaults for numbers written without a unit next to a cue ("Hb < 10", "PS ≤ 2")."""
    if variable in ("ecog", "age"):
        return raw
    if variable == "karnofsky":
        return raw if all(10 <= v <= 100 for v in raw) else None
    if variable == "ipss_score":
        return raw if all(0 <= v <= 3.5 for v in raw) else None
    if variable == "ipssr_score":
        return raw if all(0 <= v <= 10 for v in raw) else None
    if variable == "pao2_mmhg":
        return raw if all(30 <= v <= 150 for v in raw) else None
    if variable == "hct_ci":
        return raw if all(0 <= v <= 25 for v in raw) else None
    if variable == "moca_score":
        return raw if all(0 <= v <= 30 for v in raw) else None
    if variable == "hemoglobin_g_dl":
        if all(v <= 25 for v in raw):
            return raw
        if all(25 < v <= 250 for v in raw):
            return tuple(v / 10 for v in raw)  # g/L
        return None
    if variable == "creatinine_mg_dl":
        # mg/dL limits are 0.5-10; µmol/L ones 40-900: the ranges do not meet, so the number says its unit
        if all(0.2 <= v <= 15 for v in raw):
            return raw
        if all(20 <= v <= 1300 for v in raw):
            return tuple(v / _UMOL_PER_MG_DL[variable] for v in raw)
        return None
    if variable in ("creatinine_clearance_ml_min", "lvef_pct", "dlco_pct_predicted"):
        return raw if all(5 <= v <= 150 for v in raw) else None  # mL/min or per cent: only one unit is used
    if variable in ("platelets_10e9_l", "anc_10e9_l", "wbc_10e9_l"):
        if all(v >= 1000 for v in raw):
            return tuple(v / 1000 for v in raw)  # per µL
        return raw
    return None


def _tidy(value: float) -> float | int:
    value = round(value, 3)
    return int(value) if float(value).is_integer() else value


# ---- categorical: IPSS / IPSS-R / IPSS-M ----------------------------------------------------

_DASH = r"[\s\-‐‑–—]"
_CATEGORY = (
    r"(?:(?:very" + _DASH + r"*low|very" + _DASH + r"*high|moderate" + _DASH + r"*(?:low|high)"
    r"|(?:high|low)" + _DASH + r"+intermediate)\b"
    # "intermediate-1risk": a record may glue the word that follows
    r"|int(?:ermediate)?" + _DASH + r"*(?:1|2|II|I)(?:(?![\w])|(?=risk\b))"
    r"|(?:intermediate|low|high)\b)"
)
_RISK_SUFFIX = r"(?:" + _DASH + r"*risk)?" + r"[\-‐‑–—]?"
# The list starts at a word's start: without the lookbehind "follow and high-risk" read as the
# categories "low and high".
# A bracket after a category ("intermediate-2 (INT-2)", "intermediate 2 (1.5-2.0 points)") does not end the list.
_CATEGORY_NOTE = r"(?:\s*\([^()]{0,90}\))?"
_CATEGORY_LIST = re.compile(
    r"(?<![\w])(?P<list>" + _CATEGORY + _RISK_SUFFIX + _CATEGORY_NOTE
    # (a list never runs on to the next line: "… or high" then "- Low-risk …" are two items)
    + r"(?:(?:[^\S\n]*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|\s*/\s*|\s+to\s+|[^\S\n]*[-–][^\S\n]*(?=very|low|high|int|mod))"
    + _CATEGORY + _RISK_SUFFIX + _CATEGORY_NOTE + r")*)",
    re.IGNORECASE,
)
_SCHEMES = [
    # "\bR": without it the last letter of "either IPSS", "or IPSS", "lower IPSS" read as the R of R-IPSS
    ("ipssr_category", re.compile(r"\bIPSS" + _DASH + r"*R\b|\bR" + _DASH + r"*IPSS\b|\bIPSS" + _DASH + r"*revised"
                                  r"|revised\s+(?:international\s+prognostic\s+scoring\s+system|IPSS)", re.IGNORECASE)),
    ("ipssm_category", re.compile(r"\bIPSS" + _DASH + r"*M\b|molecular\s+(?:international\s+prognostic\s+scoring"
                                  r"\s+system|IPSS)", re.IGNORECASE)),
    ("ipss_category", re.compile(r"\bIPSS\b(?!" + _DASH + r"*(?:R|M|revised)\b)|international\s+prognostic\s+scoring"
                                 r"\s+system(?!" + _DASH + r"*(?:R|M)\b)", re.IGNORECASE)),
]
_SCHEME_VALUES = {
    "ipss_category": ["low", "intermediate_1", "intermediate_2", "high"],
    "ipssr_category": ["very_low", "low", "intermediate", "high", "very_high"],
    "ipssm_category": ["very_low", "low", "moderate_low", "moderate_high", "high", "very_high"],
}
# Words allowed between a scheme name and its category list ("IPSS risk groups of", "(IPSS)").
_SCHEME_FILLER = re.compile(
    r"[\s()\[\],:\-–]*(?:(?:risk|score|scores|scored|category|categories|group|groups|of|is|was|with|a|an|as|the"
    r"|classified|defined|disease|MDS|stratum|strata|level|lower|higher)\b[\s()\[\],:\-–]*){0,5}",
    re.IGNORECASE,
)


# An operator written before a category ("IPSS ≥ intermediate-2", "IPSS-R of at least high") or
# after it ("intermediate-2 or higher"): the category order of the scheme then gives the range.
_CATEGORY_PREFIX_OP = re.compile(
    r"(?:(?P<ge>≥|⩾|≧|>\s?/?\s?=|=>|>\s*or\s*=|at\s+least|(?:greater|higher|more|worse)\s+than\s+or\s+equal\s+to"
    r"|equal\s+to\s+or\s+(?:greater|higher|worse)\s+than)"
    r"|(?P<le>≤|⩽|≦|<\s?/?\s?=|=<|<\s*or\s*=|at\s+most|up\s+to|no\s+(?:higher|worse|greater)\s+than"
    r"|not\s+(?:higher|worse|greater)\s+than|(?:less|lower|better)\s+than\s+or\s+equal\s+to)"
    r"|(?P<gt>>|(?:greater|higher|worse)\s+than|above)"
    r"|(?P<lt><|(?:less|lower|better)\s+than|below))\s*$",
    re.IGNORECASE,
)
_CATEGORY_POSTFIX_OP = re.compile(
    r"[\s\-–]*(?:risk\s+)?(?:or|and)\s+(?:(?P<ge>higher|above|greater|worse|more)|(?P<le>lower|below|less|better))\b"
    r"(?!\s+(?:platelets?|h(?:a)?emoglobin|blasts?|neutrophils?|counts?|levels?|doses?|rates?|values?|numbers?"
    r"|percentages?|burden)\b)(?:[\s\-–]+risk\b)?",
    re.IGNORECASE,
)


def _category_operator(text: str, start: int, end: int) -> tuple[str | None, int, int]:
    """(operator, new start, new end) of an operator written around the category list."""
    post = _CATEGORY_POSTFIX_OP.match(text, end)
    if post:
        return (">=" if post.group("ge") else "<="), start, post.end()
    pre = _CATEGORY_PREFIX_OP.search(text[max(0, start - 40) : start])
    if pre:
        op = next(name for name in ("ge", "le", "gt", "lt") if pre.group(name))
        return {"ge": ">=", "le": "<=", "gt": ">", "lt": "<"}[op], max(0, start - 40) + pre.start(), end
    return None, start, end


def _category_range(scheme: str, value: str, operator: str) -> list[str]:
    order = _SCHEME_VALUES[scheme]
    i = order.index(value)
    return {">=": order[i:], ">": order[i + 1 :], "<=": order[: i + 1], "<": order[:i]}[operator]


def parse_risk_categories(text: str) -> list[Threshold]:
    """'IPSS low or intermediate-1', 'IPSS-R very low, low or intermediate', 'int-2/high risk',
    'IPSS ≥ intermediate-2', 'intermediate-2 or higher' (→ in [intermediate_2, high])."""
    results = []
    for match in _CATEGORY_LIST.finditer(text):
        items = re.findall(_CATEGORY, match.group("list"), re.IGNORECASE)
        list_end = _strip_trailing(text, match.start(), match.end())
        operator, op_start, op_end = _category_operator(text, match.start(), list_end)
        scheme, scheme_start = _scheme_before(text, op_start if op_start < match.start() else match.start())
        # "intermediate or high-risk IPSS", "high risk (i.e., IPSS ≥ 1.5)": the scheme after the list, or in its bracket
        note = text.rfind("(", match.start(), list_end) if text[list_end - 1 : list_end] == ")" else -1
        after_at = note + 1 if note >= 0 else list_end
        if scheme is None and (after := _scheme_after(text, after_at)) is not None:
            scheme, scheme_start = after, min(op_start, match.start())
        if scheme is None:
            if not any(re.search(r"\d|II|I\b|(?:high|low)" + _DASH + r"+intermediate", item, re.IGNORECASE)
                       for item in items):
                continue  # a bare "low" is too common to be a risk category on its own
            scheme, scheme_start = "ipss_category", min(op_start, match.start())
        values = _category_values(scheme, match.group("list"), items, _score_floor(text, after_at))
        if not values:
            continue
        end = list_end
        if operator is not None and len(values) == 1:
            ranged = _category_range(scheme, values[0], operator)
            if ranged:
                values, end = ranged, op_end
        operator, value = ("in", values) if len(values) > 1 else ("==", values[0])
        results.append(Threshold(scheme, operator, value, None, text[scheme_start:end], scheme_start, end))
    return results


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " -‐‑–—,":
        end -= 1
    return end


def _scheme_before(text: str, start: int) -> tuple[str | None, int]:
    window_start = max(0, start - 60)
    best = None
    for scheme, regex in _SCHEMES:
        for m in regex.finditer(text, window_start, start):
            gap = text[m.end() : start]
            if _SCHEME_FILLER.fullmatch(gap) and (best is None or m.end() > best[2]):
                best = (scheme, m.start(), m.end())
    if best is None:
        return None, start
    return best[0], best[1]


# "intermediate or high risk by the International Prognostic Scoring System", "high risk (IPSS of 1.5 or more)": the
# scheme named right after the list
_SCHEME_AFTER_GAP = re.compile(r"[\s\-–]*(?:risk\s+)?(?:(?:by|per|on|according\s+to)\s+(?:the\s+)?)?\(?\s*(?:(?:i\.\s?e\.|that\s+is|namely),?\s*)?",
                               re.IGNORECASE)
# the score bound written beside bare "intermediate" ("(IPSS) scores (≥ 0.5)", "(i.e., IPSS ≥ 1.5)")
# (not an IPSS-R or IPSS-M score, whose points are another scale)
_SCORE_FLOOR = re.compile(r"(?:(?!\.\s|\bIPSS[\s-]*[RM]\b|\bR[\s-]*IPSS\b|\brevised\b)[^;]){0,70}?"
                          r"\b(?:IPSS(?![\s-]*(?:R|M)\b)|scores?|points?)\b[)\]]?\s*(?:\(\s*)?(?:of\s+)?"
                          r"(?:(?:≥|>=|=>|at\s+least)\s*(?P<v>[0-3](?:\.[05])?)(?![\d%])"
                          r"|(?P<v2>[0-3](?:\.[05])?)\s+or\s+(?:more|higher|greater|above))",
                          re.IGNORECASE)
# IPSS points of each intermediate group (Greenberg 1997): int-1 0.5-1.0, int-2 1.5-2.0
_IPSS_INTERMEDIATE_TOP = {"intermediate_1": 1.0, "intermediate_2": 2.0}


def _scheme_after(text: str, end: int) -> str | None:
    gap = _SCHEME_AFTER_GAP.match(text, end)
    position = gap.end() if gap else end
    for scheme, regex in _SCHEMES:
        if regex.match(text, position):
            return scheme
    return None


def _score_floor(text: str, end: int) -> float | None:
    floor = _SCORE_FLOOR.match(text, end)
    return float(floor.group("v") or floor.group("v2")) if floor else None


def _normalise_category(item: str) -> str:
    item = re.sub(_DASH + "+", " ", item.strip().lower())
    item = {"high intermediate": "intermediate 2", "low intermediate": "intermediate 1"}.get(item, item)
    item = re.sub(r"^int(?:ermediate)?\s*", "intermediate ", item) if item.startswith("int") else item
    item = item.replace("intermediate ii", "intermediate 2").replace("intermediate i", "intermediate 1")
    return "_".join(item.split())


def _category_values(scheme: str, listed: str, items: list[str], score_floor: float | None = None) -> list[str]:
    allowed = _SCHEME_VALUES[scheme]
    normalised = [_normalise_category(i) for i in items]
    if scheme == "ipss_category" and "intermediate" in normalised:
        # IPSS has no plain "intermediate": the word names both intermediate groups, unless a score bound written
        # beside it says which ("intermediate and high risk (IPSS ≥ 1.5)" is int-2 and high)
        both = [v for v in _IPSS_INTERMEDIATE_TOP if score_floor is None or _IPSS_INTERMEDIATE_TOP[v] >= score_floor]
        at = normalised.index("intermediate")
        normalised = [v for v in normalised[:at] + both + normalised[at + 1 :] if v != "intermediate"]
    values: list[str] = []
    ranged = re.search(r"\bto\b", listed, re.IGNORECASE) and len(normalised) == 2
    if ranged and all(v in allowed for v in normalised):
        lo, hi = allowed.index(normalised[0]), allowed.index(normalised[1])
        return allowed[min(lo, hi) : max(lo, hi) + 1]
    for value in normalised:
        if value in allowed and value not in values:
            values.append(value)
    return sorted(values, key=allowed.index)  # the scheme's order, whatever the text's


# ---- transfusion ----------------------------------------------------------------------------

_TRANSFUSION_DEPENDENT = re.compile(
    r"\b(?:RBC[\s-]*)?TD\b(?=[\s,;.)]*(?:MDS|patients|anemia|anaemia))"
    r"|(?:(?:red[\s-]+(?:blood[\s-]+)?cell|RBC|red[\s-]+cell|blood)[\s-]+)?transfusion[\s\-‐–]*dependen(?:t|ce|cy)\b"
    r"|(?:dependen(?:t|ce)|depend(?:s|ing)?|rel(?:y|ies|ying|iant))\s+on\s+(?:regular\s+)?(?:red[\s-]+(?:blood[\s-]+)?cell\s+|RBC\s+|blood\s+)?"
    r"transfusions?\b"
    r"|(?:requir(?:e|es|ed|ing)|need(?:s|ed|ing)?)\s+(?:a\s+|regular\s+|frequent\s+|chronic\s+|ongoing\s+)*"
    r"(?:red[\s-]+(?:blood[\s-]+)?cell\s+|RBC\s+|blood\s+)?transfusions?\b",
    re.IGNORECASE,
)
_TRANSFUSION_NEGATION = re.compile(
    r"(?:\bnot\b|\bnon[\s-]*|\bno\s+longer\b|\bwithout\b|\bnever\b|\bn't\b|\bnot\s+yet\b|\bneither\b|\bnor\b)[^.;,]{0,15}$",
    re.IGNORECASE,
)
# The part from the unit on: every burden match contains a match of it (see _BURDEN_PREFILTER).
_BURDEN_TAIL = (
    # "2 units of RBC", "2 RBC units", "2 red-cell units"
    r"(?:(?:packed\s+)?(?:RBCs?|pRBCs?|PRBCs?|red[\s-]+(?:blood[\s-]+)?cells?)\s+)?(?:units?|U)\b(?:\s+of)?(?:\s+(?:packed\s+)?(?:RBCs?|pRBCs?|red[\s-]+(?:blood[\s-]+)?cells?|PRBCs?))?"
    r"(?:\s+transfusions?)?(?:\s+(?:transfused|received|given|administered))?\s*"
    r"(?:per|every|in|/|over|within|during|each)\s*(?:the\s+|a\s+)?(?:(?:past|last|previous|preceding|prior)\s+)?"
    r"(?P<w>" + NUM + r")?\s*(?P<per>weeks?|wks?|months?|days?)\b"
)
_TRANSFUSION_BURDEN = re.compile(
    r"(?:(?P<op>≥|>=|≤|<=|<|>|at\s+least|more\s+than|fewer\s+than|less\s+than|up\s+to|at\s+most)\s*|(?:from|between)\s+)?"
    r"(?P<n>" + NUM + r")(?:\s*(?:-|–|to|and)\s*(?P<n2>" + NUM + r"))?"
    r"(?:\s+or\s+(?P<post>more|fewer|less))?\s*" + _BURDEN_TAIL,
    re.IGNORECASE,
)
# Cheap necessary conditions, same flags as the full patterns: a text without a match of these
# has no match of the full pattern, so the full scan (tried at every character: the burden
# pattern opens with optional operators and a number, the dependence one with four
# alternatives) is skipped. Most texts have neither.
_BURDEN_PREFILTER = re.compile(_BURDEN_TAIL, re.IGNORECASE)
_DEPENDENCE_PREFILTER = re.compile(r"transfusion|TD", re.IGNORECASE)  # in every alternative
_BURDEN_OPS = {"≥": ">=", ">=": ">=", "at least": ">=", "≤": "<=", "<=": "<=", "up to": "<=", "at most": "<=",
               "<": "<", "fewer than": "<", "less than": "<", ">": ">", "more than": ">"}


# "a history of ≥ 20 RBC units transfused", "a lifetime total of at least 20 units of red cells": a count of units
# received in all; a count per weeks or months is the transfusion burden (above), never this
_RBC = r"(?:packed\s+)?(?:RBCs?|pRBCs?|PRBCs?|red[\s-]+(?:blood[\s-]+)?cells?)"
_RBC_UNITS_TOTAL = re.compile(
    r"(?P<op>≥|>=|at\s+least|a\s+minimum\s+of|more\s+than|>)\s*(?P<n>\d{1,3})\s+"
    r"(?:(?P<rbc1>" + _RBC + r")\s+units?|units?\s+of\s+(?P<rbc2>" + _RBC + r"))\b"
    r"(?![^.;]{0,40}?\b(?:per|every|in|within|over|during|each|/)\s*(?:the\s+|a\s+)?(?:(?:past|last|previous|preceding"
    r"|prior)\s+)?\d*\s*(?:weeks?|wks?|months?|days?)\b)", re.IGNORECASE)
_TOTAL_WORDS = re.compile(r"\b(?:history|lifetime|total|cumulative|in\s+all|overall|since\s+diagnosis|received|transfused"
                          r"|given)\b", re.IGNORECASE)


def parse_rbc_units_total(text: str) -> list[Threshold]:
    """'a history of ≥ 20 RBC units transfused' → rbc_units_total >= 20, only where words say it is a total."""
    results = []
    for match in _RBC_UNITS_TOTAL.finditer(text):
        around = text[max(0, match.start() - 40) : match.end() + 30]
        if not _TOTAL_WORDS.search(around):
            continue
        operator = {"≥": ">=", ">=": ">=", "at least": ">=", "a minimum of": ">=", "more than": ">", ">": ">"}[
            re.sub(r"\s+", " ", match.group("op").lower())]
        results.append(Threshold("rbc_units_total", operator, int(match.group("n")), "units", match.group(),
                                 match.start(), match.end()))
    return results


def parse_transfusion_dependence(text: str) -> list[Threshold]:
    """'transfusion-dependent', 'requires red blood cell transfusions' → transfusion_dependent == true.

    'not transfusion-dependent' / 'did not yet require a transfusion' → == false. Outcomes such as
    'transfusion independence' are not conditions and are left alone.
    """
    results = []
    if not _DEPENDENCE_PREFILTER.search(text):
        return results
    for match in _TRANSFUSION_DEPENDENT.finditer(text):
        before = text[max(0, match.start() - 25) : match.start()]
        negated = bool(_TRANSFUSION_NEGATION.search(before)) or match.group().lower().startswith("non")
        results.append(
            Threshold("transfusion_dependent", "==", not negated, None, match.group(), match.start(), match.end())
        )
    return results


def parse_transfusion_burden(text: str) -> list[Threshold]:
    """'≥ 2 units of RBC per 8 weeks' → transfusion_units_per_8wk >= 2 (other windows rescaled)."""
    results = []
    if not _BURDEN_PREFILTER.search(text):
        return results
    for match in _TRANSFUSION_BURDEN.finditer(text):
        per_count = _number(match.group("w")) if match.group("w") else 1.0
        period = match.group("per").lower()
        weeks = per_count * (4.0 if period.startswith("month") else 1 / 7 if period.startswith("day") else 1.0)
        scale = 8.0 / weeks
        operator = _BURDEN_OPS.get(re.sub(r"\s+", " ", (match.group("op") or "").lower()))
        if match.group("post"):
            operator = ">=" if match.group("post").lower() == "more" else "<="
        values = [_number(match.group("n"))]
        if match.group("n2"):
            joined_by_and = re.search(r"\band\b", text[match.start("n") : match.start("n2")], re.IGNORECASE)
            if joined_by_and and not re.match(r"\s*between\b", match.group(), re.IGNORECASE):
                continue  # "2 and 4 units": a list, not a range (a range with "and" says "between")
            values.append(_number(match.group("n2")))
            operator = "between"
        if operator is None:
            continue
        scaled = [_tidy(v * scale) for v in values]
        value = scaled if operator == "between" else scaled[0]
        results.append(Threshold("transfusion_units_per_8wk", operator, value, "units/8 weeks",
                                 match.group(), match.start(), match.end()))
    return results


# ---- "within normal limits"; one limit for a list of analytes --------------------------------

_ULN_ANALYTES = (
    ("bilirubin_x_uln", r"(?:total\s+)?bilirubin"),
    ("creatinine_x_uln", r"(?:serum\s+)?creatinine(?!\s+clearance)"),
    ("ast_alt_x_uln", r"(?:AST|ALT|SGOT|SGPT|ASAT|ALAT|transaminases?|aminotransferases?)(?:\s*(?:/|and|or)\s*(?:AST|ALT|SGOT|SGPT))*"),
)
_WITHIN_NORMAL = re.compile(
    r"\b(?P<cue>" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _ULN_ANALYTES) + r")\b"
    r"(?:\s*\([^)]{0,20}\))?\s+(?:levels?\s+)?(?:(?:is|are|must\s+be|should\s+be)\s+)?"
    r"(?:within\s+(?:the\s+)?(?:institutional\s+|laboratory\s+)?normal(?:\s+institutional)?\s+(?:limits?|ranges?)"
    r"|(?:in\s+the\s+)?normal(?:\s+range)?\b(?!\s+(?:times|x)))",
    re.IGNORECASE,
)


def parse_within_normal(text: str) -> list[Threshold]:
    """'Bilirubin within normal institutional limits', 'Bilirubin normal' → bilirubin_x_uln <= 1
    (the upper limit of normal is 1 × ULN)."""
    results = []
    if "normal" not in text.lower():
        return results
    for match in _WITHIN_NORMAL.finditer(text):
        variable = next(name for name, _ in _ULN_ANALYTES if match.group(name))
        if variable == "ast_alt_x_uln":
            variable = transaminase_variable(match.group("cue"))
        results.append(Threshold(variable, "<=", 1, "x ULN", match.group(), match.start(), match.end()))
    return results


_TRANSAMINASES = frozenset({"ast_x_uln", "alt_x_uln", "ast_alt_x_uln"})
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|and/or\s+|/\s*|&\s*)\s*$", re.IGNORECASE)


def shared_limits(text: str, kept: list[Threshold]) -> list[Threshold]:
    """'AST/ALT and bilirubin ≤ 3 × ULN': the limit written once after a list of analytes holds for
    each of them. Only × ULN limits are shared (the one unit that fits every analyte in such a list)."""
    extra: list[Threshold] = []
    for threshold in kept:
        if threshold.unit != "x ULN" or threshold.operator not in ("<", "<=", ">", ">="):
            continue
        position = threshold.start
        while True:
            before = text[max(0, position - 40) : position]
            joiner = _LIST_JOIN.search(before)
            if joiner is None:
                break
            head = before[: joiner.start()]
            found = None
            for name, pattern in _ULN_ANALYTES:
                match = re.search(r"\b(?:" + pattern + r")\s*(?:\([^)]{0,15}\))?\s*$", head, re.IGNORECASE)
                if match:
                    found = (name, match)
                    break
            if found is None:
                break
            name, match = found
            variable = transaminase_variable(match.group()) if name == "ast_alt_x_uln" else name
            start = max(0, position - 40) + match.start()
            same_family = variable in _TRANSAMINASES and threshold.variable in _TRANSAMINASES
            if variable != threshold.variable and not same_family and all(t.variable != variable for t in kept + extra):
                extra.append(Threshold(variable, threshold.operator, threshold.value, threshold.unit,
                                       text[start : threshold.end], start, threshold.end))
            position = start
    return extra


# Liver and kidney tests a list may name beside the model's ones; they take the list's limit but are not variables
_UNMODELLED_LAB = r"(?:alkaline\s+phosphatase|ALP|GGT|gamma[\s-]*GT|LDH)"
_LISTED_LAB = r"(?:" + "|".join(pattern for _, pattern in _ULN_ANALYTES) + r"|" + _UNMODELLED_LAB + r")"
_LAB_LIST = re.compile(
    r"\b(?P<list>" + _LISTED_LAB + r"(?:\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|and/or\s+|/\s*)\s*" + _LISTED_LAB
    + r")+)\b\s*(?:\([^)]{0,20}\)\s*)?(?:levels?\s+)?(?:(?:is|are|must\s+be|should\s+be)\s+)?(?=\S)",
    re.IGNORECASE)


def listed_limits(text: str, kept: list[Threshold]) -> list[Threshold]:
    """'ALT, AST, alkaline phosphatase and bilirubin < 5 × ULN', 'AST and alkaline phosphatase < 3 × ULN': one × ULN
    limit after a list of tests holds for each test of the model in it, whichever test stands last (a test the model
    has no variable for, such as alkaline phosphatase, takes its share of the limit and is left out). The liver
    enzymes of one list share one variable (`transaminase_variable`)."""
    extra: list[Threshold] = []
    if "uln" not in text.lower() and "normal" not in text.lower():
        return extra
    quantities = {q.start: q for q in find_quantities(text) if q.unit_kind == "uln"
                  and q.operator in ("<", "<=", ">", ">=")}
    for match in _LAB_LIST.finditer(text):
        quantity = quantities.get(match.end())
        if quantity is None:
            continue
        members = match.group("list")
        found: dict[str, int] = {}
        enzymes = []
        for name, pattern in _ULN_ANALYTES:
            for m in re.finditer(r"\b(?:" + pattern + r")\b", members, re.IGNORECASE):
                if name == "ast_alt_x_uln":
                    enzymes.append(m.group())
                    found.setdefault(name, m.start())
                else:
                    found.setdefault(name, m.start())
        values = _values_in_variable_unit("bilirubin_x_uln", quantity)
        if values is None:
            continue
        for name, offset in found.items():
            variable = transaminase_variable(" ".join(enzymes)) if name == "ast_alt_x_uln" else name
            start = match.start("list") + offset
            if any(t.variable == variable or (variable in _TRANSAMINASES and t.variable in _TRANSAMINASES)
                   for t in kept + extra if t.start < quantity.end and start < t.end):
                continue  # already read from these words
            extra.append(Threshold(variable, quantity.operator, values[0], "x ULN", text[start : quantity.end], start,
                                   quantity.end))
    return extra


def _one_limit_for_both_enzymes(kept: list[Threshold], text: str) -> list[Threshold]:
    """'AST ≤ 2.5 × ULN and ALT ≤ 2.5 × ULN' is one limit on both liver enzymes (ast_alt_x_uln)."""
    ast = [t for t in kept if t.variable == "ast_x_uln"]
    alt = [t for t in kept if t.variable == "alt_x_uln"]
    for a in ast:
        for b in alt:
            first, second = (a, b) if a.start < b.start else (b, a)
            if (a.operator, a.value) == (b.operator, b.value) \
                    and not _CLAUSE_BREAK.search(text, first.end, max(first.end, second.start)):
                # (two items of a list, one per line, stay two limits: a threshold across lines belongs to no line)
                start, end = min(a.start, b.start), max(a.end, b.end)
                both = Threshold("ast_alt_x_uln", a.operator, a.value, a.unit, text[start:end], start, end)
                return sorted([t for t in kept if t is not a and t is not b] + [both], key=lambda t: t.start)
    return kept


# ---- overlap --------------------------------------------------------------------------------


def _non_overlapping(candidates: list[Threshold]) -> list[Threshold]:
    """Longest first, then reading order; a candidate overlapping a kept one is dropped."""
    kept: list[Threshold] = []
    for cand in sorted(candidates, key=lambda t: (-(t.end - t.start), t.start)):
        if all(cand.end <= k.start or k.end <= cand.start for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda t: t.start)
