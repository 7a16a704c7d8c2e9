"""Patient values typed into a question, read into a partial `PatientInput`.

`extract_patient_values("age 72, hemoglobin 9.4, platelets 60, anc 1.1, 7% blasts, normal karyotype")`
returns a `QuestionValues` whose `patient` passes `record.normalise()` and can go straight to
`assess.assess()`. Every value read is listed in `found` with its place in the question; every
unit that had to be assumed, and every reading that is not literal (a brand name, "failed"),
is said in plain words in `assumptions`; fragments that looked like values but could not be
read safely (an impossible number, a range, a bound such as "epo < 500", two different values
for one field) are listed in `ignored` and never guessed.

What is read (tolerant of case, typos of the longer key words, abbreviations, missing units,
decimal commas and thousands separators):
  age, sex (first person only - never from a relative), hemoglobin, platelets, ANC, marrow
  blasts (peripheral blood blasts only when the text says blood / peripheral), ring
  sideroblasts, serum EPO, ferritin, an ISCN karyotype, karyotype findings in words (turned
  into the IPSS-R cytogenetic group when the findings decide it), gene mutations (stated
  negatives too), red-cell transfusion burden, prior therapies with their response and
  cycles (brand names turned into generic names), transplant fitness / wishes / donor, ECOG,
  marrow cellularity, and a risk score or category the question states (IPSS, IPSS-R, IPSS-M).

Bare numbers (no unit) are read by magnitude only where the ranges do not overlap:
  hemoglobin 3-20 -> g/dL, 30-200 -> g/L, anything else is ignored;
  platelets < 1000 -> x10^9/L, >= 1000 -> /uL;  ANC < 100 -> x10^9/L, >= 100 -> /uL;
  blasts and ring sideroblasts -> %;  EPO -> mU/mL;  ferritin -> ng/mL.
The plausibility bounds below are sanity limits chosen here (they catch a typing slip or a
wrong unit), not values taken from a source.

Pure: no graph, no I/O, and nothing here logs or prints a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .karyotype import parse_karyotype
from .record import Mutation, PatientInput, PatientValueError, PriorTherapy, Quantity, normalise

__all__ = [
    "FoundValue",
    "QuestionValues",
    "extract_patient_values",
    "missing_for_ipssr",
    "IPSSR_INPUTS",
    "THERAPY_NAMES",
]


@dataclass(frozen=True)
class FoundValue:
    """One value read from the question.

    field: the PatientInput field it fills. value: the value as read (a number before any unit
    conversion, e.g. 94.0 for "94 g/L"; a str / bool / Mutation / PriorTherapy otherwise).
    unit: the unit as read or assumed, spelled so that Quantity(value, unit) is valid; None
    when the field has no unit. unit_assumed: True when the question gave no unit.
    start / end: the span of the fragment in the question (question[start:end] == text).
    """

    field: str
    value: Any
    unit: str | None
    start: int
    end: int
    text: str
    unit_assumed: bool = False


@dataclass(frozen=True)
class QuestionValues:
    """What a question says about the patient.

    patient: the values as a PatientInput (passes normalise()), or None when the question holds
    no patient values. score / scheme / category: a risk score or category the question states
    ("my ipss-r came back as 4.0" -> 4.0, "IPSS-R"); scheme is "IPSS", "IPSS-R" or "IPSS-M";
    category uses the names of service.patient.ipssr / ipssm (e.g. "intermediate_1",
    "moderate_high").
    """

    patient: PatientInput | None
    found: tuple[FoundValue, ...] = ()
    assumptions: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    score: float | None = None
    scheme: str | None = None
    category: str | None = None


# The IPSS-R inputs, as PatientInput field names (cytogenetics: ipssr_cytogenetic_group, or a
# karyotype from which the group can be read).
IPSSR_INPUTS = ("hemoglobin", "platelets", "anc", "marrow_blasts_pct", "ipssr_cytogenetic_group")


def missing_for_ipssr(values: QuestionValues) -> tuple[str, ...]:
    """The IPSS-R inputs the question did not give (PatientInput field names, in IPSSR_INPUTS order)."""
    p = values.patient
    if p is None:
        return IPSSR_INPUTS
    out = [name for name in IPSSR_INPUTS[:4] if getattr(p, name) is None]
    cyto = p.ipssr_cytogenetic_group
    if cyto is None and p.karyotype:
        cyto = parse_karyotype(p.karyotype, sex=p.sex).ipssr_group
    if cyto is None:
        out.append("ipssr_cytogenetic_group")
    return tuple(out)


# --------------------------------------------------------------------------------------
# Canonical text: lower case, unicode folded, misspelt key words replaced - with a map back
# to the question's character offsets.
# --------------------------------------------------------------------------------------

_CHAR_MAP = {
    "µ": "u", "μ": "u", "×": "x", "’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "−": "-",
    "‐": "-", "‑": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "⁹": "^9", "³": "^3", "≤": "<=",
    "≥": ">=", "％": "%", "，": ",",
}

# Exact respellings (abbreviations and spelling variants) -> the key word the rules use.
_ALIASES = {
    "haemoglobin": "hemoglobin", "hemoglobine": "hemoglobin", "haemoglobine": "hemoglobin",
    "hgb": "hb", "hbg": "hb",
    "plts": "platelets", "plt": "platelets", "plat": "platelets", "thrombocytes": "platelets",
    "neuts": "neutrophils", "neut": "neutrophils", "neutrophiles": "neutrophils",
    "sideroblast": "sideroblasts", "ringed": "ring",
    "erythropoetin": "erythropoietin",
    "caryotype": "karyotype", "karyotyping": "karyotype",
    "transfused": "transfused", "tranfusions": "transfusions", "tranfusion": "transfusion",
    "yrs": "years", "yr": "years",
}

# Long key words that are corrected when misspelt (same first letter, small edit distance).
_FUZZY_TARGETS = (
    "hemoglobin", "platelets", "platelet", "neutrophils", "neutrophil", "absolute", "blasts",
    "myeloblasts", "sideroblasts", "marrow", "peripheral", "ferritin", "erythropoietin", "karyotype",
    "cytogenetics", "normal", "monosomy", "trisomy", "mutation", "mutations", "mutated",
    "transfusion", "transfusions", "transfusion-dependent", "dependent", "transplant", "candidate",
    "percent", "azacitidine", "decitabine", "cedazuridine", "lenalidomide", "luspatercept",
    "imetelstat", "ivosidenib", "enasidenib", "olutasidenib", "venetoclax", "darbepoetin", "epoetin",
    "eltrombopag", "romiplostim", "cyclosporine", "deferasirox", "vidaza", "dacogen", "revlimid",
    "reblozyl", "procrit", "epogen", "retacrit", "aranesp", "inqovi", "rytelo", "tibsovo", "idhifa",
    "venclexta", "promacta", "hypomethylating", "cellular", "hypocellular", "hypercellular",
    "normocellular", "isochromosome", "deletion", "inversion",
)
# Real words that sit close to a key word and must stay as they are.
_KEEP_WORDS = frozenset({
    "depletion", "morrow", "narrow", "barrow", "formal", "normally", "abnormal", "mutual", "blasted",
    "plates", "plated", "planet", "planets", "candidates", "percents", "transplanted", "transplants",
    "dependents", "dependence", "dependency", "cellulars", "insertion", "deletions", "mutations",
    "mutation", "mutated", "absolutely", "detection", "defendant", "platelet", "platelets", "neutrophil", "neutrophils",
})


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent transpositions count 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and prev2 is not None and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _canonical_word(w: str) -> str:
    if w in _ALIASES:
        return _ALIASES[w]
    if len(w) < 5 or w in _KEEP_WORDS or w in _FUZZY_TARGETS:
        return w
    limit = 1 if len(w) < 8 else 2
    best, best_d = w, limit + 1
    for t in _FUZZY_TARGETS:
        if t[0] != w[0]:
            continue
        d = _distance(w, t, limit)
        if d < best_d:
            best, best_d = t, d
    return best if best_d <= limit else w


class _Text:
    """The question in canonical form (`c`) with a map from its offsets to the question's."""

    def __init__(self, original: str):
        self.original = original
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for m in re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*|.", original, re.S):
            tok = m.group(0)
            if len(tok) > 1:
                low = tok.lower()
                rep = _canonical_word(low)
                if rep == low and "-" in low:  # hyphenated: correct each part
                    rep = "-".join(_canonical_word(p) for p in low.split("-"))
            else:
                rep = _CHAR_MAP.get(tok, tok.lower())
            if not rep:
                continue
            pieces.append(rep)
            starts.extend([m.start()] * len(rep))
            ends.extend([m.end()] * len(rep))
        self.c = "".join(pieces)
        self._starts = starts
        self._ends = ends

    def span(self, s: int, e: int) -> tuple[int, int]:
        """The question span of the canonical span [s, e)."""
        if e <= s:
            p = self._starts[s] if s < len(self._starts) else len(self.original)
            return p, p
        return self._starts[s], self._ends[e - 1]

    def orig(self, s: int, e: int) -> str:
        a, b = self.span(s, e)
        return self.original[a:b]


# --------------------------------------------------------------------------------------
# Shared patterns
# --------------------------------------------------------------------------------------

# A number: "45,000" (thousands), "8,9" / "8.9" (decimal comma or point), "58".
_NUM = r"(?<![\w.,^/])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,]\d+)?)(?![\d])"
_NUMWORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a": 1, "an": 1, "single": 1,
}
_NUMW = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
# Separators of sentences (a full stop only when followed by a space or the end).
_SENTENCE_SEP = re.compile(r"[;!?\n]|\.(?=\s|$)")
_BOUND = re.compile(r"[<>]|\b(?:below|above|under|over|less|more|greater|lower|higher|least|most|up\s+to|max|min)\b")
_RANGE_AFTER = re.compile(r"(?:-\s*|\s+-\s+|\s+to\s+)\d")
_NEGATION_BEFORE = re.compile(r"\b(?:no|not|never|without|negative\s+for|absence\s+of|rule\s+out|ruled\s+out)\s+(?:\w+\s+){0,2}$")


