"""Read ClinicalTrials.gov records: API v2 JSON (a study or a `{"studies": [...]}` page) and
the legacy `<clinical_study>` XML. Both are mapped to `TrialFields` first so one function
builds the Document and both formats come out alike.
"""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.readers.builder import TextBuilder
from etl.readers.eligibility import (  # noqa: F401  (re-exported: part of this reader's API)
    CriterionItem,
    criteria_items,
    eligibility_parts,
    split_eligibility,
)
from etl.readers.errors import UnreadableDocument
from mdskg.records import Document, SourceType
from ontology import source_url


@dataclass
class TrialFields:
    """The parts of a registry record the pipeline uses, whatever format it came in."""

    nct_id: str
    brief_title: str = ""
    official_title: str = ""
    brief_summary: str = ""
    detailed_description: str = ""
    conditions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)  # type, name, description, other_names
    eligibility_criteria: str = ""
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: str | None = None
    healthy_volunteers: bool | None = None
    extra: dict = field(default_factory=dict)  # status, phases, sponsor, … straight to metadata


# ---- readers --------------------------------------------------------------------------------


def read_ctgov_json(path: str | Path) -> Iterator[Document]:
    """Yield a Document for each study in an API v2 JSON file (a study, a list, or a page)."""
    with open(path, encoding="utf-8-sig") as handle:
        data = json.load(handle)
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        studies = data["studies"]
    elif isinstance(data, dict) and "protocolSection" in data:
        studies = [data]
    elif isinstance(data, list):
        studies = data
    else:
        raise UnreadableDocument(path, "JSON is neither a ClinicalTrials.gov v2 study nor a page of studies")
    for study in studies:
        yield trial_document(fields_from_json(study, path), path)


def read_ctgov_xml(path: str | Path) -> Iterator[Document]:
    """Yield the Document of a legacy ClinicalTrials.gov `<clinical_study>` XML file."""
    root = ET.parse(path).getroot()
    if root.tag != "clinical_study":
        raise UnreadableDocument(path, f"not ClinicalTrials.gov XML: root element <{root.tag}>")
    yield trial_document(fields_from_xml(root, path), path)


# ---- format → TrialFields -------------------------------------------------------------------


def fields_from_json(study: dict, path: str | Path | None = None) -> TrialFields:
    protocol = study.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    nct_id = (ident.get("nctId") or "").strip()
    if not nct_id:
        raise UnreadableDocument(path, "study without protocolSection.identificationModule.nctId")
    description = protocol.get("descriptionModule") or {}
    conditions = protocol.get("conditionsModule") or {}
    eligibility = protocol.get("eligibilityModule") or {}
    status = protocol.get("statusModule") or {}
    design = protocol.get("designModule") or {}
    sponsor = (protocol.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}
    browse = (study.get("derivedSection") or {}).get("conditionBrowseModule") or {}
    interventions = [
        {
            "type": item.get("type"),
            "name": _unescape_markdown(item.get("name") or ""),
            "description": _unescape_markdown(item.get("description") or ""),
            "other_names": item.get("otherNames") or [],
        }
        for item in (protocol.get("armsInterventionsModule") or {}).get("interventions") or []
    ]
    return TrialFields(
        nct_id=nct_id,
        brief_title=_unescape_markdown(ident.get("briefTitle") or ""),
        official_title=_unescape_markdown(ident.get("officialTitle") or ""),
        brief_summary=_unescape_markdown(description.get("briefSummary") or "").strip(),
        detailed_description=_unescape_markdown(description.get("detailedDescription") or "").strip(),
        conditions=list(conditions.get("conditions") or []),
        keywords=list(conditions.get("keywords") or []),
        interventions=interventions,
        eligibility_criteria=_unescape_markdown(eligibility.get("eligibilityCriteria") or "").strip(),
        minimum_age=eligibility.get("minimumAge"),
        maximum_age=eligibility.get("maximumAge"),
        sex=eligibility.get("sex"),
        healthy_volunteers=eligibility.get("healthyVolunteers"),
        extra={
            "acronym": ident.get("acronym"),
            "org_study_id": (ident.get("orgStudyIdInfo") or {}).get("id"),
            "overall_status": status.get("overallStatus"),
            "start_date": (status.get("startDateStruct") or {}).get("date"),
            "completion_date": (status.get("completionDateStruct") or {}).get("date"),
            "study_type": design.get("studyType"),
            "phases": list(design.get("phases") or []),
            "enrollment": (design.get("enrollmentInfo") or {}).get("count"),
            "sponsor": sponsor.get("name"),
            "std_ages": list(eligibility.get("stdAges") or []),
            "condition_mesh_terms": [m.get("term") for m in browse.get("meshes") or [] if m.get("term")],
            "has_results": study.get("hasResults"),
            "format": "ctgov_json",
        },
    )


