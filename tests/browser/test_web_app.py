"""The reference web app (served at /) driven in headless Chromium against the real service.

Each test saves a full-page screenshot under tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

SEED = "What is immunotherapy and does it work for MDS?"
HORSE_ATG = "MDSKG:drug/horse-atg"
IST = "MDSKG:therapy/ist"
TIMEOUT_MS = 60_000


class Page:
    """A fresh browser context on the app, recording console errors and every request's origin."""

    def __init__(self, browser, base_url: str, viewport=(1280, 900)):
        self.base_url = base_url
        self.closed = False
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           service_workers="block")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.console_errors: list[str] = []
        self.origins: set[str] = set()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("request", lambda r: self.origins.add("{0.scheme}://{0.netloc}".format(urlsplit(r.url))))

    def open(self):
        self.page.goto(self.base_url + "/")
        self.page.wait_for_selector("html[data-ready='true']")
        return self.page

    def ask(self, question: str):
        page = self.page
        page.fill("#question", question)
        page.click("#ask-button")
        page.wait_for_function(
            "() => { const s = document.querySelector('#answer-section');"
            " return s && !s.hidden && s.getAttribute('aria-busy') === 'false'"
            " && (document.querySelector('#answer-body').children.length > 0"
            "     || !document.querySelector('#answer-error').hidden); }")

    def close(self):
        if not self.closed:
            self.closed = True
            self.context.close()

    def finish(self, artifacts_dir, name: str):
        self.page.screenshot(path=str(artifacts_dir / name), full_page=True)
        origins, errors = set(self.origins), list(self.console_errors)
        self.close()
        own = "{0.scheme}://{0.netloc}".format(urlsplit(self.base_url))
        assert origins <= {own}, f"the page made requests outside the service: {origins - {own}}"
        assert not errors, errors


@pytest.fixture()
def new_page(browser):
    made: list[Page] = []

    def make(base_url: str, viewport=(1280, 900)) -> Page:
        made.append(Page(browser, base_url, viewport))
        return made[-1]

    yield make
    for holder in made:  # a failed test leaves its context open
        holder.close()


@pytest.fixture()
def app_page(new_page, live_server):
    return new_page(live_server.url)


