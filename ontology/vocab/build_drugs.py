"""Build ontology/data/vocabularies/drugs.generated.yaml from the `drug-named-entity-recognition`
dictionary (Fast Data Science; MIT; built from the DrugBank open vocabulary, MeSH, MedlinePlus, NHS
and Wikipedia).

    .venv/bin/python -m ontology.vocab.build_drugs                 # corpus at ../shared/data/real
    .venv/bin/python -m ontology.vocab.build_drugs --corpus DIR --check

The package is needed only here (`pip install -e '.[vocab]'`); the generated YAML is what the
ontology loader reads at run time. It holds names and identifiers only.

Scope: the dictionary has ~20,000 entries; the vocabulary keeps the anticancer and haematology
drugs that literature about MDS actually names, i.e. a dictionary entry is a candidate when

  * it occurs in the real development texts (PubMed abstracts and ClinicalTrials.gov records under
    ``--corpus``), or the issue names it (`REQUIRED`), or the previous generated file has it (so a
    rebuild without the corpus keeps the scope), and
  * it has a DrugBank id (this drops drug classes, enzymes and antigens, which the dictionary also
    lists), and
  * it is in scope: its MeSH class is one of `SCOPE_MESH_CLASSES`, or its name carries an
    oncology/haematology INN stem (`SCOPE_STEMS`), or it is listed in `ALSO_IN_SCOPE`; and it is
    not in `OUT_OF_SCOPE`.

A dictionary entry that is one of our curated drugs (drugs.yaml) is never generated again: the
build matches curated names and synonyms to dictionary entries and reports, per curated drug, the
dictionary's DrugBank id (already an xref / proposed / conflicting). Proposed ids are added to
drugs.yaml by a curator, not by this script.

Surface forms: the dictionary's name and synonyms, minus inverted index forms ("acid, retinoic"),
forms shorter than 5 characters that the corpus does not use, forms the dictionary gives to more
than one entry, and forms that already name a curated concept (those keep their curated meaning).

Note on MeSH: for a drug entry the dictionary's ``mesh_id`` is a MeSH *pharmacological action*
(hydroxyurea → D019384 Nucleic Acid Synthesis Inhibitors), not the drug's own descriptor, so it is
recorded as ``mesh_class`` and used for scope only, never as an xref.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from ontology.model import DEFAULT_DIR, VOCABULARIES_DIR, Ontology, _load, normalise_surface

PACKAGE = "drug-named-entity-recognition"
OUTPUT = DEFAULT_DIR / VOCABULARIES_DIR / "drugs.generated.yaml"
DEFAULT_CORPUS = DEFAULT_DIR.parents[2] / "shared" / "data" / "real"
PACKAGE_URL = "https://github.com/fastdatascience/drug_named_entity_recognition"
DATA_SOURCES = "DrugBank open vocabulary (CC0), MeSH (NLM), MedlinePlus, NHS, Wikipedia"

#: Drugs the issue names as missing: always in the vocabulary.
REQUIRED = ("hydroxyurea", "cytarabine", "fludarabine", "pevonedistat", "rigosertib")

#: MeSH pharmacological actions (the dictionary's `mesh_id` of a drug) that put a drug in scope.
SCOPE_MESH_CLASSES = {
    "D000970": "Antineoplastic Agents",
    "D000964": "Antimetabolites, Antineoplastic",
    "D018906": "Antineoplastic Agents, Alkylating",
    "D018931": "Antineoplastic Agents, Hormonal",
    "D000074322": "Antineoplastic Agents, Immunological",
    "D019653": "Myeloablative Agonists",
    "D059003": "Topoisomerase Inhibitors",
    "D059004": "Topoisomerase I Inhibitors",
    "D059005": "Topoisomerase II Inhibitors",
    "D050257": "Tubulin Modulators",
    "D047428": "Protein Kinase Inhibitors",
    "D056572": "Histone Deacetylase Inhibitors",
    "D000082082": "Immune Checkpoint Inhibitors",
    "D020533": "Angiogenesis Inhibitors",
    "D019384": "Nucleic Acid Synthesis Inhibitors",
    "D007166": "Immunosuppressive Agents",
    "D006401": "Hematologic Agents",
    "D006397": "Hematinics",
}

#: INN stems of anticancer and haematology drugs (matched at the end of a word of the name).
SCOPE_STEMS = ("nib", "mab", "bine", "rubicin", "platin", "mustine", "taxel", "tecan", "xantrone",
               "stat", "cept", "parib", "zomib", "grastim", "mostim", "poetin", "sertib", "degib",
               "limus", "fusp", "lisib", "ciclib", "staurin", "dostaurin")

#: Named in MDS/AML literature but caught by neither rule above (dictionary name, lower case).
ALSO_IN_SCOPE = {
    "hydroxyurea": "cytoreduction in CMML and MDS/MPN",
    "tretinoin": "differentiation therapy (ATRA), studied with HMAs",
    "valproic acid": "HDAC inhibitor studied with HMAs in MDS",
    "arsenic trioxide": "AML/APL therapy, studied in MDS",
    "thalidomide": "immunomodulatory drug studied in MDS",
    "danazol": "androgen used for cytopenias in MDS and marrow failure",
    "homoharringtonine": "AML therapy",
    "selinexor": "XPO1 inhibitor studied in MDS/AML",
    "tipifarnib": "farnesyltransferase inhibitor studied in MDS/AML",
    "perifosine": "AKT inhibitor studied in AML",
    "oprelvekin": "interleukin-11, for thrombocytopenia",
    "dacarbazine": "alkylating agent",
    "mycophenolate mofetil": "GVHD prophylaxis after allogeneic transplant",
    "etanercept": "TNF blocker studied in lower-risk MDS",
    "interferon-alpha": "studied in myeloid neoplasms",
    "anakinra": "IL-1 blocker studied in MDS",
}

#: Dictionary entries never generated, with the reason.
OUT_OF_SCOPE = {
    "cedazuridine": "given only combined with decitabine (curated as decitabine-cedazuridine)",
    "gimeracil": "modulator in the tegafur combination (S-1), not an anticancer drug alone",
    "oxonic acid": "modulator in the tegafur combination (S-1), not an anticancer drug alone",
    "cytidine": "nucleoside, named as a metabolite",
    "thrombopoietin": "the body's own hormone, named as a biomarker",
    "7-hydroxystaurosporine": "research compound (UCN-01)",
    "tocilizumab": "IL-6 blocker, named for cytokine release syndrome",
    "infliximab": "TNF blocker, named for autoimmune disease",
}

#: Dictionary synonyms left out, with the reason (the dictionary's own errors or over-broad forms).
FORM_BLOCKLIST = {
    "recombinant human tnf": "names TNF itself, not the TNF-receptor fusion etanercept",
    "cephalotaxine": "a different alkaloid from homoharringtonine",
    "csf-2": "gene/cytokine name, not the drug sargramostim",
    "csf-gm": "cytokine name, not the drug sargramostim",
}

#: Curated drugs whose dictionary DrugBank id is *not* added to drugs.yaml, with the reason.
CURATED_NOT_LINKED = {
    "MDSKG:drug/epoetin-alfa": "matched only through synonyms to the dictionary's 'erythropoietin' entry",
    "MDSKG:drug/horse-atg": "dictionary entry is antilymphocyte immunoglobulin (horse), not clearly ATGAM",
    "MDSKG:drug/oral-azacitidine": "same substance as azacitidine (DB00928); the product is a separate concept",
}

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
_MIN_FORM_LENGTH = 5


# ---- the dictionary -------------------------------------------------------------------------


@dataclass
class Dictionary:
    """The package's lookup tables: variant → dictionary keys, key → data (synonyms included)."""

    version: str
    licence: str
    variant_to_keys: Mapping[str, list[str]]
    key_to_data: Mapping[str, Mapping[str, Any]]

    @classmethod
    def load(cls) -> Dictionary:
        try:
            from drug_named_entity_recognition import drugs_finder
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise SystemExit(f"{PACKAGE} is not installed: pip install -e '.[vocab]' ({exc})") from None
        meta = metadata.metadata(PACKAGE)
        licence = ((meta.get_all("License-Expression") or meta.get_all("License") or [""])[0].strip().splitlines()
                   or [""])[0]
        licence = "MIT" if licence.startswith("MIT") else licence
        return cls(metadata.version(PACKAGE), licence, drugs_finder.drug_variant_to_canonical,
                   drugs_finder.drug_canonical_to_data)

    def keys_of(self, text: str) -> list[str]:
        return list(self.variant_to_keys.get(text.lower(), []))

    def synonyms(self, key: str) -> list[str]:
        return sorted(set(self.key_to_data.get(key, {}).get("synonyms") or []))


