"""The GraphQL contract of issue 19 over the real graph: global ids and `node`, enums and typed values instead of
JSON in strings, one vocabulary for patient fields, field-level errors and warnings, connections, and automatic
persisted queries (docs/api.md)."""

from __future__ import annotations

import hashlib
import json

from graphql import GraphQLObjectType

from service import http
from tests.integration.conftest import gql
from tests.unit.test_patient_importers import BUNDLE

PATIENT = {"age": 72, "sex": "female", "marrowBlastsPct": 3, "karyotype": "46,XX",
           "hemoglobin": {"value": 9.1, "unit": "g/dL"}, "platelets": {"value": 150, "unit": "10^9/L"},
           "anc": {"value": 2.0, "unit": "10^9/L"}}


def ok(body: dict) -> dict:
    assert "errors" not in body, body.get("errors")
    return body["data"]


# ---- global ids ---------------------------------------------------------------------------------------

def test_node_finds_entities_and_sources_by_their_global_id(loaded_graph, client):
    source_id = ok(gql(client, "{ sourcesConnection(first: 1) { edges { node { id title } } } }"))[
        "sourcesConnection"]["edges"][0]["node"]["id"]
    data = ok(gql(client, """query($a: ID!, $b: ID!) {
        a: node(id: $a) { __typename id ... on Entity { label name } }
        b: node(id: $b) { __typename id ... on Citation { title } }
        none: node(id: "MDSKG:nothing-here") { id }
        many: nodes(ids: [$a, "MDSKG:nothing-here", $b]) { __typename id } }""",
                  {"a": "MDSKG:drug/luspatercept", "b": source_id}))
    assert data["a"] == {"__typename": "Entity", "id": "MDSKG:drug/luspatercept", "label": "Drug",
                         "name": data["a"]["name"]} and data["a"]["name"]
    assert data["b"]["__typename"] == "Citation" and data["b"]["id"] == source_id and data["b"]["title"]
    assert data["none"] is None
    assert [n and n["id"] for n in data["many"]] == ["MDSKG:drug/luspatercept", None, source_id]
    # every object type with an `id: ID!` is a Node; per-answer objects have no ID-typed `id`
    from service.schema import schema

    types = schema.graphql_schema.type_map
    with_id = {name for name, t in types.items() if not name.startswith("__") and isinstance(t, GraphQLObjectType)
               and "id" in t.fields and str(t.fields["id"].type) == "ID!"}
    assert with_id == {"Entity", "Citation", "Fact"}, with_id
    assert {i.name for i in types["Entity"].interfaces} == {"Node"} == {i.name for i in types["Citation"].interfaces}


# ---- enums and typed values -------------------------------------------------------------------------

PLAN = """query($p: PatientInput!) {
  assessRisk(patient: $p) {
    treatmentGroup treatmentGroupBasis
    ipssr { scoringSystem riskCategory treatmentGroup components { name observed { kind number text } points } }
    ipssm { scoringSystem riskCategoryBest riskCategoryWorst missing missingFields { field label detail } }
    karyotype { ipssrCytogeneticGroup }
  }
  treatmentPlan(patient: $p) {
    treatmentGroup missingFields { field label }
    ranking { verdict strength lineOfTherapy evidence missing missingFields { field label }
      criteria { variable patientField { field label } value { kind number low high text texts flag } threshold
                 observed { kind } role status } }
  }
  eligibility(patient: $p) { therapyId verdict recommendationStrength missingFields { field } }
}"""


