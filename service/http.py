"""HTTP around the GraphQL API: which requests must come by POST, caching headers and ETags,
compression, CORS, and the request-shape refusals (docs/api.md lists every status and code).

The app (service/app.py) calls `finish_response` once per response, after the view has said how
its GraphQL answer may be cached (`mark_graphql_response`).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Request, Response
from graphql import (
    BREAK,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    TypeNode,
    Visitor,
    get_named_type,
    visit,
)
from graphql_server.http.exceptions import HTTPException as GraphQLHTTPException

from mdskg.errors import MdskgError
from mdskg.settings import Settings
from service.cache import LruCache

# ---- error codes of request-shape problems (docs/api.md) -------------------------------------------
BAD_REQUEST = "BAD_REQUEST"
BATCHING_NOT_SUPPORTED = "BATCHING_NOT_SUPPORTED"
POST_REQUIRED = "POST_REQUIRED"
QUERY_TOO_LONG = "QUERY_TOO_LONG"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
OPERATION_NAME_REQUIRED = "OPERATION_NAME_REQUIRED"
UNKNOWN_OPERATION_NAME = "UNKNOWN_OPERATION_NAME"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"


class RequestRefused(MdskgError, GraphQLHTTPException):
    """A request refused before GraphQL runs: answered in the one error shape with this status,
    code and headers (graphql-server passes its own HTTPException through unchanged)."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None):
        GraphQLHTTPException.__init__(self, status, message)
        Exception.__init__(self, message)
        self.code = code
        self.headers = dict(headers or {})


def document_error(message: str, code: str) -> GraphQLError:
    """A GraphQL request error (the document cannot run) with its own code."""
    return GraphQLError(message, extensions={"code": code})


