"""GraphiQL in headless Chromium: the seed question, run by a person in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_graphiql_runs_the_seed_question(live_server, browser, artifacts_dir):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/graphql")
    page.locator(".graphiql-container").wait_for(timeout=30000)
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".result-window")
    result.get_by_text('"writer"').wait_for(timeout=60000)
    # The whole answer is rendered (its last fields and the therapy named) before the screenshot.
    expect(result).to_contain_text('"grounded": true', timeout=30000)
    expect(result).to_contain_text(re.compile("horse antithymocyte globulin", re.I), timeout=30000)
    page.screenshot(path=str(artifacts_dir / "graphiql-seed-question.png"))
    text = result.inner_text()
    assert '"grounded": true' in text
    assert "immunosuppressive therapy" in text.lower()
    assert "horse antithymocyte globulin" in text.lower()
    assert external == [], f"GraphiQL loaded something from outside the service: {external}"
    page.close()
