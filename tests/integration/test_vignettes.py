"""Every fictional patient of tests/data/vignettes, over GraphQL against the real graph: the plan's
preferred option and its ruled-out therapies match what the sources lead a hematologist to expect."""

from __future__ import annotations

import pytest

from bench.vignettes import PLAN_QUERY, class_members, compare, load_vignettes
from tests.integration.conftest import gql

VIGNETTES = load_vignettes()


def test_the_suite_covers_every_guideline_branch():
    branches = {v.branch for v in VIGNETTES}
    assert len(VIGNETTES) >= 40
    for branch in ("observation", "del5q", "esa_naive", "esa_failure", "hypocellular_ist", "thrombocytopenia",
                   "neutropenia", "iron_overload", "higher_risk_fit", "higher_risk_unfit", "hma_failure", "idh1",
                   "tp53", "safety"):
        assert branch in branches, branch
    for v in VIGNETTES:
        assert v.sources, f"{v.id} names no source for its expectation"


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_vignette(loaded_graph, client, vignette):
    body = gql(client, PLAN_QUERY, {"p": vignette.patient})
    assert "errors" not in body, body["errors"]
    result = compare(vignette, body["data"]["treatmentPlan"], class_members())
    assert result.passed, f"{vignette.id} ({vignette.story}): " + "; ".join(result.problems)