def test_seed_question_draws_the_path_to_horse_atg_and_lists_sources(app_page, artifacts_dir):
    page = app_page.open()
    # the examples are there, and an example asks on click
    examples = page.locator("#example-list .chip").all_inner_texts()
    for q in (SEED, "What is luspatercept?", "Am I a candidate for IST?", "What are the side effects of azacitidine?",
              "What if ESAs stop working?"):
        assert q in examples
    page.get_by_role("button", name=SEED).click()
    page.wait_for_selector("#answer-section[aria-busy='false'] .answer-part")
    assert page.input_value("#question") == SEED
    assert page.locator("#answer-error").is_hidden()

    # plain-language sections with citation marks that link to the list
    assert page.locator("#answer-body .answer-part h3").count() >= 2
    marks = page.locator("#answer-body a.cite-ref")
    assert marks.count() >= 3
    assert marks.first.get_attribute("href").startswith("#cite-")
    assert "template" in page.inner_text("#answer-body .answer-meta")
    assert "Passed" in page.inner_text("#grounded")
    assert "not medical advice" in page.inner_text("#answer-body .disclaimer")

    # numbered sources with links
    sources = page.locator("#citation-list li")
    assert sources.count() >= 3
    links = page.locator("#citation-list li a[href^='http']")
    assert links.count() >= 3
    kinds = " ".join(page.locator("#citation-list .tag").all_inner_texts())
    assert "PubMed" in kinds or "Guideline" in kinds

    # the walked path MDS → lower-risk → hypocellular → IST → horse ATG, drawn as SVG
    page.wait_for_selector("#paths-section:not([hidden]) svg.path-svg")
    horse = page.locator(f"svg.path-svg g.node[data-id='{HORSE_ATG}']")
    for _ in range(10):
        if horse.count():
            break
        more = page.locator("#more-paths")
        assert more.is_visible(), "the path to horse ATG is not among the drawn paths"
        more.click()
    assert horse.count() >= 1
    sizes = horse.evaluate_all("els => els.map(e => e.ownerSVGElement.querySelectorAll('g.node').length)")
    svg = horse.nth(sizes.index(max(sizes))).locator("xpath=ancestor::*[local-name()='svg'][1]")
    names = svg.locator("g.node").evaluate_all("els => els.map(e => e.textContent)")
    assert any("horse" in n.lower() for n in names), names
    ids = svg.locator("g.node").evaluate_all("els => els.map(e => e.dataset.id)")
    assert ids[-1] == HORSE_ATG and IST in ids and ids[0] == "NCIT:C3247", ids
    if len(ids) == 5:  # the full walk: MDS → lower-risk → lower-risk hypocellular MDS → IST → horse ATG
        assert ids[1:3] == ["MDSKG:risk/lower-risk", "MDSKG:group/lower-risk-hypocellular-mds"], ids
    edge_text = " ".join(svg.locator("g.edge text").all_text_contents())
    assert "includes drug" in edge_text and "source" in edge_text
    assert svg.locator("g.edge").count() == len(ids) - 1
    # the longest paths come first
    lengths = page.locator("svg.path-svg").evaluate_all("els => els.map(e => e.querySelectorAll('g.node').length)")
    assert lengths == sorted(lengths, reverse=True)

    # a node is a keyboard-operable button: its definition and a page of neighbours
    # The horse ATG node of the drawn (longest) path. The page may redraw its SVG once more
    # (a resize after fonts settle), replacing the nodes under the pointer: it marks a coming
    # redraw on #path-list (data-redraw), so each try waits for that to clear, and a press that
    # still lands on a node that was just replaced is tried again.
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(5):
        page.wait_for_function("() => !document.querySelector('#path-list').dataset.redraw")
        try:
            target = page.locator(f"svg.path-svg g.node[data-id='{HORSE_ATG}']").nth(sizes.index(max(sizes)))
            target.focus(timeout=5000)
            page.keyboard.press("Enter")
            page.wait_for_selector("#entity-section[aria-busy='false'] #neighbour-list li", timeout=10000)
            break
        except PlaywrightError:
            if attempt == 4:
                raise
    page.wait_for_selector("#entity-section[aria-busy='false'] #neighbour-list li")
    assert "horse" in page.inner_text("#entity-heading").lower()
    assert page.locator("#entity-body .definition").count() == 1
    assert page.locator("#neighbour-list li").count() >= 1

    app_page.finish(artifacts_dir, "web-seed-answer.png")


def fill_patient(page):
    """A lower-risk patient (IPSS-R 3, low) for whom IST cannot be judged yet: bleeding, infections, … not given."""
    page.fill("#p-age", "55")
    page.fill("#p-blasts", "3")
    page.select_option("#p-cellularity", "hypocellular")
    page.fill("#p-karyotype", "46,XY[20]")
    page.fill("#p-hb", "9")
    page.select_option("#p-hb-unit", "g/dL")
    page.fill("#p-plt", "120")
    page.fill("#p-anc", "0.9")
    page.select_option("#p-pnh", "true")


def wait_for_patient_results(page):
    page.wait_for_function(
        "() => { const s = document.querySelector('#patient-results');"
        " return !s.hidden && s.getAttribute('aria-busy') === 'false'"
        " && (document.querySelector('#risk-body').children.length > 0"
        "     || !document.querySelector('#patient-error').hidden); }")


def field_of(page, control_id: str):
    return page.locator(f"#{control_id}").locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' field ')][1]")


