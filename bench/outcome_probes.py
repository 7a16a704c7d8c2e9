"""Outcome extraction on made-up abstracts written blind (issue 15, Deliver 3).

    python -m bench.outcome_probes [--file PATH ...] [--verbose] [--json PATH]

The labelled real abstracts (bench/extraction_eval.py) have all been read to tune the outcome rules, so they no
longer show how the rules carry over to wording nobody fitted them to. The files in tests/data/outcome_probes/ are
fictional abstracts with invented figures, written and labelled by someone who never opened the extractor; each is
fed through the same PubMed reader (a structured abstract's "LABEL:" lines become its labelled sections) and the
rule extractor, and scored with bench/extraction_scoring.py exactly as the real abstracts are: outcome precision /
recall, conclusions, relation precision and polarity errors. The studies are made up: nothing here is loaded into
the graph or cited. Always exits 0: it is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bench.extraction_eval import _names_of, _pct, measure_abstracts

ROOT = Path(__file__).resolve().parent.parent
PROBES_DIR = ROOT / "tests" / "data" / "outcome_probes"
# Files whose first run is recorded in the README beside them; a new blind file is run with --file first.
MEASURED_FILES: tuple[str, ...] = ("abstracts.yaml", "abstracts2.yaml", "abstracts3.yaml")

# "RESULTS: ..." at the start of a line opens a labelled section of a structured abstract.
_SECTION_LABEL = re.compile(r"^\s*([A-Z][A-Z &/-]{2,40}):\s*", re.MULTILINE)


def abstract_sections(text: str) -> list[tuple[str | None, str]]:
    """(label, paragraph) pairs as PubMed stores a structured abstract; one unlabelled paragraph otherwise."""
    marks = list(_SECTION_LABEL.finditer(text))
    if not marks:
        return [(None, " ".join(text.split()))]
    sections: list[tuple[str | None, str]] = []
    if text[:marks[0].start()].strip():
        sections.append((None, " ".join(text[:marks[0].start()].split())))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end():following.start() if following else len(text)]
        sections.append((mark.group(1).strip(), " ".join(body.split())))
    return [(label, body) for label, body in sections if body]


def probe_article(entry: dict[str, Any]) -> ET.Element:
    """A <PubmedArticle> holding one made-up abstract, so it goes through the reader real abstracts go through."""
    article = ET.Element("PubmedArticle")
    citation = ET.SubElement(article, "MedlineCitation")
    ET.SubElement(citation, "PMID").text = str(entry["pmid"])
    body = ET.SubElement(citation, "Article")
    ET.SubElement(body, "ArticleTitle").text = entry.get("title") or ""
    abstract = ET.SubElement(body, "Abstract")
    for label, paragraph in abstract_sections(entry["text"]):
        node = ET.SubElement(abstract, "AbstractText")
        node.text = paragraph
        if label:
            node.set("Label", label)
    return article


def load_probes(path: Path) -> list[dict[str, Any]]:
    """The entries of one probe file, each keyed like a real abstract's label (`pmid` = the made-up id)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(entries, dict):
        entries = entries.get("abstracts") or []
    return [{**e, "pmid": str(e.get("id") or e.get("pmid"))} for e in entries]


def probe_documents(entries: list[dict[str, Any]]) -> Iterator[Any]:
    from etl.readers.pubmed import article_to_document

    for entry in entries:
        yield article_to_document(probe_article(entry), path=None)


def run(files: list[Path], verbose: bool = False, json_path: str | None = None) -> int:
    from etl.extract import get_extractor

    if not files:
        print(f"outcome_probes: no measured probe files yet; run a new one with --file (folder {PROBES_DIR}).")
        return 0
    extractor = get_extractor("rules")
    names_of = _names_of(extractor.ontology)
    out: dict[str, Any] = {"extractor": f"{extractor.name}@{getattr(extractor, 'version', '?')}"}
    for path in files:
        started = time.time()
        entries = load_probes(path)
        measured = measure_abstracts(extractor, names_of, probe_documents(entries), entries)
        outcomes, relations, conclusions = measured["outcomes"], measured["relations"], measured["conclusions"]
        lines = [f"Outcome probes: {path.name} ({measured['n_abstracts']} made-up abstracts, "
                 f"{out['extractor']})",
                 f"outcomes: precision {_pct(outcomes.precision)} ({outcomes.matched}/{outcomes.extracted}), "
                 f"recall {_pct(outcomes.recall)} ({outcomes.gold_matched}/{outcomes.gold})",
                 f"conclusions: {conclusions['right']}/{conclusions['labelled']} right",
                 f"relations (gold types): precision {_pct(relations.precision)} "
                 f"({relations.matched}/{relations.extracted} unique), gold found "
                 f"{relations.gold_matched}/{relations.gold}",
                 f"polarity errors: {len(relations.polarity_errors)}"]
        lines += [f"  {e['pmid']}  {e['relation']}  [{e['why']}]" for e in relations.polarity_errors]
        if verbose:
            lines += [f"  {w}" for w in conclusions["wrong"]]
            lines += _outcome_rows(measured["extracted_outcomes"], measured["gold_outcomes"])
        lines.append(f"({time.time() - started:.1f} s)")
        print("\n".join(lines) + "\n")
        out[path.name] = {"outcomes": outcomes.figures(), "conclusions": conclusions,
                          "relations": {**relations.figures(), "polarity_error_list": relations.polarity_errors}}
    if json_path:
        Path(json_path).write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


def _outcome_rows(extracted: list[dict], gold: list[dict]) -> list[str]:
    """Per abstract, the labelled and the extracted (endpoint, value) pairs, to read misses by eye."""
    def key(o: dict) -> str:
        return f"{o.get('endpoint')}={o.get('value', o.get('hr'))}"

    rows = []
    for pmid in sorted({o["pmid"] for o in gold}):
        rows.append(f"  {pmid}: gold   {sorted(key(o) for o in gold if o['pmid'] == pmid)}")
        rows.append(f"  {' ' * len(pmid)}  found  {sorted(key(o) for o in extracted if o['pmid'] == pmid)}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", action="append", type=Path, help="a probe file (repeatable; default: the "
                                                                      "measured files)")
    parser.add_argument("--verbose", action="store_true", help="list labelled vs extracted outcomes per abstract")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    files = args.file or [PROBES_DIR / name for name in MEASURED_FILES]
    try:
        return run(files, args.verbose, args.json)
    except Exception as exc:  # noqa: BLE001 - a measurement: report any failure and exit 0
        import traceback

        traceback.print_exc()
        print(f"outcome_probes: the run failed ({type(exc).__name__}: {exc}); no figures.", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
