"""The patient-specific lead of an answer: the treatment plan in plain words, every statement cited.

Written here, deterministically, rather than by a language model, so that a patient's values never
leave the service and every verdict is exactly what the planner decided. Citation marks are numbers
into the answer's citation list, whose first entries are `plan_citations(...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mdskg.records import Answer, AnswerSection
from ontology.criteria_text import join_words as _join, variable_label
from ontology.guidance import load_vocabulary

from .plan import TherapyPlanItem, TreatmentPlan

TITLE = "For you, based on the values you gave"
IPSSR_SOURCE = "PMID:22740453"  # Greenberg 2012, the IPSS-R
OPTIONS, CANDIDATE, AFTER_FAILURE = "options", "candidate", "after_failure"

@dataclass(frozen=True)
class PatientQuestion:
    kind: str  # options | candidate | after_failure
    focus_ids: tuple[str, ...]  # therapies the question names


def plan_citations(plan: TreatmentPlan, focus: Sequence[TherapyPlanItem] = ()) -> list[str]:
    """The sources the plan section cites, in the order it cites them."""
    ids: list[str] = []
    for item in [*focus, *plan.preferred, *plan.options, *plan.unknown, *plan.ruled_out]:
        rec = item.ruled_out_by_recommendation or item.deciding.recommendation
        for c in rec.citations:
            if c not in ids:
                ids.append(c)
    return ids


def _marks(item: TherapyPlanItem, number: Callable[[str], int | None]) -> str:
    rec = item.ruled_out_by_recommendation or item.deciding.recommendation
    nums = sorted({n for n in (number(c) for c in rec.citations) if n})
    return "".join(f"[{n}]" for n in nums)


_REASON_LEADS = {"needed but not met": "needs", "rules it out": "", "fits": "", "makes a response more likely":
                 "more likely to work with", "already tried without lasting benefit or not tolerated": "already tried:",
                 "not known yet": "unknown:", "our sources advise against it here": "advised against:"}


def _why(item: TherapyPlanItem, limit: int = 2) -> str:
    """The first reasons, as one clause ("needs 4 or more red-cell units every 8 weeks")."""
    out = []
    for r in item.reasons[:limit]:
        lead, _, rest = r.partition(": ")
        word = _REASON_LEADS.get(lead, lead)
        out.append(f"{word} {rest}".strip() if rest else r)
    return "; ".join(out)


def _item_sentence(item: TherapyPlanItem, number) -> str:
    vocab = load_vocabulary()
    words = vocab.words("verdicts", item.verdict)
    strength = vocab.words("strengths", item.strength)
    rec = item.deciding.recommendation
    marks = _marks(item, number)
    if item.verdict in vocab.offered_verdicts:
        why = _why(item)
        because = f" It fits because of {why}." if why else ""
        return f"{item.therapy_name.capitalize()} {words}; our sources rate it {strength} here ({rec.name}).{because} {marks}".strip()
    if item.verdict == "UNKNOWN":
        missing = _join([variable_label(m) for m in item.missing]) or "a value it depends on"
        return f"{item.therapy_name.capitalize()} cannot be judged yet: we would need {missing}. {marks}".strip()
    reason = _why(item, 1) or "a condition our sources set is not met"
    verb_ = "are" if item.therapy_name.endswith("s") and not item.therapy_name.endswith("ss") else "is"
    return f"{item.therapy_name.capitalize()} {verb_} ruled out for you: {reason}. {marks}".strip()


_INPUT_WORDS = {"hemoglobin_g_dl": "hemoglobin", "platelets_10e9_l": "platelets", "anc_10e9_l": "neutrophils (ANC)",
                "marrow_blasts_pct": "marrow blasts", "cytogenetics": "chromosome (karyotype) results"}


def _risk_line(assessment) -> str:
    r, m = assessment.ipssr, assessment.ipssm
    parts = []
    if r.category:
        parts.append(f"IPSS-R {r.category.replace('_', ' ')} (score {r.score:g})" if r.score is not None
                     else f"IPSS-R {r.category.replace('_', ' ')}")
    elif r.missing:
        parts.append("IPSS-R cannot be worked out exactly yet (missing: "
                     + ", ".join(_INPUT_WORDS.get(x, x.replace("_", " ")) for x in r.missing) + ")")
    if m.category:
        parts.append(f"IPSS-M {m.category.replace('_', ' ')}")
    group = assessment.criterion_values.get("risk_group")
    if group and (r.category or m.category):
        parts.append(f"which puts you in the {group}-risk treatment group")
    elif group:
        parts.append(f"so the plan uses the {group}-risk group you gave")
    return ", ".join(parts)


def _direct_line(plan: TreatmentPlan, question: PatientQuestion, number, families) -> str | None:
    """Yes / no / it depends, decided by the planner's verdicts (never by wording)."""
    vocab = load_vocabulary()
    if question.kind == CANDIDATE and question.focus_ids:
        wanted = set(question.focus_ids)
        items = [i for i in plan.items if i.therapy_id in wanted
                 or (families is not None and families.same(i.therapy_id) & wanted)]
        if not items:
            return None
        best = items[0]  # plan.items are ranked: the best verdict of the asked therapy comes first
        name = best.therapy_name
        marks = _marks(best, number)
        if best.verdict in vocab.offered_verdicts:
            return f"Yes, it could fit: {name} {vocab.words('verdicts', best.verdict)}. {marks}".strip()
        if best.verdict == "UNKNOWN":
            needs = _join([variable_label(m) for m in best.missing]) or "more values"
            return f"It depends: {name} cannot be judged yet without {needs}. {marks}".strip()
        return f"No: {name} does not fit you ({_why(best, 1) or 'a condition is not met'}). {marks}".strip()
    if question.kind == AFTER_FAILURE:
        offered = [*plan.preferred, *plan.options]
        if offered:
            marks = "".join(dict.fromkeys(_marks(i, number) for i in offered[:3]))
            return (f"Yes, there are still options: {_join([i.therapy_name for i in offered[:4]])}. {marks}").strip()
        if plan.unknown:
            return "It depends: the options after this cannot be judged until the missing values below are known."
    return None