def test_patient_plan_and_ist_checklist(app_page, artifacts_dir):
    page = app_page.open()
    fill_patient(page)
    page.click("#check-button")
    wait_for_patient_results(page)
    assert page.locator("#patient-error").is_hidden(), page.inner_text("#patient-error")

    # the risk scores: IPSS-R settled, IPSS-M a best/worst range (no mutations entered)
    ipssr = page.locator(".score-card[data-scheme='IPSS-R']")
    assert "Low" in ipssr.inner_text() and "lower-risk" in ipssr.inner_text()
    ipssm = page.locator(".score-card[data-scheme='IPSS-M']").inner_text()
    assert "Best case" in ipssm and "Worst case" in ipssm and "Missing" in ipssm

    # the service's plan, in its order (tests/browser/test_plan_ranking.py compares it item by item)
    ranks = page.locator("#plan-body [data-therapy-id][data-rank]").evaluate_all(
        "els => els.map(e => Number(e.dataset.rank))")
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) >= 5, ranks

    # IST cannot be judged yet: it names the missing values, and the form marks them
    item = page.locator(f"#plan-body .plan-part[data-part='unknown'] li.plan-item[data-therapy-id='{IST}']")
    assert item.count() == 1, page.inner_text("#plan-body")
    assert "immunosuppressive therapy" in item.locator(".therapy-name").inner_text().lower()
    assert "cannot be judged yet" in item.locator(".verdict").inner_text().lower()
    missing = item.locator(".plan-missing .missing-field").evaluate_all("els => els.map(e => e.dataset.field)")
    assert "bleeding" in missing, missing
    assert "needs-value" in field_of(page, "p-bleeding").get_attribute("class")
    assert "immunosuppressive therapy" in page.inner_text("#p-bleeding-needed")
    assert "p-bleeding-needed" in page.get_attribute("#p-bleeding", "aria-describedby")
    assert "needs-value" not in field_of(page, "p-age").get_attribute("class")
    # by keyboard, a missing value takes you to its form field
    item.locator(".plan-missing button.missing-field[data-field='bleeding']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'p-bleeding'")

    # IST's checklist: each criterion met / not met / unknown, unknowns name the missing value
    item.locator("details.plan-details > summary").click()
    criteria = item.locator("li.criterion")
    statuses = criteria.evaluate_all("els => els.map(e => e.dataset.status)")
    assert len(statuses) >= 3 and set(statuses) <= {"MET", "NOT_MET", "UNKNOWN"}, statuses
    assert "MET" in statuses and "UNKNOWN" in statuses  # age 55 and hypocellular met; HLA-DR15 not given
    texts = criteria.all_inner_texts()
    met = [t for t, st in zip(texts, statuses, strict=True) if st == "MET"]
    assert any("60" in t and "55" in t for t in met), met
    for text, status in zip(texts, statuses, strict=True):
        assert {"MET": "Met:", "NOT_MET": "Not met:", "UNKNOWN": "Unknown:"}[status] in text
        if status == "UNKNOWN":
            assert "Missing:" in text, text
    assert any("hla-dr15" in t.lower() for t, st in zip(texts, statuses, strict=True) if st == "UNKNOWN")
    assert item.locator(".crit-sources a[href^='http']").count() >= 1

    # ruled out: each with its reason; and what would change the plan
    ruled = page.locator("#plan-body .plan-part[data-part='ruledOut'] li.plan-item")
    assert ruled.count() >= 1
    assert all(t.startswith("Why not:") for t in ruled.locator(".plan-why").all_inner_texts())
    assert page.locator("#plan-body .change-list li").count() >= 1

    # a marked value loses its mark once it is given
    page.select_option("#p-bleeding", "false")
    assert "needs-value" not in field_of(page, "p-bleeding").get_attribute("class")
    assert page.locator("#p-bleeding-needed").count() == 0

    # nothing about the patient is kept in the browser
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length]")
    assert stored == [0, 0]
    app_page.finish(artifacts_dir, "web-patient-checklist.png")


def test_ask_with_a_patient_returns_their_plan(app_page):
    page = app_page.open()
    fill_patient(page)
    page.check("#use-patient")
    app_page.ask("Am I a candidate for IST?")
    assert page.locator("#answer-error").is_hidden(), page.inner_text("#answer-error")
    ranks = page.locator("#answer-body [data-therapy-id][data-rank]").evaluate_all(
        "els => els.map(e => Number(e.dataset.rank))")
    assert ranks == list(range(1, len(ranks) + 1)) and ranks, ranks
    group = page.locator(f"#answer-body li.plan-item[data-therapy-id='{IST}']")
    assert group.count() == 1
    assert group.locator("details.plan-details li.criterion").count() >= 3


