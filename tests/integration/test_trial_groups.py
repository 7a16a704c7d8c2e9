"""A trial that states one condition twice (issue 15, Deliver 2 and 6): once on its own and once as one of two
alternatives, or as an alternative in two different any-of groups. The Criterion node is shared (one node per
condition, so analysts find every trial that asks it), and the HAS_CRITERION edge is one per (study, criterion):
the edge must keep every group the criterion belongs to, or a group silently loses a member (the trial is hidden
from patients it admits) or a requirement silently becomes one alternative of a group (the trial is offered to
patients it excludes).

The records are made up for this test (written here, loaded from a temporary folder)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import gql, trial_record_loaded

RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<!-- A made-up trial record written for the tests (not a real study). -->
<clinical_study>
  <id_info><nct_id>{nct}</nct_id></id_info>
  <brief_title>A made-up study in which a condition is written twice</brief_title>
  <overall_status>Recruiting</overall_status>
  <phase>Phase 2</phase>
  <condition>Myelodysplastic Syndromes</condition>
  <eligibility>
    <criteria><textblock>
{text}
      </textblock></criteria>
    <gender>All</gender>
    <minimum_age>18 Years</minimum_age>
    <maximum_age>N/A</maximum_age>
  </eligibility>
</clinical_study>
"""

# Read as: age >= 18; marrow blasts >= 5% on its own AND (blasts >= 5% or a complex karyotype); (Hb < 9 g/dL or
# platelets < 50) AND (Hb < 9 g/dL or neutrophils < 1.0); ECOG 3 or more excludes. Blasts and Hb are each one Criterion
# node with one edge from the study that belongs to two units of judgement.
TWICE = """        Inclusion Criteria:

          -  Age 18 years or older

          -  Bone marrow blasts of 5% or more

          -  Bone marrow blasts of 5% or more, or a complex karyotype

          -  Hemoglobin below 9 g/dL, or platelets below 50 x 10^9/L

          -  Hemoglobin below 9 g/dL, or neutrophils below 1.0 x 10^9/L

        Exclusion Criteria:

          -  ECOG performance status of 3 or more"""

# A second made-up trial asking the blasts condition on its own: it shares the Criterion node.
ALSO_BLASTS = """        Inclusion Criteria:

          -  Bone marrow blasts of 5% or more

          -  Age 60 years or older"""

# One of two alternatives, the second an all-of whose last part is shown by one of two findings:
# age 60-75, or (age under 60 and not a candidate for intensive chemotherapy and (LVEF < 45% or DLCO < 50%)).
NESTED = """        Inclusion Criteria:

          -  Meets one of the following:

               -  Age 60 to 75 years

               -  Age under 60 and not a candidate for intensive chemotherapy, as shown by any of the following:

                    -  LVEF below 45%

                    -  DLCO below 50%

          -  Bone marrow blasts of 5% or more"""

NCT, OTHER, NESTED_NCT = "NCT99999911", "NCT99999912", "NCT99999913"
QUERY = """query($p: PatientInput!, $n: [String!]) { trials(patient: $p, nctIds: $n) {
  nctId verdict reasons missing criteria { variable role status } } }"""