def test_enums_and_typed_values_replace_strings_and_json(loaded_graph, client):
    data = ok(gql(client, PLAN, {"p": PATIENT}))
    risk = data["assessRisk"]
    assert risk["treatmentGroup"] == "LOWER" and risk["treatmentGroupBasis"] in {"IPSS_M", "IPSS_R", "IPSS"}
    assert risk["ipssr"]["scoringSystem"] == "IPSS_R" and risk["ipssr"]["riskCategory"] in {"VERY_LOW", "LOW"}
    assert risk["ipssm"]["scoringSystem"] == "IPSS_M"
    assert risk["karyotype"]["ipssrCytogeneticGroup"] == "GOOD"
    observed = {c["name"]: c["observed"] for c in risk["ipssr"]["components"]}
    assert observed["marrow_blasts_pct"] == {"kind": "NUMBER", "number": 3.0, "text": None}
    # one vocabulary: IPSS-M's missing inputs (HB, SF3B1, del5q, …) become PatientInput fields with labels
    fields = risk["ipssm"]["missingFields"]
    assert {f["field"] for f in fields} == {"mutations"}, fields
    assert all(f["label"] == "Mutations" and f["detail"] for f in fields)
    assert "SF3B1" in risk["ipssm"]["missing"]
    assert {"detail": "SF3B1", "field": "mutations", "label": "Mutations"} in fields
    plan = data["treatmentPlan"]
    assert plan["treatmentGroup"] == "LOWER"
    verdicts = {"FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY", "UNKNOWN", "NOT_ELIGIBLE", "NOT_RECOMMENDED"}
    kinds = set()
    for option in plan["ranking"]:
        assert option["verdict"] in verdicts and option["strength"].isupper()
        assert option["lineOfTherapy"] is None or option["lineOfTherapy"].isupper()
        assert [f["field"] for f in option["missingFields"]] == option["missing"]
        for c in option["criteria"]:
            value = c["value"]
            kinds.add(value["kind"])
            assert json.loads(c["threshold"]) == _plain(value), c  # the typed value says what the JSON said
            assert c["role"] in {"REQUIRED", "EXCLUDES", "FAVOURS"} and c["status"] in {"MET", "NOT_MET", "UNKNOWN"}
            assert c["patientField"]["label"] and " " not in c["patientField"]["field"]
    assert {"NUMBER", "TEXT"} <= kinds
    labels = {f["field"]: f["label"] for f in plan["missingFields"]}
    assert all(labels.values()) and not any("_" in f for f in labels)  # PatientInput names, not variables
    # eligibility: one row per therapy, its verdict an enum
    rows = data["eligibility"]
    assert len({r["therapyId"] for r in rows}) == len(rows) and all(r["verdict"] in verdicts for r in rows)


def _plain(value: dict):
    kind = value["kind"]
    if kind == "NUMBER":
        number = value["number"]
        return int(number) if number == int(number) else number
    if kind == "RANGE":
        return [value["low"], value["high"]]
    if kind == "LIST":
        return value["texts"]
    if kind == "FLAG":
        return value["flag"]
    return value["text"]


IMPORT = """mutation($r: JSONString!) { importPatient(record: $r) {
  recordFormat format patient
  values { age sex marrowBlastsPct karyotype hemoglobin { value unit } platelets { value unit }
           anc { value unit } serumEpo { value unit } mutations { gene vaf kind origin } sequencedGenes
           priorTherapies { therapy response } }
} }"""


def test_an_imported_patient_goes_back_as_patient_input_without_json_parsing(loaded_graph, client):
    imported = ok(gql(client, IMPORT, {"r": json.dumps(BUNDLE)}))["importPatient"]
    assert imported["recordFormat"] == "FHIR" and imported["format"] == "fhir"
    values = imported["values"]
    assert values["sex"] == "FEMALE" and values["hemoglobin"] == {"value": 91.0, "unit": "g/L"}  # as recorded
    assert {(m["gene"], m["origin"]) for m in values["mutations"]} == {("SF3B1", "SOMATIC"), ("DDX41", "GERMLINE")}
    risk = "query($p: PatientInput!) { assessRisk(patient: $p) { ipssr { score riskCategory } } }"
    typed = ok(gql(client, risk, {"p": values}))["assessRisk"]
    from_json = ok(gql(client, risk, {"p": json.loads(imported["patient"])}))["assessRisk"]
    assert typed == from_json and typed["ipssr"]["score"] == 3.5


# ---- field-level errors and warnings ----------------------------------------------------------------

