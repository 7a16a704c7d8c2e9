"""Patient record: input dataclasses, unit normalisation and criterion values.

`PatientInput` is what a caller (a form, an importer) gives us: every field is
optional and missing values stay missing - nothing here ever fills in a default.
`normalise()` checks the values and converts them to one canonical unit per
quantity (explicit tables below); impossible values raise `PatientValueError`.
`to_criterion_values()` maps a normalised patient, its parsed karyotype and its
risk scores onto the criterion variable names of `ontology/data/model.yaml`.

Privacy: nothing in this package logs or prints patient values.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mdskg.errors import MdskgError

from .api_fields import api, not_in_api

__all__ = [
    "PatientValueError",
    "Quantity",
    "Mutation",
    "PriorTherapy",
    "CodedConcept",
    "PatientInput",
    "NormalisedMutation",
    "NormalisedPatient",
    "normalise",
    "convert",
    "canonical_unit",
    "unit_kind",
    "to_criterion_values",
    "FAILED_RESPONSES",
    "RESPONSES",
    "BEST_RESPONSES",
    "ESA_STATUSES",
    "ESA_IDS",
    "ESA_CLASS_ID",
    "derive_marrow_cellularity",
    "UNKNOWN_MEMBERS_SUFFIX",
    "TESTED_DOMAIN_SUFFIX",
]


class PatientValueError(MdskgError, ValueError):
    """An impossible or uninterpretable patient value (the message names the field)."""


# --------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------


def _unit_key(unit: str) -> str:
    """Normalise a unit spelling for table look-up (case-insensitive, µ→u, ×→x, no spaces)."""
    u = unit.strip()
    u = u.replace("µ", "u").replace("μ", "u").replace("×", "x").replace("⁹", "^9").replace("³", "^3")
    u = u.replace("**", "^").replace("*", "^")
    u = re.sub(r"\s+", "", u).lower()
    if u.startswith("ucum:"):
        u = u[5:]
    return u


# Each table maps a unit spelling (after `_unit_key`) to the factor that converts a value
# in that unit to the canonical unit of the quantity: canonical = value * factor.
HEMOGLOBIN_UNITS: dict[str, float] = {
    "g/dl": 1.0,
    "g/l": 0.1,  # 10 g/L = 1 g/dL
    "mg/dl": 0.001,
    # Hemoglobin as the monomer (Hb Fe), molar mass 16 114.5 g/mol: 1 mmol/L = 1.61145 g/dL.
    # Consistent with the MDS Foundation IPSS-R calculator note "10 g/dL = 6.2 mmol/L".
    "mmol/l": 1.61145,
}

# Cell counts; canonical x10^9/L (= G/L = /nL = 10^3/uL).
COUNT_UNITS: dict[str, float] = {
    "10^9/l": 1.0,
    "x10^9/l": 1.0,
    "e9/l": 1.0,
    "1e9/l": 1.0,
    "g/l": 1.0,  # giga per litre (as written by haematology analysers); only valid for counts
    "giga/l": 1.0,
    "/nl": 1.0,
    "10^3/ul": 1.0,
    "x10^3/ul": 1.0,
    "10^3/mm3": 1.0,
    "k/ul": 1.0,
    "thou/ul": 1.0,
    "/ul": 0.001,
    "cells/ul": 0.001,
    "/mm3": 0.001,
    "cells/mm3": 0.001,
    "/l": 1e-9,
    "10^6/l": 0.001,
}

# Serum erythropoietin; canonical mU/mL (= IU/L = U/L = mIU/mL).
EPO_UNITS: dict[str, float] = {
    "mu/ml": 1.0,
    "miu/ml": 1.0,
    "m[iu]/ml": 1.0,
    "iu/l": 1.0,
    "[iu]/l": 1.0,
    "u/l": 1.0,
    "iu/ml": 1000.0,
    "[iu]/ml": 1000.0,
    "u/ml": 1000.0,
}

# Serum ferritin; canonical ng/mL (= ug/L).
FERRITIN_UNITS: dict[str, float] = {
    "ng/ml": 1.0,
    "ug/l": 1.0,
    "mcg/l": 1.0,
    "ug/dl": 10.0,
    "mg/l": 1000.0,
}

# Percentages (blasts, cellularity, ring sideroblasts); canonical %.
PERCENT_UNITS: dict[str, float] = {
    "%": 1.0,
    "percent": 1.0,
    "pct": 1.0,
}

# Creatinine clearance; canonical mL/min (1 mL/s = 60 mL/min). Values normalised to body-surface
# area (mL/min/1.73 m2) are a different quantity and are not accepted.
CLEARANCE_UNITS: dict[str, float] = {
    "ml/min": 1.0,
    "ml/s": 60.0,
}

AGE_UNITS: dict[str, float] = {
    "years": 1.0,
    "year": 1.0,
    "y": 1.0,
    "a": 1.0,
    "yr": 1.0,
    "yrs": 1.0,
    "months": 1.0 / 12.0,
    "month": 1.0 / 12.0,
    "mo": 1.0 / 12.0,
}

# Variant allele frequency; canonical fraction 0-1.
VAF_UNITS: dict[str, float] = {
    "fraction": 1.0,
    "1": 1.0,
    "": 1.0,
    "%": 0.01,
    "percent": 0.01,
}

_KIND_TABLES: dict[str, dict[str, float]] = {
    "hemoglobin": HEMOGLOBIN_UNITS,
    "count": COUNT_UNITS,
    "epo": EPO_UNITS,
    "ferritin": FERRITIN_UNITS,
    "percent": PERCENT_UNITS,
    "age": AGE_UNITS,
    "vaf": VAF_UNITS,
    "clearance": CLEARANCE_UNITS,
}

_CANONICAL: dict[str, str] = {
    "hemoglobin": "g/dL",
    "count": "10^9/L",
    "epo": "mU/mL",
    "ferritin": "ng/mL",
    "percent": "%",
    "age": "years",
    "vaf": "fraction",
    "clearance": "mL/min",
}


def canonical_unit(kind: str) -> str:
    return _CANONICAL[kind]


def unit_kind(unit: str | None) -> str | None:
    """The quantity kind whose canonical unit is `unit` (as written in model.yaml), else None."""
    if unit is None:
        return None
    key = _unit_key(unit)
    for kind, canon in _CANONICAL.items():
        if _unit_key(canon) == key:
            return kind
    return None


def _clean(x: float) -> float:
    """Remove binary noise from a unit conversion (e.g. 95 * 0.1 -> 9.5 exactly)."""
    return float(round(x, 9))


@functools.cache
def _known_genes() -> frozenset[str]:
    """Genes the scores and the guidance read: the IPSS-M genes and the ontology's gene biomarkers."""
    from ontology import load_ontology

    from .ipssm import GENES_MAIN, GENES_RES

    known = {g.upper() for g in (*GENES_MAIN, *GENES_RES, "TP53", "SF3B1", "SRSF2", "U2AF1", "ZRSR2", "FLT3",
                                  "MLL", "KMT2A", "TET2", "RUNX1", "STAG2", "SETBP1", "JAK2", "CALR", "MPL")}
    for concept in load_ontology().concepts.values():
        if concept.id.startswith("HGNC:"):
            known.add(concept.name.upper())
            known.update(s.upper() for s in (*concept.synonyms, *concept.abbreviations) if s.isalnum())
    return frozenset(known)