# ---- the corpus -----------------------------------------------------------------------------


def corpus_texts(corpus: Path) -> list[str]:
    """Title + abstract of each PubMed article and the whole text of each trial record."""
    texts: list[str] = []
    for path in sorted(corpus.glob("*.xml")):
        root = ET.parse(path).getroot()
        for article in root.iter("PubmedArticle"):
            parts = [" ".join(e.itertext()) for tag in ("ArticleTitle", "AbstractText") for e in article.iter(tag)]
            texts.append(" ".join(parts))
    for path in sorted(corpus.glob("*/*.xml")):
        root = ET.parse(path).getroot()
        if root.tag == "clinical_study":
            texts.append(" ".join(root.itertext()))
    return texts


def corpus_hits(texts: Iterable[str], dictionary: Dictionary, max_words: int = 4
                ) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Documents per dictionary key, and the forms seen per key (lower case)."""
    documents: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        seen: set[str] = set()
        for n in range(max_words, 0, -1):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i:i + n])
                for key in dictionary.variant_to_keys.get(phrase, ()):
                    seen.add(key)
                    forms[key][phrase] += 1
        documents.update(seen)
    return documents, forms


# ---- scope and curated drugs ----------------------------------------------------------------


def scope_reason(key: str, data: Mapping[str, Any]) -> str | None:
    """Why a dictionary entry is in scope, or None."""
    name = str(data.get("name") or key).lower()
    if key in OUT_OF_SCOPE or name in OUT_OF_SCOPE:
        return None
    if name in REQUIRED:
        return "named in issue 15"
    if name in ALSO_IN_SCOPE:
        return "listed: " + ALSO_IN_SCOPE[name]
    mesh = data.get("mesh_id")
    if mesh in SCOPE_MESH_CLASSES:
        return f"MeSH class {mesh} {SCOPE_MESH_CLASSES[mesh]}"
    for word in re.findall(r"[a-z]+", name):
        for stem in SCOPE_STEMS:
            if word.endswith(stem) and len(word) > len(stem) + 2:
                return f"INN stem -{stem}"
    return None


@dataclass
class CuratedMatch:
    concept_id: str
    name: str
    dictionary_key: str | None = None
    drugbank_id: str | None = None
    status: str = "no match"  # xref present | proposed | conflict | ambiguous | not linked: … | no match
    keys: set[str] = field(default_factory=set)


def match_curated(curated: Ontology, dictionary: Dictionary) -> list[CuratedMatch]:
    """Each curated Drug's dictionary entry, found through its name, synonyms and brand names."""
    out = []
    for concept in curated.by_label("Drug"):
        match = CuratedMatch(concept.id, concept.name)
        for text, kind in concept.forms():
            if kind in ("name", "synonym", "brand_name"):
                match.keys.update(dictionary.keys_of(text))
        have = {x.split(":", 1)[1] for x in concept.xrefs if x.startswith("DRUGBANK:")}
        with_id = {k: dictionary.key_to_data.get(k, {}).get("drugbank_id") for k in match.keys}
        with_id = {k: v for k, v in with_id.items() if v}
        agreeing = {k: v for k, v in with_id.items() if v in have}
        if agreeing:
            match.dictionary_key, match.drugbank_id = sorted(agreeing.items())[0]
            match.status = "xref present"
        elif len(set(with_id.values())) == 1:
            match.dictionary_key, match.drugbank_id = sorted(with_id.items())[0]
            match.status = "conflict" if have else "proposed"
            if concept.id in CURATED_NOT_LINKED:
                match.status = "not linked: " + CURATED_NOT_LINKED[concept.id]
        elif with_id:
            match.status = "ambiguous"
        out.append(match)
    return out


