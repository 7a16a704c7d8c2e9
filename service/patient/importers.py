"""Import a patient from a GA4GH Phenopacket v2 or a FHIR R4 Bundle.

Both importers return `ImportResult(patient, provenance, unmapped, notes)`:
* patient: a PatientInput (values keep the unit they came with; `record.normalise` converts);
* provenance: PatientInput field -> where in the document the value came from;
* unmapped: the parts of the document that were not used, with the reason - nothing is
  guessed. Values are never logged.

Observation / measurement codes (LOINC):
    718-7   Hemoglobin [Mass/volume] in Blood               -> hemoglobin
    777-3   Platelets [#/volume] in Blood by Automated count -> platelets
    26515-7 Platelets [#/volume] in Blood                   -> platelets
    751-8   Neutrophils [#/volume] in Blood by Automated count -> anc
    26499-4 Neutrophils [#/volume] in Blood                 -> anc
    15061-5 Erythropoietin (EPO) [Units/volume] in Serum or Plasma -> serum_epo
    2276-4, 20567-4  Ferritin in serum / plasma (reported in ng/mL or ug/L by reference labs) -> serum_ferritin
    2164-2  Creatinine renal clearance in 24 hour Urine and Serum or Plasma (mL/min) -> creatinine_clearance_ml_min
    709-6   Blasts/100 leukocytes in Blood by Manual count  -> peripheral_blasts_pct
    26446-5 Blasts/100 leukocytes in Blood                  -> peripheral_blasts_pct
Prior therapies: FHIR MedicationStatement / MedicationAdministration (the medication's code text) and
Procedure (only when its code text names a therapy or drug of the ontology - a biopsy is not a
therapy); Phenopacket medicalActions[].treatment.agent. Neither standard carries whether the
therapy worked, so `response` stays unknown (a Phenopacket responseToTreatment is kept as
`best_response` only when its label is one of the listed responses word for word). FHIR R4 has no
field for a number of cycles, so `cycles` is not filled. The imported list counts as the complete
treatment history (a note says so): remove `priorTherapies` if the record may be incomplete.
Bone-marrow blasts, ring sideroblasts and the karyotype are mapped by their display text
(no LOINC code was verified for them here); provenance says so.
FHIR genomics (HL7 Genomics Reporting IG): a "Genetic variant assessment" (LOINC 69548-6)
Observation with value "Present" (LA9633-4) gives a Mutation; components: gene studied
(48018-6), sample VAF (81258-6, fraction), genomic source class (48002-0: LA6683-2 germline,
LA6684-0 somatic), DNA / amino-acid change (48004-6 / 48005-3) or discrete variant (81252-9).
Phenopacket genomic interpretations about the subject itself (subjectOrBiosampleId equal to
subject.id) are constitutional (germline) findings; those about a biosample keep origin unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .record import (
    CLEARANCE_UNITS,
    COUNT_UNITS,
    EPO_UNITS,
    FERRITIN_UNITS,
    HEMOGLOBIN_UNITS,
    PERCENT_UNITS,
    CodedConcept,
    Mutation,
    PatientInput,
    PriorTherapy,
    Quantity,
    _unit_key,
)

__all__ = ["ImportResult", "import_phenopacket", "import_fhir_bundle", "LOINC_FIELDS", "LOINC_PERCENT_FIELDS",
           "iso8601_duration_years"]


@dataclass(frozen=True)
class ImportResult:
    patient: PatientInput
    provenance: dict[str, str]
    unmapped: list[str]
    notes: list[str] = field(default_factory=list)


# LOINC code -> (PatientInput field, unit table used to check the unit)
LOINC_FIELDS: dict[str, tuple[str, dict[str, float]]] = {
    "718-7": ("hemoglobin", HEMOGLOBIN_UNITS),
    "777-3": ("platelets", COUNT_UNITS),
    "26515-7": ("platelets", COUNT_UNITS),
    "751-8": ("anc", COUNT_UNITS),
    "26499-4": ("anc", COUNT_UNITS),
    "15061-5": ("serum_epo", EPO_UNITS),
    "2276-4": ("serum_ferritin", FERRITIN_UNITS),
    "20567-4": ("serum_ferritin", FERRITIN_UNITS),
    "2164-2": ("creatinine_clearance_ml_min", CLEARANCE_UNITS),
}
# LOINC code -> PatientInput percentage field (value in %).
LOINC_PERCENT_FIELDS: dict[str, str] = {
    "709-6": "peripheral_blasts_pct",
    "26446-5": "peripheral_blasts_pct",
}
# Phenopacket responseToTreatment labels (compared lower-case, word for word) -> best_response.
_BEST_RESPONSE_LABELS = {
    "complete response": "complete_response", "complete remission": "complete_response",
    "partial response": "partial_response", "partial remission": "partial_response",
    "marrow complete response": "marrow_complete_response", "marrow complete remission": "marrow_complete_response",
    "hematologic improvement": "hematologic_improvement", "haematological improvement": "hematologic_improvement",
    "hematological improvement": "hematologic_improvement", "haematologic improvement": "hematologic_improvement",
    "stable disease": "stable_disease", "no response": "no_response",
    "progressive disease": "progression", "disease progression": "progression", "progression": "progression",
}
PRIOR_THERAPY_NOTE = ("prior therapies: the record's treatments are taken as the complete treatment history; "
                      "whether each worked is not in the record (response unknown)")
LOINC_VARIANT = "69548-6"
LOINC_GENE_STUDIED = "48018-6"
LOINC_VAF = "81258-6"
LOINC_SOURCE_CLASS = "48002-0"
LOINC_DNA_CHANGE = "48004-6"
LOINC_AA_CHANGE = "48005-3"
LOINC_DISCRETE_VARIANT = "81252-9"
LA_PRESENT = "LA9633-4"
LA_GERMLINE = "LA6683-2"
LA_SOMATIC = "LA6684-0"

_SEX = {"male": "male", "female": "female", "other": "other", "other_sex": "other"}


def iso8601_duration_years(text: str) -> float | None:
    """'P38Y' -> 38.0, 'P7Y7M' -> 7.583, 'P7M' -> 0.583, 'P3W' / 'P10D' -> fraction of a year."""
    m = re.fullmatch(r"P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T.*)?",
                     str(text).strip())
    if not m or not any(m.groups()):
        return None
    y, mo, w, d = (float(g) if g else 0.0 for g in m.groups())
    return round(y + mo / 12.0 + (w * 7 + d) / 365.25, 4)


def _text_field(kind: str, text: str) -> str | None:
    t = text.lower()
    if "blast" in t and ("marrow" in t or re.search(r"\bbm\b", t)):
        return "marrow_blasts_pct"
    if "sideroblast" in t:
        return "ring_sideroblasts_pct"
    if "karyotype" in t:
        return "karyotype"
    return None


def _unit_ok(unit: str | None, table: Mapping[str, float]) -> bool:
    return unit is not None and _unit_key(unit) in table


class _Builder:
    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.prov: dict[str, str] = {}
        self.unmapped: list[str] = []
        self.notes: list[str] = []
        self.when: dict[str, str] = {}  # field -> effective date used to pick the latest

    def put(self, name: str, value: Any, prov: str, when: str | None = None) -> None:
        if name in self.fields:
            old = self.when.get(name)
            if when and old and when > old:
                self.notes.append(f"{name}: several values; the latest ({when[:10]}) is used")
            elif when and old:
                self.notes.append(f"{name}: several values; the latest ({old[:10]}) is used")
                return
            else:
                self.notes.append(f"{name}: several values without dates; the first is used")
                return
        self.fields[name] = value
        self.prov[name] = prov
        if when:
            self.when[name] = when

    def add_to(self, name: str, item: Any, prov: str) -> None:
        self.fields.setdefault(name, []).append(item)
        if name not in self.prov:
            self.prov[name] = prov

    def result(self) -> ImportResult:
        f = dict(self.fields)
        for k in ("mutations", "phenotypes", "diagnoses", "prior_therapies"):
            if k in f:
                f[k] = tuple(f[k])
        return ImportResult(PatientInput(**f), self.prov, self.unmapped, self.notes)


def _quantity_field(b: _Builder, name: str, table: Mapping[str, float], value: Any, unit: str | None,
                    prov: str, label: str, when: str | None = None) -> None:
    if value is None:
        b.unmapped.append(f"{label}: no value")
        return
    if not _unit_ok(unit, table):
        b.unmapped.append(f"{label}: unit {unit!r} not recognised for {name}")
        return
    try:
        v = float(value)
    except (TypeError, ValueError):
        b.unmapped.append(f"{label}: value is not a number")
        return
    b.put(name, Quantity(v, str(unit)), prov, when)


def _percent_field(b: _Builder, name: str, value: Any, unit: str | None, prov: str, label: str,
                   when: str | None = None) -> None:
    if value is None:
        b.unmapped.append(f"{label}: no value")
        return
    if unit is not None and _unit_key(unit) not in PERCENT_UNITS:
        b.unmapped.append(f"{label}: unit {unit!r} is not a percentage")
        return
    try:
        b.put(name, float(value), prov, when)
    except (TypeError, ValueError):
        b.unmapped.append(f"{label}: value is not a number")


# --------------------------------------------------------------------------------------
# Phenopacket v2
# --------------------------------------------------------------------------------------


def _loinc_from_curie(curie: str | None) -> str | None:
    if not curie:
        return None
    m = re.fullmatch(r"(?:LOINC|loinc|LNC):(\d+-\d)", curie.strip())
    return m.group(1) if m else None


def import_phenopacket(obj: Mapping[str, Any]) -> ImportResult:
    """Map a GA4GH Phenopacket v2 (parsed JSON) to a PatientInput."""
    b = _Builder()
    handled = {"id", "subject", "phenotypicFeatures", "measurements", "diseases", "interpretations",
               "medicalActions", "metaData", "biosamples"}
    for k in obj:
        if k not in handled:
            b.unmapped.append(f"{k}: not used")

    subject = obj.get("subject") or {}
    subject_id = subject.get("id")
    tle = subject.get("timeAtLastEncounter") or {}
    if "age" in tle and isinstance(tle["age"], Mapping) and tle["age"].get("iso8601duration"):
        yrs = iso8601_duration_years(tle["age"]["iso8601duration"])
        if yrs is None:
            b.unmapped.append("subject.timeAtLastEncounter.age: unreadable ISO 8601 duration")
        else:
            b.put("age", yrs, "subject.timeAtLastEncounter.age.iso8601duration")
    elif tle:
        b.unmapped.append(f"subject.timeAtLastEncounter: {', '.join(tle)} not used (no exact age)")
    sex = str(subject.get("sex") or "").lower()
    if sex in _SEX:
        b.put("sex", _SEX[sex], "subject.sex")
    elif sex and sex != "unknown_sex":
        b.unmapped.append("subject.sex: value not recognised")
    for k in subject:
        if k not in ("id", "timeAtLastEncounter", "sex", "vitalStatus", "alternateIds"):
            b.unmapped.append(f"subject.{k}: not used")

    for pf in obj.get("phenotypicFeatures") or []:
        t = pf.get("type") or {}
        b.add_to("phenotypes", CodedConcept(t.get("id"), t.get("label"), bool(pf.get("excluded", False))),
                 "phenotypicFeatures (excluded: true = explicitly absent)")

    for i, ms in enumerate(obj.get("measurements") or []):
        assay = ms.get("assay") or {}
        label = f"measurements[{i}] {assay.get('id')} {assay.get('label') or ''}".strip()
        loinc = _loinc_from_curie(assay.get("id"))
        q = ((ms.get("value") or {}).get("quantity")) or ms.get("quantity") or {}
        unit_obj = q.get("unit") or {}
        unit = unit_obj.get("label") or unit_obj.get("id") if isinstance(unit_obj, Mapping) else unit_obj
        if isinstance(unit, str) and unit.upper().startswith("UCUM:"):
            unit = unit[5:]
        when = _pp_time(ms.get("timeObserved"))
        if loinc in LOINC_FIELDS:
            name, table = LOINC_FIELDS[loinc]
            _quantity_field(b, name, table, q.get("value"), unit, f"measurements[{i}] LOINC:{loinc}", label, when)
            continue
        if loinc in LOINC_PERCENT_FIELDS:
            _percent_field(b, LOINC_PERCENT_FIELDS[loinc], q.get("value"), unit, f"measurements[{i}] LOINC:{loinc}",
                           label, when)
            continue
        tf = _text_field("measurement", str(assay.get("label") or ""))
        if tf in ("marrow_blasts_pct", "ring_sideroblasts_pct"):
            _percent_field(b, tf, q.get("value"), unit,
                           f"measurements[{i}] (mapped by display text {assay.get('label')!r})", label, when)
            continue
        b.unmapped.append(f"{label}: assay not mapped")

    for d in obj.get("diseases") or []:
        t = d.get("term") or {}
        b.add_to("diagnoses", CodedConcept(t.get("id"), t.get("label"), bool(d.get("excluded", False))),
                 "diseases (excluded: true = explicitly absent)")

    mut_count = 0
    for i, interp in enumerate(obj.get("interpretations") or []):
        diag = interp.get("diagnosis") or {}
        dis = diag.get("disease") or {}
        if dis.get("id") and not any(
            c.id == dis.get("id") for c in b.fields.get("diagnoses", [])
        ):
            b.add_to("diagnoses", CodedConcept(dis.get("id"), dis.get("label")),
                     f"interpretations[{i}].diagnosis.disease")
        for j, gi in enumerate(diag.get("genomicInterpretations") or []):
            where = f"interpretations[{i}].diagnosis.genomicInterpretations[{j}]"
            status = str(gi.get("interpretationStatus") or "").upper()
            if status == "REJECTED":
                b.unmapped.append(f"{where}: REJECTED interpretation not used")
                continue
            vi = gi.get("variantInterpretation")
            if not vi:
                gene = (gi.get("gene") or {}).get("symbol")
                b.unmapped.append(f"{where}: gene-level interpretation ({gene}) without a variant not used")
                continue
            vd = vi.get("variationDescriptor") or {}
            gene = (vd.get("geneContext") or {}).get("symbol")
            if not gene:
                b.unmapped.append(f"{where}: variant without a gene symbol")
                continue
            hgvs = None
            for ex in vd.get("expressions") or []:
                if ex.get("syntax") in ("hgvs.c", "hgvs.p", "hgvs"):
                    hgvs = ex.get("value")
                    if ex.get("syntax") == "hgvs.c":
                        break
            origin = "germline" if (subject_id is not None and gi.get("subjectOrBiosampleId") == subject_id) else None
            b.add_to("mutations", Mutation(gene, hgvs=hgvs, origin=origin),
                     "interpretations[].diagnosis.genomicInterpretations[].variantInterpretation"
                     ".variationDescriptor.geneContext.symbol")
            mut_count += 1
    if mut_count and any(m.origin == "germline" for m in b.fields.get("mutations", [])):
        b.notes.append("variants reported for the subject (not a biosample) are taken as germline")

    for i, ma in enumerate(obj.get("medicalActions") or []):
        tr = ma.get("treatment") or {}
        agent = tr.get("agent") or {}
        if agent.get("id") or agent.get("label"):
            rtt = ma.get("responseToTreatment")
            best = None
            if isinstance(rtt, Mapping):
                best = _BEST_RESPONSE_LABELS.get(" ".join(str(rtt.get("label") or "").lower().split()))
            b.add_to("prior_therapies", PriorTherapy(agent.get("id") or agent.get("label"), best_response=best),
                     "medicalActions[].treatment.agent")
            if best is not None:
                b.prov.setdefault("prior_therapies.best_response",
                                  "medicalActions[].responseToTreatment (mapped by its label)")
                b.notes.append(f"medicalActions[{i}].responseToTreatment: kept as the best response only "
                               "(whether the therapy failed is not derived from it)")
            elif rtt:
                b.unmapped.append(f"medicalActions[{i}].responseToTreatment: not mapped to a response")
        else:
            b.unmapped.append(f"medicalActions[{i}]: not a treatment with an agent")
    if obj.get("biosamples"):
        b.unmapped.append("biosamples: not used")
    if b.fields.get("prior_therapies"):
        b.notes.append(PRIOR_THERAPY_NOTE)
    return b.result()


def _pp_time(t: Any) -> str | None:
    if isinstance(t, Mapping) and isinstance(t.get("timestamp"), str):
        return t["timestamp"]
    return None


# --------------------------------------------------------------------------------------
# FHIR R4 Bundle
# --------------------------------------------------------------------------------------


def _codings(cc: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return list((cc or {}).get("coding") or [])


def _loinc(cc: Mapping[str, Any] | None) -> str | None:
    for c in _codings(cc):
        if str(c.get("system", "")).rstrip("/") in ("http://loinc.org", "https://loinc.org"):
            return c.get("code")
    return None


def _display(cc: Mapping[str, Any] | None) -> str:
    if not cc:
        return ""
    if cc.get("text"):
        return str(cc["text"])
    for c in _codings(cc):
        if c.get("display"):
            return str(c["display"])
    return ""


def _age_at(birth: str, as_of: date) -> float | None:
    try:
        if len(birth) == 4:
            return None  # year only: the age is not exact
        if len(birth) == 7:
            return None  # year-month only
        bd = date.fromisoformat(birth[:10])
    except ValueError:
        return None
    years = as_of.year - bd.year - ((as_of.month, as_of.day) < (bd.month, bd.day))
    return float(years)


def _effective(res: Mapping[str, Any]) -> str | None:
    for k in ("effectiveDateTime", "issued"):
        if isinstance(res.get(k), str):
            return res[k]
    per = res.get("effectivePeriod")
    if isinstance(per, Mapping) and isinstance(per.get("start"), str):
        return per["start"]
    return None


def import_fhir_bundle(obj: Mapping[str, Any], as_of: date | None = None) -> ImportResult:
    """Map a FHIR R4 Bundle (parsed JSON) to a PatientInput.

    as_of: the date at which the age is computed from Patient.birthDate (default: today).
    """
    b = _Builder()
    if obj.get("resourceType") != "Bundle":
        b.unmapped.append("not a FHIR Bundle")
        return b.result()
    ref_date = as_of or date.today()
    for ei, entry in enumerate(obj.get("entry") or []):
        res = entry.get("resource") or {}
        rt = res.get("resourceType")
        where = f"entry[{ei}] {rt}"
        if rt == "Patient":
            g = str(res.get("gender") or "").lower()
            if g in _SEX:
                b.put("sex", _SEX[g], f"{where}.gender")
            elif g and g != "unknown":
                b.unmapped.append(f"{where}.gender: not recognised")
            if res.get("birthDate"):
                age = _age_at(str(res["birthDate"]), ref_date)
                if age is None:
                    b.unmapped.append(f"{where}.birthDate: not a full date; age not computed")
                else:
                    b.put("age", age, f"{where}.birthDate (age in whole years as of {ref_date.isoformat()})")
        elif rt == "Observation":
            _fhir_observation(b, res, where)
        elif rt == "Condition":
            code = res.get("code") or {}
            cod = _codings(code)
            cid = f"{cod[0].get('system', '')}|{cod[0].get('code', '')}" if cod else None
            ver = _codings(res.get("verificationStatus"))
            refuted = any(c.get("code") == "refuted" for c in ver)
            if res.get("verificationStatus") and any(c.get("code") == "entered-in-error" for c in ver):
                b.unmapped.append(f"{where}: entered-in-error")
                continue
            b.add_to("diagnoses", CodedConcept(cid, _display(code) or None, refuted),
                     "Condition.code (verificationStatus refuted = explicitly absent)")
        elif rt in ("MedicationStatement", "MedicationAdministration", "Procedure"):
            _fhir_therapy(b, res, where, obj)
        else:
            b.unmapped.append(f"{where}: resource type not used")
    if b.fields.get("prior_therapies"):
        b.notes.append(PRIOR_THERAPY_NOTE)
    return b.result()


# Statuses that say the therapy was not (or not yet) given, or the entry is void.
_NOT_GIVEN = {
    "MedicationStatement": {"entered-in-error", "intended", "not-taken"},
    "MedicationAdministration": {"entered-in-error", "not-done"},
    "Procedure": {"entered-in-error", "not-done", "preparation"},
}


def _fhir_medication_text(res: Mapping[str, Any], bundle: Mapping[str, Any]) -> str:
    """The medication's name: medicationCodeableConcept, or the Medication it references
    (a contained one, '#id', or a Bundle entry, by fullUrl or 'Medication/id')."""
    if res.get("medicationCodeableConcept"):
        return _display(res["medicationCodeableConcept"])
    ref = res.get("medicationReference") or {}
    target = str(ref.get("reference") or "")
    if target.startswith("#"):
        for med in res.get("contained") or []:
            if med.get("resourceType") == "Medication" and f"#{med.get('id')}" == target:
                return _display(med.get("code")) or str(ref.get("display") or "")
    elif target:
        for entry in bundle.get("entry") or []:
            med = entry.get("resource") or {}
            if med.get("resourceType") == "Medication" and target in (entry.get("fullUrl"),
                                                                       f"Medication/{med.get('id')}"):
                return _display(med.get("code")) or str(ref.get("display") or "")
    return str(ref.get("display") or "")


def _is_therapy_name(text: str) -> bool:
    """Does the text name a Therapy or Drug concept of the ontology (entity linking)?"""
    from service.understand import link_entities

    return any(e.label in {"Therapy", "Drug"} for e in link_entities(text))


def _fhir_therapy(b: _Builder, res: Mapping[str, Any], where: str, bundle: Mapping[str, Any]) -> None:
    rt = str(res.get("resourceType"))
    status = str(res.get("status") or "")
    if status in _NOT_GIVEN.get(rt, set()):
        b.unmapped.append(f"{where}: status {status} (not given)")
        return
    if rt == "Procedure":
        name = _display(res.get("code"))
        if not name:
            b.unmapped.append(f"{where}: no procedure code")
            return
        if not _is_therapy_name(name):
            b.unmapped.append(f"{where}: procedure not recognised as a therapy")
            return
        prov = "Procedure.code (recognised as a therapy by name)"
    else:
        name = _fhir_medication_text(res, bundle)
        if not name:
            b.unmapped.append(f"{where}: no medication code or name")
            return
        prov = f"{rt}.medication[x]"
    b.add_to("prior_therapies", PriorTherapy(name), "FHIR " + prov)


def _fhir_observation(b: _Builder, res: Mapping[str, Any], where: str) -> None:
    status = str(res.get("status") or "")
    if status in ("entered-in-error", "cancelled"):
        b.unmapped.append(f"{where}: status {status}")
        return
    code = res.get("code") or {}
    loinc = _loinc(code)
    disp = _display(code)
    when = _effective(res)
    label = f"{where} {('LOINC ' + loinc) if loinc else ''} {disp}".strip()
    vq = res.get("valueQuantity") or {}
    unit = vq.get("code") or vq.get("unit")

    if loinc in LOINC_FIELDS:
        name, table = LOINC_FIELDS[loinc]
        _quantity_field(b, name, table, vq.get("value"), unit, f"{where}.valueQuantity (LOINC {loinc})", label, when)
        return
    if loinc in LOINC_PERCENT_FIELDS:
        _percent_field(b, LOINC_PERCENT_FIELDS[loinc], vq.get("value"), unit,
                       f"{where}.valueQuantity (LOINC {loinc})", label, when)
        return
    if loinc == LOINC_VARIANT:
        _fhir_variant(b, res, where, label)
        return
    tf = _text_field("observation", disp)
    if tf in ("marrow_blasts_pct", "ring_sideroblasts_pct"):
        _percent_field(b, tf, vq.get("value"), unit,
                       f"{where}.valueQuantity (mapped by display text {disp!r}; no LOINC code used)", label, when)
        return
    if tf == "karyotype" and isinstance(res.get("valueString"), str):
        b.put("karyotype", res["valueString"],
              f"{where}.valueString (mapped by display text {disp!r}; no LOINC code used)", when)
        return
    b.unmapped.append(f"{label}: not mapped")


def _component(res: Mapping[str, Any], loinc: str) -> Mapping[str, Any] | None:
    for c in res.get("component") or []:
        if _loinc(c.get("code")) == loinc:
            return c
    return None


def _fhir_variant(b: _Builder, res: Mapping[str, Any], where: str, label: str) -> None:
    vcc = res.get("valueCodeableConcept")
    present = any(c.get("code") == LA_PRESENT for c in _codings(vcc)) or _display(vcc).lower() == "present"
    if not present:
        b.unmapped.append(f"{label}: variant not reported as present")
        return
    gene_c = _component(res, LOINC_GENE_STUDIED)
    gene = None
    if gene_c:
        cods = _codings(gene_c.get("valueCodeableConcept"))
        gene = next((c.get("display") for c in cods if c.get("display")), None) or _display(
            gene_c.get("valueCodeableConcept")) or None
    if not gene:
        b.unmapped.append(f"{label}: no gene studied (LOINC {LOINC_GENE_STUDIED})")
        return
    vaf = None
    vaf_c = _component(res, LOINC_VAF)
    if vaf_c and isinstance(vaf_c.get("valueQuantity"), Mapping):
        q = vaf_c["valueQuantity"]
        u = str(q.get("code") or q.get("unit") or "1")
        try:
            vaf = Quantity(float(q.get("value")), "%" if u.strip() == "%" else "fraction")
        except (TypeError, ValueError):
            b.unmapped.append(f"{label}: VAF is not a number")
    origin = None
    src = _component(res, LOINC_SOURCE_CLASS)
    if src:
        codes = {c.get("code") for c in _codings(src.get("valueCodeableConcept"))}
        txt = _display(src.get("valueCodeableConcept")).lower()
        if LA_GERMLINE in codes or txt == "germline":
            origin = "germline"
        elif LA_SOMATIC in codes or txt == "somatic":
            origin = "somatic"
    hgvs = None
    for lc in (LOINC_DNA_CHANGE, LOINC_AA_CHANGE, LOINC_DISCRETE_VARIANT):
        c = _component(res, lc)
        if c:
            cods = _codings(c.get("valueCodeableConcept"))
            hgvs = next((x.get("code") or x.get("display") for x in cods if x.get("code") or x.get("display")), None)
            if hgvs:
                break
    kind = None
    if hgvs and str(gene).upper() == "FLT3" and "ITD" in hgvs.upper():
        kind = "ITD"
    b.add_to("mutations", Mutation(str(gene), vaf, hgvs=hgvs, kind=kind, origin=origin),
             "Observation LOINC 69548-6 (component 48018-6 gene studied)")