def test_import_a_fhir_bundle_fills_the_form(app_page):
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-06-15"}},
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}], "text": "Hemoglobin"},
                      "valueQuantity": {"value": 91, "unit": "g/L", "system": "http://unitsofmeasure.org",
                                        "code": "g/L"}}},
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}], "text": "Platelets"},
                      "valueQuantity": {"value": 88, "unit": "10*3/uL", "system": "http://unitsofmeasure.org",
                                        "code": "10*3/uL"}}},
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}], "text": "Glucose"},
                      "valueQuantity": {"value": 95, "unit": "mg/dL", "system": "http://unitsofmeasure.org",
                                        "code": "mg/dL"}}},
    ]}
    page = app_page.open()
    page.set_input_files("#import-file", files=[{"name": "bundle.json", "mimeType": "application/json",
                                                 "buffer": json.dumps(bundle).encode()}])
    page.wait_for_selector("#import-summary")
    # the form is filled from the imported PatientInput
    assert page.input_value("#p-sex") == "female"
    assert float(page.input_value("#p-age")) >= 60
    hb, unit = float(page.input_value("#p-hb")), page.input_value("#p-hb-unit")
    assert (hb, unit) in {(91.0, "g/L"), (9.1, "g/dL")}
    assert float(page.input_value("#p-plt")) == 88
    assert "Glucose" in page.inner_text("#import-unmapped")
    page.click("#check-button")
    wait_for_patient_results(page)
    assert page.locator("#patient-error").is_hidden(), page.inner_text("#patient-error")
    assert page.locator(".score-card[data-scheme='IPSS-R']").count() == 1


def test_database_down_shows_a_plain_error(new_page, live_server_db_down, artifacts_dir):
    holder = new_page(live_server_db_down.url)
    page = holder.open()
    holder.ask(SEED)
    banner = page.locator("#answer-error")
    assert banner.is_visible()
    assert banner.get_attribute("data-kind") == "unavailable"
    text = banner.inner_text()
    assert "cannot reach its knowledge graph" in text and "try again" in text.lower()
    assert "Traceback" not in text
    assert page.locator("#answer-error button", has_text="Try again").is_visible()
    assert page.locator("#answer-section").get_attribute("aria-busy") == "false"
    assert page.locator("#paths-section").is_hidden()
    holder.finish(artifacts_dir, "web-db-down.png")


def test_a_failed_request_shows_a_plain_error(new_page, live_server):
    holder = new_page(live_server.url)
    page = holder.open()
    page.route("**/graphql", lambda route: route.abort())
    holder.ask("What is luspatercept?")
    banner = page.locator("#answer-error")
    assert banner.is_visible() and banner.get_attribute("data-kind") == "network"
    assert "could not reach the service" in banner.inner_text()
    page.unroute("**/graphql")
    page.locator("#answer-error button", has_text="Try again").click()
    page.wait_for_function("() => document.querySelector('#answer-section').getAttribute('aria-busy') === 'false'"
                           " && document.querySelector('#answer-body').children.length > 0")
    assert page.locator("#answer-error").is_hidden()
    assert "luspatercept" in page.inner_text("#answer-body .asked")