def plan_section(plan: TreatmentPlan, assessment, question: PatientQuestion, number: Callable[[str], int | None],
                 names: Mapping[str, str], families=None, failed_name: str | None = None) -> AnswerSection:
    lines: list[str] = []
    direct = _direct_line(plan, question, number, families)
    if direct:
        lines.append(direct)
    risk = _risk_line(assessment)
    if risk:
        n = number(IPSSR_SOURCE)
        lines.append(f"Your values give {risk}." + (f" [{n}]" if n else ""))
    if question.kind == AFTER_FAILURE and failed_name:
        lines.append(f"This plan treats {failed_name} as not having worked (or no longer working) for you.")

    focus: list[TherapyPlanItem] = []
    if question.kind == CANDIDATE and question.focus_ids:
        wanted = set(question.focus_ids)
        for item in plan.items:
            family = families.same(item.therapy_id) if families is not None else {item.therapy_id}
            if item.therapy_id in wanted or (family & wanted):
                focus.append(item)
        if focus:
            for item in focus:
                lines.append(_item_sentence(item, number))
        else:
            asked = _join([names.get(t, t) for t in question.focus_ids])
            lines.append(f"Our curated guideline logic has no rule for {asked}, so we cannot say whether it fits you.")

    if plan.preferred:
        lead = "The option to discuss first" if len(plan.preferred) == 1 else "The options to discuss first"
        marks = "".join(dict.fromkeys(_marks(i, number) for i in plan.preferred))
        lines.append(f"{lead}: {_join([i.therapy_name for i in plan.preferred])}. {marks}".strip())
        for item in plan.preferred:
            if item not in focus:
                lines.append(_item_sentence(item, number))
    else:
        lines.append("None of the treatments in our curated guideline logic can be offered on the values given so far.")
    others = [i for i in plan.options if i not in focus]
    if others:
        lines.append("Other options: " + "; ".join(
            f"{i.therapy_name} ({load_vocabulary().words('strengths', i.strength)}) {_marks(i, number)}".strip()
            for i in others[:6]) + ".")
    unknown = [i for i in plan.unknown if i not in focus]
    if unknown:
        lines.append("Not possible to judge yet: " + "; ".join(
            f"{i.therapy_name} (needs {_join([variable_label(m) for m in i.missing]) or 'more values'}) "
            f"{_marks(i, number)}".strip() for i in unknown[:6]) + ".")
    ruled = [i for i in plan.ruled_out if i not in focus]
    if ruled:
        lines.append("Ruled out for you: " + "; ".join(
            f"{i.therapy_name} ({_why(i, 1) or 'a condition is not met'}) {_marks(i, number)}".strip()
            for i in ruled[:8]) + ".")
    for item in plan.preferred[:2]:
        after = plan.next_if_fails.get(item.therapy_id) or ()
        if after:
            lines.append(f"If {item.therapy_name} does not work or stops working, the plan would then offer "
                         f"{_join([a.therapy_name for a in after[:4]])}.")
    lines.append("Only your care team can decide on treatment; bring this list to your next appointment.")
    return AnswerSection(title=TITLE, body="\n\n".join(lines))


