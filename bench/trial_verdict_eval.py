"""Trial-matching verdicts from extracted criteria, against verdicts from the hand-labelled criteria (issue 15).

Precision and recall of criteria say how many conditions were read; they do not say whether a patient is told
the right thing. Two mistakes matter most and are not visible in those scores: alternatives read as separate
requirements ("high risk is blasts >= 5% OR therapy-related OR -7", read as three musts, hides the trial from
almost everyone) and a missed exclusion (the trial is shown as a possible match to someone it rules out).

For every labelled trial and every fictional patient of a seeded generator, this compares
- the ideal verdict: the gold criteria evaluated with three-valued logic (any_of / all_of as labelled, a
  `contains` list meaning "at least one", criteria for donors or another disease's cohort set aside, and
  criteria for one part of the trial (`arm`) judged per part: fitting one part is enough),
  each leaf through the same `evaluate_criterion` the service uses; and
- the served verdict: the rule extractor's criteria for the record, as the ETL stores them, through
  `service.patient.trials.match_trial`.

Outcomes per pair: agree; OFFERED (served POSSIBLE, ideal NOT_ELIGIBLE: the severe one); HIDDEN (served
NOT_ELIGIBLE, ideal POSSIBLE or UNKNOWN); OVERCONFIDENT (served POSSIBLE, ideal UNKNOWN); CAUTIOUS (served
UNKNOWN, ideal decided). Needs `../shared/data/real/`; prints a note and measures nothing without it.

    .venv/bin/python -m bench.trial_verdict_eval [--patients N] [--seed S] [--detail NCT...]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bench.extraction_eval import GOLD_DIR, LABEL_SETS, TRIALS_DIR, load_gold
from service.patient.eligibility import MET, NOT_MET, UNKNOWN, evaluate_criterion
from service.patient.trials import match_trial

_SET_ASIDE_SCOPES = {"aml", "cmml", "donor", "donors", "other"}
_LEVEL = {"POSSIBLE": 0, "UNKNOWN": 1, "NOT_ELIGIBLE": 2}


# ---------------------------------------------------------------- the ideal verdict from the gold labels

def _kleene_all(statuses: Sequence[str]) -> str:
    if NOT_MET in statuses:
        return NOT_MET
    return UNKNOWN if UNKNOWN in statuses else MET


def _kleene_any(statuses: Sequence[str]) -> str:
    if MET in statuses:
        return MET
    return UNKNOWN if UNKNOWN in statuses else NOT_MET


def _applies(item: Mapping[str, Any], inherited_scope: str | None) -> bool:
    scope = str(item.get("scope") or inherited_scope or "all").lower()
    return scope not in _SET_ASIDE_SCOPES


def gold_status(item: Mapping[str, Any], patient: Mapping[str, Any], inherited_scope: str | None = None) -> str | None:
    """MET / NOT_MET / UNKNOWN of one labelled criterion or group for the patient; None when it is set aside
    (another population, donors or one arm)."""
    if not _applies(item, inherited_scope):
        return None
    scope = item.get("scope") or inherited_scope
    for key, combine in (("any_of", _kleene_any), ("all_of", _kleene_all)):
        if key in item:
            members = [gold_status(m, patient, scope) for m in item[key]]
            kept = [m for m in members if m is not None]
            return combine(kept) if kept else None
    operator, value = item["operator"], item["value"]
    if operator == "contains" and isinstance(value, list):
        operator = "in"  # the labels' shorthand: the set holds at least one of these
    status = evaluate_criterion({"variable": item["variable"], "operator": operator, "value": value,
                                 "unit": item.get("unit"), "role": "required"}, patient).status
    if item.get("role") == "exclusion":  # labels are written as conditions that must hold; a few say exclusion
        status = {MET: NOT_MET, NOT_MET: MET}.get(status, status)
    return status


def ideal_verdict(criteria: Sequence[Mapping[str, Any]], patient: Mapping[str, Any]) -> str:
    """Criteria labelled for one part of the trial (`arm`) are judged per part: fitting one part is enough."""
    common = [s for s in (gold_status(c, patient) for c in criteria if not c.get("arm")) if s is not None]
    arms: dict[str, list[str]] = {}
    for c in criteria:
        if c.get("arm"):
            status = gold_status(c, patient)
            arms.setdefault(str(c["arm"]), [])
            if status is not None:
                arms[str(c["arm"])].append(status)
    overall = _kleene_all(common + ([_kleene_any([_kleene_all(a) for a in arms.values()])] if arms else []))
    return {MET: "POSSIBLE", NOT_MET: "NOT_ELIGIBLE", UNKNOWN: "UNKNOWN"}[overall]


# ---------------------------------------------------------------- the served verdict from the extractor

def served_rows(document, extractor) -> dict[str, Any]:
    """The record's criteria as the ETL stores them (Criterion node + HAS_CRITERION edge), in the shape the
    trial query returns to `match_trial`."""
    from etl.rows import criterion_id

    extraction = extractor.extract(document)
    criteria = [{"id": criterion_id(c), "variable": c.variable, "operator": c.operator,
                 "value_json": json.dumps(c.value, default=str), "unit": c.unit, "role": c.role, "text": c.text,
                 "scope": c.scope, "group": c.group} for c in extraction.criteria]
    return {"id": document.id, "nct_id": document.id.split(":", 1)[-1], "criteria": criteria}


# ---------------------------------------------------------------- fictional patients

_DRUGS = ["MDSKG:drug/azacitidine", "MDSKG:drug/decitabine", "MDSKG:drug/lenalidomide", "MDSKG:drug/luspatercept",
          "MDSKG:therapy/esa", "MDSKG:therapy/allo-hsct", "MDSKG:drug/cytarabine", "MDSKG:drug/venetoclax"]
_KARYOTYPE = ["del5q", "del7q", "minus7", "plus8", "del20q", "complex", "del17p", "inv3"]
_GENES = ["TP53", "SF3B1", "ASXL1", "RUNX1", "TET2", "DNMT3A", "IDH1", "IDH2", "FLT3", "NPM1"]


def fictional_patient(rng: random.Random) -> dict[str, Any]:
    """One adult (mostly) with MDS, values spread around the thresholds trials use; about a fifth of the fields
    unknown, as in a real profile."""
    p: dict[str, Any] = {}
    higher = rng.random() < 0.5
    p["age"] = rng.choice([rng.randint(18, 59), rng.randint(60, 74), rng.randint(75, 90), rng.randint(12, 17)]
                          if rng.random() < 0.05 else [rng.randint(18, 59), rng.randint(60, 74), rng.randint(75, 90)])
    p["marrow_blasts_pct"] = round(rng.uniform(5, 19) if higher else rng.uniform(0, 9), 1)
    p["peripheral_blasts_pct"] = round(rng.uniform(0, 5), 1)
    p["hemoglobin_g_dl"] = round(rng.uniform(6.5, 12.5), 1)
    p["platelets_10e9_l"] = rng.choice([rng.randint(5, 49), rng.randint(50, 99), rng.randint(100, 300)])
    p["anc_10e9_l"] = round(rng.choice([rng.uniform(0.1, 0.49), rng.uniform(0.5, 0.99), rng.uniform(1.0, 4.0)]), 2)
    p["risk_group"] = "higher" if higher else "lower"
    p["ipss_category"] = rng.choice(["intermediate_2", "high"] if higher else ["low", "intermediate_1"])
    p["ipssr_category"] = rng.choice(["high", "very_high", "intermediate"] if higher
                                     else ["very_low", "low", "intermediate"])
    p["ipssm_category"] = rng.choice(["moderate_high", "high", "very_high"] if higher
                                     else ["very_low", "low", "moderate_low"])
    p["karyotype_findings"] = rng.sample(_KARYOTYPE, rng.choice([0, 0, 1, 1, 2, 3]))
    p["mutated_genes"] = rng.sample(_GENES, rng.choice([0, 1, 2, 3]))
    prior = rng.sample(_DRUGS, rng.choice([0, 0, 1, 1, 2, 3]))
    p["prior_therapies"] = prior
    p["failed_therapies"] = [d for d in prior if rng.random() < 0.6]
    p["prior_therapy_lines"] = len(prior)
    p["ecog"] = rng.choice([0, 1, 1, 2, 2, 3])
    p["karnofsky"] = {0: 90, 1: 80, 2: 60, 3: 40}[p["ecog"]]
    p["creatinine_mg_dl"] = round(rng.uniform(0.6, 2.6), 2)
    p["creatinine_x_uln"] = round(p["creatinine_mg_dl"] / 1.2, 2)
    p["creatinine_clearance_ml_min"] = rng.randint(20, 110)
    p["bilirubin_mg_dl"] = round(rng.uniform(0.3, 3.5), 1)
    p["bilirubin_x_uln"] = round(p["bilirubin_mg_dl"] / 1.2, 2)
    p["ast_x_uln"] = p["alt_x_uln"] = p["ast_alt_x_uln"] = round(rng.uniform(0.4, 4.0), 1)
    p["lvef_pct"] = rng.randint(30, 70)
    for flag, rate in (("pregnant_or_breastfeeding", 0.03), ("hiv_positive", 0.03), ("active_infection", 0.1),
                       ("other_active_cancer", 0.08), ("other_cancer_history", 0.15), ("therapy_related", 0.15),
                       ("secondary_mds", 0.15), ("significant_cardiac_disease", 0.12), ("apl", 0.0),
                       ("transfusion_dependent", 0.5), ("active_autoimmune_disease", 0.05),
                       ("transplant_candidate", 0.4), ("intensive_chemo_candidate", 0.3)):
        p[flag] = rng.random() < rate
    p["disease_status"] = rng.choice(["newly_diagnosed", "newly_diagnosed", "relapsed", "refractory"])
    for key in list(p):
        if key not in ("age",) and rng.random() < 0.2:
            del p[key]
    return with_therapy_classes(p)


def with_therapy_classes(patient: dict[str, Any]) -> dict[str, Any]:
    """As the service does for a real patient: a failed azacitidine is also a failed hypomethylating agent."""
    classes = _therapy_classes()
    for key in ("prior_therapies", "failed_therapies"):
        if key in patient:
            patient[key] = list(dict.fromkeys(t for x in patient[key] for t in [x, *classes.get(x, [])]))
    return patient


@functools.cache
def _therapy_classes() -> dict[str, list[str]]:
    from service.patient.inputs import therapy_classes

    return therapy_classes()


# ---------------------------------------------------------------- comparison

def classify(served: str, ideal: str) -> str:
    if served == ideal:
        return "agree"
    if served == "POSSIBLE" and ideal == "NOT_ELIGIBLE":
        return "OFFERED"
    if served == "NOT_ELIGIBLE":
        return "HIDDEN"
    if served == "POSSIBLE":
        return "OVERCONFIDENT"
    return "CAUTIOUS"


def measure(trials_gold: Sequence[Mapping[str, Any]], patients: Sequence[Mapping[str, Any]], extractor,
            detail: set[str] | None = None) -> dict[str, Any]:
    from etl.readers.ctgov import read_ctgov_xml

    totals: Counter[str] = Counter()
    per_trial: list[dict[str, Any]] = []
    for entry in trials_gold:
        path = TRIALS_DIR / f"{entry['nct']}.xml"
        if not path.is_file():
            continue
        row = served_rows(next(iter(read_ctgov_xml(path))), extractor)
        counts: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        for patient in patients:
            served = match_trial(row, patient)
            outcome = classify(served.verdict, ideal_verdict(entry.get("criteria") or [], patient))
            counts[outcome] += 1
            if outcome in ("HIDDEN", "OFFERED") and detail is not None and entry["nct"] in detail:
                reasons[f"{outcome}: " + "; ".join(served.reasons)[:160]] += 1
        totals.update(counts)
        per_trial.append({"nct": entry["nct"], **counts, "reasons": reasons.most_common(8)})
    return {"totals": totals, "per_trial": per_trial}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--detail", nargs="*", default=None, help="print why verdicts differ for these NCT ids")
    args = parser.parse_args(argv)
    if not TRIALS_DIR.is_dir():
        print(f"trial_verdict_eval: {TRIALS_DIR} is absent; nothing measured.")
        return 0
    from etl.extract import get_extractor

    started = time.time()
    extractor = get_extractor("rules")
    rng = random.Random(args.seed)
    patients = [fictional_patient(rng) for _ in range(args.patients)]
    detail = set(args.detail) if args.detail is not None else None
    print(f"Trial verdicts, served (rule extractor + match_trial) vs ideal (labelled criteria), "
          f"{len(patients)} fictional patients (seed {args.seed})")
    print(f"{'label set':<12} {'trials':>6} {'pairs':>6} {'agree':>7} {'OFFERED':>8} {'HIDDEN':>7} "
          f"{'OVERCONF':>8} {'CAUTIOUS':>8}")
    for name, trials_file, _abstracts in LABEL_SETS:
        trials_gold, _ = load_gold(GOLD_DIR, trials_file, "none.yaml")
        if not trials_gold:
            continue
        result = measure(trials_gold, patients, extractor, detail)
        t = result["totals"]
        pairs = sum(t.values())
        print(f"{name:<12} {len(result['per_trial']):>6} {pairs:>6} {t['agree'] / pairs:>7.1%} {t['OFFERED']:>8} "
              f"{t['HIDDEN']:>7} {t['OVERCONFIDENT']:>8} {t['CAUTIOUS']:>8}")
        for trial in result["per_trial"]:
            if detail is not None and (not detail or trial["nct"] in detail):
                print(f"  {trial['nct']}: " + ", ".join(f"{k} {trial.get(k, 0)}" for k in
                                                      ("agree", "OFFERED", "HIDDEN", "OVERCONFIDENT", "CAUTIOUS")))
                for reason, n in trial["reasons"]:
                    print(f"      {n:4d}  {reason}")
    print(f"({time.time() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