def test_every_invalid_patient_value_is_reported_at_once_with_its_input_path(loaded_graph, client):
    patient = {**PATIENT, "marrowBlastsPct": 140, "age": -3, "hemoglobin": {"value": 9, "unit": "furlongs"},
               "mutations": [{"gene": "TP53"}, {"gene": "SF3B"}],
               "priorTherapies": [{"therapy": "ESA", "response": "meh"}]}
    query = "query($p: PatientInput!) { assessRisk(patient: $p) { riskGroup } }"
    response = client.post("/graphql", json={"query": query, "variables": {"p": patient}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["data"] is None
    found = {tuple(e["extensions"]["inputPath"]): e for e in body["errors"]}
    assert set(found) == {("patient", "marrowBlastsPct"), ("patient", "age"), ("patient", "hemoglobin"),
                          ("patient", "mutations", 1, "gene"), ("patient", "priorTherapies", 0, "response")}
    reasons = {path[-1] if isinstance(path[-1], str) else path[1]: e["extensions"]["reason"]
               for path, e in found.items()}
    assert reasons == {"marrowBlastsPct": "OUT_OF_RANGE", "age": "OUT_OF_RANGE", "hemoglobin": "UNKNOWN_UNIT",
                       "gene": "MISSPELT_GENE", "response": "NOT_ALLOWED_VALUE"}
    for path, error in found.items():
        assert error["extensions"]["code"] == "BAD_INPUT" and error["path"] == ["assessRisk"]
        assert error["extensions"]["field"] == path[1] and error["message"].startswith("patient.")
        assert "140" not in error["message"] and "-3" not in error["message"]  # values stay out of messages
    assert "did you mean SF3B1" in found[("patient", "mutations", 1, "gene")]["message"]


def test_unknown_genes_and_therapies_are_warnings_in_the_response(loaded_graph, client):
    patient = {**PATIENT, "mutations": [{"gene": "SF3B1"}, {"gene": "ZNF9999"}], "sequencedGenes": ["SF3B1", "ZNF9999"],
               "priorTherapies": [{"therapy": "azacitidine", "response": "no_response"},
                                  {"therapy": "frobnicatinib", "response": "response"}]}
    body = gql(client, "query($p: PatientInput!) { treatmentPlan(patient: $p) { missing } }", {"p": patient})
    assert "errors" not in body and body["data"]["treatmentPlan"]
    warnings = body["extensions"]["warnings"]
    by_path = {tuple(w["inputPath"]): w for w in warnings}
    assert by_path[("patient", "mutations", 1, "gene")]["code"] == "UNKNOWN_GENE"
    assert by_path[("patient", "sequencedGenes", 1)]["code"] == "UNKNOWN_GENE"
    assert by_path[("patient", "priorTherapies", 1, "therapy")]["code"] == "UNKNOWN_THERAPY"
    assert len(warnings) == 3  # SF3B1 and azacitidine are known
    clean = gql(client, "query($p: PatientInput!) { treatmentPlan(patient: $p) { missing } }", {"p": PATIENT})
    assert "extensions" not in clean


# ---- connections ------------------------------------------------------------------------------------

SOURCES = """query($after: String) { sourcesConnection(first: 50, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { cursor node { id } } } }"""


def test_sources_page_through_without_gaps_or_repeats(loaded_graph, client):
    seen, after, total, pages = [], None, None, 0
    while True:
        page = ok(gql(client, SOURCES, {"after": after}))["sourcesConnection"]
        total = page["totalCount"]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [e["node"]["id"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert pages > 1 and len(seen) == len(set(seen)) == total and seen == sorted(seen)
    legacy = ok(gql(client, "{ sources(first: 1000) { id } }"))["sources"]
    assert [s["id"] for s in legacy] == seen[:1000]
    bad = gql(client, '{ sourcesConnection(first: 5, after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    too_many = gql(client, "{ sourcesConnection(first: 1001) { totalCount } }")
    assert "between 1 and 1000" in too_many["errors"][0]["message"]


def test_search_and_neighbours_are_connections(loaded_graph, client):
    query = """query($after: String) { searchConnection(text: "azacitidine", first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    first = ok(gql(client, query))["searchConnection"]
    second = ok(gql(client, query, {"after": first["pageInfo"]["endCursor"]}))["searchConnection"]
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert len(ids) == len(set(ids)) and first["totalCount"] >= len(ids)
    plain = ok(gql(client, '{ search(text: "azacitidine", first: 2) { id } }'))["search"]
    assert ids[:len(first["edges"])] == [r["id"] for r in plain]
    page = ok(gql(client, '{ entity(id: "MDSKG:therapy/ist") { neighbours(first: 3) { totalCount '
                          'pageInfo { hasNextPage endCursor } edges { direction cursor node { id } } } } }'))
    neighbours = page["entity"]["neighbours"]
    assert neighbours["totalCount"] > 3 and neighbours["pageInfo"]["hasNextPage"]
    assert neighbours["pageInfo"]["endCursor"] == neighbours["edges"][-1]["cursor"]
    assert {e["direction"] for e in neighbours["edges"]} <= {"OUT", "IN"}


# ---- automatic persisted queries --------------------------------------------------------------------

def code(response) -> str:
    return response.get_json()["errors"][0]["extensions"]["code"]


def _apq(digest: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def test_automatic_persisted_queries_on_post_and_get(loaded_graph, client):
    query = 'query Apq { entity(id: "MDSKG:therapy/ist") { id name } }'
    digest = hashlib.sha256(query.encode()).hexdigest()
    unknown = client.post("/graphql", json={"extensions": _apq(digest)})
    assert unknown.status_code == 200 and unknown.headers["Cache-Control"] == "no-store"
    error = unknown.get_json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == http.PERSISTED_QUERY_NOT_FOUND
    registered = client.post("/graphql", json={"query": query, "extensions": _apq(digest)})
    assert registered.get_json()["data"]["entity"]["id"] == "MDSKG:therapy/ist"
    by_hash = client.post("/graphql", json={"extensions": _apq(digest)})
    assert by_hash.get_json() == registered.get_json()
    params = {"extensions": json.dumps(_apq(digest)), "operationName": "Apq"}
    get = client.get("/graphql", query_string=params)
    assert get.status_code == 200 and get.get_json() == registered.get_json() and get.headers["ETag"]
    unchanged = client.get("/graphql", query_string=params, headers={"If-None-Match": get.headers["ETag"]})
    assert unchanged.status_code == 304
    other = "{ graphInfo { nodeCount } }"
    wrong = client.post("/graphql", json={"query": other, "extensions": _apq(digest)})
    assert wrong.status_code == 400 and code(wrong) == http.PERSISTED_QUERY_HASH_MISMATCH
    v2 = client.post("/graphql", json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": digest}}})
    assert v2.status_code == 400 and code(v2) == http.PERSISTED_QUERY_NOT_SUPPORTED
    odd = client.post("/graphql", json={"extensions": _apq("xyz")})
    assert odd.status_code == 400 and code(odd) == http.BAD_REQUEST
    # a persisted query that takes a patient is still POST only
    patient_query = "query($p: PatientInput!) { assessRisk(patient: $p) { treatmentGroup } }"
    patient_digest = hashlib.sha256(patient_query.encode()).hexdigest()
    client.post("/graphql", json={"query": patient_query, "extensions": _apq(patient_digest),
                                  "variables": {"p": PATIENT}})
    refused = client.get("/graphql", query_string={"extensions": json.dumps(_apq(patient_digest))})
    assert refused.status_code == 405 and code(refused) == http.POST_REQUIRED


def test_trials_page_through_as_a_connection(loaded_graph, settings, client):
    from mdskg.settings import PROJECT_ROOT
    from tests.integration.conftest import trial_record_loaded

    trials_dir = PROJECT_ROOT / "tests" / "data" / "trials"
    with trial_record_loaded(loaded_graph, settings, trials_dir / "NCT99999901.xml"), \
            trial_record_loaded(loaded_graph, settings, trials_dir / "NCT99999902.xml"):
        listed = ok(gql(client, "query($p: PatientInput!) { trials(patient: $p) { nctId verdict } }", {"p": PATIENT}))
        query = """query($p: PatientInput!, $after: String) {
            trialsConnection(patient: $p, first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor }
              edges { node { nctId verdict missingFields { field label } } } } }"""
        paged, after = [], None
        while True:
            page = ok(gql(client, query, {"p": PATIENT, "after": after}))["trialsConnection"]
            paged += [{"nctId": e["node"]["nctId"], "verdict": e["node"]["verdict"]} for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(listed["trials"]) >= 2 and paged == listed["trials"] and page["totalCount"] == len(paged)


def test_patient_fields_describe_the_form(client):
    fields = ok(gql(client, "{ patientFields { field label kind units values loincCodes description } }"))[
        "patientFields"]
    by_name = {f["field"]: f for f in fields}
    from service.schema import schema

    assert list(by_name) == list(schema.graphql_schema.type_map["PatientInput"].fields)  # every field, in order
    assert all(f["label"] and f["description"] for f in fields)
    assert by_name["hemoglobin"]["kind"] == "QUANTITY" and {"g/dl", "g/l"} <= set(by_name["hemoglobin"]["units"])
    assert by_name["hemoglobin"]["loincCodes"] == ["718-7"] and by_name["serumEpo"]["label"] == "Serum EPO"
    assert by_name["marrowCellularity"]["kind"] == "CHOICE"
    assert by_name["marrowCellularity"]["values"] == ["hypocellular", "normocellular", "hypercellular"]
    assert by_name["ecog"]["kind"] == "WHOLE_NUMBER" and by_name["pnhClone"]["kind"] == "FLAG"
