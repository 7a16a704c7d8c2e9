"""The Flask application: GraphQL at /graphql, the reference app at /, health at /healthz and /readyz."""

from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request
from graphql import ExecutionResult, GraphQLError, ValidationRule, parse, specified_rules
from graphql_server.exceptions import GraphQLValidationError
from graphql_server.flask.views import GraphQLView
from graphql_server.http.exceptions import HTTPException as GraphQLHTTPException
from werkzeug.exceptions import HTTPException

from graph import reads as typed_reads
from mdskg.settings import Settings, load_settings
from service import errors, http, stream
from service.cache import LruCache, response_is_cacheable
from service.extensions import get_caches, get_graph, init_graph, init_writer
from service.limits import (
    RateLimiter,
    alias_limit_rule,
    bearer_token_ok,
    depth_limit_rule,
    json_too_deep,
    no_introspection_rule,
)
from service.writers import REQUEST_ID as WRITER_REQUEST_ID

log = logging.getLogger("mdskg.service")
WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"
GRAPHIQL_HTML = WEB_DIR / "graphiql.html"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
VALIDATED_DOCUMENTS = 256  # distinct GraphQL documents kept parsed and validated (apps send a handful)


def coded_rule(rule: type[ValidationRule], code: str) -> type[ValidationRule]:
    """A validation rule whose errors carry their own code (docs/api.md) instead of GRAPHQL_VALIDATION_FAILED."""

    class Coded(rule):  # type: ignore[valid-type,misc]
        def report_error(self, error: GraphQLError) -> None:
            error.extensions = {**(error.extensions or {}), "code": code}
            super().report_error(error)

    Coded.__name__ = rule.__name__
    return Coded


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error shape, also for refusals that happen before GraphQL runs."""
    body = {"data": None, "errors": [{"message": message,
                                      "extensions": {"code": code, "requestId": g.get("request_id", "-")}}]}
    response = Response(json.dumps(body), status=status, content_type="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class MdskgGraphQLView(GraphQLView):
    """graphql-server's Flask view with our limits and our error shape.

    One instance serves every request (it keeps no request state), so its rules are built once
    and its cache of validated documents lasts."""

    init_every_request = False

    def __init__(self, *args, settings: Settings, assets: http.AssetVersions, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.assets = assets
        rules = [coded_rule(depth_limit_rule(settings.max_query_depth), http.QUERY_TOO_DEEP),
                 coded_rule(alias_limit_rule(settings.max_aliases), http.TOO_MANY_ALIASES)]
        if not settings.introspection:
            rules.append(coded_rule(no_introspection_rule(), http.INTROSPECTION_DISABLED))
        self.validation_rules = (*specified_rules, *rules)
        self.documents = LruCache(VALIDATED_DOCUMENTS, max_bytes=8 * 1024 * 1024)
        self.patient_documents = LruCache(VALIDATED_DOCUMENTS)  # query text -> does it take a patient?
        self.persisted = http.PersistedQueries()  # automatic persisted queries (docs/api.md)

    def render_graphql_ide(self, request, request_data) -> Response:
        return self.assets.page(GRAPHIQL_HTML, request)

    def get_graphql_request_data(self, request, context, data, protocol):
        data = self.persisted.resolve(http.request_body_object(data), self.settings.max_query_chars)
        return super().get_graphql_request_data(request, context, data, protocol)

    def execute_operation(self, request_adapter, request_data, context, root_value, allowed_operation_types):
        from graphql_server.runtime import execute_sync

        query = request_data.query or ""
        if len(query) > self.settings.max_query_chars:
            raise GraphQLValidationError([http.document_error(
                f"The query document is too long ({len(query)} characters; at most {self.settings.max_query_chars}).",
                http.QUERY_TOO_LONG)])
        document, validate = request_data.document, None
        if document is None and request_data.query:
            document, validate = self._parsed(request_data.query)
        if document is not None:
            try:
                operation = http.select_operation(document, request_data.operation_name)
            except GraphQLError as exc:
                raise GraphQLValidationError([exc]) from exc
            patient = self._carries_patient(query, document, request_data.variables)
            g.mdskg_patient_request = patient
            if request_adapter.method == "GET":
                http.refuse_get(operation, patient)
        cache_key = self._response_cache_key(request_data)
        if cache_key is not None:
            cached = get_caches().responses.get(cache_key)
            if cached is not None:
                return ExecutionResult(data=cached)
        result = execute_sync(
            schema=self.schema, query=document or request_data.query, root_value=root_value,
            variable_values=request_data.variables, context_value=context,
            operation_name=request_data.operation_name, allowed_operation_types=allowed_operation_types,
            operation_extensions=request_data.extensions, validation_rules=self.validation_rules,
            validate_document=validate)
        if validate:
            # execute_sync raises before executing a document that fails validation, so a
            # document that got here is valid under this app's rules: later requests skip both steps.
            self.documents.put(request_data.query, document, len(request_data.query))
        if cache_key is not None and not result.errors and response_is_cacheable(context, result.data):
            get_caches().responses.put(cache_key, result.data)
        return result

    def _carries_patient(self, query: str, document, variables) -> bool:
        if isinstance(variables, dict) and http.carries_patient(self.schema, None, variables):
            return True
        known = self.patient_documents.get(query)
        if known is None:
            known = http.carries_patient(self.schema, document, None)
            self.patient_documents.put(query, known)
        return bool(known)

    def _parsed(self, query: str):
        """(document, validate?) — a document seen before was parsed and validated then; apps ask
        the same few documents again and again, and validating one costs more than answering
        from the caches."""
        document = self.documents.get(query)
        if document is not None:
            return document, False
        try:
            return parse(query), True
        except GraphQLError as exc:
            raise GraphQLValidationError([exc]) from exc

    def _response_cache_key(self, request_data):
        """The key of this request in the response cache, or None when the cache cannot be used
        (off, or the graph's version cannot be read: then the request runs and reports why)."""
        responses = get_caches().responses
        if not responses.enabled or not request_data.query:
            return None
        try:
            version = get_caches().version.token(timeout_s=self.settings.request_deadline_s)
        except Exception:  # noqa: BLE001 - e.g. Neo4j down: no cache, the resolvers report it
            return None
        return responses.key(version, request_data.query, request_data.variables, request_data.operation_name)

    def process_result(self, request, result: ExecutionResult, strict: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"data": result.data}
        if result.errors:
            data["errors"] = errors.format_errors(result.errors, g.get("request_id", "-"))
        warnings = errors.request_warnings()
        if warnings:
            data["extensions"] = {"warnings": warnings}
        return data

    def create_response(self, response_data, sub_response, is_strict):
        response = super().create_response(response_data, sub_response, is_strict)
        failed = bool(response_data.get("errors"))
        if is_strict and failed and response_data.get("data") is None and not any(
                "path" in error for error in response_data["errors"]):
            response.status_code = 400  # a request error under application/graphql-response+json
        return http.mark_graphql_response(response, request, self.settings,
                                          patient=bool(g.get("mdskg_patient_request")), ok=not failed)

    def dispatch_request(self):
        try:
            return self.run(request=request)
        except http.RequestRefused as exc:
            return error_response(exc.status_code, exc.code, str(exc.reason), exc.headers)
        except GraphQLHTTPException as exc:
            code = "METHOD_NOT_ALLOWED" if exc.status_code == 405 else "BAD_REQUEST"
            return error_response(exc.status_code, code, str(exc.reason))
        except errors.UserFacingError as exc:
            return error_response(400, exc.code, str(exc))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    settings: Settings = (test_config or {}).get("SETTINGS") or load_settings()
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    # graphql-server logs every GraphQL error with its message, which may quote a request's
    # values (a patient's numbers). Our error formatter logs unexpected errors itself, with the
    # request id and without request data; expected ones are answered, not logged.
    logging.getLogger("graphql_server.execution").setLevel(logging.CRITICAL)

    init_graph(app)
    init_writer(app)
    limiter = RateLimiter(settings.rate_limit_per_minute)
    assets = http.AssetVersions(STATIC_DIR)

    from service.schema import schema

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        WRITER_REQUEST_ID.set(g.request_id)  # the answer writer logs it (no request data)

    @app.before_request
    def _access_control():
        if request.method == "OPTIONS" or request.path in {"/healthz", "/readyz"} or request.path.startswith("/static/"):
            return None
        if request.path in ("/graphql", "/graphql/stream") and settings.api_keys and not bearer_token_ok(
                request.headers.get("Authorization"), settings.api_keys):
            return error_response(401, "UNAUTHENTICATED", "A valid API key is required: send `Authorization: Bearer <key>`.",
                                  {"WWW-Authenticate": "Bearer"})
        if request.method == "POST" and json_too_deep(request.get_data(cache=True)):
            return error_response(400, "BAD_REQUEST", "The request's JSON is nested too deeply.")
        client = request.headers.get("Authorization") or request.remote_addr or "-"
        wait = limiter.check(client)
        if wait is not None:
            return error_response(429, "RATE_LIMITED", "Too many requests; please slow down.",
                                  {"Retry-After": str(max(1, int(wait + 0.999)))})
        return None

    @app.after_request
    def _stamp(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "-")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return http.finish_response(response, request, settings, assets)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code == 413:
            return error_response(413, "PAYLOAD_TOO_LARGE",
                                  f"The request body is larger than {settings.max_body_bytes} bytes.")
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.code or 500, "HTTP_ERROR")
        allowed = getattr(exc, "valid_methods", None)
        return error_response(exc.code or 500, code, exc.description or exc.name,
                              {"Allow": ", ".join(allowed)} if allowed else None)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        import traceback

        log.error("unexpected error [request %s]: %s\n%s", g.get("request_id", "-"), type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)))
        return error_response(500, "INTERNAL_ERROR", f"Internal error (request id {g.get('request_id', '-')}).")

    view = MdskgGraphQLView.as_view(
        "graphql", schema=schema.graphql_schema, settings=settings, assets=assets,
        graphql_ide="graphiql" if settings.graphiql else None)
    app.add_url_rule("/graphql", view_func=view, methods=["GET", "POST"])
    stream.register(app, schema, settings)  # POST /graphql/stream: an answer as server-sent events

    @app.route("/graphql", methods=["OPTIONS"], endpoint="graphql_preflight")
    def _preflight():
        return Response(status=204)

    from service.web.analyst import analyst_pages

    app.register_blueprint(analyst_pages)  # Neo4j Browser's style sheet and guide (docs/analyst.md)

    @app.get("/")
    def index():
        return assets.page(STATIC_DIR / "index.html", request)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        graph = get_graph()
        if not graph.ping():
            return jsonify(status="unavailable", neo4j=False), 503
        try:
            info = typed_reads.graph_info(graph, timeout_s=5)
        except Exception:  # noqa: BLE001 - readiness is a yes/no question
            return jsonify(status="unavailable", neo4j=False), 503
        built = info.model_version is not None and info.built_at is not None
        return jsonify(status="ready" if built else "empty", neo4j=True, graphBuilt=built,
                       modelVersion=info.model_version, builtAt=info.built_at), (200 if built else 503)

    return app