@dataclass(frozen=True)
class PatientAnswer:
    answer: Answer
    plan: TreatmentPlan
    assessment: object
    curated: object
    question: PatientQuestion


def answer_for_patient(graph, reads, question: str, record, settings, deadline_s: float | None, *,
                       writer=None, sources=None) -> PatientAnswer:
    """The one path from (question, patient record) to an answer led by the plan: GraphQL, the CLI and
    the web app all come through here. `reads` may be the answer read cache; `graph` the driver wrapper;
    `writer` and `sources` as for `service.answer.answer_question`."""
    from dataclasses import replace

    from service.answer import answer_question
    from service.understand import understand

    from .guidance import plan_for_patient, read_curated
    from .inputs import assess_record
    from .record import PriorTherapy

    u = understand(question)
    therapy_ids = [e.id for e in u.entities if e.label in {"Therapy", "Drug"}]
    kind = {"next_after_failure": AFTER_FAILURE, "candidate": CANDIDATE}.get(u.intent, OPTIONS)
    asked = PatientQuestion(kind, tuple(therapy_ids))
    if kind == AFTER_FAILURE:
        # The therapies the question says failed: those the question's values record as failed, else the
        # treatments it names.
        from service.understand import link_entities

        values_patient = getattr(u.values, "patient", None)
        failed_named = [p.therapy for p in (getattr(values_patient, "prior_therapies", None) or ())
                        if p.response in {"no_response", "relapse", "intolerant"}]
        failed_ids = [e.id for name in failed_named for e in link_entities(name) if e.label in {"Therapy", "Drug"}]
        asked = PatientQuestion(AFTER_FAILURE, tuple(dict.fromkeys(failed_ids)) or tuple(therapy_ids))
        known = {p.therapy for p in record.prior_therapies or ()}
        extra = [PriorTherapy(therapy=t, response="no_response") for t in asked.focus_ids if t not in known]
        record = replace(record, prior_therapies=tuple(record.prior_therapies or ()) + tuple(extra))
    assessment = assess_record(record)
    curated = read_curated(reads, deadline_s)
    plan = plan_for_patient(assessment, curated)
    failed_name = _join([curated.names.get(t, t) for t in asked.focus_ids]) if asked.kind == AFTER_FAILURE else None

    def lead(number):
        return plan_section(plan, assessment, asked, number, curated.names, curated.families, failed_name)

    answer = answer_question(graph, question, settings, deadline_s=deadline_s, writer=writer, sources=sources,
                             lead_citations=[IPSSR_SOURCE, *plan_citations(plan)], lead_section=lead)
    return PatientAnswer(answer, plan, assessment, curated, asked)