def curated_forms(curated: Ontology) -> dict[str, set[str]]:
    forms: dict[str, set[str]] = defaultdict(set)
    for sf in curated.surface_forms():
        forms[normalise_surface(sf.text)].add(sf.concept_id)
    return forms


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def previous_forms(path: Path | None) -> dict[str, Counter[str]]:
    """Dictionary key → surface forms of the previous generated file (its scope, kept when the
    corpus is absent)."""
    if path is None or not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, Counter[str]] = {}
    for entry in doc.get("concepts") or []:
        key = (entry.get("properties") or {}).get("dictionary_key")
        if key:
            out[str(key)] = Counter([str(entry.get("name")), *map(str, entry.get("synonyms") or [])])
    return out


# ---- build ----------------------------------------------------------------------------------


def build(corpus: Path | None, dictionary: Dictionary | None = None, data_dir: Path = DEFAULT_DIR,
          previous: Path | None = OUTPUT) -> tuple[dict[str, Any], list[CuratedMatch]]:
    dictionary = dictionary or Dictionary.load()
    curated = _load(data_dir, vocabularies=False)
    matches = match_curated(curated, dictionary)
    curated_keys = {k for m in matches for k in m.keys}  # every entry a curated drug already names
    taken = curated_forms(curated)
    curated_ids = set(curated.concepts)

    documents: Counter[str] = Counter()
    seen_forms: dict[str, Counter[str]] = {}
    corpus_used = corpus is not None and corpus.is_dir()
    before = previous_forms(previous)
    if corpus is not None and corpus_used:
        documents, seen_forms = corpus_hits(corpus_texts(corpus), dictionary)
    else:
        seen_forms = before  # short forms the corpus used last time stay
    candidates = set(documents) | set(before)
    for name in REQUIRED:
        candidates.update(dictionary.keys_of(name))

    chosen: dict[str, tuple[str, Mapping[str, Any], str]] = {}  # key -> (name, data, reason)
    excluded: list[dict[str, Any]] = []
    for key in sorted(candidates):
        data = dictionary.key_to_data.get(key) or {}
        name = str(data.get("name") or key).lower()
        drugbank = data.get("drugbank_id")
        if not drugbank:
            continue  # a class, enzyme or antigen, not a drug
        reason = scope_reason(key, data)
        why_not = None
        if key in curated_keys:
            why_not = "curated in drugs.yaml"
        elif reason is None:
            why_not = OUT_OF_SCOPE.get(name) or OUT_OF_SCOPE.get(key) or "out of scope"
        elif normalise_surface(name) in taken:
            why_not = "name is a curated form of " + ", ".join(sorted(taken[normalise_surface(name)]))
        elif f"MDSKG:drug/{slug(name)}" in curated_ids:
            why_not = "id taken by a curated concept"
        if why_not:
            if why_not != "out of scope" or documents.get(key):
                excluded.append({"name": name, "drugbank": drugbank, "reason": why_not})
            continue
        assert reason is not None  # no scope reason means `why_not` is set above
        chosen[key] = (name, data, reason)

    # a surface form claimed by two chosen entries is left out of both
    claims: Counter[str] = Counter()
    forms_of: dict[str, list[str]] = {}
    for key, (name, _data, _r) in chosen.items():
        forms = [name] + [s for s in dictionary.synonyms(key) if _good_form(s, key, dictionary, seen_forms)]
        forms = [f for f in dict.fromkeys(forms) if normalise_surface(f) not in taken]
        forms_of[key] = forms
        claims.update({normalise_surface(f) for f in forms})

    concepts = []
    for key, (name, data, reason) in sorted(chosen.items(), key=lambda kv: kv[1][0]):
        synonyms = sorted({f for f in forms_of[key][1:] if claims[normalise_surface(f)] == 1
                           and normalise_surface(f) != normalise_surface(name)}, key=str.lower)
        props: dict[str, Any] = {"dictionary_key": key}
        for field_name, prop in (("mesh_id", "mesh_class"), ("medline_plus_id", "medlineplus_id")):
            if data.get(field_name):
                props[prop] = str(data[field_name])
        props["scope"] = reason
        if corpus_used:
            props["corpus_documents"] = documents.get(key, 0)
        entry: dict[str, Any] = {"id": f"MDSKG:drug/{slug(name)}", "name": name}
        if synonyms:
            entry["synonyms"] = synonyms
        entry["xrefs"] = [f"DRUGBANK:{data['drugbank_id']}"]
        entry["properties"] = props
        concepts.append(entry)

    doc = {
        "source": {
            "package": PACKAGE,
            "version": dictionary.version,
            "licence": dictionary.licence,
            "url": PACKAGE_URL,
            "data_sources": DATA_SOURCES,
            "generated": dt.date.today().isoformat(),
            "generator": "python -m ontology.vocab.build_drugs",
            "scope": ("dictionary entries with a DrugBank id named in the development corpus "
                      f"({'used' if corpus_used else 'absent: previous scope kept'}) or in issue 15, "
                      "restricted to anticancer/haematology drugs; curated drugs excluded"),
            "ids": ("xrefs: DRUGBANK; properties.mesh_class is the dictionary's MeSH pharmacological "
                    "action (not the drug's own descriptor); properties.medlineplus_id as given"),
        },
        "label": "Drug",
        "curated_matches": [
            {"id": m.concept_id, "drugbank": m.drugbank_id, "status": m.status}
            for m in matches if m.status != "no match"
        ],
        "excluded": sorted(excluded, key=lambda e: e["name"]),
        "concepts": concepts,
    }
    return doc, matches