# Real genes that look like a known gene with its last character dropped.
_REAL_SHORTER_GENES = frozenset({"PTPN1"})


def near_miss_gene(symbol: str) -> str | None:
    """The known gene(s) a symbol looks like a slip of: its last character dropped ('SF3B' → SF3B1, 'ASXL' →
    ASXL1, 'IDH' → IDH1 or IDH2) or two neighbouring characters swapped ('TP35' → TP53); None otherwise.

    Other unknown symbols are accepted: a panel may test genes no rule reads, and a real gene one letter away
    from a known one (HRAS, NF2, TET1) is not a slip."""
    known = _known_genes()
    if symbol in known or len(symbol) < 3 or symbol in _REAL_SHORTER_GENES:
        return None
    matches = [gene for gene in sorted(known) if _slip_of(symbol, gene)]
    return " or ".join(matches) if matches else None


def _slip_of(symbol: str, gene: str) -> bool:
    if len(gene) == len(symbol) + 1:
        return gene[:-1] == symbol
    if len(gene) == len(symbol):
        diffs = [i for i, (x, y) in enumerate(zip(symbol, gene, strict=True)) if x != y]
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and symbol[diffs[0]] == gene[diffs[1]] \
            and symbol[diffs[1]] == gene[diffs[0]]
    return False


def convert(value: float, from_unit: str, to_unit: str, kind: str) -> float:
    """Convert `value` between two units of the same quantity kind.

    Raises PatientValueError for a unit the table does not know.
    """
    table = _KIND_TABLES[kind]
    fk, tk = _unit_key(from_unit), _unit_key(to_unit)
    if fk not in table:
        raise PatientValueError(f"unknown unit {from_unit!r} for {kind} (known: {sorted(table)})")
    if tk not in table:
        raise PatientValueError(f"unknown unit {to_unit!r} for {kind} (known: {sorted(table)})")
    if fk == tk:
        return float(value)
    return _clean(float(value) * table[fk] / table[tk])