def request_body_object(data: Any) -> dict[str, Any]:
    """The decoded body or query string as one GraphQL request, or a refusal that says why."""
    if isinstance(data, list):
        raise RequestRefused(400, BATCHING_NOT_SUPPORTED,
                             "Batched requests (a JSON array of operations) are not supported: send one operation "
                             "per request, a JSON object with `query`, `variables` and `operationName`.")
    if not isinstance(data, dict):
        raise RequestRefused(400, BAD_REQUEST, "The request body must be a JSON object with a `query` string.")
    for key in ("query", "operationName"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise RequestRefused(400, BAD_REQUEST, f"`{key}` must be a string.")
    return data


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs, by the GraphQL-over-HTTP rules: a document with several
    operations needs `operationName`, and the name must be one of them. None: no operation."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        for operation in operations:
            if operation.name is not None and operation.name.value == operation_name:
                return operation
        raise document_error(f'The document has no operation named "{operation_name}".', UNKNOWN_OPERATION_NAME)
    if len(operations) > 1:
        names = ", ".join(o.name.value if o.name else "(anonymous)" for o in operations)
        raise document_error(f"The document has {len(operations)} operations ({names}): say which one to run "
                             "with `operationName`.", OPERATION_NAME_REQUIRED)
    return operations[0] if operations else None


# ---- automatic persisted queries (Apollo's APQ protocol) ----------------------------------------------
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PersistedQueries:
    """Documents registered by their SHA-256, so a client can send the hash instead of the document.

    Apollo's protocol: a request with `extensions.persistedQuery = {version: 1, sha256Hash}` and no `query`
    runs the registered document, or answers PERSISTED_QUERY_NOT_FOUND (message `PersistedQueryNotFound`,
    HTTP 200, so clients retry instead of giving up); the client then sends the hash with the document,
    which registers it. Kept per worker process, least recently used first out; a worker that does not
    know a hash simply asks for the document again."""

    def __init__(self, entries: int = 1000, max_bytes: int = 8 * 1024 * 1024):
        self.documents = LruCache(entries, max_bytes=max_bytes)

    def resolve(self, data: dict[str, Any], max_query_chars: int) -> dict[str, Any]:
        """The request with its document filled in from the hash, or a refusal that says why."""
        extensions = data.get("extensions")
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return data
        persisted = extensions["persistedQuery"]
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise RequestRefused(400, PERSISTED_QUERY_NOT_SUPPORTED,
                                 "Only version 1 of automatic persisted queries is supported: "
                                 "`extensions.persistedQuery` = {version: 1, sha256Hash}.")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise RequestRefused(400, BAD_REQUEST, "`extensions.persistedQuery.sha256Hash` must be the SHA-256 of "
                                                   "the query document, 64 lower-case hex digits.")
        query = data.get("query")
        if query:
            if hashlib.sha256(query.encode("utf-8")).hexdigest() != digest:
                raise RequestRefused(400, PERSISTED_QUERY_HASH_MISMATCH,
                                     "`sha256Hash` is not the SHA-256 of `query` (of its UTF-8 bytes).")
            if len(query) <= max_query_chars:
                self.documents.put(digest, query, len(query))
            return data
        stored = self.documents.get(digest)
        if stored is None:
            raise RequestRefused(200, PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
        return {**data, "query": stored}


# ---- patient data travels by POST only ----------------------------------------------------------------

def _is_patient_type(type_name: str) -> bool:
    return "Patient" in type_name  # PatientInput and any input type a patient's data is written in


def _type_name(node: TypeNode) -> str:
    while isinstance(node, (NonNullTypeNode, ListTypeNode)):
        node = node.type
    return node.name.value if isinstance(node, NamedTypeNode) else ""


class _PatientFinder(Visitor):
    """Finds a variable or argument that takes a patient, or a mutation about a patient (importPatient)."""

    def __init__(self, type_info: TypeInfo, mutation_type: str):
        super().__init__()
        self.type_info = type_info
        self.mutation_type = mutation_type
        self.found = False

    def enter_variable_definition(self, node, *_):
        if _is_patient_type(_type_name(node.type)) or node.variable.name.value.lower() == "patient":
            self.found = True
            return BREAK
        return None

    def enter_argument(self, node, *_):
        argument = self.type_info.get_argument()
        if argument is None or self.type_info.get_directive() is not None:
            return None
        if _is_patient_type(get_named_type(argument.type).name) or node.name.value.lower() == "patient":
            self.found = True
            return BREAK
        return None

    def enter_field(self, node, *_):
        parent = self.type_info.get_parent_type()
        if parent is not None and parent.name == self.mutation_type and "patient" in node.name.value.lower():
            self.found = True
            return BREAK
        return None


def carries_patient(schema: GraphQLSchema, document: DocumentNode | None, variables: Any) -> bool:
    """True when a request holds (or can hold) a patient's data: a variable named like a patient
    or typed PatientInput, or an argument that takes a patient (inline values included)."""
    if isinstance(variables, dict) and any("patient" in str(key).lower() for key in variables):
        return True
    if document is None:
        return False
    type_info = TypeInfo(schema)
    finder = _PatientFinder(type_info, schema.mutation_type.name if schema.mutation_type else "Mutation")
    visit(document, TypeInfoVisitor(type_info, finder))
    return finder.found


def refuse_get(operation: OperationDefinitionNode | None, patient: bool) -> None:
    """GET runs queries without patient data; everything else is refused with 405 (GraphQL-over-HTTP:
    mutations MUST NOT run over GET; here patient values must not land in URLs and access logs)."""
    if operation is not None and operation.operation != OperationType.QUERY:
        raise RequestRefused(405, POST_REQUIRED, f"{operation.operation.value.capitalize()}s are not accepted by GET: "
                             "send them by POST with a JSON body.", {"Allow": "POST"})
    if patient:
        raise RequestRefused(405, POST_REQUIRED, "Patient data is not accepted by GET (it would be kept in URLs and "
                             "access logs): send this query by POST with the patient in `variables`.",
                             {"Allow": "POST"})


# ---- caching ------------------------------------------------------------------------------------------
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NO_STORE = "no-store"


def mark_graphql_response(response: Response, request: Request, settings: Settings, *, patient: bool,
                          ok: bool) -> Response:
    """Cache-Control (and for GET an ETag, answering 304 when it matches) of one GraphQL answer."""
    if not ok or patient or request.method != "GET":
        if ok and not patient and request.method == "POST":
            response.headers["Cache-Control"] = f"private, max-age={max(0, settings.http_cache_max_age_s)}"
        else:
            response.headers["Cache-Control"] = NO_STORE
        return response
    scope = "private" if settings.api_keys else "public"
    age = max(0, settings.http_cache_max_age_s)
    response.headers["Cache-Control"] = f"{scope}, max-age={age}" if age else f"{scope}, no-cache"
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.make_conditional(request)
    return response


class AssetVersions:
    """Content hashes of static files, so pages can link `?v=<hash>` URLs that are safe to keep for a year."""

    def __init__(self, static_dir: Path):
        self.static_dir = static_dir.resolve()
        self._known: dict[str, tuple[float, int, str]] = {}

    def version(self, relative: str) -> str | None:
        path = (self.static_dir / relative).resolve()
        if not path.is_file() or self.static_dir not in path.parents:
            return None
        stat = path.stat()
        known = self._known.get(relative)
        if known is not None and known[:2] == (stat.st_mtime, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._known[relative] = (stat.st_mtime, stat.st_size, digest)
        return digest

    def link_versions(self, html: str) -> str:
        """Every `/static/…` link of a page, with its content version."""
        def versioned(match: re.Match[str]) -> str:
            version = self.version(match.group(2))
            return match.group(0) if version is None else f'{match.group(1)}="/static/{match.group(2)}?v={version}"'

        return re.sub(r'\b(href|src)="/static/([^"?#]+)"', versioned, html)

    def page(self, html_path: Path, request: Request) -> Response:
        """A page with versioned links: revalidated every time by its ETag (a deploy shows at once)."""
        response = Response(self.link_versions(html_path.read_text(encoding="utf-8")),
                            content_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = REVALIDATE
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)
        return response


def _static_cache_control(response: Response, request: Request, assets: AssetVersions) -> None:
    relative = request.path[len("/static/"):]
    wanted = request.args.get("v")
    if wanted and wanted == assets.version(relative):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = REVALIDATE  # unversioned URL: keep, but ask (ETag) each time
    response.expires = None


# ---- compression --------------------------------------------------------------------------------------
MIN_COMPRESS_BYTES = 1024
COMPRESSIBLE = {"application/json", "application/graphql-response+json", "text/html", "text/css",
                "text/javascript", "application/javascript", "image/svg+xml", "text/plain"}
_compressed = LruCache(64, max_bytes=16 * 1024 * 1024)  # gzipped bodies of responses with an ETag (static files)


def _accepts_gzip(request: Request) -> bool:
    return request.accept_encodings["gzip"] > 0


def compress(response: Response, request: Request) -> Response:
    """gzip a JSON/HTML/CSS/JS body of 1 KB or more when the client accepts it."""
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (response.status_code != 200 or "Content-Encoding" in response.headers or not _accepts_gzip(request)
            or "no-transform" in response.headers.get("Cache-Control", "")):
        return response
    if response.is_streamed and not response.direct_passthrough:
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    etag, weak = response.get_etag()
    packed = _compressed.get((etag, "gzip")) if etag else None
    if packed is None:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        if etag:
            _compressed.put((etag, "gzip"), packed, len(packed))
    response.set_data(packed)
    response.headers["Content-Encoding"] = "gzip"
    if etag and not weak:
        response.set_etag(etag, weak=True)  # same content, other bytes: a weak validator (If-None-Match still matches)
    return response


# ---- CORS ---------------------------------------------------------------------------------------------
EXPOSED_HEADERS = "X-Request-Id, Retry-After"


def cors(response: Response, request: Request, settings: Settings) -> None:
    """The allow-listed origins (MDSKG_CORS_ORIGINS) may call the API and read its headers."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origin or origin not in settings.cors_origins:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization, X-Request-Id"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Max-Age"] = str(max(0, settings.cors_max_age_s))


def finish_response(response: Response, request: Request, settings: Settings, assets: AssetVersions) -> Response:
    """Caching headers by route, then compression, then CORS, for every response."""
    if request.path.startswith("/static/") and response.status_code in (200, 304):
        _static_cache_control(response, request, assets)
    elif request.method != "OPTIONS" and "Cache-Control" not in response.headers:
        # errors, health, refusals: nothing to keep
        response.headers["Cache-Control"] = NO_STORE
    compress(response, request)
    cors(response, request, settings)
    return response