def test_out_of_scope_question_on_a_phone(new_page, live_server, artifacts_dir):
    holder = new_page(live_server.url, viewport=(390, 844))
    page = holder.open()
    holder.ask("What is the best diet for diabetes?")
    box = page.locator("#not-covered")
    assert box.is_visible()
    assert "do not cover" in box.inner_text()
    assert page.locator("#closest-topics li").count() >= 1
    assert page.locator("#answer-error").is_hidden()
    assert "not medical advice" in page.inner_text("#answer-body .disclaimer")
    # phone layout: one column, nothing wider than the screen
    main_bottom, side_top = page.evaluate("""() => [document.querySelector('.col-main').getBoundingClientRect().bottom,
                                                    document.querySelector('.col-side').getBoundingClientRect().top]""")
    assert side_top >= main_bottom - 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # every form control has a label
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.id || el.name)""")
    assert unlabelled == []
    holder.finish(artifacts_dir, "web-not-covered.png")


# ---- clinical trials in the patient view --------------------------------------------------------------------

TRIAL_ID = "NCT99999901"  # a fictional record written for the tests (tests/data/trials)


@pytest.fixture(scope="module")
def trial_loaded(loaded_graph, settings):
    """The fictional trial NCT99999901 loaded by the real ETL; removed again afterwards."""
    from mdskg.settings import PROJECT_ROOT
    from tests.integration.conftest import trial_record_loaded

    with trial_record_loaded(loaded_graph, settings, PROJECT_ROOT / "tests" / "data" / "trials" / f"{TRIAL_ID}.xml") \
            as graph:
        yield graph


def fill_trial_patient(page):
    """A fictional higher-risk patient: the trial's blasts, age and platelet criteria are settled; ECOG is not given."""
    page.fill("#p-age", "70")
    page.fill("#p-blasts", "12")
    page.fill("#p-karyotype", "46,XY[20]")
    page.fill("#p-hb", "9")
    page.select_option("#p-hb-unit", "g/dL")
    page.fill("#p-plt", "80")
    page.fill("#p-anc", "1.2")


def check_and_wait_for_trials(page):
    page.click("#check-button")
    wait_for_patient_results(page)
    assert page.locator("#patient-error").is_hidden(), page.inner_text("#patient-error")
    page.wait_for_selector("#trials-section:not([hidden])[aria-busy='false']")


def test_patient_view_lists_the_loaded_trial_with_its_verdict_and_criteria(trial_loaded, app_page, artifacts_dir):
    from playwright.sync_api import expect

    page = app_page.open()
    fill_trial_patient(page)
    check_and_wait_for_trials(page)
    section = page.locator("#trials-section")
    expect(section.get_by_role("heading", name="Clinical trials")).to_be_visible()
    note = page.inner_text("#trials-note")
    assert "only the trials loaded in this service" in note and "only the" in note and "study team" in note
    assert page.locator("#trials-error").is_hidden()
    # after the treatment plan
    assert page.evaluate("() => !!(document.querySelector('#plan-body').compareDocumentPosition("
                         "document.querySelector('#trials-section')) & Node.DOCUMENT_POSITION_FOLLOWING)")

    # the cards come in the server's order: possible matches, then cannot tell yet, then not eligible
    order = {"POSSIBLE": 0, "UNKNOWN": 1, "NOT_ELIGIBLE": 2}
    verdicts = page.locator("#trials-body li.trial-card").evaluate_all("els => els.map(e => e.dataset.verdict)")
    assert verdicts and [order[v] for v in verdicts] == sorted(order[v] for v in verdicts), verdicts

    # ECOG not given: the trial cannot be judged yet, and says what the team needs
    card = page.locator(f"#trials-body li.trial-card[data-nct-id='{TRIAL_ID}']")
    expect(card).to_have_count(1)
    expect(card.locator(".verdict")).to_have_text("? Cannot tell yet — information missing")
    assert card.get_attribute("data-verdict") == "UNKNOWN"
    link = card.locator(f"h4 a[href*='{TRIAL_ID}']")
    expect(link).to_have_attribute("target", "_blank")
    assert "clinicaltrials.gov" in link.get_attribute("href").lower()
    assert "fictional study" in card.locator("h4").inner_text()
    meta = card.locator(".trial-meta").inner_text()
    assert "Phase 2" in meta and "Recruiting" in meta, meta
    assert "performance status" in card.locator(".trial-why").inner_text().lower()
    expect(card.locator(".trial-missing")).to_contain_text("To check, the team needs:")
    missing = card.locator(".trial-missing .missing-field").evaluate_all("els => els.map(e => e.dataset.field)")
    assert missing == ["ecog"], missing

    # the criteria, each with its status and role, in a collapsed details element
    criteria = card.locator("details.trial-details li.criterion")
    expect(criteria.first).to_be_hidden()
    card.locator("details.trial-details > summary").click()
    expect(criteria.first).to_be_visible()
    blasts = card.locator("li.criterion[data-field='marrowBlastsPct']")
    expect(blasts).to_have_attribute("data-status", "MET")
    expect(blasts.locator(".crit-status")).to_have_text("Met:")
    expect(blasts.locator(".role")).to_have_text("Inclusion criterion")
    ecog = card.locator("li.criterion[data-field='ecog']")
    expect(ecog).to_have_attribute("data-status", "UNKNOWN")
    expect(ecog).to_contain_text("Missing:")
    platelets = card.locator("li.criterion[data-field='platelets']")
    expect(platelets).to_have_attribute("data-status", "NOT_MET")
    expect(platelets.locator(".role")).to_have_text("Exclusion criterion")
    # the line no criterion could be read from is shown too, for the study team to check
    unchecked = card.locator("details.trial-unchecked")
    expect(unchecked.locator("summary")).to_have_text("Not checked by this service: 1 line of the record")
    unchecked.locator("summary").click()
    expect(unchecked.locator(".unchecked-list li")).to_have_text(
        "Exclusion: Any serious illness that, in the judgement of the investigator, would make taking part unsafe")
    card.screenshot(path=str(artifacts_dir / "web-patient-trial-card.png"))
    app_page.finish(artifacts_dir, "web-patient-trials.png")


