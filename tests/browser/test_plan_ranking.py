"""Issue 13 item 5: the web app shows the service's treatment plan and never ranks on its own.

For a lower-risk, a higher-risk and an ESA-failure vignette (tests/data/vignettes/*.yaml), a user's
steps are replayed in headless Chromium: every value is typed or chosen in the "Check a patient"
form, the form is submitted, and the therapy ids the page shows (in DOM order) must equal
`treatmentPlan.ranking` that the service returns for the same patient over HTTP. The request the
page sent is checked to carry exactly the vignette's patient, so the two plans are for one patient.
A full-page screenshot of each is saved under tests/artifacts/.
"""

from __future__ import annotations

import json
import math
import urllib.request
from typing import Any

import pytest

from tests.browser.test_web_app import Page

pytestmark = pytest.mark.browser

PLAN_QUERY = """query Plan($p: PatientInput!) {
  treatmentPlan(patient: $p) {
    riskGroup missing
    preferred { therapyId } options { therapyId } unknown { therapyId } ruledOut { therapyId }
    ranking { rank therapyId verdict strength missing reasons nextIfFails { therapyId } }
    changes { text }
  }
  guidanceVocabulary { verdicts { id words rank } strengths { id words rank } }
}"""

# Which vignette stands for which kind of patient (the first of the first branch found is used).
KINDS = {
    "lower-risk": ("esa_naive", "observation", "rs_sf3b1_epo_low", "del5q"),
    "higher-risk": ("higher_risk_fit", "higher_risk_unfit", "tp53"),
    "esa-failure": ("esa_failure",),
}
EXPECTED_RISK = {"lower-risk": "lower", "higher-risk": "higher"}

# Used only when tests/data/vignettes/ is not there: three fictional patients of the same kinds.
FALLBACK = {
    "lower-risk": {
        "age": 71, "sex": "female", "marrowBlastsPct": 2, "karyotype": "46,XX[20]", "ipssrCytogeneticGroup": "good",
        "hemoglobin": {"value": 8.9, "unit": "g/dL"}, "platelets": {"value": 160, "unit": "10^9/L"},
        "anc": {"value": 2.1, "unit": "10^9/L"}, "mutations": [{"gene": "TET2", "vaf": 0.22}], "priorTherapies": [],
        "esaStatus": "naive", "serumEpo": {"value": 95, "unit": "mU/mL"}, "anemiaSymptoms": True,
        "transfusionDependent": False, "transfusionUnitsPer8wk": 0, "ringSideroblastsPct": 1,
    },
    "higher-risk": {
        "age": 62, "sex": "male", "marrowBlastsPct": 13, "karyotype": "45,XY,-7[20]", "ipssrCytogeneticGroup": "poor",
        "hemoglobin": {"value": 8.7, "unit": "g/dL"}, "platelets": {"value": 38, "unit": "10^9/L"},
        "anc": {"value": 0.7, "unit": "10^9/L"}, "mutations": [{"gene": "ASXL1", "vaf": 0.31}], "priorTherapies": [],
        "ecog": 1, "hctCi": 1, "transplantCandidate": True, "donorAvailable": True, "wantsTransplant": True,
    },
    "esa-failure": {
        "age": 76, "sex": "male", "marrowBlastsPct": 3, "karyotype": "46,XY[20]", "ipssrCytogeneticGroup": "good",
        "hemoglobin": {"value": 7.9, "unit": "g/dL"}, "platelets": {"value": 150, "unit": "10^9/L"},
        "anc": {"value": 1.9, "unit": "10^9/L"}, "mutations": [], "esaStatus": "refractory",
        "priorTherapies": [{"therapy": "epoetin alfa", "response": "no_response", "cycles": 12}],
        "serumEpo": {"value": 120, "unit": "mU/mL"}, "transfusionDependent": True, "transfusionUnitsPer8wk": 4,
        "ringSideroblastsPct": 2, "anemiaSymptoms": True,
    },
}


def pick_patients() -> list:
    try:
        from bench.vignettes import load_vignettes

        vignettes = load_vignettes()
    except (ImportError, FileNotFoundError):
        vignettes = []
    params = []
    for kind, branches in KINDS.items():
        found = next((v for b in branches for v in vignettes if v.branch == b), None)
        if found is not None:
            params.append(pytest.param(kind, found.id, found.patient, id=f"{kind}-{found.id}"))
        else:
            params.append(pytest.param(kind, "fallback", FALLBACK[kind], id=f"{kind}-fallback"))
    return params


PATIENTS = pick_patients()


@pytest.fixture()
def new_page(browser):
    made: list[Page] = []

    def make(base_url: str, viewport=(1280, 900)) -> Page:
        made.append(Page(browser, base_url, viewport))
        return made[-1]

    yield make
    for holder in made:  # a failed test leaves its context open
        holder.close()

