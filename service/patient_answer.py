"""The patient-specific part of an answer, written deterministically from the checks.

It is built here rather than by a language model so that a patient's values never leave the
service and every status is exactly what the evaluation found.
"""

from __future__ import annotations

from mdskg.records import AnswerSection

TITLE = "For you, based on the values you gave"
VERDICT_WORDS = {
    "FAVOURED": "looks like a good fit: the features that make a response more likely are there",
    "POSSIBLE": "could be an option: nothing you gave rules it out",
    "POSSIBLE_LESS_LIKELY": "could be an option, but none of the features that make a response more likely are there",
    "UNKNOWN": "cannot be judged yet: some values it depends on are missing",
    "NOT_ELIGIBLE": "does not fit the group our sources recommend it for",
    "NOT_RECOMMENDED": "is not recommended with one of your findings",
}
STATUS_WORDS = {"MET": "met", "NOT_MET": "not met", "UNKNOWN": "unknown"}
ROLE_WORDS = {"required": "needed", "favours": "makes response more likely", "excludes": "rules it out"}


def _risk_line(assessment) -> str:
    r, m = assessment.ipssr, assessment.ipssm
    parts = []
    if r.category:
        parts.append(f"IPSS-R {r.category.replace('_', ' ')} (score {r.score:g})" if r.score is not None
                     else f"IPSS-R {r.category.replace('_', ' ')}")
    elif r.missing:
        parts.append(f"IPSS-R cannot be computed exactly (missing: {', '.join(r.missing)})")
    if m.category:
        parts.append(f"IPSS-M {m.category.replace('_', ' ')}")
    group = assessment.criterion_values.get("risk_group")
    if group:
        parts.append(f"{group}-risk group")
    return "; ".join(parts)


def eligibility_section(outcomes, assessment, focus_ids: list[str]):
    chosen = [o for o in outcomes if o.therapy_id in focus_ids] if focus_ids else outcomes[:5]
    if not chosen:
        return None, []
    lines = []
    risk = _risk_line(assessment)
    if risk:
        lines.append(f"Your risk assessment: {risk}.")
    for o in chosen:
        population = ", ".join(p.get("name") or p["id"] for p in o.populations)
        lines.append(f"**{o.therapy_name}** (for {population}) {VERDICT_WORDS.get(o.verdict, o.verdict.lower())}.")
        for c in o.checks:
            status = STATUS_WORDS[c.status]
            detail = f" (missing: {c.missing})" if c.status == "UNKNOWN" and c.missing else ""
            lines.append(f"- {c.text}: {status}{detail} ({ROLE_WORDS.get(c.role, c.role)})")
        if o.next_if_fails:
            lines.append("  If it does not work, our sources mention: " + ", ".join(n["name"] for n in o.next_if_fails) + ".")
    lines.append("Only your care team can decide on treatment; bring this checklist to your next appointment.")
    return AnswerSection(title=TITLE, body="\n".join(lines)), []