# --------------------------------------------------------------------------------------
# Input records
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A value with its unit, e.g. Quantity(9.5, "g/dL")."""

    value: float = api(required=True)
    unit: str = api("e.g. g/dL or g/L; 10^9/L or /uL; mU/mL", required=True)

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Parse '9.5 g/dL', '95g/L', '1,2 x10^9/L' (decimal comma accepted)."""
        m = re.match(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(.*?)\s*$", str(text))
        if not m or not m.group(2):
            raise PatientValueError(f"cannot read a value and a unit from {text!r}")
        return cls(float(m.group(1).replace(",", ".")), m.group(2))


@dataclass(frozen=True)
class Mutation:
    """A gene mutation.

    vaf: variant allele frequency as a fraction 0-1, a percentage (a bare number in
    (1, 100] is read as a percentage), or a Quantity(value, '%' | 'fraction').
    origin: 'somatic' | 'germline' | None (unknown; treated as a somatic finding of the
    patient's myeloid panel). kind: variant class where it matters to a score, e.g.
    'ITD' / 'TKD' for FLT3 and 'PTD' for KMT2A (MLL).
    """

    gene: str = api("HGNC symbol, e.g. SF3B1", required=True)
    vaf: float | Quantity | None = api("Variant allele frequency, a fraction (0-1) or a percentage (0-100).")
    hgvs: str | None = not_in_api("read from FHIR / Phenopacket records only")
    kind: str | None = api("Variant class where a score needs it, e.g. ITD, TKD, PTD.")
    origin: str | None = api("somatic | germline")


@dataclass(frozen=True)
class PriorTherapy:
    """A therapy received before.

    response: one of RESPONSES or None (unknown). cycles: number of cycles given (whole
    number >= 0) or None. best_response: one of BEST_RESPONSES or None (unknown).
    """

    therapy: str = api("A concept id or a name, e.g. 'ESA' or 'epoetin alfa'.", required=True)
    response: str | None = api("response | no_response | relapse | intolerant")
    cycles: int | None = api("Number of cycles given (a whole number, 0 or more).")
    best_response: str | None = api("complete_response | partial_response | marrow_complete_response | "
                                    "hematologic_improvement | stable_disease | no_response | progression")


RESPONSES = ("response", "no_response", "relapse", "intolerant")
# Responses that mean the therapy failed, was not tolerated or stopped working.
FAILED_RESPONSES = frozenset({"no_response", "relapse", "intolerant"})
BEST_RESPONSES = ("complete_response", "partial_response", "marrow_complete_response", "hematologic_improvement",
                  "stable_disease", "no_response", "progression")

# ESA (erythropoiesis-stimulating agent) status; the order is the one of model.yaml.
ESA_STATUSES = ("naive", "responding", "responded_then_lost", "refractory", "intolerant", "ineligible")
ESA_CLASS_ID = "MDSKG:therapy/esa"
# Concept ids of a prior therapy that count as an ESA (the class and its drugs).
ESA_IDS = frozenset({ESA_CLASS_ID, "MDSKG:drug/epoetin-alfa", "MDSKG:drug/darbepoetin-alfa"})
# esa_status values that mean the ESA failed, stopped working or was not tolerated.
ESA_FAILED_STATUSES = frozenset({"refractory", "responded_then_lost", "intolerant"})
# A prior ESA's response -> esa_status.
_ESA_STATUS_FROM_RESPONSE = {
    "response": "responding",
    "no_response": "refractory",
    "relapse": "responded_then_lost",
    "intolerant": "intolerant",
}


@dataclass(frozen=True)
class CodedConcept:
    """A coded finding or diagnosis (e.g. HPO / OMIM / SNOMED); excluded = explicitly absent."""

    id: str | None
    label: str | None = None
    excluded: bool = False


@dataclass(frozen=True)
class PatientInput:
    """What is known about a patient. Every field is optional; None means unknown.

    Quantities with a unit (hemoglobin, platelets, anc, serum_epo) must carry it:
    a Quantity, a (value, unit) pair or a string such as "9.5 g/dL". A bare number is
    rejected because 9.5 and 95 are both plausible hemoglobin values in different units.

    mutations: None = no mutation data; () = tested and nothing found. Genes absent from
    a given list count as not mutated, unless `sequenced_genes` is given, in which case
    only the genes listed there were tested (the others are unknown).

    Each field says whether the API takes it (`api("description")`) or not (`not_in_api("why")`);
    the GraphQL PatientInput and its nested inputs are built from these declarations (graphql.py).
    """

    age: float | Quantity | None = api("Years.")
    sex: str | None = api()
    marrow_blasts_pct: float | None = api()
    marrow_cellularity_pct: float | None = api()
    marrow_cellularity: str | None = api("hypocellular | normocellular | hypercellular")
    karyotype: str | None = api("ISCN, e.g. 46,XY,del(5)(q13q33)[20]")
    ipssr_cytogenetic_group: str | None = api("very_good | good | intermediate | poor | very_poor")
    mutations: tuple[Mutation, ...] | None = api()
    sequenced_genes: tuple[str, ...] | None = api()
    # TP53 copy-neutral LOH / allelic imbalance, if assessed
    tp53_loh: bool | None = not_in_api("set by the importers and the question reader")
    hemoglobin: Quantity | None = api()
    platelets: Quantity | None = api()
    anc: Quantity | None = api()
    serum_epo: Quantity | None = api()
    serum_ferritin: Quantity | None = api("ng/mL (= ug/L)")
    transfusion_units_per_8wk: float | None = api()
    transfusion_dependent: bool | None = api()
    ring_sideroblasts_pct: float | None = api()
    pnh_clone: bool | None = api()
    hla_dr15: bool | None = api()
    stat3_t_cell_clone: bool | None = api()
    prior_therapies: tuple[PriorTherapy, ...] | None = api()
    transplant_candidate: bool | None = api()
    # Used only when no score can be computed from the values given; a computed IPSS-M / IPSS-R / IPSS
    # group always wins.
    risk_group: str | None = api("lower | higher: the treatment risk group as your care team stated it. "
                                 "Used only when no risk score can be computed from the values given.")
    ecog: int | None = api()
    phenotypes: tuple[CodedConcept, ...] | None = not_in_api("set by the importers and the question reader")
    diagnoses: tuple[CodedConcept, ...] | None = not_in_api("set by the importers and the question reader")
    esa_status: str | None = api("Experience with ESA (epoetin, darbepoetin): naive | responding | "
                                 "responded_then_lost | refractory | intolerant | ineligible")
    anemia_symptoms: bool | None = api("Has symptoms of anaemia.")
    bleeding: bool | None = api("Has clinically significant bleeding.")
    platelet_transfusions: bool | None = api("Needs platelet transfusions.")
    recurrent_infections: bool | None = api("Has infections again and again.")
    rbc_units_total: float | None = api("Red-cell units received in all (units, 0 or more).")
    peripheral_blasts_pct: float | None = api("Blasts in the peripheral blood, % (0-100).")
    auer_rods: bool | None = api("Auer rods were seen in the blasts (marrow or blood).")
    hct_ci: int | None = api("HCT-CI comorbidity index (a whole number, 0 or more).")
    donor_available: bool | None = api("A donor for an allogeneic transplant is available.")
    wants_transplant: bool | None = api("Willing to have an allogeneic transplant.")
    # A bare number is mL/min; a Quantity is converted.
    creatinine_clearance_ml_min: float | Quantity | None = api("Creatinine clearance, mL/min (more than 0).")

    def __post_init__(self) -> None:
        # Accept lists for the tuple fields (the dataclass stays hashable and immutable).
        for name in ("mutations", "sequenced_genes", "prior_therapies", "phenotypes", "diagnoses"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, tuple):
                if isinstance(v, (str, bytes)):
                    raise PatientValueError(f"{name}: expected a list, got a string")
                object.__setattr__(self, name, tuple(v))
        if self.mutations is not None:
            object.__setattr__(
                self, "mutations", tuple(Mutation(m) if isinstance(m, str) else m for m in self.mutations)
            )
        if self.prior_therapies is not None:
            object.__setattr__(
                self,
                "prior_therapies",
                tuple(PriorTherapy(t) if isinstance(t, str) else t for t in self.prior_therapies),
            )


# --------------------------------------------------------------------------------------
# Normalised record
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalisedMutation:
    gene: str  # upper-case HGNC symbol
    vaf: float | None  # fraction 0-1
    hgvs: str | None
    origin: str | None  # somatic | germline | None
    kind: str | None  # upper-case, e.g. ITD, TKD, PTD


@dataclass(frozen=True)
class NormalisedPatient:
    """Checked values in canonical units (see field names)."""

    age_years: float | None = None
    sex: str | None = None
    marrow_blasts_pct: float | None = None
    marrow_cellularity_pct: float | None = None
    marrow_cellularity: str | None = None
    karyotype: str | None = None
    ipssr_cytogenetic_group: str | None = None
    mutations: tuple[NormalisedMutation, ...] | None = None
    sequenced_genes: frozenset[str] | None = None
    tp53_loh: bool | None = None
    hemoglobin_g_dl: float | None = None
    platelets_10e9_l: float | None = None
    anc_10e9_l: float | None = None
    serum_epo_mu_ml: float | None = None
    serum_ferritin_ng_ml: float | None = None
    transfusion_units_per_8wk: float | None = None
    transfusion_dependent: bool | None = None
    ring_sideroblasts_pct: float | None = None
    pnh_clone: bool | None = None
    hla_dr15: bool | None = None
    stat3_t_cell_clone: bool | None = None
    prior_therapies: tuple[PriorTherapy, ...] | None = None
    transplant_candidate: bool | None = None
    ecog: int | None = None
    phenotypes: tuple[CodedConcept, ...] | None = None
    diagnoses: tuple[CodedConcept, ...] | None = None
    esa_status: str | None = None
    anemia_symptoms: bool | None = None
    bleeding: bool | None = None
    platelet_transfusions: bool | None = None
    recurrent_infections: bool | None = None
    auer_rods: bool | None = None
    donor_available: bool | None = None
    wants_transplant: bool | None = None
    rbc_units_total: float | None = None
    peripheral_blasts_pct: float | None = None
    hct_ci: int | None = None
    creatinine_clearance_ml_min: float | None = None
    risk_group: str | None = None  # as stated by the care team (used when no score can be computed)
    notes: tuple[str, ...] = field(default=())


CELLULARITY_VALUES = ("hypocellular", "normocellular", "hypercellular")
IPSSR_CYTO_GROUPS = ("very_good", "good", "intermediate", "poor", "very_poor")
SEX_VALUES = {
    "male": "male", "m": "male", "man": "male",
    "female": "female", "f": "female", "woman": "female",
    "other": "other", "other_sex": "other",
}


def _number(name: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        try:
            v = float(str(v).strip().replace(",", "."))
        except (TypeError, ValueError):
            raise PatientValueError(f"{name}: expected a number") from None
    x = float(v)
    if math.isnan(x) or math.isinf(x):
        raise PatientValueError(f"{name}: not a finite number")
    return x


def _as_quantity(name: str, v: Any) -> Quantity:
    if isinstance(v, Quantity):
        return v
    if isinstance(v, (tuple, list)) and len(v) == 2:
        return Quantity(_number(name, v[0]), str(v[1]))
    if isinstance(v, Mapping) and "value" in v and "unit" in v:
        return Quantity(_number(name, v["value"]), str(v["unit"]))
    if isinstance(v, str):
        try:
            return Quantity.parse(v)
        except PatientValueError:
            raise PatientValueError(f"{name}: cannot read a value and a unit") from None
    raise PatientValueError(f"{name}: a unit is required (give a Quantity(value, unit))")


def _quantity_to(name: str, v: Any, kind: str) -> float:
    q = _as_quantity(name, v)
    value = _number(name, q.value)
    try:
        out = convert(value, q.unit, _CANONICAL[kind], kind)
    except PatientValueError:
        raise PatientValueError(
            f"{name}: unknown unit {q.unit!r} (known: {', '.join(sorted(_KIND_TABLES[kind]))})"
        ) from None
    if out < 0:
        raise PatientValueError(f"{name}: must not be negative")
    return out


def _plain(name: str, v: Any, kind: str) -> float:
    """A number in the canonical unit (bare number or numeric string), or a Quantity to convert."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _number(name, v)
    if isinstance(v, str) and _is_plain_number(v):
        return _number(name, v)
    return _quantity_to(name, v, kind)


def _pct(name: str, v: Any) -> float:
    x = _plain(name, v, "percent")
    if x < 0 or x > 100:
        raise PatientValueError(f"{name}: a percentage must be between 0 and 100")
    return x


def _is_plain_number(s: str) -> bool:
    return re.fullmatch(r"\s*[-+]?\d+(?:[.,]\d+)?\s*", s) is not None


def _bool(name: str, v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "yes", "y", "1", "positive", "present"):
            return True
        if s in ("false", "no", "n", "0", "negative", "absent"):
            return False
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    raise PatientValueError(f"{name}: expected true or false")


def _whole(name: str, v: Any, upper: int | None = None) -> int:
    """A whole number >= 0 (and <= upper when given); 3.0 is accepted as 3."""
    x = _number(name, v)
    if x != int(x) or x < 0 or (upper is not None and x > upper):
        bound = f"from 0 to {upper}" if upper is not None else "of 0 or more"
        raise PatientValueError(f"{name}: expected a whole number {bound}")
    return int(x)


def _choice(name: str, v: Any, allowed: tuple[str, ...]) -> str:
    """A category value: case, spaces and hyphens are forgiven, anything else must be listed."""
    s = str(v).strip().lower().replace(" ", "_").replace("-", "_")
    if s not in allowed:
        raise PatientValueError(f"{name}: expected one of {', '.join(allowed)}")
    return s


# Upper bounds that no real value reaches (they catch a wrong unit or a typing slip).
# (Sanity bounds chosen here, not values taken from a source: the HCT-CI is a sum of a small number of
# weighted comorbidities, and a creatinine clearance of 500 mL/min is far above any measured one.)
HCT_CI_MAX = 30
CREATININE_CLEARANCE_MAX_ML_MIN = 500.0


def _vaf(name: str, v: Any) -> float:
    if isinstance(v, Quantity):
        x = _quantity_to(name, v, "vaf")
        if x > 1:
            raise PatientValueError(f"{name}: VAF must be between 0 and 1 (or 0 and 100 %)")
        return x
    x = _number(name, v)
    if x < 0 or x > 100:
        raise PatientValueError(f"{name}: VAF must be between 0 and 1 (or 0 and 100 %)")
    # A bare number in [0, 1] is a fraction; in (1, 100] it is a percentage.
    return x if x <= 1 else _clean(x / 100.0)


def normalise(patient: PatientInput) -> NormalisedPatient:
    """Check every given value and convert it to the canonical unit.

    Raises PatientValueError (message names the field, never echoes the value) for
    impossible values: negative counts, percentages outside 0-100, age > 130,
    VAF outside 0-1 / 0-100 %, ECOG outside 0-5, HCT-CI not a whole number 0-30,
    creatinine clearance <= 0 or > 500 mL/min, rbc_units_total < 0, prior-therapy cycles
    not a whole number >= 0, unknown units or categories (esa_status, best_response, ...).
    """
    notes: list[str] = []
    out: dict[str, Any] = {}

    if patient.age is not None:
        age = _plain("age", patient.age, "age")
        if age < 0:
            raise PatientValueError("age: must not be negative")
        if age > 130:
            raise PatientValueError("age: more than 130 years is not possible")
        out["age_years"] = age

    if patient.sex is not None:
        s = str(patient.sex).strip().lower()
        if s in ("unknown", "unknown_sex", ""):
            pass
        elif s in SEX_VALUES:
            out["sex"] = SEX_VALUES[s]
        else:
            raise PatientValueError("sex: expected male, female or other")

    if patient.marrow_blasts_pct is not None:
        out["marrow_blasts_pct"] = _pct("marrow_blasts_pct", patient.marrow_blasts_pct)
    if patient.marrow_cellularity_pct is not None:
        out["marrow_cellularity_pct"] = _pct("marrow_cellularity_pct", patient.marrow_cellularity_pct)
    if patient.marrow_cellularity is not None:
        c = str(patient.marrow_cellularity).strip().lower().replace("-", "").replace(" ", "")
        c = {"hypo": "hypocellular", "normo": "normocellular", "hyper": "hypercellular"}.get(c, c)
        if c not in CELLULARITY_VALUES:
            raise PatientValueError("marrow_cellularity: expected hypocellular, normocellular or hypercellular")
        out["marrow_cellularity"] = c
    if patient.ring_sideroblasts_pct is not None:
        out["ring_sideroblasts_pct"] = _pct("ring_sideroblasts_pct", patient.ring_sideroblasts_pct)
    if patient.peripheral_blasts_pct is not None:
        out["peripheral_blasts_pct"] = _pct("peripheral_blasts_pct", patient.peripheral_blasts_pct)

    if patient.karyotype is not None:
        k = str(patient.karyotype).strip()
        if k:
            out["karyotype"] = k

    if patient.ipssr_cytogenetic_group is not None:
        g = str(patient.ipssr_cytogenetic_group).strip().lower().replace(" ", "_").replace("-", "_")
        if g not in IPSSR_CYTO_GROUPS:
            raise PatientValueError(f"ipssr_cytogenetic_group: expected one of {', '.join(IPSSR_CYTO_GROUPS)}")
        out["ipssr_cytogenetic_group"] = g

    if patient.mutations is not None:
        muts = []
        for i, m in enumerate(patient.mutations):
            if not isinstance(m, Mutation):
                raise PatientValueError(f"mutations[{i}]: expected a Mutation")
            gene = str(m.gene).strip().upper()
            if not gene:
                raise PatientValueError(f"mutations[{i}]: gene symbol is empty")
            near = near_miss_gene(gene)
            if near:
                raise PatientValueError(f"mutations[{i}].gene: '{gene}' is not a gene symbol we know; did you mean "
                                        f"{near}? (a misspelt gene would count {near} as not mutated)")
            vaf = _vaf(f"mutations[{i}].vaf", m.vaf) if m.vaf is not None else None
            origin = str(m.origin).strip().lower() if m.origin is not None else None
            if origin not in (None, "somatic", "germline"):
                raise PatientValueError(f"mutations[{i}].origin: expected somatic or germline")
            kind = str(m.kind).strip().upper() if m.kind else None
            muts.append(NormalisedMutation(gene, vaf, m.hgvs, origin, kind))
        out["mutations"] = tuple(muts)
    if patient.sequenced_genes is not None:
        tested = frozenset(str(g).strip().upper() for g in patient.sequenced_genes)
        for gene in sorted(tested):
            near = near_miss_gene(gene)
            if near:
                raise PatientValueError(f"sequenced_genes: '{gene}' is not a gene symbol we know; did you mean {near}?")
        out["sequenced_genes"] = tested
    if patient.tp53_loh is not None:
        out["tp53_loh"] = _bool("tp53_loh", patient.tp53_loh)

    if patient.hemoglobin is not None:
        hb = _quantity_to("hemoglobin", patient.hemoglobin, "hemoglobin")
        out["hemoglobin_g_dl"] = hb
        # The IPSS-M reference package (papaemmelab/ipssm, IPSSMread) warns outside 4-20 g/dL.
        if hb < 4 or hb > 20:
            notes.append("hemoglobin outside 4-20 g/dL: check the unit")
    if patient.platelets is not None:
        out["platelets_10e9_l"] = _quantity_to("platelets", patient.platelets, "count")
    if patient.anc is not None:
        out["anc_10e9_l"] = _quantity_to("anc", patient.anc, "count")
    if patient.serum_epo is not None:
        out["serum_epo_mu_ml"] = _quantity_to("serum_epo", patient.serum_epo, "epo")
    if patient.serum_ferritin is not None:
        out["serum_ferritin_ng_ml"] = _quantity_to("serum_ferritin", patient.serum_ferritin, "ferritin")

    if patient.transfusion_units_per_8wk is not None:
        t = _number("transfusion_units_per_8wk", patient.transfusion_units_per_8wk)
        if t < 0:
            raise PatientValueError("transfusion_units_per_8wk: must not be negative")
        out["transfusion_units_per_8wk"] = t
    if patient.rbc_units_total is not None:
        t = _number("rbc_units_total", patient.rbc_units_total)
        if t < 0:
            raise PatientValueError("rbc_units_total: must not be negative")
        out["rbc_units_total"] = t
    for name in ("transfusion_dependent", "pnh_clone", "hla_dr15", "stat3_t_cell_clone", "transplant_candidate",
                 "anemia_symptoms", "bleeding", "platelet_transfusions", "recurrent_infections",
                 "donor_available", "wants_transplant", "auer_rods"):
        v = getattr(patient, name)
        if v is not None:
            out[name] = _bool(name, v)

    if patient.esa_status is not None:
        out["esa_status"] = _choice("esa_status", patient.esa_status, ESA_STATUSES)

    if patient.hct_ci is not None:
        out["hct_ci"] = _whole("hct_ci", patient.hct_ci, HCT_CI_MAX)

    if patient.creatinine_clearance_ml_min is not None:
        cc = _plain("creatinine_clearance_ml_min", patient.creatinine_clearance_ml_min, "clearance")
        if cc <= 0:
            raise PatientValueError("creatinine_clearance_ml_min: must be more than 0 mL/min")
        if cc > CREATININE_CLEARANCE_MAX_ML_MIN:
            raise PatientValueError(
                f"creatinine_clearance_ml_min: more than {CREATININE_CLEARANCE_MAX_ML_MIN:g} mL/min is not plausible")
        out["creatinine_clearance_ml_min"] = cc

    if patient.ecog is not None:
        e = _number("ecog", patient.ecog)
        if e != int(e) or e < 0 or e > 5:
            raise PatientValueError("ecog: ECOG performance status is a whole number from 0 to 5")
        out["ecog"] = int(e)

    if patient.prior_therapies is not None:
        pts = []
        for i, t in enumerate(patient.prior_therapies):
            if not isinstance(t, PriorTherapy) or not str(t.therapy).strip():
                raise PatientValueError(f"prior_therapies[{i}]: expected a PriorTherapy with a therapy")
            r = t.response
            if r is not None:
                r = str(r).strip().lower().replace(" ", "_")
                if r not in RESPONSES:
                    raise PatientValueError(f"prior_therapies[{i}].response: expected one of {', '.join(RESPONSES)}")
            cycles = None if t.cycles is None else _whole(f"prior_therapies[{i}].cycles", t.cycles)
            best = None if t.best_response is None else _choice(
                f"prior_therapies[{i}].best_response", t.best_response, BEST_RESPONSES)
            pts.append(PriorTherapy(str(t.therapy).strip(), r, cycles, best))
        out["prior_therapies"] = tuple(pts)

    for name in ("phenotypes", "diagnoses"):
        v = getattr(patient, name)
        if v is not None:
            out[name] = tuple(v)

    if patient.risk_group is not None:
        g = str(patient.risk_group).strip().lower().replace("-risk", "").replace(" risk", "")
        g = {"low": "lower", "high": "higher"}.get(g, g)
        if g not in ("lower", "higher"):
            raise PatientValueError("risk_group: expected lower or higher")
        out["risk_group"] = g

    return NormalisedPatient(**out, notes=tuple(notes))


# --------------------------------------------------------------------------------------
# Criterion values
# --------------------------------------------------------------------------------------

# Companion keys for set variables, read by eligibility.evaluate_criterion:
#   "<var>__unknown": members whose membership is unknown (e.g. a therapy with no recorded response)
#   "<var>__tested":  the closed domain that was examined (e.g. the genes on the sequencing panel)
UNKNOWN_MEMBERS_SUFFIX = "__unknown"
TESTED_DOMAIN_SUFFIX = "__tested"


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


# Hypocellular marrow from a cellularity percentage and the age.
# Source: Yue G, Hao S, Fadare O, et al. "Hypocellularity in myelodysplastic syndrome is an
# independent factor which predicts a favorable outcome." Leuk Res 2008;32(4):553-558 - its abstract
# defines hypocellularity by the "currently accepted age-adjusted criteria": cellularity <30 % in
# patients younger than 70 and <20 % in patients older than 70.
# Only "hypocellular" follows from that rule: it does not say where normocellular ends and
# hypercellular begins, so a cellularity above the cut-off leaves the category missing.
# The WHO 2022 definition of MDS, hypoplastic (Khoury et al., Leukemia 2022;36:1703-1719,
# doi:10.1038/s41375-022-01613-1, Table 3 footnote b: "<=25 % bone marrow cellularity, age adjusted")
# gives no age adjustment that a raw percentage could apply, so it is not used here.
HYPOCELLULAR_BELOW_PCT_UNDER_70 = 30.0
HYPOCELLULAR_BELOW_PCT_FROM_70 = 20.0
HYPOCELLULAR_AGE_SPLIT = 70.0


def derive_marrow_cellularity(cellularity_pct: float | None, age_years: float | None) -> str | None:
    """'hypocellular' when the percentage and the age settle it (Yue et al. 2008, above), else None.

    - < 20 %: hypocellular at any age (below both cut-offs; the age may be unknown).
    - 20 % to < 30 %: hypocellular only when the age is known and under 70.
    - otherwise (>= 30 %; 20 % to < 30 % at 70 or older; 20 % to < 30 % with no age): None - the
      source only says "not hypocellular" there and gives no normocellular/hypercellular split.
      (The abstract writes "<70" and ">70" years; at exactly 70 a 20 % to < 30 % marrow is left
      missing, as it is under either reading.)
    """
    if cellularity_pct is None:
        return None
    if cellularity_pct < HYPOCELLULAR_BELOW_PCT_FROM_70:
        return "hypocellular"
    if cellularity_pct < HYPOCELLULAR_BELOW_PCT_UNDER_70 and age_years is not None \
            and age_years < HYPOCELLULAR_AGE_SPLIT:
        return "hypocellular"
    return None


def _derive_esa_status(prior: tuple[PriorTherapy, ...] | None) -> str | None:
    """esa_status from a given prior-therapy list (rules in to_criterion_values)."""
    if prior is None:
        return None
    if any(not t.therapy.startswith("MDSKG:") for t in prior):
        return None  # a therapy named in words (not linked to a concept id) might be an ESA
    esa = [t for t in prior if t.therapy in ESA_IDS]
    if not esa:
        return "naive"
    statuses = {_ESA_STATUS_FROM_RESPONSE.get(t.response) if t.response else None for t in esa}
    if len(statuses) == 1 and None not in statuses:
        return statuses.pop()
    return None  # an ESA with no recorded response, or ESA entries that disagree


def to_criterion_values(
    normalised: NormalisedPatient,
    karyotype_findings: Any = None,
    risk: Any = None,
) -> dict[str, Any]:
    """Map a normalised patient onto the criterion variables of model.yaml.

    karyotype_findings: a karyotype.KaryotypeResult, or an iterable of finding names, or None.
    risk: None, or a mapping / object with optional `ipss`, `ipssr`, `ipssm` results.

    Missing values are absent from the result (never defaulted). Rules:
    - marrow_cellularity: the category the patient gave always wins. Without one, only
      "hypocellular" is derived from marrow_cellularity_pct and age, by the age-adjusted rule
      <30 % under 70 years / <20 % at 70 or older (Yue et al., Leuk Res 2008;32:553-558; see
      `derive_marrow_cellularity`); any other percentage leaves the category missing. The WHO 2022
      "<=25 %, age adjusted" cut-off (Khoury et al., Leukemia 2022) states no age adjustment and is
      not applied to a raw percentage.
    - transfusion_dependent: as given; else derived from transfusion_units_per_8wk
      (>= 1 unit per 8 weeks -> True, 0 -> False; Malcovati et al., JCO 2007: "at least one
      RBC transfusion every 8 weeks over a period of 4 months").
    - mutated_genes: genes with a non-germline mutation; present when mutation data was
      given ([] = tested, none found). With `sequenced_genes`, "mutated_genes__tested" holds
      the panel so that genes off the panel stay unknown.
    - karyotype_findings: only when the karyotype was fully understood (no unparsed items).
    - ipssr_cytogenetic_group: as given, else from the parsed karyotype.
    - ipssm_category: only when the best and worst scenarios agree (missing genes can move it).
    - risk_group: IPSS-M when determined, else IPSS-R (<=3.5 lower / >3.5 higher), else IPSS.
    - failed_therapies: therapies with response no_response / relapse / intolerant; therapies
      with no recorded response go to "failed_therapies__unknown".
    - esa_status (docs/guidance-contract.md): as given. Else, when prior_therapies is given, from
      its ESA entries (ESA_IDS: MDSKG:therapy/esa, MDSKG:drug/epoetin-alfa,
      MDSKG:drug/darbepoetin-alfa): response -> responding, no_response -> refractory,
      relapse -> responded_then_lost, intolerant -> intolerant; no ESA entry in a given list ->
      naive; an ESA entry with no recorded response, ESA entries that disagree, or any entry
      that is not an MDSKG: concept id (a name in words might be an ESA) -> missing.
      esa_status refractory / responded_then_lost / intolerant puts MDSKG:therapy/esa in
      failed_therapies and prior_therapies (contract); responding puts it in prior_therapies
      (an ESA was received). When prior_therapies was not given, an
      esa_status still says what is known about the ESA: the sets then hold what it implies and
      "<set>__tested" = {MDSKG:therapy/esa}, so every other therapy stays unknown.
    - karyotype_abnormality_count: the parsed karyotype's abnormality count, only when every
      item of the karyotype was understood (same rule as karyotype_findings).
    - ipssr_score: the IPSS-R score when it is determined (no missing input can change it).
    - transplant_candidate: as given; else False when wants_transplant is False or
      donor_available is False (a candidate must be willing and have a donor; contract:
      "fit for, willing to have, and with a donor for an allogeneic transplant"); else missing.
      Fitness is never inferred, so True is never derived.
    - peripheral_blasts_pct, marrow_cellularity_pct, rbc_units_total, hct_ci,
      creatinine_clearance_ml_min, anemia_symptoms, bleeding, platelet_transfusions,
      recurrent_infections, donor_available, wants_transplant, auer_rods: as given.
    """
    n = normalised
    v: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value is not None:
            v[key] = value

    put("age", n.age_years)
    put("marrow_blasts_pct", n.marrow_blasts_pct)
    put("peripheral_blasts_pct", n.peripheral_blasts_pct)
    put("marrow_cellularity_pct", n.marrow_cellularity_pct)
    if n.marrow_cellularity is not None:
        v["marrow_cellularity"] = n.marrow_cellularity
    else:
        put("marrow_cellularity", derive_marrow_cellularity(n.marrow_cellularity_pct, n.age_years))
    put("hemoglobin_g_dl", n.hemoglobin_g_dl)
    put("platelets_10e9_l", n.platelets_10e9_l)
    put("anc_10e9_l", n.anc_10e9_l)
    put("serum_epo_mu_ml", n.serum_epo_mu_ml)
    put("serum_ferritin_ng_ml", n.serum_ferritin_ng_ml)
    put("transfusion_units_per_8wk", n.transfusion_units_per_8wk)
    put("rbc_units_total", n.rbc_units_total)
    if n.transfusion_dependent is not None:
        v["transfusion_dependent"] = n.transfusion_dependent
    elif n.transfusion_units_per_8wk is not None:
        v["transfusion_dependent"] = n.transfusion_units_per_8wk >= 1
    put("ring_sideroblasts_pct", n.ring_sideroblasts_pct)

    if n.mutations is not None:
        somatic = [m for m in n.mutations if m.origin != "germline"]
        if somatic or not n.mutations:
            v["mutated_genes"] = {m.gene for m in somatic}
            if n.sequenced_genes is not None:
                v["mutated_genes" + TESTED_DOMAIN_SUFFIX] = set(n.sequenced_genes) | {m.gene for m in somatic}

    # Karyotype
    kres = karyotype_findings
    findings = None
    if kres is not None:
        if hasattr(kres, "findings"):
            if getattr(kres, "complete", True):
                findings = set(kres.findings)
        else:
            findings = set(kres)
    if findings is not None:
        v["karyotype_findings"] = findings
    if kres is not None and hasattr(kres, "findings") and getattr(kres, "complete", True):
        put("karyotype_abnormality_count", _get(kres, "abnormality_count"))
    cyto = n.ipssr_cytogenetic_group or _get(kres, "ipssr_group")
    put("ipssr_cytogenetic_group", cyto)

    # Risk
    ipss, ipssr, ipssm = _get(risk, "ipss"), _get(risk, "ipssr"), _get(risk, "ipssm")
    put("ipss_category", _get(ipss, "category"))
    put("ipssr_category", _get(ipssr, "category"))
    put("ipssr_score", _get(ipssr, "score"))
    if ipssm is not None:
        cb, cw = _get(ipssm, "category_best"), _get(ipssm, "category_worst")
        if cb is not None and cb == cw:
            v["ipssm_category"] = cb
    for res in (ipssm, ipssr, ipss):
        rg = _get(res, "risk_group")
        if rg is not None:
            v["risk_group"] = rg
            break
    else:
        if getattr(n, "risk_group", None) is not None:
            v["risk_group"] = n.risk_group  # as stated: no score could be computed

    put("pnh_clone", n.pnh_clone)
    put("hla_dr15", n.hla_dr15)
    put("stat3_t_cell_clone", n.stat3_t_cell_clone)
    put("anemia_symptoms", n.anemia_symptoms)
    put("bleeding", n.bleeding)
    put("platelet_transfusions", n.platelet_transfusions)
    put("recurrent_infections", n.recurrent_infections)
    put("auer_rods", n.auer_rods)

    esa_status = n.esa_status if n.esa_status is not None else _derive_esa_status(n.prior_therapies)
    put("esa_status", esa_status)
    esa_failed = esa_status in ESA_FAILED_STATUSES
    if n.prior_therapies is not None:
        v["prior_therapies"] = {t.therapy for t in n.prior_therapies}
        v["failed_therapies"] = {t.therapy for t in n.prior_therapies if t.response in FAILED_RESPONSES}
        if esa_failed or esa_status == "responding":
            v["prior_therapies"].add(ESA_CLASS_ID)
        if esa_failed:
            v["failed_therapies"].add(ESA_CLASS_ID)
        unknown = {t.therapy for t in n.prior_therapies if t.response is None} - v["failed_therapies"]
        if unknown:
            v["failed_therapies" + UNKNOWN_MEMBERS_SUFFIX] = unknown
    elif esa_status in ESA_FAILED_STATUSES or esa_status in ("responding", "naive"):
        # Only the ESA is known: the sets say so, every other therapy stays unknown.
        received = esa_status != "naive"
        v["prior_therapies"] = {ESA_CLASS_ID} if received else set()
        v["failed_therapies"] = {ESA_CLASS_ID} if esa_failed else set()
        v["prior_therapies" + TESTED_DOMAIN_SUFFIX] = {ESA_CLASS_ID}
        v["failed_therapies" + TESTED_DOMAIN_SUFFIX] = {ESA_CLASS_ID}

    put("ecog", n.ecog)
    put("hct_ci", n.hct_ci)
    put("creatinine_clearance_ml_min", n.creatinine_clearance_ml_min)
    put("donor_available", n.donor_available)
    put("wants_transplant", n.wants_transplant)
    if n.transplant_candidate is not None:
        v["transplant_candidate"] = n.transplant_candidate
    elif n.wants_transplant is False or n.donor_available is False:
        v["transplant_candidate"] = False
    return v