def _good_form(text: str, key: str, dictionary: Dictionary, seen: Mapping[str, Counter[str]]) -> bool:
    if ", " in text or not text.strip() or text in FORM_BLOCKLIST:
        return False  # inverted index form ("acid, retinoic")
    if len(dictionary.variant_to_keys.get(text, ())) > 1:
        return False
    if len(text) < _MIN_FORM_LENGTH and text not in seen.get(key, {}):
        return False
    return any(c.isalpha() for c in text)


HEADER = """\
# GENERATED by `python -m ontology.vocab.build_drugs`; do not edit by hand (edit the scope lists in
# ontology/vocab/build_drugs.py or the curated drugs.yaml, then rebuild). Names and identifiers only.
# Loaded by ontology/model.py as Drug concepts; a curated concept always wins. See docs/vocabularies.md.
"""


def write(doc: Mapping[str, Any], path: Path = OUTPUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(dict(doc), sort_keys=False, allow_unicode=True, width=110)
    path.write_text(HEADER + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ontology.vocab.build_drugs", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="directory of the real development texts (default: ../shared/data/real)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="only report; do not write the file")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} not found: keeping the previous scope", file=sys.stderr)
    doc, matches = build(args.corpus, previous=args.output)
    for m in matches:
        if m.status in ("proposed", "conflict", "ambiguous") or m.status.startswith("not linked"):
            print(f"curated {m.concept_id}: {m.status} DRUGBANK:{m.drugbank_id} ({m.dictionary_key})")
    if not args.check:
        write(doc, args.output)
    print(f"{len(doc['concepts'])} drugs from {PACKAGE} {doc['source']['version']}"
          f" ({len(doc['excluded'])} excluded){'' if args.check else ' -> ' + str(args.output)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
