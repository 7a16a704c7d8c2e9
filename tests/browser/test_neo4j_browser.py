"""Neo4j Browser, as an analyst uses it: log in, run a query from docs/analyst.md, see the graph."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mdskg.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser
ANALYST_DOC = PROJECT_ROOT / "docs" / "analyst.md"


def analyst_queries(heading_prefix: str) -> list[str]:
    """The Cypher blocks of one section of docs/analyst.md, in order."""
    text = ANALYST_DOC.read_text(encoding="utf-8")
    start = text.index(heading_prefix)
    end = text.find("\n## " if heading_prefix.startswith("## ") else "\n### ", start + 1)
    section = text[start:end if end > 0 else None]
    return [block.strip() for block in re.findall(r"```cypher\n(.*?)```", section, re.S)]


def test_analyst_runs_the_seed_path_query_in_neo4j_browser(neo4j_server, loaded_graph, browser, artifacts_dir):
    blocks = analyst_queries("### 4.2")
    query = next(b for b in blocks if b.startswith("MATCH"))
    # Parameters stay set in the Browser, so the doc sets some in earlier sections: take the last setting
    # of each one the query uses, from the start of the recipes up to this query.
    earlier = analyst_queries("## 4.")
    settings_before = [b for b in earlier[: earlier.index(query)] if b.startswith(":param")]
    latest = {re.match(r":param (\w+)", b).group(1): b for b in settings_before}
    params = [b for name, b in latest.items() if f"${name}" in query]
    # The same query through the driver finds the path, so the screenshot shows real data.
    bound = {m.group(1): m.group(2) for m in (re.match(r":param (\w+) => '([^']+)'", p) for p in params)}
    assert loaded_graph.read_text(query, **bound), "the analyst query finds no path in the loaded graph"

    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(f"http://localhost:{neo4j_server.http_port}/browser/")
    page.get_by_test_id("boltaddress").fill(f"localhost:{neo4j_server.bolt_port}")
    page.get_by_test_id("username").fill("neo4j")
    page.get_by_test_id("password").fill(neo4j_server.settings.neo4j_password)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=30000)

    frames = page.locator("[data-testid='frame']")
    for statement in [*params, query]:
        shown = frames.count()
        editor = page.locator(".monaco-editor").first
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(statement)
        page.get_by_test_id("editor-Run").click()
        # each statement opens its own result frame before the next one is typed
        expect(frames).to_have_count(shown + 1, timeout=30000)
    # The result frame draws the path: the therapy and the drug appear as node captions.
    frames.first.wait_for(timeout=30000)
    expect(page.locator("svg.neod3viz, [data-testid='frame'] svg").first).to_be_visible(timeout=30000)
    page.screenshot(path=str(artifacts_dir / "neo4j-browser-seed-path.png"), full_page=False)
    frame_text = page.locator("[data-testid='frame']").first.inner_text()
    assert "ERROR" not in frame_text.upper().split("\n")[0]
    graph_svg = page.locator("svg.neod3viz, [data-testid='frame'] svg").first
    assert graph_svg.count() == 1
    page.close()
