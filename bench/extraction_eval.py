"""Extraction quality of the literature ETL on real text, against the hand-labelled gold (issue 15).

    python -m bench.extraction_eval [--json PATH]

Reads the labelled ClinicalTrials.gov records (`etl.readers.ctgov.read_ctgov_xml`) and PubMed abstracts
(`etl.readers.pubmed.read_pubmed`, only the labelled PMIDs) from ../shared/data/real/ (MDSKG_SHARED_DIR names
another shared folder), runs the rule extractor (`get_extractor("rules")`) and scores it with
bench/extraction_scoring.py against tests/data/real_gold/: the development labels (trials.yaml, abstracts.yaml;
the issue's targets) and the held-out labels (heldout_trials.yaml, heldout_abstracts.yaml), each with:

* criteria precision / recall / F1 at leaf level (gold groups flattened; extracted exclusions negated into the
  gold's inclusion form), top-level group counts, scope errors, extracted criteria on variables the gold
  does not know;
* outcome precision / recall;
* relation precision for the gold's relation types, and the polarity errors, listed.

Prints a table with the targets of the issue (PASS / MISS). Always exits 0: it is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bench import extraction_scoring as xs
from mdskg.scopes import last_step

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "real_gold"
SHARED = Path(os.environ.get("MDSKG_SHARED_DIR", "").strip() or ROOT.parent / "shared").expanduser()
REAL_DIR = SHARED / "data" / "real"
TRIALS_DIR = REAL_DIR / "ctgov-mds-trials"
PUBMED_FILE = REAL_DIR / "pubmed-hma-mds-cmml.xml"


# Three label sets. development: the rules were written against it (the targets are read on it).
# validation: labelled blind from the records, measured once before anyone looked at its output (the first
# figures are in tests/data/real_gold/README.md), then used while developing. held-out: labelled blind and
# never used to tune the extractor; it shows whether the rules carry over to records nobody fitted them to.
LABEL_SETS = (("development", "trials.yaml", "abstracts.yaml"),
              ("validation", "validation_trials.yaml", "validation_abstracts.yaml"),
              ("held-out", "heldout_trials.yaml", "heldout_abstracts.yaml"),
              ("held-out 2", "heldout2_trials.yaml", "heldout2_abstracts.yaml"),  # no trials file: read as []
              ("held-out 3", "heldout3_trials.yaml", "heldout3_abstracts.yaml"),  # labelled blind in session 10
              ("held-out 4", "heldout4_trials.yaml", "heldout4_abstracts.yaml"))  # the same, later in session 10


def load_gold(gold_dir: Path = GOLD_DIR, trials_file: str = "trials.yaml",
              abstracts_file: str = "abstracts.yaml") -> tuple[list[dict], list[dict]]:
    def read(name: str) -> list[dict]:
        path = gold_dir / name
        return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.is_file() else []

    return read(trials_file), read(abstracts_file)


def _names_of(ontology):
    cache: dict[str, list[str]] = {}

    def names(concept_id: str) -> list[str]:
        if concept_id not in cache:
            concept = ontology.get(concept_id)
            cache[concept_id] = [concept_id] + ([text for text, _ in concept.forms()] if concept else [])
        return cache[concept_id]

    return names


def gold_scope(scope: str | None) -> str | None:
    """The extractor's scope in the gold's words: 'cohort:AML' → 'aml'; None (the trial's patients) and a part of
    the trial ('arm:phase 2') are None."""
    if scope is None or scope.startswith("arm:"):
        return None  # one part of the trial is still the trial's patients (the gold keeps the part in `arm`)
    return scope.split(":", 1)[-1].lower()


def _criterion_leaf(c) -> xs.Leaf:
    scope = gold_scope(getattr(c, "scope", None))
    return xs.canonical_extracted(c.variable, c.operator, c.value, c.unit, c.role, scope=scope, text=c.text)


def criterion_leaves(criteria) -> list[xs.Leaf]:
    """Scored leaves of a trial's criteria. An any-of group of `contains` criteria on one set variable
    ("failed azacitidine or decitabine") is the gold's `contains [list]` shorthand: one leaf."""
    leaves: list[xs.Leaf] = []
    merged: dict[tuple, list] = {}
    for c in criteria:
        group = getattr(c, "group", None)
        # (only a group of alternatives: in a nested path "any:1/all:2" the innermost step decides, and the members
        # of an all-of are leaves of their own)
        if group and last_step(group).startswith("any:") and c.operator == "contains" and c.role == "required":
            merged.setdefault((group, c.variable), []).append(c)
        else:
            leaves.append(_criterion_leaf(c))
    for (_, variable), members in merged.items():
        first = members[0]
        values: list[Any] = []
        for m in members:
            for v in (m.value if isinstance(m.value, (list, tuple)) else [m.value]):
                if v not in values:
                    values.append(v)
        leaves.append(xs.canonical_extracted(variable, "contains", values if len(values) > 1 else values[0],
                                             first.unit, first.role, scope=gold_scope(first.scope),
                                             text=" | ".join(m.text for m in members)))
    return leaves


def _fmt_leaf(leaf: xs.Leaf) -> str:
    value = list(leaf.value) if isinstance(leaf.value, tuple) else leaf.value
    unit = f" {leaf.unit}" if leaf.unit else ""
    role = "" if leaf.role == "inclusion" else f" [{leaf.role}]"
    return f"{leaf.variable} {leaf.operator} {value}{unit}{role}"


def run(json_path: str | None = None) -> int:
    if not REAL_DIR.is_dir():
        print(f"extraction_eval: the real-text folder {REAL_DIR} is absent (expected {TRIALS_DIR} and "
              f"{PUBMED_FILE}); nothing measured.")
        return 0
    started = time.time()
    from etl.extract import get_extractor

    extractor = get_extractor("rules")
    names_of = _names_of(extractor.ontology)
    out: dict[str, Any] = {"ran_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                           "extractor": f"{extractor.name}@{getattr(extractor, 'version', '?')}"}
    for name, trials_file, abstracts_file in LABEL_SETS:
        trials_gold, abstracts_gold = load_gold(GOLD_DIR, trials_file, abstracts_file)
        if not trials_gold and not abstracts_gold:
            continue
        set_started = time.time()
        measured = measure(extractor, names_of, trials_gold, abstracts_gold)
        lines = _table(name, **measured, elapsed=time.time() - set_started,
                       with_targets=name == "development")
        print("\n".join(lines) + "\n")
        out[name] = {
            "criteria": {"total": measured["total"].figures(), "per_trial": measured["per_trial"]},
            "outcomes": measured["outcomes"].figures(),
            "conclusions": measured["conclusions"],
            "relations": {**measured["relations"].figures(),
                          "polarity_error_list": measured["relations"].polarity_errors,
                          "negative_for_gold_none_list": measured["relations"].negative_for_none},
            "targets": [{"name": n, "value": v, "operator": op, "target": t, "pass": ok}
                        for n, v, op, t, ok in measured["targets"]],
            "missing_trials": measured["missing_trials"], "missing_abstracts": measured["missing_abstracts"],
            "table": lines,
        }
    out["seconds"] = round(time.time() - started, 2)
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
        print(f"wrote {json_path}")
    return 0


def measure(extractor, names_of, trials_gold: list[dict], abstracts_gold: list[dict]) -> dict[str, Any]:
    """Scores of one label set: criteria per trial and in total, outcomes, relations, targets."""
    from etl.readers.ctgov import read_ctgov_xml
    from etl.readers.pubmed import read_pubmed

    per_trial: list[dict[str, Any]] = []
    total = xs.CriteriaScore()
    missing_trials: list[str] = []
    for entry in trials_gold:
        nct = entry["nct"]
        path = TRIALS_DIR / f"{nct}.xml"
        if not path.is_file():
            missing_trials.append(nct)
            continue
        document = next(iter(read_ctgov_xml(path)))
        extraction = extractor.extract(document)
        leaves = criterion_leaves(extraction.criteria)
        score = xs.score_criteria(leaves, entry.get("criteria") or [], entry.get("population"))
        total.add(score)
        per_trial.append({
            "nct": nct, "population": entry.get("population"), **score.figures(),
            "false_positives": [f"{_fmt_leaf(x)}  <- {x.text[:70]}" for x in score.unmatched_extracted],
            "missed": [_fmt_leaf(x) for x in score.unmatched_gold],
            "unknown_variables": [f"{_fmt_leaf(x)}  <- {x.text[:70]}" for x in score.unknown],
        })

    documents = read_pubmed(PUBMED_FILE) if abstracts_gold and PUBMED_FILE.is_file() else iter(())
    abstracts = measure_abstracts(extractor, names_of, documents, abstracts_gold)
    outcomes_score, relations, conclusions = abstracts["outcomes"], abstracts["relations"], abstracts["conclusions"]
    missing_abstracts, found = abstracts["missing_abstracts"], abstracts["n_abstracts"]
    figures = {
        "criteria precision": total.precision, "criteria recall": total.recall,
        "outcome precision": outcomes_score.precision, "outcome recall": outcomes_score.recall,
        "polarity errors": len(relations.polarity_errors),
    }
    targets = [t for t in xs.check_targets(figures) if per_trial or not t[0].startswith("criteria")]
    return {"per_trial": per_trial, "total": total, "outcomes": outcomes_score, "relations": relations,
            "targets": targets, "missing_trials": missing_trials,
            "missing_abstracts": missing_abstracts, "n_abstracts": found, "conclusions": conclusions}


def measure_abstracts(extractor, names_of, documents: Iterable[Any], abstracts_gold: list[dict]) -> dict[str, Any]:
    """Outcome, relation and conclusion scores of the labelled abstracts among `documents` (PubMed documents,
    real or made up; an abstract's label key is `pmid`, its document id `PMID:<pmid>`)."""
    wanted = {str(a["pmid"]): a for a in abstracts_gold}
    found: set[str] = set()
    extracted_relations: list[xs.ExtractedRelation] = []
    extracted_outcomes: list[dict] = []
    conclusions: dict[str, Any] = {"right": 0, "labelled": 0, "wrong": []}
    for document in documents:
        pmid = document.id.split(":", 1)[-1]
        if pmid not in wanted or pmid in found:
            continue
        found.add(pmid)
        extraction = extractor.extract(document)
        for r in extraction.relations:
            props = r.properties or {}
            extracted_relations.append(xs.ExtractedRelation(
                pmid, r.type, r.subject_id, r.object_id, bool(r.negated), bool(r.hedged),
                props.get("direction"), (getattr(r.evidence, "sentence", "") or "")[:200]))
        extracted_outcomes += [{**(o if isinstance(o, dict) else dict(vars(o))), "pmid": pmid}
                               for o in extraction.outcomes]
        expected = wanted[pmid].get("conclusion")
        if expected:
            conclusions["labelled"] += 1
            if extraction.conclusion == expected:
                conclusions["right"] += 1
            else:
                conclusions["wrong"].append(f"PMID {pmid}: {extraction.conclusion} (labelled {expected})")
    relations = xs.score_relations(extracted_relations, {p: wanted[p] for p in found}, names_of)
    gold_outcomes = [{**o, "pmid": p} for p in found for o in (wanted[p].get("outcomes") or [])]
    outcomes = xs.score_outcomes(extracted_outcomes if found else None, gold_outcomes)
    return {"outcomes": outcomes, "relations": relations, "conclusions": conclusions,
            "missing_abstracts": sorted(set(wanted) - found), "n_abstracts": len(found),
            "extracted_outcomes": extracted_outcomes, "gold_outcomes": gold_outcomes}


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _table(label_set, per_trial, total, outcomes, relations, targets, missing_trials, missing_abstracts, n_abstracts,
           conclusions, elapsed, with_targets=True) -> list[str]:
    lines = [f"Extraction quality on real text: {label_set} labels (rule extractor vs tests/data/real_gold)", ""]
    lines.append(f"{'trial':<13} {'pop':<7} {'extr':>4} {'ok':>4} {'P':>6} {'gold':>5} {'ok':>4} {'R':>6} "
                 f"{'groups':>8} {'unk.var':>7}")
    for t in per_trial:
        lines.append(f"{t['nct']:<13} {str(t['population'])[:7]:<7} {t['extracted']:>4} {t['extracted_matched']:>4} "
                     f"{_pct(t['precision']):>6} {t['gold']:>5} {t['gold_matched']:>4} {_pct(t['recall']):>6} "
                     f"{t['groups_matched']:>3}/{t['groups']:<4} {t['unknown_variable']:>7}")
    lines.append("")
    if not per_trial:
        lines.append("criteria: this set labels no trials")
    else:
        lines.append(f"criteria (leaf level, {len(per_trial)} trials): precision {_pct(total.precision)} "
                     f"({total.extracted_matched}/{total.extracted}), recall {_pct(total.recall)} "
                     f"({total.gold_matched}/{total.gold}), F1 {_pct(total.f1)}")
        lines.append(f"  top-level criteria fully matched: {total.groups_matched}/{total.groups}; "
                     f"extracted on variables the gold does not know: {total.unknown_variable} "
                     f"(raw extracted criteria: {total.raw_extracted})")
        lines.append(f"  scope errors among matched (patients / donor / AML cohort): {total.scope_errors}")
    lines.append(f"outcomes ({n_abstracts} abstracts): precision {_pct(outcomes.precision)} "
                 f"({outcomes.matched}/{outcomes.extracted}), recall {_pct(outcomes.recall)} "
                 f"({outcomes.gold_matched}/{outcomes.gold})" + (f"  - note: {outcomes.note}" if outcomes.note else ""))
    lines.append(f"abstract conclusions (positive / negative / inconclusive): {conclusions['right']}/"
                 f"{conclusions['labelled']} right")
    if with_targets:
        lines += [f"  {w}" for w in conclusions["wrong"]]
    lines.append(f"relations (gold types): precision {_pct(relations.precision)} ({relations.matched}/"
                 f"{relations.extracted} unique), gold found {relations.gold_matched}/{relations.gold}; "
                 f"other types extracted: {relations.other_types}")
    lines.append(f"polarity errors: {len(relations.polarity_errors)} extracted relations "
                 f"({relations.polarity_error_edges} distinct edges)")
    for e in relations.polarity_errors:
        lines.append(f"  PMID {e['pmid']}  {e['relation']}  [{e['why']}]  \"{e['sentence'][:70]}\"")
    if relations.negative_for_none:
        lines.append("negative claims where the gold says none (not counted above): "
                     f"{len(relations.negative_for_none)}")
        for e in relations.negative_for_none:
            lines.append(f"  PMID {e['pmid']}  {e['relation']}  \"{e['sentence'][:70]}\"")
    if missing_trials or missing_abstracts:
        lines.append(f"not found in the real-text folder: trials {missing_trials or '-'}; "
                     f"PMIDs {missing_abstracts or '-'}")
    lines.append("")
    lines.append(f"{'target (issue 15)' if with_targets else 'figure (same targets)':<22} {'value':>8}   "
                 f"{'target':<8} result")
    for name, value, op, target, ok in targets:
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"{name:<22} {shown:>8}   {op} {target:<5} {'PASS' if ok else 'MISS'}")
    lines.append(f"\n({elapsed:.1f} s)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    try:
        return run(args.json)
    except Exception as exc:  # noqa: BLE001 - a measurement: report any failure and exit 0
        import traceback

        traceback.print_exc()
        print(f"extraction_eval: the run failed ({type(exc).__name__}: {exc}); no figures.", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