# ---- entering a patient the way a user does -------------------------------------------------------

NUMBERS = {
    "age": "#p-age", "marrowBlastsPct": "#p-blasts", "peripheralBlastsPct": "#p-pb-blasts",
    "ringSideroblastsPct": "#p-rs", "marrowCellularityPct": "#p-cellularity-pct", "transfusionUnitsPer8wk": "#p-tx",
    "rbcUnitsTotal": "#p-rbc-total", "creatinineClearanceMlMin": "#p-crcl", "hctCi": "#p-hctci",
}
CHOICES = {
    "sex": "#p-sex", "marrowCellularity": "#p-cellularity", "ipssrCytogeneticGroup": "#p-cytogroup",
    "esaStatus": "#p-esa", "ecog": "#p-ecog",
}
YES_NO = {
    "transfusionDependent": "#p-tdep", "pnhClone": "#p-pnh", "hlaDr15": "#p-dr15", "stat3TCellClone": "#p-stat3",
    "transplantCandidate": "#p-transplant", "donorAvailable": "#p-donor", "wantsTransplant": "#p-wants-transplant",
    "anemiaSymptoms": "#p-anemia-symptoms", "bleeding": "#p-bleeding", "plateletTransfusions": "#p-plt-tx",
    "recurrentInfections": "#p-infections",
}
QUANTITIES = {  # field: (input, the unit the form sends)
    "platelets": ("#p-plt", "10^9/L"), "anc": ("#p-anc", "10^9/L"), "serumEpo": ("#p-epo", "mU/mL"),
    "serumFerritin": ("#p-ferritin", "ng/mL"),
}