GROUPS_QUERY = QUERY.replace("role status", "role status groups")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    folder = tmp_path_factory.mktemp("made-up-trials")
    paths = {}
    for nct, text in ((NCT, TWICE), (OTHER, ALSO_BLASTS), (NESTED_NCT, NESTED)):
        paths[nct] = folder / f"{nct}.xml"
        paths[nct].write_text(RECORD.format(nct=nct, text=text), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def twice_loaded(loaded_graph, settings, records):
    with trial_record_loaded(loaded_graph, settings, records[NCT]) as graph:
        yield graph


def patient(**changes):
    p = {"age": 70, "marrowBlastsPct": 12, "hemoglobin": {"value": 8.0, "unit": "g/dL"},
         "platelets": {"value": 100, "unit": "10^9/L"}, "anc": {"value": 2.0, "unit": "10^9/L"}, "ecog": 1}
    p.update(changes)
    return {k: v for k, v in p.items() if v is not None}


# Worked out by hand from the record above.
PATIENTS = [
    # Hb 8 meets both Hb groups; blasts 12 meets blasts alone and its group: every unit met.
    ("every unit met through the shared members", patient(), "POSSIBLE"),
    # Blasts 3%: the condition stated on its own rules the patient out, whatever the karyotype (severity 1 if lost).
    ("blasts required on their own", patient(marrowBlastsPct=3, karyotype="46,XY,del(5q),-7,+8[20]"), "NOT_ELIGIBLE"),
    # Hb 10: the first group is met by platelets 30, the second needs neutrophils < 1.0: not met.
    ("second group not met", patient(hemoglobin={"value": 10.0, "unit": "g/dL"},
                                     platelets={"value": 30, "unit": "10^9/L"}), "NOT_ELIGIBLE"),
    ("first group not met", patient(hemoglobin={"value": 10.0, "unit": "g/dL"},
                                    anc={"value": 0.5, "unit": "10^9/L"}), "NOT_ELIGIBLE"),
    ("each group met by its own member", patient(hemoglobin={"value": 10.0, "unit": "g/dL"},
                                                 platelets={"value": 30, "unit": "10^9/L"},
                                                 anc={"value": 0.5, "unit": "10^9/L"}), "POSSIBLE"),
    ("Hb unknown, the others not met", patient(hemoglobin=None), "UNKNOWN"),
    ("Hb unknown, both other members met", patient(hemoglobin=None, platelets={"value": 30, "unit": "10^9/L"},
                                                   anc={"value": 0.5, "unit": "10^9/L"}), "POSSIBLE"),
]


@pytest.mark.parametrize("label,p,verdict", PATIENTS, ids=[x[0] for x in PATIENTS])
def test_a_condition_stated_twice_is_judged_in_each_place(twice_loaded, client, label, p, verdict):
    body = gql(client, QUERY, {"p": p, "n": [NCT]})
    assert "errors" not in body, body["errors"]
    [trial] = body["data"]["trials"]
    assert trial["verdict"] == verdict, (label, trial["reasons"])


def test_the_edge_keeps_every_group(twice_loaded, client):
    [trial] = gql(client, GROUPS_QUERY, {"p": patient(), "n": [NCT]})["data"]["trials"]
    by_variable = {}
    for c in trial["criteria"]:
        by_variable.setdefault(c["variable"], []).append(c["groups"])
    # one check per criterion; the shared ones name both of their places
    assert len(by_variable["hemoglobin_g_dl"]) == 1
    [hb_groups] = by_variable["hemoglobin_g_dl"]
    assert hb_groups is not None and len(hb_groups) == 2 and all(g.startswith("any:") for g in hb_groups)
    [blast_groups] = by_variable["marrow_blasts_pct"]
    assert blast_groups is not None and len(blast_groups) == 1  # its group; it also stands alone (group null)
    rows = twice_loaded.read_text(
        "MATCH (:Study {nct_id: $nct})-[h:HAS_CRITERION]->(c:Criterion {variable: 'marrow_blasts_pct'}) "
        "RETURN h.group AS group, h.groups AS groups", nct=NCT)
    assert len(rows) == 1 and rows[0]["group"] is None and len(rows[0]["groups"]) == 1


def _counts(graph):
    [row] = graph.read_text(
        "MATCH (s:Study {nct_id: $nct})-[h:HAS_CRITERION]->(c:Criterion) "
        "RETURN count(h) AS edges, count(DISTINCT c) AS nodes, "
        "collect([c.variable, h.group, h.groups]) AS memberships", nct=NCT)
    [total] = graph.read_text("MATCH (c:Criterion) RETURN count(c) AS n")
    return row["edges"], row["nodes"], sorted(map(str, row["memberships"])), total["n"]


def test_loading_the_record_again_changes_nothing(twice_loaded, settings, records):
    from etl.run import run_etl

    before = _counts(twice_loaded)
    report = run_etl([records[NCT]], twice_loaded, settings, force=True)
    assert not report.problems, report.to_text()
    assert _counts(twice_loaded) == before
    assert before[0] == before[1] == 7  # age, blasts, karyotype, Hb, platelets, neutrophils, ECOG: one edge each


def test_analysts_still_find_one_criterion_node_across_trials(twice_loaded, settings, records):
    with trial_record_loaded(twice_loaded, settings, records[OTHER]) as graph:
        rows = graph.read_text(
            "MATCH (s:Study)-[h:HAS_CRITERION]->(c:Criterion {variable: 'marrow_blasts_pct', operator: '>='}) "
            "WHERE s.nct_id IN [$a, $b] RETURN c.id AS id, collect(s.nct_id) AS trials, collect(h.groups) AS groups",
            a=NCT, b=OTHER)
        assert len(rows) == 1, rows  # one shared node, whichever groups each trial puts it in
        assert sorted(rows[0]["trials"]) == [NCT, OTHER]


# ---- nested groups through the loader and GraphQL -----------------------------------------------------------

@pytest.fixture(scope="module")
def nested_loaded(loaded_graph, settings, records):
    with trial_record_loaded(loaded_graph, settings, records[NESTED_NCT]) as graph:
        yield graph


# Fitness for intensive chemotherapy and the DLCO are not PatientInput fields: over GraphQL they stay unknown, so
# the second alternative is never met (at best unknown), and it is not met when its age or its LVEF part fails.
NESTED_PATIENTS = [
    ("in the age range", {"age": 65, "marrowBlastsPct": 8}, "POSSIBLE"),
    ("too old for either alternative", {"age": 80, "marrowBlastsPct": 8}, "NOT_ELIGIBLE"),
    ("young: the second alternative's unread parts decide", {"age": 50, "marrowBlastsPct": 8}, "UNKNOWN"),
    ("in the age range, too few blasts", {"age": 65, "marrowBlastsPct": 2}, "NOT_ELIGIBLE"),
    ("age unknown", {"marrowBlastsPct": 8}, "UNKNOWN"),
]


@pytest.mark.parametrize("label,p,verdict", NESTED_PATIENTS, ids=[x[0] for x in NESTED_PATIENTS])
def test_a_nested_alternative_over_graphql(nested_loaded, client, label, p, verdict):
    body = gql(client, GROUPS_QUERY, {"p": p, "n": [NESTED_NCT]})
    assert "errors" not in body, body["errors"]
    [trial] = body["data"]["trials"]
    assert trial["verdict"] == verdict, (label, trial["reasons"])
    if verdict == "NOT_ELIGIBLE" and p.get("age") == 80:
        [reason] = trial["reasons"]
        # the nested parts named: "not met: Age 60 to 75 years or (Age under 60 and … and (LVEF … or DLCO …))"
        assert reason.startswith("not met: ") and "Age 60 to 75 years" in reason and "(" in reason
        assert " and " in reason and " or " in reason


def test_nested_group_paths_are_stored_and_shown(nested_loaded, client):
    [trial] = gql(client, GROUPS_QUERY, {"p": {"age": 65}, "n": [NESTED_NCT]})["data"]["trials"]
    groups = {c["variable"]: c["groups"] for c in trial["criteria"]}
    paths = [g for c in trial["criteria"] for g in (c["groups"] or [])]
    assert any("/" not in p for p in paths), paths  # the top any-of (the age range is one alternative)
    assert any(p.count("/") == 1 and "/all:" in p for p in paths), paths  # the all-of inside the any-of
    assert any(p.count("/") == 2 and "/any:" in p.split("/", 1)[1] for p in paths), paths  # its shown-by list
    assert groups["marrow_blasts_pct"] is None  # on its own
    rows = nested_loaded.read_text(
        "MATCH (:Study {nct_id: $nct})-[h:HAS_CRITERION]->(c:Criterion {variable: 'lvef_pct'}) "
        "RETURN h.group AS group, h.groups AS groups", nct=NESTED_NCT)
    assert len(rows) == 1 and rows[0]["group"].count("/") == 2 and rows[0]["groups"] == [rows[0]["group"]]
