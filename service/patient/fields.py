"""One vocabulary for patient values in the API: every value that is missing, was used or is wrong is
named by the PatientInput field a form holds it in (camelCase, as the GraphQL input spells it), with a
label to show. The scores and the guideline logic name their inputs in their own ways (criterion
variables such as `serum_epo_mu_ml`, IPSS-R inputs such as `hemoglobin_g_dl`, IPSS-M inputs such as
`HB` or a gene symbol); `field_of()` turns any of those into the PatientInput field.
"""

from __future__ import annotations

from dataclasses import dataclass

from .api_fields import api_fields
from .plan import INPUT_FIELD
from .record import PatientInput

# Display labels of the PatientInput fields (short, for a form or a list of what is missing).
LABELS: dict[str, str] = {
    "age": "Age", "sex": "Sex", "marrowBlastsPct": "Marrow blasts (%)",
    "marrowCellularityPct": "Marrow cellularity (%)",
    "marrowCellularity": "Marrow cellularity", "karyotype": "Karyotype",
    "ipssrCytogeneticGroup": "IPSS-R cytogenetic group", "mutations": "Mutations", "sequencedGenes": "Genes sequenced",
    "hemoglobin": "Hemoglobin", "platelets": "Platelets", "anc": "Neutrophils (ANC)", "serumEpo": "Serum EPO",
    "serumFerritin": "Serum ferritin", "transfusionUnitsPer8wk": "Red-cell units per 8 weeks",
    "transfusionDependent": "Needs regular transfusions", "ringSideroblastsPct": "Ring sideroblasts (%)",
    "pnhClone": "PNH clone", "hlaDr15": "HLA-DR15", "stat3TCellClone": "STAT3-mutant T-cell clone",
    "priorTherapies": "Treatments so far", "transplantCandidate": "Transplant candidate", "riskGroup": "Risk group",
    "ecog": "Performance status (ECOG)", "esaStatus": "ESA so far", "anemiaSymptoms": "Symptoms of anaemia",
    "bleeding": "Bleeding", "plateletTransfusions": "Needs platelet transfusions",
    "recurrentInfections": "Infections again and again", "rbcUnitsTotal": "Red-cell units in all",
    "peripheralBlastsPct": "Blood blasts (%)", "auerRods": "Auer rods in the blasts",
    "hctCi": "Other illnesses score (HCT-CI)",
    "donorAvailable": "Transplant donor available", "wantsTransplant": "Wants a transplant",
    "creatinineClearanceMlMin": "Creatinine clearance",
}

# Names the risk scores use for their inputs (IPSS / IPSS-R in snake case, IPSS-M in the reference
# implementation's names) -> the PatientInput field.
SCORE_INPUTS: dict[str, str] = {
    "cytogenetics": "karyotype", "marrow_blasts_pct": "marrowBlastsPct", "hemoglobin_g_dl": "hemoglobin",
    "platelets_10e9_l": "platelets", "anc_10e9_l": "anc", "age": "age",
    "HB": "hemoglobin", "BM_BLAST": "marrowBlastsPct", "PLT": "platelets", "ANC": "anc", "AGE": "age",
    "CYTO_IPSSR": "karyotype", "del5q": "karyotype", "del7_7q": "karyotype", "complex": "karyotype",
    "del17_17p": "karyotype", "TP53mut": "mutations", "TP53maxvaf": "mutations", "TP53loh": "mutations",
    "MLL_PTD": "mutations", "FLT3": "mutations",
}


def camel(name: str) -> str:
    """snake_case -> camelCase (graphene's spelling of a field name)."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


INPUT_FIELDS: tuple[str, ...] = tuple(camel(f.name) for f in api_fields(PatientInput))


@dataclass(frozen=True)
class PatientFieldRef:
    """A PatientInput field (camelCase), its label, and what in it (a gene, a score input) when that matters."""

    field: str
    label: str
    detail: str | None = None


def field_of(name: str) -> tuple[str, str | None]:
    """(PatientInput field, detail) for a criterion variable, a score input, a gene or a field name."""
    if name in INPUT_FIELDS:
        return name, None
    if name in INPUT_FIELD:
        return INPUT_FIELD[name], None
    if name in SCORE_INPUTS:
        field = SCORE_INPUTS[name]
        inside = field in ("mutations", "karyotype") and name not in ("cytogenetics", "CYTO_IPSSR")
        return field, (name if inside else None)
    if camel(name) in INPUT_FIELDS:
        return camel(name), None
    if name.isupper() or any(ch.isdigit() for ch in name):
        return "mutations", name  # an IPSS-M gene (SF3B1, TP53multi, ...)
    return name, None


def label_of(field: str) -> str:
    return LABELS.get(field, field)


def field_refs(names, *, keep_details: bool = True) -> list[PatientFieldRef]:
    """The PatientInput fields behind `names` (criterion variables, score inputs, field names), in order,
    once each (with keep_details: once per field and detail)."""
    out: list[PatientFieldRef] = []
    seen: set[tuple[str, str | None]] = set()
    for name in names:
        field, detail = field_of(str(name))
        key = (field, detail if keep_details else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(PatientFieldRef(field, label_of(field), detail if keep_details else None))
    return out


# ---- what a form needs to know about each field ---------------------------------------------------------
# The unit table (record.py) each QuantityInput field's unit is read with.
QUANTITY_KINDS = {"hemoglobin": "hemoglobin", "platelets": "count", "anc": "count", "serumEpo": "epo",
                  "serumFerritin": "ferritin"}


@dataclass(frozen=True)
class FieldInfo:
    field: str
    label: str
    kind: str  # NUMBER | WHOLE_NUMBER | QUANTITY | FLAG | TEXT | CHOICE | LIST
    description: str | None
    units: tuple[str, ...]
    values: tuple[str, ...]
    loinc_codes: tuple[str, ...]


def field_infos(choices: dict[str, tuple[str, ...]]) -> list[FieldInfo]:
    """Every PatientInput field with its label, kind, accepted units (QuantityInput fields), allowed values
    (`choices`: field -> ids) and the LOINC codes importPatient reads into it."""
    from .importers import LOINC_FIELDS, LOINC_PERCENT_FIELDS
    from .record import _KIND_TABLES, Quantity

    loinc: dict[str, list[str]] = {}
    for code, (name, _table) in LOINC_FIELDS.items():
        loinc.setdefault(camel(name), []).append(code)
    for code, name in LOINC_PERCENT_FIELDS.items():
        loinc.setdefault(camel(name), []).append(code)
    out = []
    for f in api_fields(PatientInput):
        name = camel(f.name)
        if name in choices:
            kind = "CHOICE"
        elif f.many:
            kind = "LIST"
        elif f.base is Quantity:
            kind = "QUANTITY"
        else:
            kind = {bool: "FLAG", int: "WHOLE_NUMBER", float: "NUMBER", str: "TEXT"}.get(f.base, "TEXT")
        units = tuple(sorted(_KIND_TABLES[QUANTITY_KINDS[name]])) if name in QUANTITY_KINDS else ()
        out.append(FieldInfo(name, label_of(name), kind, f.description, units, tuple(choices.get(name, ())),
                             tuple(loinc.get(name, ()))))
    return out
