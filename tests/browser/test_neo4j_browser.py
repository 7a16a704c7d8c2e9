"""Neo4j Browser, as an analyst uses it: log in, apply the style with the documented one-liner, open the cookbook
guide, run queries from docs/analyst.md, see the graph."""

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


def recipe(name: str) -> str:
    """The query of the named recipe (`<!-- recipe: name -->`) of docs/analyst.md."""
    text = ANALYST_DOC.read_text(encoding="utf-8")
    match = re.search(r"<!--\s*recipe:\s*" + re.escape(name) + r"\s*-->\s*\n```cypher\n(.*?)```", text, re.S)
    assert match, name
    return match.group(1).strip()


def one_liner(command: str) -> str:
    """The documented one-liner starting with `command` (":style http…", ":guide http…")."""
    text = ANALYST_DOC.read_text(encoding="utf-8")
    match = re.search(r"^(" + re.escape(command) + r" http://localhost:8000/\S+)$", text, re.M)
    assert match, command
    return match.group(1)


def log_in(page, neo4j_server) -> None:
    page.goto(f"http://localhost:{neo4j_server.http_port}/browser/")
    page.get_by_test_id("boltaddress").fill(f"localhost:{neo4j_server.bolt_port}")
    page.get_by_test_id("username").fill("neo4j")
    page.get_by_test_id("password").fill(neo4j_server.settings.neo4j_password)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=30000)


def run_command(page, statement: str) -> None:
    frames = page.locator("[data-testid='frame']")
    shown = frames.count()
    page.locator(".monaco-editor").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(statement)
    page.get_by_test_id("editor-Run").click()
    expect(frames).to_have_count(shown + 1, timeout=30000)


def svg_state(page) -> dict:
    """Fill colours of the drawn nodes and the texts of the newest frame's drawing."""
    return page.evaluate("""() => {
        const svg = [...document.querySelectorAll("[data-testid='frame'] svg")].find(s => s.querySelector('g.node'));
        if (!svg) return {fills: [], texts: []};
        const fill = c => (c.getAttribute('fill') || '').toUpperCase();
        return {fills: [...svg.querySelectorAll('g.node circle')].map(fill),
                texts: [...svg.querySelectorAll('text')].map(t => t.textContent.trim())};
    }""")


def test_analyst_styles_the_browser_with_the_one_liner_and_runs_cookbook_queries(
        neo4j_server, loaded_graph, live_server, browser, artifacts_dir):
    from ontology import load_ontology

    colours = {name: spec.color.upper() for name, spec in load_ontology().node_types.items()}
    # twice the pixels, so the small captions of the drawings stay readable in the screenshots
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, device_scale_factor=2)
    log_in(page, neo4j_server)
    # The service serves the style sheet; the doc's one-liner names port 8000, the test's service runs elsewhere.
    style = one_liner(":style").replace("localhost:8000", f"localhost:{live_server.port}")
    run_command(page, style)
    newest = page.locator("[data-testid='frame']").first
    expect(newest).to_contain_text("node.Therapy", timeout=30000)  # the frame lists the style now in effect
    assert "error" not in newest.inner_text().lower()

    # Recipe model-schema: the model's labels only, each in its own colour, Entity nowhere.
    run_command(page, ":param helpers => ['Entity', 'Document', 'GraphMeta']")
    run_command(page, recipe("model-schema"))
    expect(page.locator("[data-testid='frame'] svg g.node").first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1500)  # let the force layout settle before the picture
    page.locator("[data-testid='frame']").first.screenshot(path=str(artifacts_dir / "neo4j-browser-model-schema.png"))
    drawn = svg_state(page)
    assert "Entity" not in drawn["texts"] and {"Therapy", "Drug", "Disease"} <= set(drawn["texts"]), drawn["texts"]
    assert set(colours.values()) <= set(drawn["fills"]), drawn["fills"]  # every label its own colour

    # Recipe facts-drawn: PREDICTS_RESPONSE_TO facts, each arrow captioned with its reading, not its type.
    run_command(page, ":param type => 'PREDICTS_RESPONSE_TO'")
    run_command(page, recipe("facts-drawn"))
    expect(page.locator("[data-testid='frame'] svg g.node").first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1500)
    page.locator("[data-testid='frame']").first.screenshot(
        path=str(artifacts_dir / "neo4j-browser-facts-direction.png"))
    drawn = svg_state(page)
    # the arrows' captions are their readings ("positive, conf 0.7"; cut short with … where the arrow is short)
    captions = [text for text in drawn["texts"] if text.startswith(("positive", "negative"))]
    assert captions and all("PREDICTS_RESPONSE_TO" not in text for text in drawn["texts"]), drawn["texts"]
    assert colours["Biomarker"] in drawn["fills"] and colours["Therapy"] in drawn["fills"]

    # The cookbook as a Browser guide, from the service: its first slide in the sidebar.
    guide = one_liner(":guide").replace("localhost:8000", f"localhost:{live_server.port}")
    page.locator(".monaco-editor").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(guide)
    page.get_by_test_id("editor-Run").click()
    expect(page.get_by_text("Exploring the MDS knowledge graph in Neo4j Browser").first).to_be_visible(timeout=30000)
    page.screenshot(path=str(artifacts_dir / "neo4j-browser-cookbook-guide.png"), full_page=False)
    page.close()