def fields_from_xml(root: ET.Element, path: str | Path | None = None) -> TrialFields:
    nct_id = (root.findtext("id_info/nct_id") or "").strip()
    if not nct_id:
        raise UnreadableDocument(path, "clinical_study without id_info/nct_id")
    interventions = [
        {
            "type": _code(node.findtext("intervention_type")),
            "name": (node.findtext("intervention_name") or "").strip(),
            "description": _clean_textblock(node.findtext("description") or ""),
            "other_names": [(n.text or "").strip() for n in node.findall("other_name")],
        }
        for node in root.findall("intervention")
    ]
    healthy = (root.findtext("eligibility/healthy_volunteers") or "").strip().lower()
    enrollment = (root.findtext("enrollment") or "").strip()
    return TrialFields(
        nct_id=nct_id,
        brief_title=(root.findtext("brief_title") or "").strip(),
        official_title=(root.findtext("official_title") or "").strip(),
        brief_summary=_clean_textblock(root.findtext("brief_summary/textblock") or ""),
        detailed_description=_clean_textblock(root.findtext("detailed_description/textblock") or ""),
        conditions=[(n.text or "").strip() for n in root.findall("condition")],
        keywords=[(n.text or "").strip() for n in root.findall("keyword")],
        interventions=interventions,
        eligibility_criteria=_clean_textblock(root.findtext("eligibility/criteria/textblock") or ""),
        minimum_age=root.findtext("eligibility/minimum_age"),
        maximum_age=root.findtext("eligibility/maximum_age"),
        sex=root.findtext("eligibility/gender"),
        healthy_volunteers={"yes": True, "no": False}.get(healthy),
        extra={
            "acronym": (root.findtext("acronym") or "").strip() or None,
            "org_study_id": (root.findtext("id_info/org_study_id") or "").strip() or None,
            "overall_status": _code(root.findtext("overall_status")),
            "start_date": (root.findtext("start_date") or "").strip() or None,
            "completion_date": (root.findtext("completion_date") or "").strip() or None,
            "study_type": _code(root.findtext("study_type")),
            "phases": _legacy_phases(root.findtext("phase")),
            "enrollment": int(enrollment) if enrollment.isdigit() else None,
            "sponsor": (root.findtext("sponsors/lead_sponsor/agency") or "").strip() or None,
            "condition_mesh_terms": [(n.text or "").strip() for n in root.findall("condition_browse/mesh_term")],
            "has_results": root.find("clinical_results") is not None,
            "download_date": (root.findtext("required_header/download_date") or "").strip() or None,
            "format": "ctgov_xml",
        },
    )


# ---- TrialFields → Document -----------------------------------------------------------------


def trial_document(fields: TrialFields, path: str | Path | None = None) -> Document:
    title = fields.brief_title or fields.official_title or fields.nct_id
    builder = TextBuilder()
    builder.add(title, title="Title")
    if fields.official_title and fields.official_title != title:
        builder.add(fields.official_title, title="Official Title")
    builder.add(fields.brief_summary, title="Brief Summary")
    builder.add(fields.detailed_description, title="Detailed Description")
    builder.add("\n".join(c for c in fields.conditions if c), title="Conditions")
    builder.add(_interventions_text(fields.interventions), title="Interventions")
    _add_eligibility(builder, fields.eligibility_criteria)

    metadata = {
        "nct_id": fields.nct_id,
        "url": source_url(f"clinicaltrials:{fields.nct_id}"),
        "official_title": fields.official_title or None,
        "conditions": fields.conditions,
        "keywords": fields.keywords,
        "interventions": [
            {"type": i["type"], "name": i["name"], "other_names": i["other_names"]} for i in fields.interventions
        ],
        "min_age": _age_or_none(fields.minimum_age),
        "max_age": _age_or_none(fields.maximum_age),
        "min_age_years": age_in_years(fields.minimum_age),
        "max_age_years": age_in_years(fields.maximum_age),
        "sex": _sex(fields.sex),
        "healthy_volunteers": fields.healthy_volunteers,
        **fields.extra,
    }
    return Document(
        id=f"clinicaltrials:{fields.nct_id}",
        title=title,
        text=builder.text,
        source_type=SourceType.TRIAL,
        sections=tuple(builder.sections),
        metadata=metadata,
        path=str(path) if path is not None else None,
    )