def number_text(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def mutation_text(m: dict[str, Any]) -> str:
    parts = [m["gene"]]
    if m.get("kind"):
        parts.append(m["kind"])
    if m.get("vaf") is not None:
        vaf = m["vaf"] * 100 if m["vaf"] <= 1 else m["vaf"]
        parts.append(number_text(vaf))
    if m.get("origin") and m["origin"] != "somatic":
        parts.append(m["origin"])
    return " ".join(parts)


def enter_patient(page, patient: dict[str, Any]) -> None:
    """Type and choose every value of `patient` in the form; a value the form has no box for fails."""
    for key, value in patient.items():
        if key in NUMBERS:
            page.fill(NUMBERS[key], number_text(value))
        elif key in CHOICES:
            page.select_option(CHOICES[key], str(value))
        elif key in YES_NO:
            page.select_option(YES_NO[key], "true" if value else "false")
        elif key == "karyotype":
            page.fill("#p-karyotype", value)
        elif key == "hemoglobin":
            page.fill("#p-hb", number_text(value["value"]))
            page.select_option("#p-hb-unit", value["unit"])
        elif key in QUANTITIES:
            selector, unit = QUANTITIES[key]
            assert value["unit"] == unit, f"{key}: the form takes {unit}, the patient has {value['unit']}"
            page.fill(selector, number_text(value["value"]))
        elif key == "mutations":
            page.fill("#p-mutations", ", ".join(mutation_text(m) for m in value) if value else "none")
        elif key == "sequencedGenes":
            page.fill("#p-sequenced", ", ".join(value))
        elif key == "priorTherapies":
            if not value:
                page.select_option("#p-prior-known", "none")
            for prior in value:
                page.click("#add-prior")
                row = page.locator("#prior-list .prior-row").last
                row.locator(".prior-therapy").fill(prior["therapy"])
                if prior.get("response"):
                    row.locator(".prior-response").select_option(prior["response"])
                if prior.get("bestResponse"):
                    row.locator(".prior-best").select_option(prior["bestResponse"])
                if prior.get("cycles") is not None:
                    row.locator(".prior-cycles").fill(str(prior["cycles"]))
        else:
            pytest.fail(f"the web form has no box for the patient value {key!r}")


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def server_plan(base_url: str, patient: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(base_url + "/graphql", method="POST",
                                     data=json.dumps({"query": PLAN_QUERY, "variables": {"p": patient}}).encode(),
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    assert not body.get("errors"), body["errors"]
    return body["data"]


def wait_for_plan(page) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector('#patient-results');"
        " return s && !s.hidden && s.getAttribute('aria-busy') === 'false'"
        " && (document.querySelector('#plan-body [data-rank]') !== null"
        "     || !document.querySelector('#patient-error').hidden); }")


def check_and_read_plan(page, patient: dict[str, Any]) -> list[list]:
    """Submit the form; return [therapyId, rank] of every therapy the page shows, in DOM order."""
    with page.expect_request(lambda r: r.url.endswith("/graphql") and r.method == "POST"
                             and "treatmentPlan" in (r.post_data or "")) as sent:
        page.click("#check-button")
    wait_for_plan(page)
    assert page.locator("#patient-error").is_hidden(), page.inner_text("#patient-error")
    posted = json.loads(sent.value.post_data)["variables"]["patient"]
    assert same_value(posted, patient), f"the form sent {posted}, not the patient {patient}"
    return page.locator("#plan-body [data-therapy-id][data-rank]").evaluate_all(
        "els => els.map(e => [e.dataset.therapyId, Number(e.dataset.rank)])")


@pytest.mark.parametrize(("kind", "vignette_id", "patient"), PATIENTS)
def test_the_page_shows_the_servers_ranking(kind, vignette_id, patient, new_page, live_server, artifacts_dir):
    expected = server_plan(live_server.url, patient)
    plan, vocab = expected["treatmentPlan"], expected["guidanceVocabulary"]
    if kind in EXPECTED_RISK:
        assert plan["riskGroup"] == EXPECTED_RISK[kind], (vignette_id, plan["riskGroup"])
    assert plan["ranking"], "the service returned an empty plan"

    holder = new_page(live_server.url)
    page = holder.open()
    enter_patient(page, patient)
    shown = check_and_read_plan(page, patient)

    # the page's order is the service's ranking, item for item
    assert [t for t, _ in shown] == [r["therapyId"] for r in plan["ranking"]]
    assert [r for _, r in shown] == [r["rank"] for r in plan["ranking"]]

    # each part of the plan holds the therapies the service put there
    for part in ("preferred", "options", "unknown", "ruledOut"):
        ids = page.locator(f"#plan-body .plan-part[data-part='{part}'] [data-rank]").evaluate_all(
            "els => els.map(e => e.dataset.therapyId)")
        assert ids == [x["therapyId"] for x in plan[part]], part

    # the verdict and strength words are the vocabulary's
    words = {t["id"]: t["words"] for t in vocab["verdicts"]}
    strengths = {t["id"]: t["words"] for t in vocab["strengths"]}
    first = plan["ranking"][0]
    item = page.locator(f"#plan-body li.plan-item[data-therapy-id='{first['therapyId']}']")
    assert item.locator(".verdict").inner_text().strip().lower() == words[first["verdict"]].lower()
    if plan["preferred"]:
        assert strengths[first["strength"]] in item.locator(".strength").inner_text()
        why = item.locator(".plan-why").inner_text()
        assert why.startswith("Why:") and len(why) > len("Why:") + 3, "a preferred option shows why"
    for nxt in first["nextIfFails"]:
        assert item.locator(f".next-list a[data-next-therapy-id='{nxt['therapyId']}']").count() == 1

    # what cannot be judged yet names the missing values, and the form marks them
    for unknown in (r for r in plan["ranking"] if r["verdict"] == "UNKNOWN"):
        fields = page.locator(f"#plan-body li[data-therapy-id='{unknown['therapyId']}'] .plan-missing .missing-field")
        assert fields.evaluate_all("els => els.map(e => e.dataset.field)") == unknown["missing"]
    marked = page.locator("#patient-form .field.needs-value [name]").evaluate_all("els => els.map(e => e.name)")
    named = [f for f in plan["missing"] if page.locator(f"#patient-form [name='{f}']").count()]
    assert set(named) <= set(marked), (named, marked)

    # ruled out: each says why
    for out in plan["ruledOut"]:
        why = page.locator(f"#plan-body li[data-therapy-id='{out['therapyId']}'] .plan-why")
        assert why.count() == 1, f"{out['therapyId']} is ruled out without a reason"
        why = why.inner_text()
        assert why.strip().startswith("Why not:") and len(why) > len("Why not:") + 3, why

    # what would change the plan: the service's sentences
    changes = page.locator("#plan-body .change-list li").evaluate_all("els => els.map(e => e.textContent)")
    assert changes == [c["text"] for c in plan["changes"]]

    holder.finish(artifacts_dir, f"web-plan-{kind}-{vignette_id}.png")


def test_the_plan_reads_well_on_a_phone(new_page, live_server, artifacts_dir):
    kind, vignette_id, patient = PATIENTS[-1].values  # the ESA-failure patient
    plan = server_plan(live_server.url, patient)["treatmentPlan"]
    holder = new_page(live_server.url, viewport=(390, 844))
    page = holder.open()
    enter_patient(page, patient)
    shown = check_and_read_plan(page, patient)
    assert [t for t, _ in shown] == [r["therapyId"] for r in plan["ranking"]]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # the missing values are reachable from the plan by keyboard
    button = page.locator("#plan-body button.missing-field").first
    if button.count():
        field = button.get_attribute("data-field")
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("f => document.activeElement && document.activeElement.name === f", arg=field)
    holder.finish(artifacts_dir, f"web-plan-phone-{kind}-{vignette_id}.png")
