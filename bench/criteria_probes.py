"""Eligibility-line probes (issue 15): made-up lines, each with fictional patients and the verdict a careful
reader expects, written blind by an author who never read the reader (tests/data/criteria_probes/). Every line
goes through the real rule extractor and the trial matcher (`service.patient.trials.match_trial`), as a one-line
trial record.

    .venv/bin/python -m bench.criteria_probes            # the table
    .venv/bin/python -m bench.criteria_probes --detail   # every disagreement, with what was read

OFFERED: the author expects the patient ruled out and the matcher does not rule them out (a trial shown to
someone it excludes: the error that matters most). HIDDEN: the author expects the patient not ruled out and the
matcher rules them out. A line from which nothing was read counts as not ruling anyone out (its cases expected
ruled out are OFFERED, and counted apart): the trial card lists such lines as unchecked for the patient to ask
about, but the verdict does not use them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

PROBES_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "criteria_probes"
PROBES_FILE = PROBES_DIR / "probes.yaml"
# The sets measured by default, named one by one: a new blind set is measured first on its own (--probes) and only
# then added here, so nobody tuning the reader sees its lines in the default table before that first run.
MEASURED_PROBE_FILES = ("probes.yaml", "probes2.yaml", "probes3.yaml", "probes4.yaml", "probes5.yaml",
                        "probes6.yaml", "probes7.yaml")
RULED_OUT, NOT_RULED_OUT = "ruled_out", "not_ruled_out"


def load_probes(path: Path = PROBES_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    probes = data.get("probes") or [] if isinstance(data, dict) else data
    problems = []
    for p in probes:
        if p.get("section") not in ("inclusion", "exclusion") or not p.get("line") or not p.get("cases"):
            problems.append(f"{p.get('id')}: needs section, line and cases")
        for case in p.get("cases") or []:
            if case.get("expect") not in (RULED_OUT, NOT_RULED_OUT) or not isinstance(case.get("patient"), dict):
                problems.append(f"{p.get('id')}: a case needs a patient and expect {RULED_OUT}/{NOT_RULED_OUT}")
    if problems:
        raise ValueError("; ".join(problems))
    return probes


def read_line(extractor, section: str, line: str) -> dict[str, Any]:
    """The line as a one-line trial record, read by the ETL, in the shape `match_trial` takes."""
    from etl.readers.ctgov import TrialFields, trial_document
    from etl.rows import criterion_id

    heading = "Inclusion Criteria:" if section == "inclusion" else "Exclusion Criteria:"
    document = trial_document(TrialFields("NCT00000000", brief_title="A made-up trial in MDS",
                                          conditions=["Myelodysplastic Syndromes"],
                                          eligibility_criteria=f"{heading}\n\n- {line}\n"))
    criteria = [{"id": criterion_id(c), "variable": c.variable, "operator": c.operator,
                 "value_json": json.dumps(c.value, default=str), "unit": c.unit, "role": c.role, "text": c.text,
                 "scope": c.scope, "group": c.group} for c in extractor.extract(document).criteria]
    return {"id": "MDSKG:study/nct00000000", "nct_id": "NCT00000000", "criteria": criteria}


def run(probes: list[dict[str, Any]]) -> dict[str, Any]:
    from etl.extract import get_extractor
    from service.patient.trials import match_trial

    extractor = get_extractor("rules")
    counts: Counter = Counter()
    disagreements: list[dict[str, Any]] = []
    for probe in probes:
        row = read_line(extractor, probe["section"], probe["line"])
        counts["probes"] += 1
        counts["lines read" if row["criteria"] else "lines not read"] += 1
        for case in probe["cases"]:
            counts["cases"] += 1
            verdict = match_trial(row, case["patient"]).verdict
            got = RULED_OUT if verdict == "NOT_ELIGIBLE" else NOT_RULED_OUT
            if got == case["expect"]:
                counts["agree"] += 1
                continue
            kind = "OFFERED" if case["expect"] == RULED_OUT else "HIDDEN"
            counts[kind] += 1
            if kind == "OFFERED" and not row["criteria"]:
                counts["OFFERED, line not read"] += 1
            disagreements.append({"id": probe["id"], "kind": kind, "section": probe["section"], "line": probe["line"],
                                  "patient": case["patient"], "verdict": verdict, "why": probe.get("why", ""),
                                  "read": [f"{c['role']} {c['variable']} {c['operator']} {c['value_json']}"
                                           + (f" [{c['group']}]" if c["group"] else "")
                                           + (f" ({c['scope']})" if c["scope"] else "") for c in row["criteria"]]})
    return {"counts": dict(counts), "disagreements": disagreements}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probes", type=Path, action="append",
                        help="a probe file (default: the measured sets in tests/data/criteria_probes/)")
    parser.add_argument("--detail", action="store_true", help="print every disagreement")
    args = parser.parse_args(argv)
    files = args.probes or [PROBES_DIR / name for name in MEASURED_PROBE_FILES if (PROBES_DIR / name).is_file()]
    if not files:
        print(f"criteria probes: no probe file in {PROBES_DIR}; skipped")
        return 0
    for path in files:
        report(path, args.detail)
    return 0


def report(path: Path, detail: bool) -> None:
    started = time.perf_counter()
    result = run(load_probes(path))
    c = result["counts"]
    cases = c.get("cases", 0)
    print(f"Eligibility-line probes (rule extractor + match_trial), {path.name}")
    print(f"probes {c.get('probes', 0)} (lines read {c.get('lines read', 0)}, not read {c.get('lines not read', 0)}), "
          f"cases {cases}: agree {c.get('agree', 0)} ({100 * c.get('agree', 0) / max(cases, 1):.1f}%), "
          f"OFFERED {c.get('OFFERED', 0)} (of them on lines not read at all: {c.get('OFFERED, line not read', 0)}), "
          f"HIDDEN {c.get('HIDDEN', 0)}")
    if detail:
        for d in result["disagreements"]:
            print(f"  {d['kind']:7} {d['id']} [{d['section']}] {d['line']}")
            print(f"          patient {d['patient']} -> {d['verdict']}; read: {d['read'] or 'nothing'}")
            print(f"          why: {d['why']}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
