"""The Flask application: GraphQL at /graphql, health at /healthz and /readyz."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request
from graphql import ExecutionResult
from graphql_server.flask.views import GraphQLView

from mdskg.settings import Settings, load_settings
from service import errors
from service.extensions import get_graph, init_graph

log = logging.getLogger("mdskg.service")
WEB_DIR = Path(__file__).resolve().parent / "web"
GRAPHIQL_HTML = WEB_DIR / "graphiql.html"


class MdskgGraphQLView(GraphQLView):
    """graphql-server's Flask view with our error shape."""

    def render_graphql_ide(self, request, request_data) -> Response:
        return Response(GRAPHIQL_HTML.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8")

    def process_result(self, request, result: ExecutionResult, strict: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"data": result.data}
        if result.errors:
            data["errors"] = [errors.format_error(err, g.get("request_id", "-")) for err in result.errors]
        return data


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(WEB_DIR / "static"), static_url_path="/static")
    settings: Settings = (test_config or {}).get("SETTINGS") or load_settings()
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    init_graph(app)

    from service.schema import schema

    @app.before_request
    def _request_id() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:16]

    @app.after_request
    def _stamp(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "-")
        return response

    view = MdskgGraphQLView.as_view(
        "graphql", schema=schema.graphql_schema,
        graphql_ide="graphiql" if settings.graphiql else None)
    app.add_url_rule("/graphql", view_func=view, methods=["GET", "POST"])

    @app.get("/")
    def index():
        return app.send_static_file("index.html")

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        graph = get_graph()
        if not graph.ping():
            return jsonify(status="unavailable", neo4j=False), 503
        info = graph.read("graph_info")[0]
        built = info["modelVersion"] is not None
        return jsonify(status="ready" if built else "empty", neo4j=True, graphBuilt=built,
                       modelVersion=info["modelVersion"]), (200 if built else 503)

    return app
