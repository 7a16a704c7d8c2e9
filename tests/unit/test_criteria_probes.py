"""The eligibility-line probes (tests/data/criteria_probes/, issue 15): the files are well formed, and the number of
patients offered a trial that a wrongly read line should have ruled out does not rise (a ratchet: lower is better;
lines from which nothing is read are counted apart by the bench and not held here)."""

from __future__ import annotations

import pytest
import yaml

from bench.criteria_probes import PROBES_DIR, load_probes, run
from ontology import load_ontology

# read wrongly and offered (see the README's table); lowered with rules 0.7.7, probes3.yaml added then; lowered again
# in session 9 (tests/unit/test_trial_line_readings.py holds the readings that did it); probes7.yaml added in
# session 11 after its two blind runs (28 read wrongly; 8 after tuning, 7 of them UNKNOWN, p7-094 disputed)
MAX_OFFERED_READ_WRONGLY = {"probes.yaml": 0, "probes2.yaml": 1, "probes3.yaml": 2, "probes4.yaml": 0,
                            "probes5.yaml": 2, "probes6.yaml": 1, "probes7.yaml": 8}


@pytest.fixture(scope="module", params=sorted(MAX_OFFERED_READ_WRONGLY))
def probe_file(request):
    return PROBES_DIR / request.param


def test_probe_files_are_well_formed(probe_file):
    probes = load_probes(probe_file)
    variables = set(load_ontology().criterion_variables)
    assert len(probes) >= 150
    assert len({p["id"] for p in probes}) == len(probes)
    for p in probes:
        for case in p["cases"]:
            unknown = {k.split("__")[0] for k in case["patient"]} - variables
            assert not unknown, (p["id"], unknown)


def test_offered_on_wrongly_read_lines_does_not_rise(probe_file):
    counts = run(load_probes(probe_file))["counts"]
    read_wrongly = counts.get("OFFERED", 0) - counts.get("OFFERED, line not read", 0)
    assert read_wrongly <= MAX_OFFERED_READ_WRONGLY[probe_file.name], counts


def test_the_layout_is_the_documented_one():
    data = yaml.safe_load((PROBES_DIR / "probes.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data["probes"], list)
