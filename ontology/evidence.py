"""Curated evidence and statements as data: studies with their outcomes and adverse-event frequencies,
regulatory approvals (ontology/data/evidence/*.yaml, format: docs/evidence-contract.md) and short cited
statements about concepts (ontology/data/facts/*.yaml: symptoms, causes, mechanism, how a treatment is
given, prognosis, scope). Read once per process; problems are collected, not raised.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology.guidance import CuratedSource, iter_data_files
from ontology.model import DEFAULT_DIR, Ontology, Problem

EVIDENCE_DIR = "evidence"
FACTS_DIR = "facts"
STATEMENT_KINDS = ("symptom", "cause", "risk_factor", "mechanism", "administration", "prognosis", "diagnosis",
                   "watch_and_wait", "scope", "general")
OUTCOME_KINDS = ("response", "survival", "progression", "transfusion", "quality_of_life", "other")
CONCLUSIONS = ("positive", "negative", "inconclusive")


@dataclass(frozen=True)
class OutcomeRecord:
    endpoint: str
    kind: str
    arm: str | None
    value: float | None
    unit: str | None
    comparator_value: float | None = None
    p: str | None = None
    hr: float | None = None
    ci: str | None = None
    follow_up: str | None = None
    n: int | None = None
    primary: bool = False
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdverseEventRecord:
    event: str
    arm: str | None
    any_grade_pct: float | None
    grade3_pct: float | None
    comparator_any_grade_pct: float | None = None
    comparator_grade3_pct: float | None = None
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudyRecord:
    id: str
    name: str
    aliases: tuple[str, ...]
    nct: str | None
    pmid: str | None
    year: int | None
    design: str
    phase: str
    n: int | None
    population: str
    population_ids: tuple[str, ...]
    therapies: tuple[str, ...]
    comparator: str | None
    comparator_ids: tuple[str, ...]
    conclusion: str
    summary: str
    outcomes: tuple[OutcomeRecord, ...]
    adverse_events: tuple[AdverseEventRecord, ...]
    citations: tuple[str, ...]
    file: str = ""

    def all_citations(self) -> tuple[str, ...]:
        ids = list(self.citations)
        for cited in (*(o.citations for o in self.outcomes), *(a.citations for a in self.adverse_events)):
            ids += [c for c in cited if c not in ids]
        return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class ApprovalRecord:
    id: str
    drug: str
    agency: str
    date: str
    indication: str
    study: str | None
    citations: tuple[str, ...]


@dataclass(frozen=True)
class StatementRecord:
    id: str
    about: tuple[str, ...]
    kind: str
    text: str
    numbers: tuple[str, ...]
    citations: tuple[str, ...]
    file: str = ""


@dataclass(frozen=True)
class CuratedEvidence:
    studies: tuple[StudyRecord, ...]
    approvals: tuple[ApprovalRecord, ...]
    statements: tuple[StatementRecord, ...]
    sources: tuple[CuratedSource, ...]
    versions: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def version(self) -> str:
        return "+".join(f"{k}@{v}" for k, v in sorted(self.versions.items()))

    def study_names(self) -> dict[str, str]:
        """Every name and alias of a study (lower-case) → study id."""
        out: dict[str, str] = {}
        for s in self.studies:
            for name in (s.name, *s.aliases, *([s.nct] if s.nct else [])):
                out.setdefault(name.lower(), s.id)
        return out


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    x = _num(value)
    return int(x) if x is not None else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _study(d: Mapping[str, Any], file: str) -> StudyRecord:
    outcomes = tuple(OutcomeRecord(
        endpoint=str(o.get("endpoint") or ""), kind=str(o.get("kind") or "other"), arm=_str(o.get("arm")),
        value=_num(o.get("value")), unit=_str(o.get("unit")), comparator_value=_num(o.get("comparator_value")),
        p=_str(o.get("p")), hr=_num(o.get("hr")), ci=_str(o.get("ci")), follow_up=_str(o.get("follow_up")),
        n=_int(o.get("n")), primary=bool(o.get("primary")), citations=_tuple(o.get("citations")))
        for o in d.get("outcomes") or [] if isinstance(o, Mapping))
    aes = tuple(AdverseEventRecord(
        event=str(a.get("event") or ""), arm=_str(a.get("arm")), any_grade_pct=_num(a.get("any_grade_pct")),
        grade3_pct=_num(a.get("grade3_pct")), comparator_any_grade_pct=_num(a.get("comparator_any_grade_pct")),
        comparator_grade3_pct=_num(a.get("comparator_grade3_pct")), citations=_tuple(a.get("citations")))
        for a in d.get("adverse_events") or [] if isinstance(a, Mapping))
    return StudyRecord(
        id=str(d["id"]), name=str(d.get("name") or d["id"]), aliases=_tuple(d.get("aliases")), nct=_str(d.get("nct")),
        pmid=_str(d.get("pmid")), year=_int(d.get("year")), design=str(d.get("design") or ""),
        phase=str(d.get("phase") or ""), n=_int(d.get("n")), population=str(d.get("population") or ""),
        population_ids=_tuple(d.get("population_ids")), therapies=_tuple(d.get("therapies")),
        comparator=_str(d.get("comparator")), comparator_ids=_tuple(d.get("comparator_ids")),
        conclusion=str(d.get("conclusion") or "inconclusive"), summary=" ".join(str(d.get("summary") or "").split()),
        outcomes=outcomes, adverse_events=aes, citations=_tuple(d.get("citations")), file=file)


def read_evidence(data_dir: Path = DEFAULT_DIR) -> CuratedEvidence:
    problems: list[Problem] = []
    studies: list[StudyRecord] = []
    approvals: list[ApprovalRecord] = []
    statements: list[StatementRecord] = []
    sources: dict[str, CuratedSource] = {}
    versions: dict[str, str] = {}
    for folder in (EVIDENCE_DIR, FACTS_DIR):
        for path, where, doc in iter_data_files(Path(data_dir), folder, problems, sources):
            versions[f"{folder}/{path.stem}"] = str(doc.get("version") or "")
            for i, entry in enumerate(doc.get("studies") or []):
                if not isinstance(entry, Mapping) or not entry.get("id"):
                    problems.append(Problem("load_error", f"{where} studies[{i}]", "a study needs an id"))
                    continue
                studies.append(_study(entry, path.name))
            for i, entry in enumerate(doc.get("approvals") or []):
                if not isinstance(entry, Mapping) or not entry.get("id") or not entry.get("drug"):
                    problems.append(Problem("load_error", f"{where} approvals[{i}]", "an approval needs id and drug"))
                    continue
                approvals.append(ApprovalRecord(
                    id=str(entry["id"]), drug=str(entry["drug"]), agency=str(entry.get("agency") or ""),
                    date=str(entry.get("date") or ""), indication=" ".join(str(entry.get("indication") or "").split()),
                    study=_str(entry.get("study")), citations=_tuple(entry.get("citations"))))
            for i, entry in enumerate(doc.get("facts") or []):
                if not isinstance(entry, Mapping) or not entry.get("id") or not entry.get("text"):
                    problems.append(Problem("load_error", f"{where} facts[{i}]", "a statement needs id and text"))
                    continue
                statements.append(StatementRecord(
                    id=str(entry["id"]), about=_tuple(entry.get("about")), kind=str(entry.get("kind") or "general"),
                    text=" ".join(str(entry["text"]).split()), numbers=_tuple(entry.get("numbers")),
                    citations=_tuple(entry.get("citations")), file=path.name))
    return CuratedEvidence(tuple(studies), tuple(approvals), tuple(statements), tuple(sources.values()), versions,
                           tuple(problems))


@functools.lru_cache(maxsize=1)
def load_evidence() -> CuratedEvidence:
    return read_evidence(DEFAULT_DIR)


_NUMBER = re.compile(r"(?<![A-Za-z\d.])\d+(?:[.,]\d+)?(?![A-Za-z\d])")


def check_evidence(evidence: CuratedEvidence, onto: Ontology, extra_sources: Iterable[str] = ()) -> list[Problem]:
    """Ids, concept references, citations, and every number of a statement declared in `numbers`."""
    problems = list(evidence.problems)
    known = set(getattr(onto, "sources", {}) or {}) | {s.id for s in evidence.sources} | set(extra_sources)
    seen: set[str] = set()

    def cite(where: str, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            problems.append(Problem("unknown_source", where, "no citation"))
        for c in ids:
            if c not in known:
                problems.append(Problem("unknown_source", where, f"citation {c} is not described in any sources list"))

    for s in evidence.studies:
        where = f"{s.file}:{s.id}"
        if s.id in seen:
            problems.append(Problem("duplicate_id", where, "id used twice"))
        seen.add(s.id)
        if not s.id.startswith("MDSKG:study/"):
            problems.append(Problem("bad_id", where, "study ids start with MDSKG:study/"))
        if s.conclusion not in CONCLUSIONS:
            problems.append(Problem("bad_value", where, f"conclusion {s.conclusion!r}"))
        for t in (*s.therapies, *s.comparator_ids):
            if onto.label_of(t) not in {"Therapy", "Drug"}:
                problems.append(Problem("unknown_concept", where, f"{t} is not a Therapy or Drug"))
        for p in s.population_ids:
            if p not in onto:
                problems.append(Problem("unknown_concept", where, f"population {p} is not a concept"))
        cite(where, s.citations)
        for o in s.outcomes:
            if o.kind not in OUTCOME_KINDS:
                problems.append(Problem("bad_value", where, f"outcome kind {o.kind!r}"))
            cite(f"{where} outcome {o.endpoint}", o.citations or s.citations)
        for a in s.adverse_events:
            cite(f"{where} adverse event {a.event}", a.citations or s.citations)
    for ap in evidence.approvals:
        where = f"approval {ap.id}"
        if onto.label_of(ap.drug) not in {"Therapy", "Drug"}:
            problems.append(Problem("unknown_concept", where, f"{ap.drug} is not a Therapy or Drug"))
        if ap.study and ap.study not in {s.id for s in evidence.studies}:
            problems.append(Problem("unknown_concept", where, f"study {ap.study} is not curated"))
        cite(where, ap.citations)
    for st in evidence.statements:
        where = f"{st.file}:{st.id}"
        if st.id in seen:
            problems.append(Problem("duplicate_id", where, "id used twice"))
        seen.add(st.id)
        if st.kind not in STATEMENT_KINDS:
            problems.append(Problem("bad_value", where, f"statement kind {st.kind!r}"))
        for c in st.about:
            if c not in onto:
                problems.append(Problem("unknown_concept", where, f"about {c} is not a concept"))
        cite(where, st.citations)
        declared = {n.replace(",", ".") for n in st.numbers}
        for number in _NUMBER.findall(st.text):
            if number.replace(",", ".") not in declared:
                problems.append(Problem("undeclared_number", where, f"the number {number} is not declared in `numbers`"))
    return problems