def _add_eligibility(builder: TextBuilder, criteria: str) -> None:
    """Place the criteria text and one section per inclusion/exclusion/eligibility part."""
    offset = builder.add(criteria)
    if offset is None:
        return
    for part in eligibility_parts(criteria):
        if part.start < part.end:
            builder.add_section(part.heading, offset + part.start, offset + part.end, kind=part.criteria_kind,
                                scope=part.scope)


def _interventions_text(interventions: list[dict]) -> str:
    blocks = []
    for item in interventions:
        head = f"{_label(item['type'])}: {item['name']}" if item["type"] else item["name"]
        if item["other_names"]:
            head += f" (other names: {', '.join(item['other_names'])})"
        blocks.append(f"{head}\n{item['description']}" if item["description"] else head)
    return "\n\n".join(blocks)


# ---- small normalisers ----------------------------------------------------------------------

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.IGNORECASE)
_UNIT_IN_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25,
                  "hour": 1 / 8766, "minute": 1 / 525960}


def age_in_years(age: str | None) -> float | None:
    """'18 Years' → 18.0, '6 Months' → 0.5; 'N/A' or missing → None."""
    match = _AGE.match(age or "")
    if not match:
        return None
    years = float(match.group(1)) * _UNIT_IN_YEARS[match.group(2).lower()]
    return round(years, 4)


def _age_or_none(age: str | None) -> str | None:
    age = (age or "").strip()
    return None if age.upper() in ("", "N/A", "NA") else age


def _sex(value: str | None) -> str | None:
    """Both formats to the v2 codes: ALL, FEMALE, MALE (legacy 'Both' meant all)."""
    value = (value or "").strip().upper()
    return {"BOTH": "ALL"}.get(value, value) or None


def _code(value: str | None) -> str | None:
    """Legacy prose values to the v2 enum style: 'Active, not recruiting' → ACTIVE_NOT_RECRUITING."""
    value = re.sub(r"[^A-Za-z0-9]+", "_", (value or "").strip()).strip("_").upper()
    return value or None


def _label(code: str) -> str:
    return code.replace("_", " ").title() if code.isupper() else code


def _legacy_phases(phase: str | None) -> list[str]:
    """'Phase 1/Phase 2' → ['PHASE1', 'PHASE2']; 'N/A' → ['NA'], as in API v2."""
    phase = (phase or "").strip()
    if not phase:
        return []
    if phase.upper() in ("N/A", "NA"):
        return ["NA"]
    return [re.sub(r"[^A-Z0-9]+", "_", p.strip().upper()).replace("PHASE_", "PHASE") for p in phase.split("/")]


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=])")


def _unescape_markdown(text: str) -> str:
    # API v2 serves text as Markdown, so '[', '>' and '<' arrive as '\[', '\>', '\<'.
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def _clean_textblock(raw: str) -> str:
    """Undo the legacy XML's indentation and hard wrapping at ~100 columns.

    Wrapped lines are joined back into their bullet or paragraph; a bullet, a line after a
    blank line or after a line ending in ':' starts a new line.
    """
    lines = textwrap.dedent(raw.strip("\n")).splitlines()
    out: list[str] = []
    previous_blank = True
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            previous_blank = True
            continue
        starts_item = bool(re.match(r"^\s*(?:[-*•·o]|\d{1,3}[.)]|[a-zA-Z][.)])\s+", line))
        if previous_blank or starts_item or out[-1].rstrip().endswith(":"):
            out.append(line.rstrip())
        else:
            out[-1] = f"{out[-1].rstrip()} {stripped}"
        previous_blank = False
    return "\n".join(out).strip()
