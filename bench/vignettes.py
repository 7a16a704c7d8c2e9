"""The patient vignette suite: fictional patients with the plan a guideline-following hematologist
expects (tests/data/vignettes/*.yaml, written from the sources before the system was run on them).

`run_vignettes(client)` asks `treatmentPlan` over GraphQL for each vignette and compares:
- preferred: one of the expected options is among the plan's preferred options (a class and its
  drugs count as the same option; two drugs of one class do not);
- ruled out: every expected ruled-out therapy, and each of its drugs or classes that has a rule, is
  NOT_ELIGIBLE or NOT_RECOMMENDED (a therapy no curated rule covers is never offered, and passes);
- not offered: neither FAVOURED, POSSIBLE nor POSSIBLE_LESS_LIKELY.
`make eval` prints the table; tests/integration/test_vignettes.py requires every row to pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mdskg.settings import PROJECT_ROOT

VIGNETTE_DIR = PROJECT_ROOT / "tests" / "data" / "vignettes"
OFFERED = {"FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY"}
RULED_OUT = {"NOT_ELIGIBLE", "NOT_RECOMMENDED"}

PLAN_QUERY = """
query Plan($p: PatientInput!) {
  treatmentPlan(patient: $p) {
    riskGroup guidanceVersion missing
    preferred { therapyId therapyName verdict strength }
    ranking { rank therapyId therapyName verdict strength missing reasons }
  }
}"""


@dataclass(frozen=True)
class Vignette:
    id: str
    branch: str
    story: str
    patient: dict[str, Any]
    preferred: tuple[str, ...]
    ruled_out: tuple[str, ...]
    not_offered: tuple[str, ...]
    sources: tuple[str, ...]
    why: str = ""


@dataclass
class VignetteResult:
    vignette: Vignette
    preferred_got: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    risk_group: str | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems and self.error is None


def load_vignettes(folder: Path = VIGNETTE_DIR) -> list[Vignette]:
    out: list[Vignette] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for v in doc.get("vignettes") or []:
            expect = v.get("expect") or {}
            out.append(Vignette(id=str(v["id"]), branch=str(v.get("branch") or ""), story=str(v.get("story") or ""),
                                patient=dict(v["patient"]), preferred=tuple(expect.get("preferred") or ()),
                                ruled_out=tuple(expect.get("ruled_out") or ()),
                                not_offered=tuple(expect.get("not_offered") or ()),
                                sources=tuple(v.get("sources") or ()), why=str(v.get("why") or "")))
    return out


def related(a: str, b: str, members_of: dict[str, set[str]]) -> bool:
    """The same option: equal, or a class and one of its drugs (never two drugs of one class)."""
    return a == b or b in members_of.get(a, set()) or a in members_of.get(b, set())


def compare(v: Vignette, plan: dict[str, Any], members_of: dict[str, set[str]]) -> VignetteResult:
    result = VignetteResult(v, risk_group=plan.get("riskGroup"))
    preferred = [p["therapyId"] for p in plan["preferred"]]
    result.preferred_got = [p["therapyName"] for p in plan["preferred"]]
    if v.preferred and not any(related(e, g, members_of) for e in v.preferred for g in preferred):
        result.problems.append(f"preferred: expected one of {', '.join(v.preferred)}, got "
                               f"{', '.join(preferred) or 'none'}")
    ranking = plan["ranking"]
    for therapy in v.ruled_out:
        for item in ranking:
            if related(therapy, item["therapyId"], members_of) and item["verdict"] not in RULED_OUT:
                result.problems.append(f"not ruled out: {item['therapyId']} is {item['verdict']}")
    for therapy in v.not_offered:
        for item in ranking:
            if related(therapy, item["therapyId"], members_of) and item["verdict"] in OFFERED:
                result.problems.append(f"offered: {item['therapyId']} is {item['verdict']}")
    return result


def class_members() -> dict[str, set[str]]:
    """Each therapy class and its drugs (the ontology's INCLUDES_DRUG edges, as the planner reads them)."""
    from service.patient.guidance import default_curated

    return {k: set(v) for k, v in default_curated().families.members_of.items()}


def run_vignettes(client, vignettes: Iterable[Vignette] | None = None) -> list[VignetteResult]:
    """`client` is a Flask test client of the service."""
    members = class_members()
    results = []
    for v in vignettes if vignettes is not None else load_vignettes():
        response = client.post("/graphql", json={"query": PLAN_QUERY, "variables": {"p": v.patient}})
        body = response.get_json()
        if body.get("errors"):
            results.append(VignetteResult(v, error=json.dumps(body["errors"][0].get("message"))))
            continue
        results.append(compare(v, body["data"]["treatmentPlan"], members))
    return results


def table(results: list[VignetteResult]) -> str:
    lines = [f"{'vignette':<8} {'branch':<20} {'risk':<6} {'expected preferred':<44} {'got preferred':<44} result"]
    for r in results:
        v = r.vignette
        expected = ", ".join(x.rsplit("/", 1)[-1] for x in v.preferred) or "-"
        got = ", ".join(r.preferred_got) or ("ERROR" if r.error else "none")
        status = "pass" if r.passed else "FAIL: " + "; ".join(r.problems or [r.error or ""])
        lines.append(f"{v.id:<8} {v.branch:<20} {str(r.risk_group or '-'):<6} {expected[:44]:<44} {got[:44]:<44} {status}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} passed, {len(results) - passed} failed (of {len(results)} vignettes)")
    by_branch: dict[str, list[VignetteResult]] = {}
    for r in results:
        by_branch.setdefault(r.vignette.branch, []).append(r)
    lines.append("by branch: " + "; ".join(f"{b} {sum(x.passed for x in rs)}/{len(rs)}"
                                           for b, rs in sorted(by_branch.items())))
    return "\n".join(lines)
