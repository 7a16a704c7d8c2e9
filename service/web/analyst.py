"""What an analyst loads into Neo4j Browser from the service: the style sheet and the cookbook as a guide.

    :style http://localhost:8000/analyst/style.grass     (the colours and captions, graph/browser/style.grass)
    :guide http://localhost:8000/analyst/guide.md        (docs/analyst.md as a Browser guide: every query runnable)

Neo4j Browser fetches both from the page's JavaScript, only from hosts its server allows
(`browser.remote_content_hostname_allowlist`, by default `guides.neo4j.com, localhost`: use `localhost`, not
127.0.0.1), and across origins (the Browser is on port 7474), so these public, read-only files are served
with `Access-Control-Allow-Origin: *`. Nothing here reads the graph or any patient data.
"""

from __future__ import annotations

import re
from functools import cache

from flask import Blueprint, Response, request

from mdskg.settings import PROJECT_ROOT

STYLE_FILE = PROJECT_ROOT / "graph" / "browser" / "style.grass"
COOKBOOK = PROJECT_ROOT / "docs" / "analyst.md"

analyst_pages = Blueprint("analyst", __name__, url_prefix="/analyst")

_RECIPE_MARK = re.compile(r"^<!--.*?-->\n", re.M | re.S)
_SECTION = re.compile(r"^(##+ )", re.M)


@cache
def guide_markdown() -> str:
    """docs/analyst.md as a Neo4j Browser Markdown guide: one slide per section (the Browser splits slides at a
    line `---`), the recipe markers taken out; ```cypher blocks become runnable in the Browser (a click puts the
    query in the editor)."""
    text = _RECIPE_MARK.sub("", COOKBOOK.read_text(encoding="utf-8"))
    head, _, body = text.partition("\n## ")
    body = "## " + body if body else ""
    slides = [head.strip()] + [s.strip() for s in re.split(r"\n(?=##+ \d)", body) if s.strip()]
    return "\n\n---\n\n".join(slides) + "\n"


def _public(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    return response


@analyst_pages.after_request
def _any_origin(response: Response) -> Response:
    """The Browser's fetch sends `Cache-Control`/`Pragma` request headers, so it asks first (a CORS preflight
    OPTIONS, answered by Flask): both answers allow any origin to GET these files and send those headers."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        asked = request.headers.get("Access-Control-Request-Headers", "")
        if re.fullmatch(r"[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*", asked):
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = "600"
    return response


@analyst_pages.get("/style.grass")
def style_sheet() -> Response:
    return _public(STYLE_FILE.read_text(encoding="utf-8"), "text/plain")


@analyst_pages.get("/guide.md")
def guide() -> Response:
    return _public(guide_markdown(), "text/markdown")
