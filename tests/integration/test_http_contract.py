"""The HTTP contract of /graphql and the pages (docs/api.md): compression, Cache-Control and ETags,
GET refused for patient data, CORS headers, and the request-shape errors with their statuses and codes."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from service import http
from service.app import create_app

STRICT = "application/graphql-response+json"
SEED = ('{ ask(question: "What is immunotherapy and does it work for MDS?") '
        "{ text sections { title body } citations { id title } } }")
PATIENT = {"age": 72, "marrowBlastsPct": 3, "karyotype": "46,XY", "hemoglobin": {"value": 9.1, "unit": "g/dL"}}
PATIENT_QUERY = "query($p: PatientInput!) { assessRisk(patient: $p) { riskGroup } }"


def make_client(settings, graph, **overrides):
    return create_app({"SETTINGS": settings.with_overrides(**overrides), "GRAPH": graph}).test_client()


def first_error(response) -> dict:
    body = response.get_json()
    assert body["data"] is None and len(body["errors"]) == 1, body
    error = body["errors"][0]
    assert error["extensions"]["requestId"] == response.headers["X-Request-Id"]  # the one error shape
    return error


# ---- compression ------------------------------------------------------------------------------------

def test_answers_are_gzipped_when_the_client_accepts_it(loaded_graph, client):
    plain = client.post("/graphql", json={"query": SEED})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert len(plain.data) > 1024 and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.post("/graphql", json={"query": SEED}, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
    small = client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers  # under 1 KB: not worth it
    refused = client.post("/graphql", json={"query": SEED}, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_graphiql_and_its_scripts_are_compressed(client):
    page = client.get("/graphql", headers={"Accept": "text/html", "Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    script = re.search(r'src="(/static/vendor/graphiql\.min\.js\?v=\w+)"', gzip.decompress(page.data).decode())
    assert script, "GraphiQL's script is linked with its content version"
    bundle = client.get(script.group(1), headers={"Accept-Encoding": "gzip"})
    assert bundle.status_code == 200 and bundle.headers["Content-Encoding"] == "gzip"
    raw = client.get(script.group(1))
    assert "Content-Encoding" not in raw.headers and gzip.decompress(bundle.data) == raw.data
    assert len(bundle.data) < len(raw.data) / 3


# ---- caching headers --------------------------------------------------------------------------------

def test_versioned_static_assets_are_immutable_and_others_revalidate(client):
    page = client.get("/").data.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert links and all("?v=" in link for link in links), links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", link
    unversioned = client.get("/static/app.js")
    assert unversioned.headers["Cache-Control"] == "no-cache" and unversioned.headers.get("ETag")
    stale = client.get("/static/app.js?v=not-the-current-one")
    assert stale.headers["Cache-Control"] == "no-cache"  # only the current version is kept for a year
    again = client.get("/static/app.js", headers={"If-None-Match": unversioned.headers["ETag"]})
    assert again.status_code == 304
    zipped = client.get("/static/app.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["ETag"].startswith("W/")  # other bytes, same content
    assert client.get("/static/app.js", headers={"If-None-Match": zipped.headers["ETag"],
                                                 "Accept-Encoding": "gzip"}).status_code == 304


def test_pages_revalidate_with_an_etag(client):
    for headers in ({}, {"Accept": "text/html"}):
        path = "/" if not headers else "/graphql"
        page = client.get(path, headers=headers)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-cache"
        assert client.get(path, headers={**headers, "If-None-Match": page.headers["ETag"]}).status_code == 304
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_get_queries_have_an_etag_and_short_public_caching(loaded_graph, settings, graph):
    client = make_client(settings, graph, http_cache_max_age_s=45)
    query = {"query": '{ entity(id: "MDSKG:therapy/ist") { id name } }'}
    first = client.get("/graphql", query_string=query)
    assert first.status_code == 200 and first.get_json()["data"]["entity"]["id"] == "MDSKG:therapy/ist"
    assert first.headers["Cache-Control"] == "public, max-age=45"
    etag = first.headers["ETag"]
    assert etag and client.get("/graphql", query_string=query).headers["ETag"] == etag
    unchanged = client.get("/graphql", query_string=query, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    other = client.get("/graphql", query_string={"query": '{ entity(id: "MDSKG:therapy/hma") { id name } }'})
    assert other.headers["ETag"] != etag
    failed = client.get("/graphql", query_string={"query": "{ nope }"})
    assert failed.headers["Cache-Control"] == "no-store" and "ETag" not in failed.headers
    keyed = make_client(settings, graph, api_keys=("k1",)).get(
        "/graphql", query_string=query, headers={"Authorization": "Bearer k1"})
    assert keyed.headers["Cache-Control"].startswith("private")  # not for shared caches


def test_post_answers_are_private_and_patient_answers_never_stored(loaded_graph, client):
    plain = client.post("/graphql", json={"query": "{ graphInfo { nodeCount } }"})
    assert re.fullmatch(r"private, max-age=\d+", plain.headers["Cache-Control"])
    patient = client.post("/graphql", json={"query": PATIENT_QUERY, "variables": {"p": PATIENT}})
    assert patient.status_code == 200 and patient.get_json()["data"]["assessRisk"]["riskGroup"]
    assert patient.headers["Cache-Control"] == "no-store"
    inline = client.post("/graphql", json={"query": "{ assessRisk(patient: {age: 70}) { riskGroup } }"})
    assert inline.headers["Cache-Control"] == "no-store"
    failed = client.post("/graphql", json={"query": "{ nope }"})
    assert failed.headers["Cache-Control"] == "no-store"


# ---- GET with patient data is refused -----------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"query": PATIENT_QUERY, "variables": json.dumps({"p": PATIENT})},
    {"query": '{ assessRisk(patient: {age: 72, marrowBlastsPct: 3}) { riskGroup } }'},
    {"query": 'query($q: String!, $p: PatientInput) { ask(question: $q, patient: $p) { text } }',
     "variables": json.dumps({"q": "Am I a candidate for IST?"})},
    {"query": "{ graphInfo { nodeCount } }", "variables": json.dumps({"patient": PATIENT})},
    {"query": 'mutation { importPatient(record: "{}") { format } }'},
])
def test_get_with_patient_data_is_refused(client, params):
    refused = client.get("/graphql", query_string=params)
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST"
    assert refused.headers["Cache-Control"] == "no-store"
    error = first_error(refused)
    assert error["extensions"]["code"] == http.POST_REQUIRED and "POST" in error["message"]


def test_get_without_patient_data_still_works(loaded_graph, client):
    response = client.get("/graphql", query_string={"query": "query($t: String!) { search(text: $t) { id } }",
                                                    "variables": json.dumps({"t": "luspatercept"})})
    assert response.status_code == 200 and response.get_json()["data"]["search"]


# ---- CORS ---------------------------------------------------------------------------------------------

def test_cors_exposes_headers_and_caches_the_preflight(settings, graph):
    client = make_client(settings, graph, cors_origins=("https://app.example.org",), cors_max_age_s=900)
    origin = {"Origin": "https://app.example.org"}
    preflight = client.options("/graphql", headers={**origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert preflight.headers["Access-Control-Max-Age"] == "900"
    answer = client.post("/graphql", json={"query": "{ __typename }"}, headers=origin)
    exposed = {h.strip() for h in answer.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Request-Id", "Retry-After"} <= exposed and "Origin" in answer.headers["Vary"]
    stranger = client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    assert "Access-Control-Expose-Headers" not in stranger.headers
    limited = make_client(settings, graph, cors_origins=("https://app.example.org",), rate_limit_per_minute=1)
    limited.post("/graphql", json={"query": "{ __typename }"}, headers=origin)
    slow_down = limited.post("/graphql", json={"query": "{ __typename }"}, headers=origin)
    assert slow_down.status_code == 429 and slow_down.headers["Retry-After"]
    assert "Retry-After" in slow_down.headers["Access-Control-Expose-Headers"]


# ---- request-shape errors -----------------------------------------------------------------------------

def test_batched_requests_are_refused_with_a_clear_400(client):
    batch = client.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert batch.status_code == 400
    error = first_error(batch)
    assert error["extensions"]["code"] == http.BATCHING_NOT_SUPPORTED
    assert "one operation per request" in error["message"]
    for body in ('"just a string"', "42", "null"):
        odd = client.post("/graphql", data=body, content_type="application/json")
        assert odd.status_code == 400 and first_error(odd)["extensions"]["code"] == http.BAD_REQUEST
    typed = client.post("/graphql", json={"query": 42})
    assert typed.status_code == 400 and first_error(typed)["extensions"]["code"] == http.BAD_REQUEST
    broken = client.post("/graphql", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and first_error(broken)["extensions"]["code"] == http.BAD_REQUEST


def test_operation_name_rules(client):
    two = "query A { __typename } query B { graphInfo { nodeCount } }"
    missing = client.post("/graphql", json={"query": two})
    assert missing.status_code == 200
    error = first_error(missing)
    assert error["extensions"]["code"] == http.OPERATION_NAME_REQUIRED and "operationName" in error["message"]
    assert client.post("/graphql", json={"query": two}, headers={"Accept": STRICT}).status_code == 400
    unknown = client.post("/graphql", json={"query": two, "operationName": "C"})
    assert first_error(unknown)["extensions"]["code"] == http.UNKNOWN_OPERATION_NAME
    chosen = client.post("/graphql", json={"query": two, "operationName": "A"})
    assert chosen.status_code == 200 and chosen.get_json() == {"data": {"__typename": "Query"}}


def test_document_limits_have_their_own_codes_and_one_status_rule(settings, graph):
    client = make_client(settings, graph, max_query_depth=3, max_aliases=2, max_query_chars=300, max_body_bytes=5000)
    deep = '{ entity(id: "NCIT:C3247") { neighbours { edges { node { neighbours { edges { node { id } } } } } } } }'
    cases = {
        http.QUERY_TOO_DEEP: {"query": deep},
        http.TOO_MANY_ALIASES: {"query": "{ a: __typename b: __typename c: __typename }"},
        http.QUERY_TOO_LONG: {"query": "{ __typename }" + " " * 400},
        "GRAPHQL_VALIDATION_FAILED": {"query": "{ noSuchField }"},
    }
    for code, body in cases.items():
        relaxed = client.post("/graphql", json=body)
        assert relaxed.status_code == 200, code  # application/json: GraphQL-over-HTTP's 200 for request errors
        assert first_error(relaxed)["extensions"]["code"] == code
        strict = client.post("/graphql", json=body, headers={"Accept": STRICT})
        assert strict.status_code == 400, code
        assert strict.headers["Content-Type"].startswith(STRICT) and first_error(strict)["extensions"]["code"] == code
    huge = client.post("/graphql", data='{"query": "' + " " * 10000 + '{ __typename }"}',
                       content_type="application/json")
    assert huge.status_code == 413 and first_error(huge)["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_every_code_is_documented():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    codes = {value for name, value in vars(http).items() if name.isupper() and isinstance(value, str)
             and re.fullmatch(r"[A-Z_]+", value)}
    codes |= {"GRAPHQL_VALIDATION_FAILED", "BAD_INPUT", "UNAUTHENTICATED", "RATE_LIMITED", "PAYLOAD_TOO_LARGE",
              "SERVICE_UNAVAILABLE", "INTERNAL_ERROR", "METHOD_NOT_ALLOWED", "NOT_FOUND"}
    missing = sorted(code for code in codes if f"`{code}`" not in guide)
    assert not missing, f"docs/api.md does not document {missing}"