def test_giving_the_missing_value_makes_the_trial_a_possible_match(trial_loaded, app_page):
    from playwright.sync_api import expect

    page = app_page.open()
    fill_trial_patient(page)
    check_and_wait_for_trials(page)
    card = page.locator(f"#trials-body li.trial-card[data-nct-id='{TRIAL_ID}']")
    # by keyboard, the missing value takes you to its form field
    card.locator(".trial-missing button.missing-field[data-field='ecog']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#p-ecog")).to_be_focused()
    page.select_option("#p-ecog", "1")
    check_and_wait_for_trials(page)
    card = page.locator(f"#trials-body li.trial-card[data-nct-id='{TRIAL_ID}']")
    expect(card.locator(".verdict")).to_have_text("✓ May be eligible — the study team decides")
    expect(card.locator(".trial-missing")).to_have_count(0)
    # a patient the trial excludes
    page.fill("#p-plt", "15")
    check_and_wait_for_trials(page)
    card = page.locator(f"#trials-body li.trial-card[data-nct-id='{TRIAL_ID}']")
    expect(card.locator(".verdict")).to_have_text("✗ Not eligible")
    expect(card.locator(".trial-why")).to_contain_text("Excluded by:")


def test_trials_panel_empty_state_and_a_plain_error(new_page, live_server):
    from playwright.sync_api import expect

    holder = new_page(live_server.url)
    page = holder.open()
    answer = {"body": json.dumps({"data": {"trials": []}})}

    def trials_only(route):
        if "query Trials" in (route.request.post_data or ""):
            route.fulfill(status=200, content_type="application/json", headers={"X-Request-Id": "req-trials-1"},
                          body=answer["body"])
        else:
            route.continue_()

    page.route("**/graphql", trials_only)
    fill_trial_patient(page)
    check_and_wait_for_trials(page)
    expect(page.locator("#trials-body")).to_have_text("No trials are loaded in this service.")
    assert page.locator("#trials-error").is_hidden()

    # an unexpected server error: a short message and a way to try again, never the server's text
    answer["body"] = json.dumps({"data": None, "errors": [{
        "message": 'Traceback (most recent call last):\n  File "service/patient/graphql.py", line 1',
        "extensions": {"code": "INTERNAL_ERROR", "requestId": "req-trials-2"}}]})
    check_and_wait_for_trials(page)
    banner = page.locator("#trials-error")
    expect(banner).to_be_visible()
    text = banner.inner_text()
    assert "could not be checked" in text and "req-trials-2" in text, text
    assert "Traceback" not in text and "graphql.py" not in text
    assert page.locator("#plan-body li.plan-item").count() >= 1  # the plan is still shown
    expect(page.locator("#trials-body")).to_be_empty()
    # try again: this time it answers
    answer["body"] = json.dumps({"data": {"trials": []}})
    banner.get_by_role("button", name="Try again").click()
    expect(page.locator("#trials-body")).to_have_text("No trials are loaded in this service.")
    expect(banner).to_be_hidden()
    holder.close()