def _num_value(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


def _num_or_word(s: str) -> float:
    s = s.strip()
    if s in _NUMWORDS:
        return float(_NUMWORDS[s])
    return _num_value(s)


def _fmt(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------------------
# Measurements with units
# --------------------------------------------------------------------------------------

_SOFT_HB_UNIT = re.compile(r"\s*(?:g|gm|gms|grams?)\b(?!\s*/)")
_FOREIGN_UNIT = re.compile(
    r"\s*(?:%|percent\b|per\s*cent\b|pct\b|[a-z]{1,6}\s*/\s*[a-z]{1,5}(?:\^?\d)?\b|x\s*10|units?\b|iu\b|mg\b|"
    r"mcg\b|ug\b|ml\b|mmol\b|weeks?\b|wks?\b|months?\b|days?\b|years?\b|yrs?\b|cycles?\b|times\b|hours?\b)")


@dataclass(frozen=True)
class _Measure:
    field: str
    label: str  # plain name for notes
    keyword: str  # regex (canonical text)
    units: tuple[tuple[str, str], ...]  # (regex, record unit spelling), tried in order
    bare: Callable[[float], tuple[str, str] | None]  # bare value -> (record unit, label) or None
    to_canonical: Callable[[float, str], float]
    plausible: Callable[[float], bool]  # on the canonical value
    bounds_text: str
    percent_first: bool = False  # "7% blasts": read the number before the key word first


def _hb_bare(v: float) -> tuple[str, str] | None:
    if 3 <= v <= 20:
        return "g/dL", "g/dL"
    if 30 <= v <= 200:
        return "g/L", "g/L"
    return None


_HB_FACTORS = {"g/dL": 1.0, "g/L": 0.1, "mmol/L": 1.61145, "mg/dL": 0.001}
_COUNT_FACTORS = {"10^9/L": 1.0, "10^3/uL": 1.0, "/uL": 0.001}
_EPO_FACTORS = {"mU/mL": 1.0, "IU/L": 1.0, "IU/mL": 1000.0}
_FERRITIN_FACTORS = {"ng/mL": 1.0, "ug/L": 1.0, "ug/dL": 10.0, "mg/L": 1000.0}

_COUNT_UNITS = (
    (r"x?\s*10\s*(?:\^|\*\*?|e)?\s*9(?:\s*/\s*l\b|\s+per\s+lit(?:er|re)\b)?", "10^9/L"),
    (r"x?\s*10\s*(?:\^|\*\*?|e)?\s*3(?:\s*/\s*(?:ul|mcl|mm\^?3)\b)?", "10^3/uL"),
    (r"(?:k|thou)\s*/\s*(?:ul|mcl|mm\^?3)\b|k\b|thousand\b", "10^3/uL"),
    (r"(?:cells\s*)?(?:/\s*(?:ul|mcl|mm\^?3)\b|per\s+(?:ul|mcl|microlit(?:er|re)|mm\^?3|cubic\s+mm)\b)", "/uL"),
    (r"(?:giga\s*/\s*l|g\s*/\s*l)\b", "10^9/L"),
    (r"/\s*nl\b", "10^9/L"),
)
_PCT_UNITS = ((r"%|percent\b|per\s*cent\b|pct\b", "%"),)

_MEASURES: tuple[_Measure, ...] = (
    _Measure(
        "ring_sideroblasts_pct", "ring sideroblasts", r"\bring\s+sideroblasts\b|\brs\b(?!\s*-)", _PCT_UNITS,
        lambda v: ("%", "%"), lambda v, u: v, lambda x: 0 <= x <= 100, "0-100 %", percent_first=True),
    _Measure(
        "marrow_blasts_pct", "blasts", r"\b(?:myelo)?blasts?(?:\s+(?:count|percentage))?\b", _PCT_UNITS,
        lambda v: ("%", "%"), lambda v, u: v, lambda x: 0 <= x <= 100, "0-100 %", percent_first=True),
    _Measure(
        "hemoglobin", "hemoglobin", r"\b(?:hemoglobin|hb)(?:\s+(?:level|count|value))?\b",
        ((r"g\s*/\s*dl\b|gm?s?\s*/\s*dl\b|gr\s*/\s*dl\b|grams?\s*(?:/|per)\s*dl\b|g\s*%", "g/dL"),
         (r"g\s*/\s*l\b|grams?\s*(?:/|per)\s*lit(?:er|re)\b", "g/L"),
         (r"mmol\s*/\s*l\b", "mmol/L"),
         (r"mg\s*/\s*dl\b", "mg/dL")),
        _hb_bare, lambda v, u: v * _HB_FACTORS[u], lambda x: 1 <= x <= 25, "1-25 g/dL"),
    _Measure(
        "platelets", "platelets", r"\bplatelets?(?:\s+count)?\b", _COUNT_UNITS,
        lambda v: ("10^9/L", "x10^9/L") if v < 1000 else ("/uL", "/µL"),
        lambda v, u: v * _COUNT_FACTORS[u], lambda x: 0 < x <= 5000, "more than 0 and at most 5000 x10^9/L"),
    _Measure(
        "anc", "ANC",
        r"\b(?:anc|absolute\s+neutrophils?(?:\s+count)?|absolute\s+neutrophil\s+count|neutrophils?(?:\s+count)?)\b",
        _COUNT_UNITS,
        lambda v: ("/uL", "/µL") if v >= 100 else ("10^9/L", "x10^9/L"),
        lambda v, u: v * _COUNT_FACTORS[u], lambda x: 0 <= x <= 50, "0-50 x10^9/L"),
    _Measure(
        "serum_epo", "EPO", r"\b(?:serum\s+)?(?:epo|erythropoietin)(?:\s+levels?)?\b",
        ((r"(?:mu|miu|mui|m\s*iu|m\s*u|mlu)\s*/\s*ml\b", "mU/mL"), (r"(?:iu|u)\s*/\s*l\b", "IU/L"),
         (r"(?:iu|u)\s*/\s*ml\b", "IU/mL")),
        lambda v: ("mU/mL", "mU/mL"), lambda v, u: v * _EPO_FACTORS[u], lambda x: 0 <= x <= 100000,
        "0-100000 mU/mL"),
    _Measure(
        "serum_ferritin", "ferritin", r"\b(?:serum\s+)?ferritin(?:\s+levels?)?\b",
        ((r"ng\s*/\s*ml\b", "ng/mL"), (r"(?:ug|mcg)\s*/\s*l\b", "ug/L"), (r"(?:ug|mcg)\s*/\s*dl\b", "ug/dL"),
         (r"mg\s*/\s*l\b", "mg/L")),
        lambda v: ("ng/mL", "ng/mL"), lambda v, u: v * _FERRITIN_FACTORS[u], lambda x: 0 <= x <= 100000,
        "0-100000 ng/mL"),
)

_FILL_WORDS = (
    "is|was|were|are|be|of|at|level|levels|count|counts|value|values|around|about|approx|approximately|roughly|"
    "only|now|currently|just|recently|today|latest|last|came|back|as|has|been|had|dropped|fell|went|down|up|to|"
    "rose|stands|sits|reading|reads|showed|shows|measured|a|an|the|my|in|bone|marrow|blood|peripheral|result|"
    "results|still|nearly|almost|below|above|under|over|less|more|than|greater|lower|higher|least|most|like|"
    "percentage|score|number|checked|check|it|its|it's|at|finally"
)
_FWD = re.compile(r"(?P<fill>(?:\s*(?:[:=~(]|<=?|>=?|\b(?:" + _FILL_WORDS + r")\b))*)\s*(?P<num>" + _NUM + r")")
_MARROW_Q = re.compile(r"\b(?:bone\s+marrow|marrow|bm|aspirate|biopsy|bmb)\b")
_PERIPH_NEAR = re.compile(r"\b(?:peripheral(?:\s+blood)?|pb|circulating|blood|smear)\s+(?:\w+\s+){0,1}$")
_PERIPH_AFTER = re.compile(r"^\s*(?:\S+\s+){0,3}?(?:in|on)\s+(?:the\s+|my\s+)?(?:peripheral\s+)?(?:blood|smear)\b|^\s*\(\s*pb\s*\)")
_MARROW_AFTER = re.compile(r"^\s*(?:\S+\s+){0,3}?(?:in|on)\s+(?:the\s+|my\s+)?(?:bone\s+)?marrow\b")
_PERIPH_SENT = re.compile(r"\b(?:peripheral\s+blood|peripheral\s+smear|blood\s+smear|pb)\b")


class _Reader:
    def __init__(self, question: str):
        self.t = _Text(question)
        self.c = self.t.c
        self.used: list[tuple[int, int]] = []
        self.values: dict[str, list[tuple[Any, Any, FoundValue]]] = {}  # field -> [(key, patient value, found)]
        self.lists: dict[str, list[tuple[Any, FoundValue]]] = {}
        self.assumptions: list[tuple[int, str, str | None]] = []
        self._kw_done: set[tuple[int, int]] = set()
        self.negative_genes: set[str] = set()  # genes the question says are not mutated
        self.ignored: list[tuple[int, str]] = []
        self.score: float | None = None
        self.scheme: str | None = None
        self.category: str | None = None

    # -- bookkeeping -------------------------------------------------------------------

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.used)

    def use(self, s: int, e: int) -> None:
        self.used.append((s, e))

    def opos(self, s: int) -> int:
        """The question offset of canonical offset s (orders the notes)."""
        return self.t.span(s, s + 1)[0] if s < len(self.c) else len(self.t.original)

    def assume(self, s: int, note: str, field: str | None = None) -> None:
        self.assumptions.append((self.opos(s), note, field))

    def ignore(self, s: int, e: int, why: str) -> None:
        self.ignored.append((self.opos(s), f"{self.t.orig(s, e).strip()}: {why}"))
        self.use(s, e)

    def found(self, field: str, value: Any, unit: str | None, s: int, e: int, patient_value: Any,
              key: Any = None, unit_assumed: bool = False) -> FoundValue:
        a, b = self.t.span(s, e)
        fv = FoundValue(field, value, unit, a, b, self.t.original[a:b], unit_assumed)
        self.values.setdefault(field, []).append((patient_value if key is None else key, patient_value, fv))
        self.use(s, e)
        return fv

    def add_to_list(self, field: str, item: Any, fv_value: Any, s: int, e: int) -> None:
        a, b = self.t.span(s, e)
        self.lists.setdefault(field, []).append((item, FoundValue(field, fv_value, None, a, b, self.t.original[a:b])))
        self.use(s, e)

    def sentence(self, pos: int) -> tuple[int, int]:
        start = 0
        for m in _SENTENCE_SEP.finditer(self.c, 0, pos):
            start = m.end()
        m = _SENTENCE_SEP.search(self.c, pos)
        return start, (m.start() if m else len(self.c))

    # -- measurements ------------------------------------------------------------------

    def _unit_at(self, m: _Measure, pos: int) -> tuple[str | None, int, str | None]:
        """(record unit, end, foreign unit text) of the unit written at pos, if any."""
        for rx, unit in m.units:
            um = re.compile(r"\s*(?:" + rx + r")").match(self.c, pos)
            if um:
                return unit, um.end(), None
        if m.field == "hemoglobin":
            sm = _SOFT_HB_UNIT.match(self.c, pos)
            if sm:
                return None, sm.end(), None
        fm = _FOREIGN_UNIT.match(self.c, pos)
        if fm:
            return None, fm.end(), fm.group(0).strip()
        return None, pos, None

    def _take(self, m: _Measure, kw_s: int, kw_e: int, n_s: int, n_e: int, fill: str, before: bool) -> bool:
        """Read the number at [n_s, n_e) for measure m; True when it was read or ignored."""
        num_text = self.c[n_s:n_e]
        unit, u_end, foreign = self._unit_at(m, n_e)
        s, e = (n_s, kw_e) if before else (kw_s, max(u_end, n_e))
        if not self.free(s, e):
            return False
        if foreign is not None:
            self.ignore(s, e, f"the unit {foreign!r} does not fit {m.label}; not used")
            return True
        if _BOUND.search(fill or ""):
            self.ignore(s, e, "a bound, not a value; not used")
            return True
        if not before and _RANGE_AFTER.match(self.c, u_end):
            rm = re.compile(r"(?:-\s*|\s+-\s+|\s+to\s+)" + _NUM).match(self.c, u_end)
            self.ignore(s, rm.end() if rm else e, "a range, not one value; not used")
            return True
        v = _num_value(num_text)
        assumed = unit is None
        if assumed:
            guess = m.bare(v)
            if guess is None:
                self.ignore(s, e, f"no unit, and {num_text} is not a plausible {m.label} value in any unit; not used")
                return True
            unit, unit_label = guess
        else:
            unit_label = unit
        x = m.to_canonical(v, unit)
        if not m.plausible(x):
            self.ignore(s, e, f"not a possible {m.label} value ({m.bounds_text}); not used")
            return True
        field = m.field
        if field == "marrow_blasts_pct":
            field = self._blast_site(kw_s, kw_e, s)
        if m.field in ("marrow_blasts_pct", "ring_sideroblasts_pct"):
            patient_value = v
        else:
            patient_value = Quantity(v, unit)
        self.found(field, v, unit, s, e, patient_value, key=round(x, 6), unit_assumed=assumed)
        label = m.label if field != "peripheral_blasts_pct" else "blood blasts"
        if assumed:
            shown = _fmt(v) if _fmt(v) != num_text else ""
            if unit == "%":
                self.assume(s, f"{label} {num_text} read as {shown or num_text}%", field)
            else:
                self.assume(s, f"{label} {num_text} read as {shown + ' ' if shown else ''}{unit_label}", field)
        elif "," in num_text and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", num_text):
            self.assume(s, f"{label} {num_text} read as {_fmt(v)} (decimal comma)", field)
        return True

    def _blast_site(self, kw_s: int, kw_e: int, s: int) -> str:
        sent_s, sent_e = self.sentence(kw_s)
        lo = min(s, kw_s)
        before = self.c[max(sent_s, lo - 40):lo]
        after = self.c[kw_e:sent_e]
        if _PERIPH_NEAR.search(before) or _PERIPH_AFTER.match(after):
            return "peripheral_blasts_pct"
        if _MARROW_AFTER.match(after) or _MARROW_Q.search(self.c[sent_s:lo]):
            return "marrow_blasts_pct"
        # The nearest preceding site named in the sentence decides ("peripheral blood: ... blasts 2%").
        last_p = max((m.end() for m in _PERIPH_SENT.finditer(self.c, sent_s, lo)), default=-1)
        last_m = max((m.end() for m in _MARROW_Q.finditer(self.c, sent_s, lo)), default=-1)
        if last_p > last_m:
            return "peripheral_blasts_pct"
        self.assume(s, "blasts read as bone marrow blasts (the question does not say blood)", "marrow_blasts_pct")
        return "marrow_blasts_pct"

    def read_measures(self, direction: str) -> None:
        for m in _MEASURES:
            for km in re.finditer(m.keyword, self.c):
                ks, ke = km.start(), km.end()
                if not self.free(ks, ke) or (ks, ke) in self._kw_done:
                    continue
                if direction == "percent_before":
                    if not m.percent_first:
                        continue
                    bm = re.compile(r"(?P<num>" + _NUM + r")\s*(?:%|percent\b|per\s*cent\b|pct\b)\s*(?:of\s+)?"
                                    r"(?:(?:the|my|bone\s+marrow|marrow|bm|peripheral(?:\s+blood)?|blood|pb|"
                                    r"circulating)\s+)*$").search(self.c, max(0, ks - 40), ks)
                    if bm and self._take(m, ks, ke, bm.start("num"), bm.end("num"), "", before=True):
                        self._kw_done.add((ks, ke))
                elif direction == "forward":
                    fm = _FWD.match(self.c, ke)
                    if fm and len(fm.group("fill")) <= 40:
                        if self._take(m, ks, ke, fm.start("num"), fm.end("num"), fm.group("fill"), before=False):
                            self._kw_done.add((ks, ke))
                else:  # "60 platelets", "45k platelets", "800 neutrophils"
                    bm = re.compile(r"(?P<num>" + _NUM + r")[^\d]{0,14}$").search(
                        self.c, max(0, ks - 20), ks)
                    if not bm:
                        continue
                    n_s, n_e = bm.start("num"), bm.end("num")
                    _, u_end, _ = self._unit_at(m, n_e)
                    if re.fullmatch(r"\s*(?:(?:absolute|serum|bone\s+marrow|marrow)\s+)?", self.c[u_end:ks]) and \
                            self._take(m, ks, ke, n_s, n_e, "", before=True):
                        self._kw_done.add((ks, ke))

    # -- age and sex -------------------------------------------------------------------

    def read_age(self) -> None:
        yo = r"(?:years?|y)\s*-?\s*old\b|(?:yo|y/o|y\.o\.?)(?![a-z])|years?\s+of\s+age\b"
        patterns = (
            re.compile(r"(?<![\w.,])(?P<n>\d{1,3}(?:[.,]\d)?)\s*-?\s*(?:" + yo + ")"),
            re.compile(r"\b(?:age|aged|my\s+age\s+is)\s*(?:is|of|:|=|-)?\s*(?P<n>\d{1,3}(?:[.,]\d)?)(?![\d.,]*\s*(?:%|k\b))"),
            re.compile(r"\b(?:i'?m|im|i\s+am)\s+(?:now\s+|only\s+|just\s+)?(?P<n>\d{1,3})(?![\d%]|[.,]\d)"
                       r"(?!\s*(?:%|percent|units?|cycles?|rounds?|weeks?|months?|days?|hours?|times|g\b|k\b|x\b|mg|"
                       r"on\b|in\s+the|points?|\.\d|/|-\s*\d|years?\s+(?:post|after|since|from|out|with)))"),
        )
        for rx in patterns:
            for mm in rx.finditer(self.c):
                s, e = mm.start(), mm.end()
                if not self.free(s, e):
                    continue
                v = _num_value(mm.group("n"))
                if not 0 < v <= 130:
                    self.ignore(s, e, "not a possible age; not used")
                    continue
                self.found("age", v, "years", s, e, v,
                           unit_assumed=not re.search(r"year|yo|y/o|y\.o", mm.group(0)))

    _RELATIVE = re.compile(
        r"\b(?:husband|wife|spouse|partner|mother|mom|mum|mommy|father|dad|daddy|son|daughter|brother|sister|"
        r"sibling|grandmother|grandfather|grandma|grandpa|granny|aunt|uncle|friend|boyfriend|girlfriend|parent|"
        r"parents|child|nephew|niece|cousin|fiance|fiancee|he|she|his|her|him|hers|patient|patients|client|"
        r"relative|neighbou?r|colleague)\b")
    _SEX_WORD = r"(?P<sex>man|woman|male|female|guy|lady|gentleman|gal)"
    _SEX_MAP = {"man": "male", "male": "male", "guy": "male", "gentleman": "male", "m": "male",
                "woman": "female", "female": "female", "lady": "female", "gal": "female", "f": "female"}

    def read_sex(self) -> None:
        first = re.compile(
            r"\b(?:i'?m|im|i\s+am|as)\s+(?:an?\s+)?(?:(?:\d{1,3}\s*-?\s*(?:years?|y)\s*-?\s*old|\d{1,3}\s*(?:yo|y/o)|"
            r"\w+)\s+){0,3}?" + self._SEX_WORD + r"\b")
        generic = re.compile(
            r"\b" + self._SEX_WORD + r"\b(?!\s+(?:patients?|doctors?|donors?|nurses?|hematologists?|oncologists?|"
            r"physicians?|friends?|relatives?|siblings?|partners?|specialists?|members?|children|kids|pattern|"
            r"hormones?|version)\b)|(?<![\w.,])\d{1,3}\s*(?:yo|y/o|y\.o\.)\s*(?P<letter>[mf])\b")
        hits: list[tuple[int, int, str]] = []
        for mm in first.finditer(self.c):
            hits.append((mm.start("sex"), mm.end("sex"), self._SEX_MAP[mm.group("sex")]))
        if not self._RELATIVE.search(self.c):
            for mm in generic.finditer(self.c):
                g = "sex" if mm.group("sex") else "letter"
                if not any(a == mm.start(g) for a, _, _ in hits):
                    hits.append((mm.start(g), mm.end(g), self._SEX_MAP[mm.group(g)]))
        for s, e, sex in hits:
            before = self.c[max(0, s - 30):s]
            if re.search(r"\b(?:not|never)\s+(?:an?\s+)?(?:\w+\s+)?$", before):
                continue
            self.found("sex", sex, None, s, e, sex)

    # -- scores ------------------------------------------------------------------------

    _SCHEME = re.compile(
        r"\b(?:(?P<r>ipss\s*-?\s*r|ipssr|r\s*-?\s*ipss|revised\s+ipss)|(?P<m>ipss\s*-?\s*m|ipssm|molecular\s+ipss|"
        r"ipss\s*-?\s*molecular)|(?P<i>ipss))\b(?!\s*-?\s*[rm]\b)")
    _CAT = (r"(?P<cat>very\s*-?\s*low|very\s*-?\s*high|moderate(?:ly)?\s*-?\s*low|moderate(?:ly)?\s*-?\s*high|"
            r"mod\s*-?\s*(?:low|high)|int(?:ermediate)?\s*-?\s*(?:1|2|one|two|ii|i)\b|intermediate|low|high)")
    _CATEGORIES = {
        "IPSS": ("low", "intermediate_1", "intermediate_2", "high"),
        "IPSS-R": ("very_low", "low", "intermediate", "high", "very_high"),
        "IPSS-M": ("very_low", "low", "moderate_low", "moderate_high", "high", "very_high"),
    }
    _SCORE_RANGE = {"IPSS": (0.0, 3.5), "IPSS-R": (0.0, 10.0), "IPSS-M": (-6.0, 6.0)}

    @staticmethod
    def _cat_name(text: str) -> str:
        t = re.sub(r"[\s-]+", " ", text.strip())
        t = t.replace("moderately", "moderate").replace("mod ", "moderate ")
        m = re.fullmatch(r"int(?:ermediate)? ?(1|2|one|two|ii|i)", t)
        if m:
            return "intermediate_1" if m.group(1) in ("1", "one", "i") else "intermediate_2"
        return t.replace(" ", "_")

    def _set_score(self, scheme: str, s: int, e: int, value: float | None = None, cat: str | None = None) -> None:
        if value is not None:
            lo, hi = self._SCORE_RANGE[scheme]
            if not lo <= value <= hi:
                self.ignore(s, e, f"not a possible {scheme} score ({_fmt(lo)} to {_fmt(hi)}); not used")
                return
        if cat is not None and cat not in self._CATEGORIES[scheme]:
            if scheme == "IPSS" and cat == "intermediate":
                self.ignore(s, e, "IPSS intermediate without 1 or 2; not used")
            else:
                self.ignore(s, e, f"{cat.replace('_', ' ')} is not an {scheme} category; not used")
            return
        if self.scheme is not None and self.scheme != scheme:
            self.ignore(s, e, "a second risk score in another scheme; only the first is used")
            return
        if value is not None and self.score is not None and self.score != value:
            self.ignore(s, e, "a second, different score; only the first is used")
            return
        if cat is not None and self.category is not None and self.category != cat:
            self.ignore(s, e, "a second, different risk category; only the first is used")
            return
        self.scheme = scheme
        if value is not None:
            self.score = value
        if cat is not None:
            self.category = cat
        self.use(s, e)

    def read_scores(self) -> None:
        fill = (r"(?:\s*(?:[:=(]|\b(?:score|scores|scored|is|was|of|came|back|as|at|risk|category|group|level|"
                r"showed|shows|says|said|put|puts|me|a|an|the|my|be|been|has|have|result|calculated|value|gave|"
                r"gives|only|just|now|currently|i'?m|i\s+am|in|it|it's|its)\b))*\s*")
        fwd = re.compile(fill + r"(?:(?P<num>(?<![\w.,])[-+]?\d+(?:[.,]\d+)?)(?![\d%])(?!\s*(?:%|percent|g\b|k\b|x\s*10|"
                         r"units?|cycles?))|" + self._CAT + r"\b(?!\s*(?:hemoglobin|hb|platelets?|blasts?|counts?)))")
        back_num = re.compile(r"(?P<num>(?<![\w.,])[-+]?\d+(?:[.,]\d+)?)\s*(?:points?\s*)?(?:on|in|by|per|according\s+to|"
                              r"using|with)\s+(?:the\s+|my\s+)?$")
        back_cat = re.compile(self._CAT + r"\s*(?:-?\s*risk\s+)?(?:(?:on|in|by|per|according\s+to|using)\s+"
                              r"(?:the\s+|my\s+)?)?$")
        for sm in self._SCHEME.finditer(self.c):
            scheme = "IPSS-R" if sm.group("r") else "IPSS-M" if sm.group("m") else "IPSS"
            ss, se = sm.start(), sm.end()
            fm = fwd.match(self.c, se)
            if fm and (fm.group("num") or fm.group("cat")) and len(fm.group(0)) < 60:
                if fm.group("num"):
                    self._set_score(scheme, ss, fm.end("num"), value=_num_value(fm.group("num").lstrip("+")))
                    tail = re.compile(r"\s*(?:points?\s*)?\(?\s*(?:-\s*)?" + self._CAT + r"\b").match(self.c, fm.end())
                    if tail:
                        self._set_score(scheme, tail.start("cat"), tail.end("cat"), cat=self._cat_name(tail.group("cat")))
                else:
                    self._set_score(scheme, ss, fm.end("cat"), cat=self._cat_name(fm.group("cat")))
                continue
            bn = back_num.search(self.c, max(0, ss - 30), ss)
            if bn:
                self._set_score(scheme, bn.start("num"), se, value=_num_value(bn.group("num").lstrip("+")))
                continue
            bc = back_cat.search(self.c, max(0, ss - 40), ss)
            if bc and bc.group("cat"):
                self._set_score(scheme, bc.start("cat"), se, cat=self._cat_name(bc.group("cat")))
                continue
            self.use(ss, se)
        # Categories that belong to one scheme only.
        for mm in re.finditer(r"\bint(?:ermediate)?\s*-?\s*(?:1|2|one|two|ii|i)\b(?![.,]\d)(?!\s*(?:%|g\b|k\b))", self.c):
            if self.free(mm.start(), mm.end()):
                self._set_score("IPSS", mm.start(), mm.end(), cat=self._cat_name(mm.group(0)))
        for mm in re.finditer(r"\bmoderate(?:ly)?\s*-?\s*(?:low|high)(?=\s*-?\s*(?:risk|category|group)\b)", self.c):
            if self.free(mm.start(), mm.end()):
                self._set_score("IPSS-M", mm.start(), mm.end(), cat=self._cat_name(mm.group(0)))

    # -- karyotype ---------------------------------------------------------------------

    _ISCN_START = re.compile(r"(?<![\w.,])[1-9]\d(?:~[1-9]\d)?\s*,\s*x[xy]{0,3}(?![a-z])")
    _ISCN_ITEM = re.compile(
        r"(?:[-+]\s*(?:\d{1,2}|x|y)|[-+]?\d*~?\d*mar\d*|(?:del|dup|inv|t|der|i|idic|add|ins|r|dic|trp|ider|hsr|"
        r"dmin|tas)\s*\([^)\s]*\)(?:\s*\([^)\s]*\))*|idem|sl|sdl\d*|[1-9]\d(?:~\d+)?|x[xy]{0,3}|c)"
        r"(?:c)?(?:\s*\[\s*(?:cp)?\d+\s*\])?")

    def read_iscn(self) -> None:
        for mm in self._ISCN_START.finditer(self.c):
            s, pos = mm.start(), mm.end()
            if not self.free(s, pos):
                continue
            tail = re.compile(r"\s*\[\s*(?:cp)?\d+\s*\]").match(self.c, pos)
            if tail:
                pos = tail.end()
            while True:
                sep = re.compile(r"\s*[,/]\s*").match(self.c, pos)
                if not sep:
                    break
                item = self._ISCN_ITEM.match(self.c, sep.end())
                if not item or (item.end() < len(self.c) and re.match(r"[a-z0-9]", self.c[item.end()])):
                    break
                pos = item.end()
            a, b = self.t.span(s, pos)
            iscn = self.t.original[a:b].strip()
            res = parse_karyotype(iscn)
            if res.complete and res.ipssr_group is not None:
                self.found("karyotype", iscn, None, s, pos, iscn)
            else:
                self.ignore(s, pos, "karyotype not fully understood; not used")

    # Findings in words. IPSS-R cytogenetic risk groups: Greenberg et al., Blood 2012;120:2454-2465
    # (PMID 22740453), Table 2 "MDS cytogenetic scoring system" (after Schanz et al., JCO 2012;30:820):
    #   very good    -Y, del(11q)
    #   good         normal, del(5q), del(12p), del(20q), double including del(5q)
    #   intermediate del(7q), +8, +19, i(17q), any other single or double independent clones
    #   poor         -7, inv(3)/t(3q)/del(3q), double including -7/del(7q), complex: 3 abnormalities
    #   very poor    complex: > 3 abnormalities
    _SINGLE_GROUP = {
        "minusY": "very_good", "del11q": "very_good",
        "del5q": "good", "del12p": "good", "del20q": "good",
        "del7q": "intermediate", "plus8": "intermediate", "plus19": "intermediate", "i17q": "intermediate",
        "minus7": "poor", "inv3": "poor", "abn3q": "poor",
    }
    _FINDING_LABEL = {
        "minusY": "-Y", "del11q": "del(11q)", "del5q": "del(5q)", "del12p": "del(12p)", "del20q": "del(20q)",
        "del7q": "del(7q)", "plus8": "+8", "plus19": "+19", "i17q": "i(17q)", "minus7": "-7",
        "inv3": "inv(3)/t(3;3)", "abn3q": "a 3q abnormality", "del17p": "del(17p)",
    }

    @staticmethod
    def _arm_patterns(n: str, arm: str) -> str:
        return (rf"\bdel\s*\(?\s*{n}\s*{arm}\s*\)?(?![\w(])|\bdel\s*\(\s*{n}\s*\)\s*\(\s*{arm}[\w.;]*\)|"
                rf"(?<![\w.,]){n}\s*{arm}\s*(?:-(?![\w])|minus\b|deletion\b|del\b|deleted\b|loss\b)|"
                rf"\b(?:deletion|loss|deleted)\s+(?:of\s+)?(?:the\s+)?(?:(?:long|short)\s+arm\s+of\s+)?"
                rf"(?:chromosome\s+)?{n}\s*{arm}\b|(?<![\w.,]){n}{arm}\s+(?:syndrome|mds)\b|"
                rf"\bisolated\s+{n}\s*{arm}\b|\bmds\s*(?:with\s+|-\s*)(?:isolated\s+)?{n}{arm}\b")

    def _finding_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        lead = r"(?:^|(?<=[\s,(;:/]))"
        pats = [
            ("inv3", r"\binv\s*\(?\s*3\s*\)?(?:\s*\(\s*q[\d.]*q?[\d.]*\s*\))?(?![\w(])|\binversion\s+(?:of\s+)?"
                     r"(?:chromosome\s+)?3\b|\bt\s*\(\s*3\s*;\s*3\s*\)(?:\s*\([^)]*\))?"),
            ("abn3q", r"\bt\s*\(\s*3\s*;\s*\d{1,2}\s*\)\s*\(\s*q[^)]*\)|\b3\s*q\s*(?:abnormality|rearrangement|"
                      r"translocation)\b|" + self._arm_patterns("3", "q")),
            ("i17q", r"\bi\s*\(\s*17\s*q\s*\)|\bi\s*\(\s*17\s*\)\s*\(\s*q\d*\s*\)|\bisochromosome\s+(?:of\s+)?17\s*q\b"),
            ("del5q", self._arm_patterns("5", "q")),
            ("del7q", self._arm_patterns("7", "q")),
            ("del20q", self._arm_patterns("20", "q")),
            ("del11q", self._arm_patterns("11", "q")),
            ("del12p", self._arm_patterns("12", "p")),
            ("del17p", self._arm_patterns("17", "p")),
            ("minus7", lead + r"-\s*7(?!\w|[.,]\d|\s*q)|\bmonosomy\s*-?\s*(?:of\s+)?(?:chromosome\s+)?7\b(?!\s*q)|"
                       r"\bminus\s*7\b|\b(?:loss|missing)\s+(?:of\s+)?(?:one\s+|a\s+|an\s+entire\s+|a\s+whole\s+)?"
                       r"(?:copy\s+of\s+)?chromosome\s+7\b(?!\s*q)"),
            ("minusY", lead + r"-\s*y\b|\b(?:loss|missing|absence)\s+(?:of\s+)?(?:the\s+)?(?:chromosome\s+)?y\b"
                       r"(?:\s+chromosome)?|\by\s+(?:chromosome\s+)?loss\b|\bmonosomy\s*-?\s*y\b"),
            ("plus8", lead + r"\+\s*8(?!\w|[.,]\d)|\btrisomy\s*-?\s*(?:of\s+)?(?:chromosome\s+)?8\b|\bplus\s*8\b|"
                      r"\bextra\s+(?:copy\s+of\s+)?(?:chromosome\s+)?8\b"),
            ("plus19", lead + r"\+\s*19(?!\w|[.,]\d)|\btrisomy\s*-?\s*(?:of\s+)?(?:chromosome\s+)?19\b"),
            ("other", r"\b(?:monosomy|trisomy)\s*-?\s*(?:of\s+)?(?:chromosome\s+)?(?:\d{1,2}|x)\b|"
                      r"\bt\s*\(\s*\d{1,2}\s*;\s*\d{1,2}\s*\)(?:\s*\([^)]*\))?"),
        ]
        return [(name, re.compile(rx)) for name, rx in pats]

    def read_cytogenetics(self) -> None:
        c = self.c
        normal_rx = re.compile(
            r"\bnormal\s+(?:male\s+|female\s+)?(?:karyotype|cytogenetics|chromosomes|chromosome\s+(?:analysis|study|"
            r"studies|test|tests|results?))\b|\b(?:karyotype|cytogenetics|chromosomes?(?:\s+(?:analysis|test|tests|"
            r"studies|results?))?)\s+(?:is\s+|was\s+|were\s+|are\s+|came\s+back\s+(?:as\s+)?|showed\s+|results?\s+)?"
            r"(?:completely\s+|totally\s+|entirely\s+|all\s+|also\s+)?normal\b")
        normals: list[tuple[int, int]] = []
        for mm in normal_rx.finditer(c):
            if not self.free(mm.start(), mm.end()):
                continue
            if re.search(r"\b(?:not|no|never|isn't|wasn't)\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?$", c[max(0, mm.start() - 25):mm.start()]) \
                    or re.search(r"\bnot\s+(?:\w+\s+)?normal\b", mm.group(0)):
                continue
            normals.append((mm.start(), mm.end()))
            self.use(mm.start(), mm.end())
        findings: list[tuple[int, int, str]] = []
        negated: list[tuple[int, int]] = []
        for name, rx in self._finding_patterns():
            for mm in rx.finditer(c):
                s, e = mm.start(), mm.end()
                if not self.free(s, e):
                    continue
                if _NEGATION_BEFORE.search(c, max(0, s - 30), s):
                    negated.append((s, e))
                    self.use(s, e)
                    continue
                findings.append((s, e, name))
                self.use(s, e)
        findings.sort()
        complex_rx = re.compile(r"\bcomplex\s+(?:karyotype|cytogenetics|cytogenetic\s+abnormalit(?:y|ies)|"
                                r"chromosom\w*(?:\s+abnormalit(?:y|ies))?|abnormalit(?:y|ies))\b")
        count_rx = re.compile(r"(?<![\w.,])(?P<n>" + _NUMW + r")\s+(?:\w+\s+)?(?:chromosom\w*\s+|cytogenetic\s+|"
                              r"karyotyp\w*\s+)?(?:abnormalities|aberrations|anomalies|abnormality|aberration|"
                              r"anomaly)\b")
        cx = [mm for mm in complex_rx.finditer(c) if self.free(mm.start(), mm.end())]
        cn = [mm for mm in count_rx.finditer(c) if self.free(mm.start(), mm.end())]
        if not normals and not findings and not cx and not cn:
            return
        spans = [(s, e) for s, e in normals] + [(s, e) for s, e, _ in findings] + \
                [(m.start(), m.end()) for m in cx + cn]
        first = min(s for s, _ in spans)
        last = max(e for _, e in spans)
        for mm in cx + cn:
            self.use(mm.start(), mm.end())
        if normals and (findings or cx or (cn and _num_or_word(cn[0].group("n")) > 0)):
            self.ignore(first, last, "a normal karyotype and an abnormality both given; cytogenetics not used")
            return
        if normals:
            for s, e in normals:
                self.add_to_list("ipssr_cytogenetic_group", "good", "good", s, e)
            self.assume(first, "normal karyotype: IPSS-R cytogenetic group good (Greenberg 2012)",
                        "ipssr_cytogenetic_group")
            return
        names = []
        for _, _, name in findings:
            if name not in names:
                names.append(name)
        k = len(names)
        count: int | None = None
        if cn:
            counts = {int(_num_or_word(m.group("n"))) for m in cn}
            if len(counts) > 1:
                self.ignore(first, last, "different numbers of abnormalities given; cytogenetics not used")
                return
            count = counts.pop()
        if count is not None and count < k:
            self.ignore(first, last, "more abnormalities listed than the count given; cytogenetics not used")
            return
        group: str | None = None
        n = count if count is not None else k
        if cx and n < 3:
            self.ignore(first, last, "complex karyotype without the number of abnormalities (3 is IPSS-R poor, "
                                     "more than 3 very poor); cytogenetics not used")
            return
        chr7 = bool({"minus7", "del7q"} & set(names))
        if n >= 4:
            group = "very_poor"
        elif n == 3:
            group = "poor"
        elif n == 2:
            if chr7:
                group = "poor"
            elif k == 2:
                group = "good" if "del5q" in names else "intermediate"
        elif n == 1 and k == 1:
            group = self._SINGLE_GROUP.get(names[0], "intermediate")
        if group is None:
            self.ignore(first, last, "the abnormalities named do not settle the IPSS-R cytogenetic group; not used")
            return
        for s, e, _ in findings:
            self.add_to_list("ipssr_cytogenetic_group", group, group, s, e)
        for mm in cx + cn:
            self.add_to_list("ipssr_cytogenetic_group", group, group, mm.start(), mm.end())
        labels = ", ".join(self._FINDING_LABEL.get(x, "another abnormality") for x in names)
        isolated = re.search(r"\b(?:isolated|only|sole|single|alone|lone)\b", c[max(0, first - 25):min(len(c), last + 25)])
        if count is None and not isolated and k > 0:
            self.assume(first, f"{labels} taken as the only karyotype abnormalit{'y' if k == 1 else 'ies'}: "
                               f"IPSS-R cytogenetic group {group.replace('_', ' ')} (Greenberg 2012)",
                        "ipssr_cytogenetic_group")
        else:
            what = labels if k else f"{n} abnormalities"
            if count is not None and k and count > k:
                what = f"{count} abnormalities ({labels} among them)"
            self.assume(first, f"{what}: IPSS-R cytogenetic group {group.replace('_', ' ')} (Greenberg 2012)",
                        "ipssr_cytogenetic_group")

    # -- mutations ---------------------------------------------------------------------

    _GENES = (
        "ASXL1", "CBL", "DNMT3A", "ETV6", "EZH2", "IDH2", "KRAS", "NPM1", "NRAS", "RUNX1", "SF3B1", "SRSF2",
        "U2AF1", "BCOR", "BCORL1", "CEBPA", "ETNK1", "GATA2", "GNB1", "IDH1", "NF1", "PHF6", "PPM1D", "PRPF8",
        "PTPN11", "SETBP1", "STAG2", "WT1", "TP53", "FLT3", "KMT2A", "MLL", "TET2", "ZRSR2", "JAK2", "CALR",
        "MPL", "DDX41", "UBA1", "CSF3R", "SH2B3", "NOTCH1", "PIGA",
    )
    _GENE_ALIASES = {"p53": "TP53", "mll": "KMT2A"}

    def read_mutations(self) -> None:
        c = self.c
        gene_alt = "|".join(sorted((g.lower() for g in self._GENES + ("P53",)), key=len, reverse=True))
        gene = rf"(?<![\w-])(?:{gene_alt})(?![a-z0-9])"
        glist = re.compile(rf"{gene}(?:\s*(?:,|and|&|/|or|plus)\s*{gene})*")
        pos_after = re.compile(r"\s*(?:-\s*)?(?:gene\s+)?(?:mutations?|mutated|mutant|mut\b|variants?|positive|pos\b|"
                               r"\+(?![\w])|alterations?|abnormality|change)")
        neg_after = re.compile(r"\s*(?:-\s*)?(?:gene\s+)?(?:negative|neg\b|wild\s*-?\s*type|wt\b|unmutated|"
                               r"non\s*-?\s*mutated|not\s+mutated|-(?![\w])|mutations?\s+(?:is\s+|was\s+)?(?:negative|"
                               r"not\s+(?:found|detected|present)|absent))")
        pos_before = re.compile(r"(?:\bmutations?\s+(?:in|of|on|at)|\bmutated|\bpositive\s+for|\bvariants?\s+in|"
                                r"\bmutations?\s*:)\s*(?:the\s+)?$")
        neg_before = re.compile(r"\b(?:no|not|without|negative\s+for|absence\s+of|(?:do|does|did)\s*n[o']?t\s+"
                                r"(?:have|carry|show)|don'?t\s+(?:have|carry))\s+(?:\w+\s+){0,2}$")
        kinds_after = re.compile(r"\s*-?\s*(?P<kind>itd|tkd|ptd)\b")
        multi_before = re.compile(r"\b(?:two|2|multiple|double|multi\s*-?\s*hit)\s+(?:\w+\s+)?$")
        vaf_after = re.compile(r"[^.;]{0,30}?\b(?:vaf|variant\s+allele\s+frequency|allele\s+frequency)\s*(?:of|is|was|:|=|at)?"
                               r"\s*(?P<num>" + _NUM + r")\s*(?P<pct>%|percent\b)?|\s*\(?\s*(?P<num2>" + _NUM +
                               r")\s*%\s*(?:vaf)?\s*\)?")
        for lm in glist.finditer(c):
            s, e = lm.start(), lm.end()
            if not self.free(s, e):
                continue
            genes = [g.upper() for g in re.findall(gene, lm.group(0))]
            genes = [self._GENE_ALIASES.get(g.lower(), g) for g in genes]
            before = c[max(0, s - 40):s]
            kind_m = kinds_after.match(c, e) if len(genes) == 1 else None
            after_neg = neg_after.match(c, e)
            after_pos = pos_after.match(c, e)
            if kind_m is not None and genes[0] in ("FLT3", "KMT2A") and not neg_before.search(before):
                end = kind_m.end()
                pm = pos_after.match(c, end)
                if pm:
                    end = pm.end()
                for g in genes:
                    mut = Mutation(g, kind=kind_m.group("kind").upper())
                    self.add_to_list("mutations", mut, mut, s, end)
                    self.add_to_list("sequenced_genes", g, g, s, end)
                continue
            negative = bool(after_neg) or (bool(neg_before.search(before)) and (bool(after_pos) or bool(pos_before.search(before))))
            if negative and after_pos and not after_neg and re.search(r"\b(?:positive|pos)\b", after_pos.group(0)):
                negative = False
            if negative:
                end = after_neg.end() if after_neg else (after_pos.end() if after_pos else e)
                for g in genes:
                    self.add_to_list("sequenced_genes", g, g, s, end)
                self.negative_genes.update(genes)
                continue
            if not (after_pos or pos_before.search(before)):
                continue  # a gene named, not said to be mutated
            end = after_pos.end() if after_pos else e
            vaf = None
            if len(genes) == 1:
                vm = vaf_after.match(c, end)
                if vm:
                    num = vm.group("num") or vm.group("num2")
                    v = _num_value(num)
                    if 0 < v <= 100:
                        vaf = Quantity(v, "%") if (vm.group("pct") or vm.group("num2") or v > 1) else v
                        end = vm.end()
            copies = 2 if (len(genes) == 1 and genes[0] == "TP53" and multi_before.search(before)) else 1
            for g in genes:
                for copy in range(copies):
                    mut = Mutation(g, vaf=vaf if copy == 0 else None)
                    self.add_to_list("mutations", mut, mut, s, end)
                self.add_to_list("sequenced_genes", g, g, s, end)

    # -- transfusions ------------------------------------------------------------------

    _PERIOD_WEEKS = {"week": 1.0, "wk": 1.0, "fortnight": 2.0, "month": 4.0, "mo": 4.0, "day": 1.0 / 7.0}

    def read_transfusions(self) -> None:
        c = self.c
        count = r"(?P<n>" + _NUMW + r"|a|an)"
        thing = (r"(?P<thing>(?:(?:rbc|red\s+(?:blood\s+)?cell|prbc|blood)\s+)?(?:units?|bags?|pints?|transfusions?)"
                 r"(?:\s+of\s+(?:packed\s+)?(?:rbcs?|prbcs?|red\s+(?:blood\s+)?cells|blood))?)")
        period = (r"(?:(?:every|each|per|a|an|/|in|q)\s*(?:(?P<pn>" + _NUMW + r"|other)\s*)?"
                  r"(?P<pu>weeks?|wks?|wk|fortnights?|months?|mos?|days?)\b|(?P<adv>weekly|monthly|fortnightly|daily|biweekly))")
        t1 = re.compile(r"(?<![\w.,])" + count + r"\s+" + thing + r"(?:\s+(?:of\s+blood|roughly|about|approximately|"
                        r"on\s+average))?\s*" + period)
        t2 = re.compile(r"\bevery\s+(?:(?P<pn>" + _NUMW + r"|other)\s+)?(?P<pu>weeks?|wks?|fortnights?|months?|days?)\s*,?"
                        r"\s*(?:i\s+|we\s+|she\s+|he\s+)?(?:get|gets|need|needs|receive|receives|have|has|got|needed|"
                        r"received|require|requires)\s+" + count + r"\s+" + thing)
        for rx in (t1, t2):
            for mm in rx.finditer(c):
                s, e = mm.start(), mm.end()
                if not self.free(s, e):
                    continue
                n = _num_or_word(mm.group("n"))
                if mm.groupdict().get("adv"):
                    adv = mm.group("adv")
                    if adv == "biweekly":
                        self.ignore(s, e, "'biweekly' can mean twice a week or every two weeks; not used")
                        continue
                    weeks = {"weekly": 1.0, "monthly": 4.0, "fortnightly": 2.0, "daily": 1.0 / 7.0}[adv]
                    unit_word = adv
                else:
                    pn = mm.group("pn")
                    k = 2.0 if pn == "other" else (_num_or_word(pn) if pn else 1.0)
                    pu = re.sub(r"s$", "", mm.group("pu"))
                    if pu == "mos":
                        pu = "mo"
                    weeks = k * self._PERIOD_WEEKS[pu]
                    unit_word = pu
                if weeks <= 0:
                    continue
                per8 = round(n * 8.0 / weeks, 2)
                if not 0 <= per8 <= 50:
                    self.ignore(s, e, "not a possible transfusion need (0-50 units per 8 weeks); not used")
                    continue
                self.found("transfusion_units_per_8wk", per8, "units/8 weeks", s, e, per8)
                notes = []
                if re.search(r"transfusion", mm.group("thing")):
                    notes.append("one unit per transfusion")
                if unit_word in ("month", "mo", "monthly"):
                    notes.append("a month taken as 4 weeks")
                text = self.t.orig(s, e).strip()
                if notes or per8 != n:
                    self.assume(s, f"{text} read as {_fmt(per8)} units per 8 weeks"
                                   + (f" ({', '.join(notes)})" if notes else ""), "transfusion_units_per_8wk")
        dep = re.compile(r"\btransfusion\s*-?\s*dependen(?:t|ce|cy)\b|\bdependent\s+on\s+(?:blood\s+|rbc\s+|red\s+cell\s+)?"
                         r"transfusions\b|\b(?:need|needs|needing|require|requires|requiring|get|gets|getting|receive|"
                         r"receiving|on)\s+(?:regular|frequent|monthly|weekly|routine)\s+(?:blood\s+|rbc\s+|red\s+(?:blood\s+)?"
                         r"cell\s+)?transfusions\b|\btransfusions?\s+every\s+(?:" + _NUMW + r"\s+)?(?:weeks?|months?|days?)\b")
        indep = re.compile(r"\btransfusion\s*-?\s*independen(?:t|ce)\b|\b(?:never|not)\s+(?:been\s+|had\s+(?:a\s+|any\s+)?|"
                           r"needed\s+(?:a\s+|any\s+)?)?(?:transfused|transfusions?)\b|\bno\s+(?:blood\s+|rbc\s+)?"
                           r"transfusions\b|\b(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+need\s+(?:any\s+)?(?:blood\s+)?"
                           r"transfusions\b")
        for mm in indep.finditer(c):
            if self.free(mm.start(), mm.end()):
                self.found("transfusion_dependent", False, None, mm.start(), mm.end(), False)
        for mm in dep.finditer(c):
            s, e = mm.start(), mm.end()
            if not self.free(s, e):
                continue
            if re.search(r"\b(?:not|no\s+longer|non|never|am\s+i|is\s+she|is\s+he)\s*-?\s*(?:\w+\s+)?$", c[max(0, s - 20):s]):
                self.found("transfusion_dependent", False, None, s, e, False)
            elif re.search(r"\b(?:if|will|would|might|may|could|when)\s+(?:\w+\s+){0,3}$", c[max(0, s - 30):s]):
                continue
            else:
                self.found("transfusion_dependent", True, None, s, e, True)
        total = re.compile(r"\b(?:had|received|got|been\s+given|total\s+of)\s+(?:about\s+|around\s+|over\s+)?"
                           r"(?P<n>\d+)\s+(?:units|transfusions|bags)\b(?!\s*(?:every|each|per|a\s+|an\s+|/|in\s+\d|weekly|monthly))")
        for mm in total.finditer(c):
            if self.free(mm.start("n"), mm.end()):
                v = float(mm.group("n"))
                self.found("rbc_units_total", v, "units", mm.start("n"), mm.end(), v)
                if "transfusion" in mm.group(0):
                    self.assume(mm.start("n"), f"{self.t.orig(mm.start('n'), mm.end())} read as {_fmt(v)} red-cell units "
                                               "in all (one unit per transfusion)", "rbc_units_total")

    # -- prior therapies ---------------------------------------------------------------

    _THERAPIES = (
        (r"oral\s+azacitidine|onureg|cc\s*-?\s*486", "oral azacitidine"),
        (r"decitabine\s*(?:-|/|and|\+|with)\s*cedazuridine|inqovi|oral\s+decitabine|astx\s*-?\s*727",
         "decitabine-cedazuridine"),
        (r"azacitidine|azacytidine|azacitadine|azacytadine|5\s*-?\s*aza(?:citidine|cytidine)?|aza(?:\s*-\s*c)?|vidaza",
         "azacitidine"),
        (r"decitabine|dacogen", "decitabine"),
        (r"luspatercept|reblozyl", "luspatercept"),
        (r"lenalidomide|lenalidamide|revlimid", "lenalidomide"),
        (r"darbepoetin(?:\s+alfa|\s+alpha)?|aranesp", "darbepoetin alfa"),
        (r"epoetin(?:\s+alfa|\s+alpha)?|procrit|epogen|retacrit|eprex", "epoetin alfa"),
        (r"imetelstat|rytelo", "imetelstat"),
        (r"ivosidenib|tibsovo", "ivosidenib"),
        (r"enasidenib|idhifa", "enasidenib"),
        (r"olutasidenib|rezlidhia", "olutasidenib"),
        (r"venetoclax|venclexta|venclyxto", "venetoclax"),
        (r"eltrombopag|promacta|revolade", "eltrombopag"),
        (r"romiplostim|nplate", "romiplostim"),
        (r"cyclosporine?|ciclosporin|neoral", "cyclosporine"),
        (r"atgam|horse\s+atg", "horse antithymocyte globulin"),
        (r"thymoglobulin|rabbit\s+atg", "rabbit antithymocyte globulin"),
        (r"filgrastim|neupogen|zarxio", "filgrastim"),
        (r"deferasirox|exjade|jadenu", "deferasirox"),
        (r"esas?|erythropoiesis\s*-?\s*stimulating\s+agents?|(?:epo|erythropoietin)(?:\s+(?:shots?|injections?|"
         r"therapy|treatment))?", "erythropoiesis-stimulating agents"),
        (r"hmas?|hypomethylating\s+(?:agents?|therapy|drugs?)", "hypomethylating agents"),
    )
    _BRANDS = {
        "vidaza": "azacitidine", "dacogen": "decitabine", "reblozyl": "luspatercept", "revlimid": "lenalidomide",
        "procrit": "epoetin alfa", "epogen": "epoetin alfa", "retacrit": "epoetin alfa", "eprex": "epoetin alfa",
        "aranesp": "darbepoetin alfa", "inqovi": "decitabine-cedazuridine", "rytelo": "imetelstat",
        "tibsovo": "ivosidenib", "idhifa": "enasidenib", "onureg": "oral azacitidine", "rezlidhia": "olutasidenib",
        "venclexta": "venetoclax", "venclyxto": "venetoclax", "promacta": "eltrombopag", "revolade": "eltrombopag",
        "nplate": "romiplostim", "neoral": "cyclosporine", "atgam": "horse antithymocyte globulin",
        "thymoglobulin": "rabbit antithymocyte globulin", "neupogen": "filgrastim", "zarxio": "filgrastim",
        "exjade": "deferasirox", "jadenu": "deferasirox",
    }

    _CUES = {
        "relapse": re.compile(
            r"\b(?:stopped|quit|ceased)\s+(?:working|helping|being\s+effective)|\bno\s+longer\s+(?:works?|working|"
            r"effective|helps?|helping)|\blost\s+(?:its\s+|the\s+|my\s+)?(?:effect|response)|\bworked\s+(?:for\s+a\s+while|"
            r"at\s+first|initially|for\s+\w+\s+(?:months|years))|\brelapsed\b|\bwore\s+off|\bwearing\s+off|"
            r"\bresponded\s+(?:at\s+first|initially)"),
        "intolerant": re.compile(
            r"\b(?:could\s*n[o']?t|couldnt|cannot|can'?t)\s+(?:tolerate|take|handle|stand)|\bintoleran|\bside\s+effects\s+"
            r"(?:were\s+)?too|\btoo\s+(?:toxic|many\s+side\s+effects)|\bstopped\s+(?:\w+\s+){0,3}(?:because\s+of|due\s+to)"
            r"\s+(?:\w+\s+){0,2}(?:side\s+effects|toxicity|rash|infections?)|\bnot\s+tolerated|\bpoorly\s+tolerated|"
            r"\ballergic"),
        "no_response": re.compile(
            r"\b(?:did\s*n[o']?t|didnt|does\s*n[o']?t|doesnt|never)\s+(?:work|help|do\s+anything|respond)|\bnever\s+(?:worked|"
            r"helped|responded)|\bfailed\b|\bfailure\b|\bwas\s+(?:not\s+effective|ineffective|useless)|\bno\s+(?:response|"
            r"effect|improvement)|\bdid\s+nothing|\bnot\s+(?:working|responding|helping)|\bis\s*n'?t\s+working|"
            r"\bprogressed|\brefractory|\bresistant"),
        "response": re.compile(
            r"\b(?:is|was|it'?s|has\s+been|have\s+been|been)\s+(?:really\s+|still\s+|definitely\s+|finally\s+)?working|"
            r"\bworked\b|\bworks\s+(?:well|great)|\bresponded|"
            r"\bhelped\b|\bin\s+remission|\bresponding\b"),
    }
    _RECEIVED_BEFORE = re.compile(
        r"(?:\b(?:i'?m|im|i\s+am|i\s+was|i'?ve\s+been|i\s+have\s+been|was|been|currently|now|still|went|put|got)\s+"
        r"(?:\w+\s+)?on|\b(?:took|tried|received|had|completed|finished|started|used|taking|getting|got|treated\s+with|"
        r"stopped|quit|discontinued|failed|after\s+failing|progressed\s+(?:on|through|after|despite)|relapsed\s+(?:on|after)|"
        r"refractory\s+to|resistant\s+to|(?:did\s*n[o']?t|never)\s+respond(?:ed)?\s+to|responded\s+(?:well\s+)?to|"
        r"(?:could\s*n[o']?t|couldnt|cannot|can'?t)\s+tolerate|intolerant\s+(?:to|of)|allergic\s+to|no\s+response\s+to|"
        r"failure\s+(?:of|on)|lost\s+(?:my\s+)?response\s+to))\s+"
        r"(?:(?P<cyc>" + _NUMW + r")\s+(?:cycles?|rounds?|courses?)\s+of\s+|(?:" + _NUMW + r")\s+(?:months?|years?|"
        r"weeks?|doses?|injections?)\s+of\s+)?(?:the\s+|my\s+|a\s+|on\s+)?$")
    _PRE_CUES = (
        ("relapse", re.compile(r"\b(?:relapsed\s+(?:on|after)|lost\s+(?:my\s+)?response\s+to|stopped\s+responding\s+to)\s+"
                               r"(?:\w+\s+){0,4}$")),
        ("intolerant", re.compile(r"\b(?:(?:could\s*n[o']?t|couldnt|cannot|can'?t)\s+tolerate|intolerant\s+(?:to|of)|"
                                  r"allergic\s+to)\s+(?:\w+\s+){0,4}$")),
        ("no_response", re.compile(r"\b(?:failed(?:\s+on)?|after\s+failing|(?:did\s*n[o']?t|never)\s+respond(?:ed)?\s+to|"
                                   r"refractory\s+to|resistant\s+to|no\s+response\s+to|progressed\s+(?:on|through|despite|"
                                   r"after)|failure\s+(?:of|on))\s+(?:\w+\s+){0,4}$")),
        ("response", re.compile(r"\b(?:responded\s+(?:well\s+)?to|(?:doing|did)\s+well\s+on)\s+(?:\w+\s+){0,4}$")),
    )
    _HYPOTHETICAL = re.compile(r"\b(?:if|unless|in\s+case|suppose|supposing|would|will|might|could|may|what\s+happens)\b")
    _NOT_RECEIVED = re.compile(r"\b(?:not|never|haven'?t|hasn'?t|have\s+not|has\s+not|didn'?t|did\s+not|no)\s+"
                               r"(?:\w+\s+){0,2}$")
    # A response cue is shared across a plain list; "then" only shares that the therapy was received.
    _CONNECTOR = re.compile(r"^\s*(?:(?:,|and|or|&|/|\+|both|as\s+well\s+as)\s*){0,3}$")
    _SEQUENCE = re.compile(r"^\s*(?:(?:,|and|or|&|/|\+|then|both|as\s+well\s+as|later|after\s+that)\s*){0,3}$")

    def read_therapies(self) -> None:
        c = self.c
        mentions: list[tuple[int, int, str, str]] = []
        for rx, name in self._THERAPIES:
            for mm in re.finditer(r"(?<![\w-])(?:" + rx + r")(?![\w])", c):
                if self.free(mm.start(), mm.end()) and not any(a < mm.end() and mm.start() < b for a, b, _, _ in mentions):
                    mentions.append((mm.start(), mm.end(), name, mm.group(0)))
        mentions.sort()
        info: list[dict[str, Any]] = []
        for i, (s, e, name, word) in enumerate(mentions):
            sent_s, sent_e = self.sentence(s)
            prev_e = max([sent_s] + [m[1] for m in mentions[:i] if m[1] <= s])
            next_s = min([sent_e] + [m[0] for m in mentions[i + 1:] if m[0] >= e])
            before, after = c[prev_e:s], c[e:next_s]
            kinds: set[str] = set()
            # A cue counts unless the sentence makes it hypothetical before it ("what if vidaza doesn't work").
            for k, rx in self._CUES.items():
                if any(not self._HYPOTHETICAL.search(c[sent_s:s] + after[:cm_.start()]) for cm_ in rx.finditer(after)):
                    kinds.add(k)
            for k, rx in self._PRE_CUES:
                pm_ = rx.search(before)
                if pm_ and not self._HYPOTHETICAL.search(c[sent_s:prev_e + pm_.start()]):
                    kinds.add(k)
            received = bool(self._RECEIVED_BEFORE.search(before)) or bool(kinds)
            if self._NOT_RECEIVED.search(before) and not kinds:
                received = False
            if re.match(r"^\s*(?:x|×)\s*\d{1,2}\b", after):
                received = True
            cycles = None
            cb = self._RECEIVED_BEFORE.search(before)
            cm = re.compile(r"(?<![\w.,])(?P<n>" + _NUMW + r")\s*(?:cycles?|rounds?|courses?)\b").search(after) or \
                re.compile(r"^\s*(?:x|×)\s*(?P<n>\d{1,2})\b").match(after)
            if cm:
                cycles = int(_num_or_word(cm.group("n")))
            elif cb and cb.group("cyc"):
                cycles = int(_num_or_word(cb.group("cyc")))
            else:
                pm = re.compile(r"(?P<n>" + _NUMW + r")\s+(?:cycles?|rounds?|courses?)\s+of\s+(?:the\s+|my\s+)?$").search(before)
                if pm:
                    cycles = int(_num_or_word(pm.group("n")))
            info.append({"s": s, "e": e, "name": name, "word": word, "kinds": kinds, "received": received,
                         "cycles": cycles, "before": before, "after": after, "cycle_span": cm})
        # A cue shared by a list ("failed vidaza and revlimid", "vidaza, revlimid and reblozyl all failed"),
        # spread until nothing changes.
        def linked(a: dict[str, Any], b: dict[str, Any], rx: re.Pattern[str]) -> bool:
            gap = c[min(a["e"], b["e"]):max(a["s"], b["s"])]
            return bool(rx.match(gap)) and self.sentence(a["s"]) == self.sentence(b["s"])

        changed = True
        while changed:
            changed = False
            for i, d in enumerate(info):
                for j in (i - 1, i + 1):
                    if not 0 <= j < len(info):
                        continue
                    o = info[j]
                    if not d["kinds"] and o["kinds"] and linked(d, o, self._CONNECTOR):
                        d["kinds"] = set(o["kinds"])
                        d["received"] = changed = True
                    elif not d["received"] and o["received"] and linked(d, o, self._SEQUENCE):
                        d["received"] = changed = True
        for d in info:
            if not d["received"]:
                continue
            kinds = d["kinds"]
            if "relapse" in kinds or ("response" in kinds and "no_response" in kinds):
                response = "relapse"
            elif "intolerant" in kinds:
                response = "intolerant"
            elif "no_response" in kinds:
                response = "no_response"
            elif "response" in kinds:
                response = "response"
            else:
                response = None
            cycles = d["cycles"]
            if cycles is not None and not 0 <= cycles <= 200:
                cycles = None
            pt = PriorTherapy(d["name"], response=response, cycles=cycles)
            self.add_to_list("prior_therapies", pt, pt, d["s"], d["e"])
            if d["cycle_span"] is not None and d["cycle_span"].re.pattern.startswith("(?<!"):
                cs = d["e"] + d["cycle_span"].start()
                self.use(cs, d["e"] + d["cycle_span"].end())
            brand = re.sub(r"\s+", " ", d["word"])
            if brand in self._BRANDS:
                self.assume(d["s"], f"{self.t.orig(d['s'], d['e'])} read as {d['name']}", "prior_therapies")
            elif d["name"] == "erythropoiesis-stimulating agents" and brand.startswith(("epo", "erythropoietin")):
                self.assume(d["s"], f"{self.t.orig(d['s'], d['e'])} read as erythropoiesis-stimulating agents (ESA)",
                            "prior_therapies")
            sent = c[slice(*self.sentence(d["s"]))]
            if response == "no_response" and re.search(r"\bfail", sent) and \
                    not re.search(r"\b(?:did\s*n[o']?t|never|no\s+response|not\s+respond)", d["before"] + d["after"]):
                self.assume(d["s"], f"'failed' read as no response to {d['name']}", "prior_therapies")

    # -- transplant, ECOG, cellularity -------------------------------------------------

    _TX = (r"(?:(?:an?\s+)?(?:allogeneic\s+|allo\s*-?\s*|stem\s*-?\s*cell\s+|bone\s*-?\s*marrow\s+|"
           r"hematopoietic\s+(?:stem\s+cell\s+)?)*(?:transplant(?:ation)?|sct|hsct|bmt|hct)\b)")

    def read_transplant(self) -> None:
        c = self.c
        tx = self._TX
        rules = (
            ("donor_available", False, r"\bno\s+(?:suitable\s+|matched\s+|matching\s+|available\s+|sibling\s+|related\s+|"
                                       r"unrelated\s+|hla\s*-?\s*matched\s+|compatible\s+)*(?:donors?|matche?s?)\b|"
                                       r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+have\s+an?\s+(?:\w+\s+)?donor\b|"
                                       r"\bwithout\s+an?\s+(?:\w+\s+)?donor\b|\b(?:could\s*n[o']?t|couldnt|can'?t|cannot)\s+"
                                       r"find\s+an?\s+(?:\w+\s+)?(?:donor|match)\b|\bdonor\s+(?:search\s+)?(?:failed|"
                                       r"not\s+found)\b"),
            ("donor_available", True, r"\b(?:i|we)\s+(?:have|found)\s+an?\s+(?:\w+\s+){0,2}donor\b|\b(?:matched|matching)\s+"
                                      r"(?:sibling\s+|unrelated\s+|related\s+)?donor\s+(?:is\s+|was\s+)?(?:available|found)\b|"
                                      r"\b(?:brother|sister|sibling|son|daughter)\s+is\s+an?\s+(?:full\s+|perfect\s+|"
                                      r"10/10\s+|good\s+)?match\b|\bdonor\s+(?:is\s+|was\s+)?(?:available|found|lined\s+up)\b"),
            ("transplant_candidate", False, r"\bnot\s+(?:a\s+)?(?:\w+\s+)?(?:fit|eligible|candidate|suitable|healthy\s+enough|"
                                            r"strong\s+enough)\s+(?:for\s+)?" + tx + r"|\bnot\s+an?\s+(?:\w+\s+)?"
                                            r"(?:transplant|sct|bmt|hsct)\s+candidate\b|\btoo\s+(?:old|frail|sick|weak)\s+"
                                            r"(?:for\s+)?(?:\w+\s+)?" + tx + r"|\b(?:unfit|ineligible)\s+for\s+" + tx +
                                            r"|\b(?:transplant|sct|bmt|hsct)\s*-?\s*ineligible\b|\b(?:can'?t|cannot|"
                                            r"can\s+not)\s+(?:have|get|do|undergo)\s+" + tx + r"|\b(?:transplant|sct|bmt)"
                                            r"\s+(?:is\s+)?not\s+(?:an?\s+)?option\b"),
            ("transplant_candidate", True, r"\b(?:i'?m|im|i\s+am|i\s+was\s+(?:told|deemed|found|considered)\s+(?:i'?m\s+)?)"
                                           r"\s*(?:a\s+)?(?:good\s+)?(?:(?:fit|eligible)\s+for\s+" + tx +
                                           r"|(?:transplant|sct|bmt|hsct)\s+candidate\b)"),
            ("wants_transplant", False, r"\b(?:don'?t|do\s+not|won'?t|will\s+not|wouldn'?t|would\s+not)\s+(?:want|like)\s+"
                                        r"(?:to\s+(?:have|get|do|undergo)\s+)?" + tx + r"|\brefuse[ds]?\s+" + tx +
                                        r"|\bnot\s+interested\s+in\s+" + tx + r"|\bdecline[ds]?\s+" + tx +
                                        r"|\bno\s+transplant\s+for\s+me\b"),
            ("wants_transplant", True, r"\b(?:i|we)\s+(?:really\s+)?(?:want|would\s+like|'d\s+like|wish|hope)\s+(?:to\s+"
                                       r"(?:have|get|do|undergo)\s+)?" + tx + r"|\b(?:i'?m|i\s+am)\s+(?:willing|ready|"
                                       r"interested)\s+(?:to\s+(?:have|get|do|undergo)|in)\s+" + tx),
        )
        for field, value, rx in rules:
            for mm in re.finditer(rx, c):
                if self.free(mm.start(), mm.end()):
                    self.found(field, value, None, mm.start(), mm.end(), value)

    def read_ecog(self) -> None:
        rx = re.compile(r"\becog(?:\s+(?:ps|performance(?:\s+status)?|score|status))?\s*(?:is|of|was|:|=)?\s*(?P<n>\d+)"
                        r"(?![.,]\d)|\bperformance\s+status\s*(?:is|of|was|:|=)?\s*(?:ecog\s*)?(?P<n2>\d+)(?![.,]\d)")
        for mm in rx.finditer(self.c):
            if not self.free(mm.start(), mm.end()):
                continue
            v = int(mm.group("n") or mm.group("n2"))
            if v > 5:
                self.ignore(mm.start(), mm.end(), "ECOG is 0 to 5; not used")
                continue
            self.found("ecog", v, None, mm.start(), mm.end(), v)

    def read_cellularity(self) -> None:
        for mm in re.finditer(r"\b(?P<k>hypo|normo|hyper)\s*-?\s*cellular\b", self.c):
            if not self.free(mm.start(), mm.end()):
                continue
            if re.search(r"\bnot\s+$", self.c[max(0, mm.start() - 10):mm.start()]):
                continue
            v = mm.group("k") + "cellular"
            self.found("marrow_cellularity", v, None, mm.start(), mm.end(), v)

    # -- assembling --------------------------------------------------------------------

    def run(self) -> QuestionValues:
        self.read_scores()
        self.read_iscn()
        self.read_measures("percent_before")
        self.read_measures("forward")
        self.read_age()
        self.read_transfusions()
        self.read_therapies()
        self.read_ecog()
        self.read_measures("backward")
        self.read_cytogenetics()
        self.read_mutations()
        self.read_sex()
        self.read_transplant()
        self.read_cellularity()
        return self.build()

    _LABELS = {
        "age": "age", "sex": "sex", "hemoglobin": "hemoglobin", "platelets": "platelets", "anc": "ANC",
        "marrow_blasts_pct": "marrow blasts", "peripheral_blasts_pct": "blood blasts",
        "ring_sideroblasts_pct": "ring sideroblasts", "serum_epo": "EPO", "serum_ferritin": "ferritin",
        "transfusion_units_per_8wk": "transfusion need", "transfusion_dependent": "transfusion dependence",
        "rbc_units_total": "units received", "karyotype": "karyotype", "ecog": "ECOG",
        "marrow_cellularity": "marrow cellularity", "donor_available": "donor", "wants_transplant": "transplant wish",
        "transplant_candidate": "transplant fitness",
    }

    def build(self) -> QuestionValues:
        fields: dict[str, Any] = {}
        found: list[FoundValue] = []
        for field, items in self.values.items():
            keys = {k for k, _, _ in items}
            if len(keys) > 1:
                first = min(fv.start for _, _, fv in items)
                texts = "; ".join(fv.text.strip() for _, _, fv in items)
                self.ignored.append((first, f"{texts}: different {self._LABELS.get(field, field)} values given; "
                                            "none used"))
                self.assumptions = [x for x in self.assumptions if x[2] != field]
                continue
            fields[field] = items[0][1]
            found.extend(fv for _, _, fv in items)
        cyto = self.lists.get("ipssr_cytogenetic_group", [])
        if cyto:
            groups = {g for g, _ in cyto}
            if len(groups) == 1 and "karyotype" not in fields:
                fields["ipssr_cytogenetic_group"] = groups.pop()
                found.extend(fv for _, fv in cyto)
            elif "karyotype" in fields:
                kg = parse_karyotype(fields["karyotype"]).ipssr_group
                if kg != next(iter(groups)) or len(groups) > 1:
                    self.ignored.append((cyto[0][1].start,
                                         "karyotype findings in words that differ from the karyotype given; not used"))
        muts = self.lists.get("mutations", [])
        tested = self.lists.get("sequenced_genes", [])
        if tested:
            genes = []
            for g, _ in tested:
                if g not in genes:
                    genes.append(g)
            mutated = {m.gene for m, _ in muts}
            neg = {g for g in genes if g not in mutated}
            clash = self.negative_genes & mutated
            if clash:
                self.ignored.append((0, f"{', '.join(sorted(clash))}: said to be both mutated and not mutated; "
                                        "not used"))
                muts = [(m, fv) for m, fv in muts if m.gene not in clash]
                genes = [g for g in genes if g not in clash]
            if genes:
                fields["mutations"] = tuple(m for m, _ in muts)
                fields["sequenced_genes"] = tuple(genes)
                found.extend(fv for _, fv in muts)
                found.extend(fv for g, fv in tested if g in neg and g in genes)
                self.assumptions.append((min(fv.start for _, fv in tested),
                                         f"only the genes named ({', '.join(genes)}) taken as tested; other genes "
                                         "stay unknown", "mutations"))
        pts = self.lists.get("prior_therapies", [])
        if pts:
            merged: dict[str, PriorTherapy] = {}
            for pt, fv in pts:
                old = merged.get(pt.therapy)
                if old is None:
                    merged[pt.therapy] = pt
                else:
                    merged[pt.therapy] = PriorTherapy(pt.therapy, old.response or pt.response,
                                                      old.cycles if old.cycles is not None else pt.cycles)
                found.append(fv)
            fields["prior_therapies"] = tuple(merged.values())
        # Every patient built here must pass normalise(): drop (and report) a field it rejects.
        for _ in range(len(fields) + 1):
            if not fields:
                break
            try:
                normalise(PatientInput(**fields))
                break
            except PatientValueError as exc:
                bad = re.split(r"[:\[.]", str(exc), maxsplit=1)[0].strip()
                if bad not in fields:
                    fields.clear()
                    found.clear()
                    self.ignored.append((0, "the values could not be checked; none used"))
                    break
                del fields[bad]
                found = [fv for fv in found if fv.field != bad and not (bad == "mutations" and fv.field == "sequenced_genes")]
                self.ignored.append((0, f"{self._LABELS.get(bad, bad)}: {str(exc).split(':', 1)[-1].strip()}; not used"))
        stated = _stated_risk_group(self.t.original)
        if stated and fields:
            fields["risk_group"] = stated
            self.assumptions.append((0, f"\"{stated}-risk\" taken as the risk group your care team gave", "risk_group"))
        found.sort(key=lambda fv: (fv.start, fv.end))
        patient = PatientInput(**fields) if fields else None
        return QuestionValues(
            patient=patient,
            found=tuple(found) if patient is not None else (),
            assumptions=tuple(dict.fromkeys(
                a for _, a, f in sorted(self.assumptions, key=lambda x: x[0]) if f is None or f in fields)),
            ignored=tuple(i for _, i in sorted(self.ignored, key=lambda x: x[0])),
            score=self.score,
            scheme=self.scheme,
            category=self.category,
        )


THERAPY_NAMES = tuple(sorted({name for _, name in _Reader._THERAPIES}))

_LOWER = re.compile(r"\b(?:very[- ])?low(?:er)?[- ]risk\b|\blow[- ]grade\b")
_HIGHER = re.compile(r"\b(?:very[- ])?high(?:er)?[- ]risk\b|\bhigh[- ]grade\b")


def _stated_risk_group(question: str) -> str | None:
    """"low risk MDS" / "higher-risk" stated in words (both, or neither: None)."""
    text = question.lower()
    low, high = bool(_LOWER.search(text)), bool(_HIGHER.search(text))
    if low == high:
        return None
    return "lower" if low else "higher"


def extract_patient_values(question: str) -> QuestionValues:
    """Read the patient values a question states (see the module docstring)."""
    if not question or not question.strip():
        return QuestionValues(patient=None)
    return _Reader(str(question)).run()
